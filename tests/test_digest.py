"""The weekly digest (每周督办简报) for a scripted situation: what the leadership, a working group and a department
read, problems first; who reads nothing; a dry run records nothing; a week's digest is recorded once.

The script (the plan's five 2022 milestones, 运城市):
- 2022-12-20 市发展改革委 asks to move 3.3.3's milestone to 2023-01-08; the office approves the next day;
- 2023-01-03 scan: 督办 for 3.1, 3.2.2, 3.3.2 (市民政局) and 3.4.2 (市卫健委); 催报 for every task;
- 2023-01-04 市财政局 completes 4.2 (its only task as lead; 市税务局's only task at all), accepted at once;
- 2023-01-05 市卫健委's 3.4.2 milestone is accepted (late);
- 2023-01-09 scan: 督办 for 3.3.3 (its extended date has passed);
- 2023-01-10 市民政局 answers the 督办 of 3.2.2;
- 2023-01-11: 通报 for the unanswered 督办 of 3.1 and 3.3.2, as the scan made them before the periodic bulletin
  (per-milestone 通报 kept from before migration 0010: still open, still in the digest until resolved);
- an indicator value behind its path (护理型养老床位占比 2022: 31%, the path stands at 40%) and one ahead of it.
The digest of Monday 2023-01-16 covers the week 2023-01-09 to 2023-01-15.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import select
from test_mail_smtp import import_contacts, notice_of, office

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2023, 1, 16)
CONTACTS = """unit,name,email
领导小组,王秘书长,wang@ld.example.cn
养老专班,钱组长,qian@yl.example.cn
托育专班,孙组长,sun@ty.example.cn
市民政局,张主任,zhang@mz.example.cn
市卫健委,李科长,li@wj.example.cn
市财政局,财政联络员,cz@cz.example.cn
市税务局,税务联络员,tax@sw.example.cn
"""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def milestone_id(session, code: str, key: str = "2022") -> int:
    from ylyx_tasks.models import Milestone, Task

    return session.exec(select(Milestone.id).join(Task, Task.id == Milestone.task_id)
                        .where(Task.code == code, Milestone.key == key)).one()


def complete(code: str, key: str, on: dt.date) -> None:
    from ylyx_tasks.db import write_session
    from ylyx_tasks.services.tasks import workflow

    with write_session() as session:
        m = milestone_id(session, code, key)
        workflow.claim_done(session, office(), milestone_id=m, evidence="已完成，见验收文件",
                            links="https://example.cn/ys", today=on)
        workflow.accept(session, office(), milestone_id=m, today=on, note="材料齐全")


def at(moment: dt.datetime):
    """Stamp what happens inside with this instant (answers record the real time they were given)."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def situation(plan_sqlite):
    from ylyx_tasks.db import read_session, write_session
    from ylyx_tasks.models import Indicator
    from ylyx_tasks.services import indicators
    from ylyx_tasks.services.supervision import notices
    from ylyx_tasks.services.supervision.scan import run_scan
    from ylyx_tasks.services.tasks import workflow

    import_contacts(CONTACTS)
    with write_session() as session:
        request = workflow.apply_extension(session, office(), milestone_id=milestone_id(session, "3.3.3"),
                                           new_date=dt.date(2023, 1, 8), reason="设备到货推迟",
                                           today=dt.date(2022, 12, 20))
        workflow.decide_extension(session, office(), request_id=request.id, approve=True,
                                  today=dt.date(2022, 12, 21), note="同意")
    run_scan(dt.date(2023, 1, 3))
    complete("4.2", "2025", dt.date(2023, 1, 4))
    complete("3.4.2", "2022", dt.date(2023, 1, 5))
    run_scan(dt.date(2023, 1, 9))
    with at(dt.datetime(2023, 1, 10, 10, 0, tzinfo=SHANGHAI)), write_session() as session:
        notices.answer(session, office(), notice_id=notice_of(session, "3.2.2", "督办").id, situation="已完成七成",
                       reason="资金未到位", new_date=dt.date(2023, 3, 31), today=dt.date(2023, 1, 10))
    run_scan(dt.date(2023, 1, 11))
    legacy_circulations(["3.1", "3.3.2"], dt.date(2023, 1, 11))
    with write_session() as session:
        by_name = {i.name: i.id for i in session.exec(select(Indicator))}
        indicators.record_value(session, office(), indicator_id=by_name["护理型养老床位占比"], year=2022, value=31,
                                note="2022 年民政统计")
        indicators.record_value(session, office(), indicator_id=by_name["居家社区养老服务覆盖率"], year=2022, value=60,
                                note="2022 年民政统计")
    with read_session() as session:
        from ylyx_tasks.models import Notice

        circulated = session.exec(select(Notice).where(Notice.level == "通报")).all()
        assert sorted(n.reason for n in circulated) == ["督办逾期未反馈"] * 2
    return plan_sqlite


def legacy_circulations(codes: list[str], day: dt.date) -> None:
    """Per-milestone 通报 for the unanswered 督办 of ``codes``, as the scan made them before the bulletin."""
    from ylyx_tasks.db import write_session
    from ylyx_tasks.domain.notices import NoticeLevel
    from ylyx_tasks.services.supervision.issue import NewNotice, create_notices

    with write_session() as session:
        made = [notice_of(session, code, "督办") for code in codes]
        create_notices(session, [NewNotice(f"通报:未反馈:n{n.id}", NoticeLevel.CIRCULATE, n.task_id, n.department_id,
                                           milestone_id=n.milestone_id, parent_id=n.id, milestone_due=n.milestone_due,
                                           reason="督办逾期未反馈") for n in made], today=day)


def digest_data(unit: str, today: dt.date = MONDAY):
    """What ``unit``'s digest says (the structured data the templates render)."""
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Department, Task, WorkingGroup
    from ylyx_tasks.reads.digest import build_department, build_scope, load_facts

    with read_session() as session:
        facts = load_facts(session, today)
        if unit == "领导小组":
            return build_scope(session, facts, today, kind="leadership", label=unit, task_ids=None)
        group = session.exec(select(WorkingGroup).where(WorkingGroup.name == unit)).first()
        if group is not None:
            ids = list(session.exec(select(Task.id).where(Task.working_group_id == group.id)))
            return build_scope(session, facts, today, kind="group", label=unit, task_ids=ids)
        department = session.exec(select(Department).where(Department.name == unit)).one()
        return build_department(session, facts, today, department)


def recorded_digests(monday: dt.date = MONDAY) -> dict[str, object]:
    """The digest deliveries recorded for a week, by recipient address."""
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Delivery

    with read_session() as session:
        key = f"digest:{monday.isoformat()}:"
        rows = session.exec(select(Delivery).where(Delivery.kind == "digest",
                                                   Delivery.dedup_key.startswith(key)))
        return {d.recipient_email: d for d in rows}


def test_it_tells_the_leadership_the_problems_first(situation):
    from ylyx_tasks.services.supervision.digest import run_digest

    data = digest_data("领导小组")

    assert [(o.code, o.days) for o in data.overdue] == [
        ("3.1", 16), ("3.2.2", 16), ("3.3.2", 16), ("3.3.3", 8)]
    extended = data.overdue[-1]
    assert extended.original_due == dt.date(2022, 12, 31) and extended.due_date == dt.date(2023, 1, 8)
    assert data.week_from == dt.date(2023, 1, 9) and data.week_to == dt.date(2023, 1, 15)
    assert dict(data.issued) == {"督办": 1, "通报": 2}  # the 督办 of 3.3.3; the two 通报 (催报 were the week before)
    assert data.answered == 1 and data.bulletins == []  # no bulletin issued that week
    assert [(n.code, n.department) for n in data.open_circulations] == [("3.1", "市民政局"), ("3.3.2", "市民政局")]
    ranked = [c.department for c in data.ranking]
    # by the score: 财政局 (its one milestone on time) first, 市民政局 (three overdue, chased and supervised) last;
    # units with nothing due yet are not ranked
    assert [c.score for c in data.ranking] == sorted((c.score for c in data.ranking), reverse=True)
    assert ranked[0] == "市财政局" and ranked[-1] == "市民政局"
    assert all(c.milestones_due for c in data.ranking)
    assert [row.indicator.name for row in data.off_track] == ["护理型养老床位占比"]

    run_digest(MONDAY)
    mail = recorded_digests()["wang@ld.example.cn"]
    assert mail.subject == f"每周督办简报（2023年1月16日）· 十四五养老托育 · 领导小组 · {data.problem_count} 项需关注"
    text = mail.body_text
    # problems first: overdue milestones, then outstanding 通报, before the week's activity and the standings
    order = [text.index(s) for s in ("逾期未完成的节点", "【未整改到位的通报】", "【本周督办情况】", "【牵头单位排名】", "【指标】")]
    assert order == sorted(order)
    assert "逾期 16 天｜3.1 " in text and "逾期 8 天｜3.3.3 " in text and "原定 2022年12月31日" in text
    assert "发出：提醒 0，催报 0，督办 1；收到反馈 1 件；印发通报 0 期" in text and "按得分" in text
    assert "护理型养老床位占比（%）：2022 年 31，2025 年目标 ≥55" in text
    assert "居家社区养老服务覆盖率" not in text  # ahead of its path
    assert "统计时段：2023年1月9日至2023年1月15日" in text
    assert not ISO_DATE.search(text) and not ISO_DATE.search(mail.body_html)


def test_it_gives_a_working_group_only_its_own_tasks(situation):
    from ylyx_tasks.services.supervision.digest import run_digest

    elderly = digest_data("养老专班")  # 3.3.2, 3.4.1, 3.4.2
    childcare = digest_data("托育专班")  # 3.3.3

    assert [(o.code, o.days) for o in elderly.overdue] == [("3.3.2", 16)]
    assert [n.code for n in elderly.open_circulations] == ["3.3.2"]
    assert dict(elderly.issued) == {"通报": 1} and elderly.answered == 0
    assert elderly.off_track == []  # indicators are the leadership's
    assert sum(elderly.totals_status.values()) == 3
    assert [(o.code, o.days) for o in childcare.overdue] == [("3.3.3", 8)]
    assert dict(childcare.issued) == {"督办": 1} and childcare.open_circulations == []

    run_digest(MONDAY)
    mails = recorded_digests()
    text = mails["qian@yl.example.cn"].body_text
    assert mails["qian@yl.example.cn"].subject.startswith("每周督办简报（2023年1月16日）· 十四五养老托育 · 养老专班 · ")
    assert "3.3.2 " in text and "3.1 加力" not in text and "3.3.3 " not in text and "【指标】" not in text


def test_it_gives_a_department_its_tasks_what_awaits_its_answer_and_its_reports(situation):
    from ylyx_tasks.services.supervision.digest import run_digest

    data = digest_data("市民政局")

    assert [t.code for t in data.led] == ["3.1", "3.2.1", "3.2.2", "3.3.2", "3.5.1", "3.5.2", "3.5.3"]
    assert "3.3.1" in [t.code for t in data.supported] and "3.4.2" in [t.code for t in data.supported]
    awaiting = [(n.level, n.code, n.response_due) for n in data.awaiting]
    # the most serious first: 通报, then 督办 (the answered one of 3.2.2 no longer waits), then 催报
    assert awaiting[:4] == [("通报", "3.1", dt.date(2023, 1, 18)), ("通报", "3.3.2", dt.date(2023, 1, 18)),
                            ("督办", "3.1", dt.date(2023, 1, 10)), ("督办", "3.3.2", dt.date(2023, 1, 10))]
    assert sorted(code for level, code, _ in awaiting[4:] if level == "催报") == [t.code for t in data.led]
    assert {t.code for t in data.reports_due} == {t.code for t in data.led}
    assert [(o.code, o.days) for o in data.overdue] == [("3.1", 16), ("3.2.2", 16), ("3.3.2", 16)]

    run_digest(MONDAY)
    mail = recorded_digests()["zhang@mz.example.cn"]
    text = mail.body_text
    assert text.startswith("张主任：")
    assert text.index("待你单位办理的督办和催报") < text.index("逾期未完成的节点") < text.index("【你单位的任务】")
    assert "请于 2023年1月18日 前反馈" in text and "请于 2023年1月25日 前报送" in text
    assert "牵头 7 项" in text
    assert not ISO_DATE.search(text)


def test_it_sends_nothing_to_a_recipient_with_nothing_to_read(situation):
    from ylyx_tasks.services.supervision.digest import run_digest

    run = run_digest(MONDAY)

    mails = recorded_digests()
    # 市税务局's only task (4.2, supporting) is done: nothing to read
    assert digest_data("市税务局").has_content is False
    assert "tax@sw.example.cn" not in mails
    # 市财政局 finished its own task but still supports others
    assert "cz@cz.example.cn" in mails
    assert set(mails) == {"wang@ld.example.cn", "qian@yl.example.cn", "sun@ty.example.cn",
                          "zhang@mz.example.cn", "li@wj.example.cn", "cz@cz.example.cn"}
    assert run.mails == len(mails) and run.empty >= 1


def test_it_sends_the_leadership_nothing_before_anything_is_due(plan_sqlite):
    from ylyx_tasks.services.supervision.digest import run_digest

    import_contacts(CONTACTS)
    run = run_digest(dt.date(2022, 11, 21))  # the first Monday after the plan was issued

    mails = recorded_digests(dt.date(2022, 11, 21))
    assert digest_data("领导小组", dt.date(2022, 11, 21)).has_content is False
    assert not {"wang@ld.example.cn", "qian@yl.example.cn", "sun@ty.example.cn"} & set(mails)
    # a department still reads the list of the tasks it is responsible for
    assert "zhang@mz.example.cn" in mails and run.mails == len(mails)


def test_it_lists_an_open_circulation_every_week_until_it_is_resolved(situation):
    from ylyx_tasks.services.supervision.digest import run_digest

    following = digest_data("领导小组", dt.date(2023, 1, 23))
    assert [n.code for n in following.open_circulations] == ["3.1", "3.3.2"]
    assert dict(following.issued) == {} and following.answered == 0

    complete("3.3.2", "2022", dt.date(2023, 1, 26))  # accepted: its 督办 and 通报 are closed

    after = digest_data("领导小组", dt.date(2023, 1, 30))
    assert [n.code for n in after.open_circulations] == ["3.1"]
    assert [o.code for o in after.overdue] == ["3.1", "3.2.2", "3.3.3"]
    run_digest(dt.date(2023, 1, 30))
    text = recorded_digests(dt.date(2023, 1, 30))["wang@ld.example.cn"].body_text
    section = text[text.index("【未整改到位的通报】"):text.index("【本周督办情况】")]
    assert "（1 件）" in section and "3.1“" in section and "3.3.2" not in section


def test_it_records_a_weeks_digest_once_and_a_dry_run_not_at_all(situation):
    from ylyx_tasks.services.supervision.digest import run_digest

    dry = subprocess.run([sys.executable, "-m", "ylyx_tasks", "digest", "--today", "2023-01-16", "--dry-run"],
                         capture_output=True, text=True, timeout=120)

    assert dry.returncode == 0, dry.stderr
    assert "领导小组 → wang@ld.example.cn：每周督办简报（2023年1月16日）· 十四五养老托育 · 领导小组 · " in dry.stdout
    assert "新记录邮件 0 封" in dry.stdout
    assert recorded_digests() == {}

    first = run_digest(MONDAY)
    again = run_digest(MONDAY)
    wednesday = run_digest(dt.date(2023, 1, 18))  # the same week

    recorded = recorded_digests()
    assert first.mails == len(recorded) == 6
    assert again.mails == 0 and wednesday.mails == 0
    assert all(d.dedup_key.startswith("digest:2023-01-16:") for d in recorded.values())
    assert all(d.status == "pending" for d in recorded.values())


def test_a_digest_for_a_day_the_data_has_moved_past_is_refused_and_records_nothing(situation):
    """The database keeps the current state: the digest of 2023-01-09 would show the 通报 of 2023-01-11 as if
    they had been there. It is refused, naming what came later; the CLI says so and exits non-zero."""
    from ylyx_tasks.db import read_session
    from ylyx_tasks.errors import InvalidInput
    from ylyx_tasks.reads.plans import all_plans
    from ylyx_tasks.services.supervision.digest import preview_digest, run_digest

    with pytest.raises(InvalidInput, match="无法生成 2023年1月9日 的简报") as refused:
        run_digest(dt.date(2023, 1, 9))
    assert "通知" in str(refused.value)
    assert recorded_digests(dt.date(2023, 1, 9)) == {}
    with read_session() as session, pytest.raises(InvalidInput, match="请用今天的日期生成"):
        preview_digest(session, "leadership", dt.date(2023, 1, 9), all_plans(session)[0])
    cli = subprocess.run([sys.executable, "-m", "ylyx_tasks", "digest", "--today", "2023-01-09"],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode != 0 and "无法生成 2023年1月9日 的简报" in cli.stderr and "Traceback" not in cli.stderr
    assert recorded_digests(dt.date(2023, 1, 9)) == {}
    assert run_digest(dt.date(2023, 1, 11)).mails == 6  # the day of the last records: that day's state


def test_it_reports_the_bulletin_issued_in_the_week_to_the_leadership_and_the_units_it_names(situation):
    from ylyx_tasks.db import read_session, write_session
    from ylyx_tasks.domain.bulletins import BulletinRules
    from ylyx_tasks.models import Bulletin
    from ylyx_tasks.services.supervision import bulletins
    from ylyx_tasks.services.supervision.digest import run_digest
    from ylyx_tasks.services.supervision.scan import run_scan

    run_scan(dt.date(2023, 2, 1))  # drafts the January 通报
    with read_session() as session:
        january = session.exec(select(Bulletin).where(Bulletin.period == "2023-01")).one()
    with write_session() as session:
        bulletins.issue(session, office(), bulletin_id=january.id, today=dt.date(2023, 2, 1), rules=BulletinRules())
    monday = dt.date(2023, 2, 6)
    leadership, minzheng, finance = (digest_data(u, monday) for u in ("领导小组", "市民政局", "市财政局"))
    # 3号: the two per-milestone 通报 of before took 1 and 2 (one sequence: numbers stay unique)
    assert [b.number for b in leadership.bulletins] == ["运养托通〔2023〕3号"]
    assert minzheng.bulletins == leadership.bulletins and minzheng.bulletin_matters >= 2
    assert finance.bulletins == [] and finance.bulletin_matters == 0  # not named in it
    run_digest(monday)
    mails = recorded_digests(monday)
    leader_text, minzheng_text = mails["wang@ld.example.cn"].body_text, mails["zhang@mz.example.cn"].body_text
    assert "印发通报 1 期" in leader_text and "【本周印发的通报】（1 期）" in leader_text
    assert "被通报单位：市民政局、" in leader_text
    section = minzheng_text[minzheng_text.index("【本周印发的通报】"):]
    assert "列入你单位事项" in section and section.count("    - 市民政局｜") == minzheng.bulletin_matters
    assert "市发展改革委｜" not in section and not ISO_DATE.search(minzheng_text)
