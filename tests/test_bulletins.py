"""通报（第N期）: the last rung of the ladder, walked through the calendar with the scan run every day (no sleeping).

The script (the plan's five 2022 milestones; monthly bulletins drafted on the 1st, issued by the office that day):
- early January 2023: 督办 for 3.1, 3.2.2, 3.3.2 (市民政局), 3.4.2 (市卫健委) and 3.3.3 (市发展改革委);
- 2023-01-05 市民政局 answers the 督办 of 3.2.2 (the others go unanswered);
- 2023-02-10 3.4.2 is completed; 2023-02-15 3.2.2; 2023-03-06 3.1, 3.3.2 and 3.3.3.
So: the 2022-11 and 2022-12 bulletins have nothing to list (they are not issued); 第1期 (2023-01) lists the four
unanswered 督办 and 3.2.2 (answered, but still unfinished 30 days after its 督办);
第2期 (2023-02) lists 3.1, 3.3.2 and 3.3.3 again (市民政局 the second time); 2023-03 has nothing (not issued).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from alembic import command
from documents_support import first_page_png, pdf_text
from sqlmodel import select
from test_mail_smtp import import_contacts, office, run_cli
from test_plans import load_second_plan
from test_scan_concurrency import scan_twice_at_once

from ylyx_tasks import db
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.documents.pdf import convert
from ylyx_tasks.domain import bulletins as rules_b
from ylyx_tasks.domain.bulletins import BulletinRules, BulletinStatus
from ylyx_tasks.domain.notices import NoticeActionNotAllowed, NoticeLevel
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.domain.roles import SYSTEM, Actor, PermissionDenied, Role
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.models import Bulletin, BulletinMatter, Delivery, Milestone, Notice, Task
from ylyx_tasks.reads.supervision import bulletins as reads
from ylyx_tasks.reads.plans import all_plans, rules_from_settings
from ylyx_tasks.reads.scorecards import scorecards
from ylyx_tasks.services.mail.queue import deliver_pending
from ylyx_tasks.services.supervision import bulletins as service
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.services.plan import closeout
from ylyx_tasks.services.supervision.bulletin_docx import bulletin_context, bulletin_docx_bytes
from ylyx_tasks.services.supervision.issue import NewNotice, create_notices
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow

D = dt.date
CONTACTS = """unit,name,email
领导小组,王秘书长,wang@ld.example.cn
市民政局,张主任,zhang@mz.example.cn
市卫健委,李科长,li@wj.example.cn
市发展改革委,赵处长,zhao@fg.example.cn
市财政局,财政联络员,cz@cz.example.cn
"""
COMPLETIONS = {D(2023, 2, 10): ["3.4.2"], D(2023, 2, 15): ["3.2.2"], D(2023, 3, 6): ["3.1", "3.3.2", "3.3.3"]}


def days(start: dt.date, end: dt.date):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


def milestone_of(session, code: str, key: str = "2022") -> Milestone:
    return session.exec(select(Milestone).join(Task, Task.id == Milestone.task_id)
                        .where(Task.code == code, Milestone.key == key)).one()


def complete(code: str, on: dt.date) -> None:
    with write_session() as session:
        m = milestone_of(session, code)
        workflow.claim_done(session, office(), milestone_id=m.id, evidence="已完成，见验收文件",
                            links="https://example.cn/ys", today=on)
        workflow.accept(session, office(), milestone_id=m.id, today=on, note="材料齐全")


def answer(code: str, on: dt.date) -> None:
    with write_session() as session:
        m = milestone_of(session, code)
        notice = session.exec(select(Notice).where(Notice.milestone_id == m.id, Notice.level == "督办")).one()
        notices.answer(session, office(), notice_id=notice.id, situation="正在推进", reason="资金未到位",
                       new_date=on + dt.timedelta(days=40), today=on)


def all_bulletins() -> list[reads.BulletinView]:
    with read_session() as session:
        return [b for p in all_plans(session) for b in reads.bulletins(session, p.id)]


def issue_drafts(on: dt.date) -> None:
    """The office issues every draft with something to list, the day it is drafted (and tries the empty ones)."""
    for b in all_bulletins():
        if b.status == BulletinStatus.DRAFT and b.drafted_on == on:
            with write_session() as session:
                if b.matters:
                    service.issue(session, office(), bulletin_id=b.id, today=on, rules=rules_from_settings().bulletin)
                else:
                    with pytest.raises(WorkflowError, match="没有需要通报的事项"):
                        service.issue(session, office(), bulletin_id=b.id, today=on,
                                      rules=rules_from_settings().bulletin)


@pytest.fixture
def walked(plan_db):
    """The script, 2022-12-01 to 2023-04-03, scanning every day."""
    import_contacts(CONTACTS)
    for day in days(D(2022, 12, 1), D(2023, 4, 3)):
        if day == D(2023, 1, 5):
            answer("3.2.2", day)
        for code in COMPLETIONS.get(day, []):
            complete(code, day)
        run_scan(day)
        issue_drafts(day)
    return plan_db


def codes(b: reads.BulletinView) -> list[str]:
    return sorted(m.task_code for m in b.matters)


def test_it_issues_one_bulletin_per_period_listing_each_matter_once_and_nothing_for_an_empty_period(walked):
    by_period = {b.period: b for b in all_bulletins()}
    assert sorted(by_period) == ["2022-11", "2022-12", "2023-01", "2023-02", "2023-03"]  # each drafted on its day
    assert set(Counter(b.period for b in all_bulletins()).values()) == {1}  # and once
    assert {b.period: b.drafted_on for b in all_bulletins()} == {
        "2022-11": D(2022, 12, 1), "2022-12": D(2023, 1, 1), "2023-01": D(2023, 2, 1), "2023-02": D(2023, 3, 1),
        "2023-03": D(2023, 4, 1)}
    empty_november, empty_december, first, second, empty_march = (by_period[p] for p in sorted(by_period))
    assert (empty_november.status, empty_november.matters, empty_november.number) == ("草稿", [], "")
    assert (empty_december.status, empty_december.matters, empty_december.number) == ("草稿", [], "")
    assert (empty_march.status, empty_march.matters, empty_march.number) == ("草稿", [], "")
    assert (first.status, first.issue_no, first.number, first.issued_on) == ("已印发", 1, "运养托通〔2023〕1号",
                                                                           D(2023, 2, 1))
    assert codes(first) == ["3.1", "3.2.2", "3.3.2", "3.3.3", "3.4.2"]
    assert {m.task_code: m.reason for m in first.matters if m.reason != "督办逾期未反馈"} == {
        "3.2.2": "督办后 30 天仍未完成"}
    assert (second.issue_no, second.number, codes(second)) == (2, "运养托通〔2023〕2号", ["3.1", "3.3.2", "3.3.3"])
    assert first.rectify_by == D(2023, 2, 16)
    for b in (first, second):  # each matter at most once per issue
        assert len({(m.milestone_id, m.milestone_due) for m in b.matters}) == len(b.matters)
    # 市民政局 is named the second time in 第2期; 市卫健委 (done in February) only once
    assert {m.department: m.times_listed for m in second.matters} == {"市民政局": 2, "市发展改革委": 2}
    assert {m.department: m.times_listed for m in first.matters} == {"市民政局": 1, "市卫健委": 1, "市发展改革委": 1}
    with read_session() as session:  # and no per-milestone 通报 any more
        assert session.exec(select(Notice).where(Notice.level == "通报")).all() == []


def test_issuing_mails_the_leading_group_and_the_units_named_once(walked):
    with read_session() as session:
        deliveries = list(session.exec(select(Delivery).where(Delivery.kind == "bulletin")))
    first, second = sorted((b for b in all_bulletins() if b.issued), key=lambda b: b.issue_no or 0)
    to = {key: sorted(d.recipient_email for d in deliveries if d.dedup_key == key)
          for key in (f"bulletin:{first.id}", f"bulletin:{second.id}")}
    assert to == {f"bulletin:{first.id}": ["li@wj.example.cn", "wang@ld.example.cn", "zhang@mz.example.cn",
                                           "zhao@fg.example.cn"],
                  f"bulletin:{second.id}": ["wang@ld.example.cn", "zhang@mz.example.cn", "zhao@fg.example.cn"]}
    assert all("关于十四五" in d.subject or "工作进展情况的通报（第" in d.subject for d in deliveries)
    # issuing again changes nothing and mails nobody again
    with write_session() as session, pytest.raises(WorkflowError, match="已印发"):
        service.issue(session, office(), bulletin_id=first.id, today=D(2023, 4, 3), rules=BulletinRules())
    report = deliver_pending(due_only=False)
    assert (report.sent, report.failed) >= (len(deliveries), 0)
    mails = [p.read_text("utf-8", errors="replace") for p in Path(get_settings().outbox_dir).glob("*bulletin*.eml")]
    assert len(mails) == 7
    assert deliver_pending(due_only=False).sent == 0


def test_the_scan_run_twice_or_concurrently_drafts_one_bulletin(plan_db):
    run_scan(D(2023, 1, 3))
    run_scan(D(2023, 1, 20))  # 督办 for 3.3.3 (its due date is working day 2023-01-03 too, or later)
    scan_twice_at_once(D(2023, 2, 1))
    run_scan(D(2023, 2, 1))
    run_scan(D(2023, 2, 2))
    with read_session() as session:
        rows = list(session.exec(select(Bulletin)))
        matters = list(session.exec(select(BulletinMatter)))
    assert Counter((b.plan_id, b.period) for b in rows) == {(rows[0].plan_id, "2023-01"): 1} | (
        {(rows[0].plan_id, "2022-12"): 1} if any(b.period == "2022-12" for b in rows) else {})
    january = next(b for b in rows if b.period == "2023-01")
    listed = [(m.milestone_id, m.milestone_due) for m in matters if m.bulletin_id == january.id]
    assert listed and len(set(listed)) == len(listed)


def test_the_office_adds_and_removes_matters_before_issuing_and_only_the_office(plan_db):
    run_scan(D(2023, 1, 3))
    answer("3.2.2", D(2023, 1, 5))
    run_scan(D(2023, 2, 1))
    draft = next(b for b in all_bulletins() if b.period == "2023-01")
    assert "3.2.2" not in codes(draft)
    with read_session() as session:
        candidate = next(c for c in reads.candidates(session, draft.id) if c.label.startswith("3.2.2"))
    liaison = Actor(user_id=None, username="民政联络员", role=Role.LIAISON, department_id=1)
    with write_session() as session, pytest.raises(PermissionDenied, match="无权"):
        service.issue(session, liaison, bulletin_id=draft.id, today=D(2023, 2, 2), rules=BulletinRules())
    with write_session() as session, pytest.raises(WorkflowError, match="请填写"):
        service.add_matter(session, office(), bulletin_id=draft.id, notice_id=candidate.notice_id, reason=" ")
    with write_session() as session:
        service.add_matter(session, office(), bulletin_id=draft.id, notice_id=candidate.notice_id,
                           reason="反馈的措施不具体")
    with write_session() as session, pytest.raises(WorkflowError, match="已在本期通报中"):
        service.add_matter(session, office(), bulletin_id=draft.id, notice_id=candidate.notice_id, reason="再加一次")
    edited = next(b for b in all_bulletins() if b.id == draft.id)
    assert "3.2.2" in codes(edited) and edited.version == draft.version + 1
    dropped = next(m for m in edited.matters if m.task_code == "3.1")
    with write_session() as session:
        service.remove_matter(session, office(), bulletin_id=draft.id, matter_id=dropped.id,
                              note="已当面督促，本期暂不通报")
    with write_session() as session:
        service.issue(session, office(), bulletin_id=draft.id, today=D(2023, 2, 3), rules=BulletinRules())
    issued = next(b for b in all_bulletins() if b.id == draft.id)
    assert "3.1" not in codes(issued) and "3.2.2" in codes(issued)
    with write_session() as session, pytest.raises(WorkflowError, match="已印发"):
        service.remove_matter(session, office(), bulletin_id=draft.id, matter_id=issued.matters[0].id, note="晚了")


@pytest.mark.parametrize("day, months, draft_day, expected", [
    (D(2026, 12, 1), 1, 1, "2026-11"), (D(2026, 11, 30), 1, 1, "2026-10"), (D(2026, 12, 4), 1, 5, None),
    (D(2026, 12, 5), 1, 5, "2026-11"), (D(2027, 1, 1), 1, 1, "2026-12"), (D(2026, 10, 1), 3, 1, "2026-07"),
    (D(2026, 11, 20), 3, 1, "2026-07"), (D(2026, 10, 2), 3, 3, None), (D(2027, 1, 1), 12, 1, "2026-01"),
])
def test_the_period_whose_bulletin_is_drafted(day, months, draft_day, expected):
    assert rules_b.period_to_draft(day, BulletinRules(months=months, draft_day=draft_day)) == expected


@pytest.mark.parametrize("period, months, label, bounds", [
    ("2026-11", 1, "2026年11月", (D(2026, 11, 1), D(2026, 11, 30))),
    ("2026-10", 3, "2026年第四季度", (D(2026, 10, 1), D(2026, 12, 31))),
    ("2026-07", 6, "2026年下半年", (D(2026, 7, 1), D(2026, 12, 31))),
    ("2026-01", 12, "2026年度", (D(2026, 1, 1), D(2026, 12, 31))),
    ("2026-11", 2, "2026年11—12月", (D(2026, 11, 1), D(2026, 12, 31))),
])
def test_periods_are_named_and_bounded(period, months, label, bounds):
    assert (rules_b.period_label(period, months), rules_b.period_bounds(period, months)) == (label, bounds)


def test_a_period_that_does_not_tile_the_year_is_refused():
    with pytest.raises(ValueError, match="通报周期"):
        BulletinRules(months=5)


@pytest.mark.parametrize("answered, status, as_of, expected", [
    (False, "推进中", D(2023, 1, 9), None),  # the answer is not late yet
    (False, "推进中", D(2023, 1, 31), "督办逾期未反馈"),
    (True, "推进中", D(2023, 1, 31), None),  # answered, and not yet 30 days on
    (True, "推进中", D(2023, 2, 28), "督办后 56 天仍未完成"),
    (True, "待审核", D(2023, 2, 28), None),  # the completion awaits the office's review
    (False, "已完成", D(2023, 2, 28), None),
])
def test_which_supervision_is_listed(answered, status, as_of, expected):
    assert rules_b.listing_reason(supervise_created_on=D(2023, 1, 3), response_due=D(2023, 1, 10),
                                  answered=answered, milestone_status=status, as_of=as_of,
                                  listed_after_days=30) == expected


def test_an_issued_bulletin_renders_as_a_word_document_through_libreoffice(walked, tmp_path):
    second = max((b for b in all_bulletins() if b.issued), key=lambda b: b.issue_no or 0)
    with read_session() as session:
        data = bulletin_docx_bytes(session, second.id)
    source = tmp_path / "通报.docx"
    source.write_bytes(data)
    (pdf,) = convert([source], outdir=tmp_path / "pdf")
    text = "".join(pdf_text(pdf).split())  # lines wrap anywhere in Chinese text
    for expected in ("工作进展情况的通报（第2期）", "运养托通〔2023〕2号", "市民政局（第2次被通报）", "限期整改",
                     "2023年2月28日", "3.3.3", "逾期未完成3个"):
        assert expected in text
    png = first_page_png(pdf, "bulletin-第2期")
    assert png.stat().st_size > 10_000
    with read_session() as session, pytest.raises(WorkflowError, match="尚未印发"):
        draft = next(b for b in all_bulletins() if not b.issued)
        bulletin_docx_bytes(session, draft.id)


def test_migration_0010_carries_the_per_milestone_circulations_over_into_issued_bulletins(plan_db):
    """Four 通报 made the old way (two for 3.1 and one for 3.3.2 in January 2023, one for 3.1 in February) become
    第1期 (January: 3.1 and 3.3.2, each once) and 第2期 (February: 3.1 again); the notices stay as they were."""
    run_scan(D(2023, 1, 3))
    legacy = [("3.1", D(2023, 1, 10), "督办逾期未反馈"), ("3.3.2", D(2023, 1, 10), "督办逾期未反馈"),
              ("3.1", D(2023, 2, 2), "督办后 30 天仍未完成"), ("3.1", D(2023, 1, 20), "多次督办仍未完成")]
    for i, (code, day, reason) in enumerate(legacy):
        with write_session() as session:
            parent = session.exec(select(Notice).where(Notice.milestone_id == milestone_of(session, code).id,
                                                       Notice.level == "督办")).one()
            create_notices(session, [NewNotice(f"通报:旧:{i}", NoticeLevel.CIRCULATE, parent.task_id,
                                               parent.department_id, milestone_id=parent.milestone_id,
                                               parent_id=parent.id, milestone_due=parent.milestone_due,
                                               reason=reason)], today=day)
    with read_session() as session:
        before = [(n.id, n.number, n.status, n.reason) for n in session.exec(
            select(Notice).where(Notice.level == "通报").order_by(Notice.id))]

    command.downgrade(db.alembic_config(), "0008")
    db.migrate()

    carried = sorted(all_bulletins(), key=lambda b: b.period)
    assert [(b.period, b.status, b.issue_no, b.legacy, b.number) for b in carried] == [
        ("2023-01", "已印发", 1, True, ""), ("2023-02", "已印发", 2, True, "")]
    assert [sorted((m.task_code, m.reason) for m in b.matters) for b in carried] == [
        [("3.1", "督办逾期未反馈"), ("3.3.2", "督办逾期未反馈")], [("3.1", "督办后 30 天仍未完成")]]
    with read_session() as session:
        after = [(n.id, n.number, n.status, n.reason) for n in session.exec(
            select(Notice).where(Notice.level == "通报").order_by(Notice.id))]
        cards = {c.department: c for c in scorecards(session, D(2023, 2, 3), report_due_day=25)}
    assert after == before  # readable as history, untouched
    assert (cards["市民政局"].circulate, cards["市民政局"].repeat_circulate) == (3, 1)
    with read_session() as session, pytest.raises(WorkflowError, match="历史记录"):
        bulletin_docx_bytes(session, carried[0].id)
    # February has its 通报 already (carried over); March's is the year's 第3期, numbered after the old 通报
    run_scan(D(2023, 3, 1))
    run_scan(D(2023, 4, 1))
    march = next(b for b in all_bulletins() if b.period == "2023-03")
    with write_session() as session:
        service.issue(session, office(), bulletin_id=march.id, today=D(2023, 4, 1), rules=BulletinRules())
    assert Counter(b.period for b in all_bulletins())["2023-02"] == 1
    march = next(b for b in all_bulletins() if b.period == "2023-03")
    assert (march.issue_no, march.number) == (3, "运养托通〔2023〕5号")


def test_the_command_line_lists_the_issued_bulletins_as_json_and_drafts_and_issues_for_scripts(plan_db, tmp_path):
    run_scan(D(2023, 1, 3))
    drafted = run_cli("bulletin", "draft", "--today", "2023-02-01")
    assert drafted.returncode == 0, drafted.stderr
    assert "已起草 2023年1月 的通报" in drafted.stdout
    assert "已起草过" in run_cli("bulletin", "draft", "--today", "2023-02-01").stdout
    january = next(b for b in all_bulletins() if b.period == "2023-01")
    assert json.loads(run_cli("bulletins", "--json").stdout) == []  # a draft is not listed as issued
    issued = run_cli("bulletin", "issue", str(january.id), "--today", "2023-02-02")
    assert issued.returncode == 0 and "已印发第1期通报 运养托通〔2023〕1号" in issued.stdout
    again = run_cli("bulletin", "issue", str(january.id), "--today", "2023-02-02")
    assert again.returncode != 0 and "已印发" in again.stderr
    listed = json.loads(run_cli("bulletins", "--json", "--plan", all_plans_codes()[0]).stdout)
    assert [(b["number"], b["period"], b["issued_on"], b["status"]) for b in listed] == [
        ("运养托通〔2023〕1号", "2023-01", "2023-02-02", "已印发")]
    assert {"task_code": "3.1", "milestone_due": "2022-12-31", "department": "市民政局",
            "reason": "督办逾期未反馈"} in listed[0]["matters"]
    assert all(set(m) == {"task_code", "milestone_due", "department", "reason"} for m in listed[0]["matters"])
    out = tmp_path / "通报.docx"
    assert run_cli("bulletin", "docx", str(january.id), str(out)).returncode == 0 and out.read_bytes()[:2] == b"PK"
    assert "第1期" in run_cli("bulletins").stdout


def all_plans_codes() -> list[str]:
    with read_session() as session:
        return [p.code for p in all_plans(session)]


def test_each_plan_has_its_own_bulletin_numbers_and_matters(plan_db):
    """The 十四五 plan (closed in 2025, its 2025 milestones still open) and the 十五五 plan (its 2026 milestones
    overdue) each get their January 2027 bulletin, numbered in their own prefix, listing their own tasks."""
    second = load_second_plan()
    with write_session() as session:
        closeout.set_status(session, SYSTEM, plan_id=1, status=PlanStatus.CLOSING, today=D(2026, 1, 5))
    run_scan(D(2027, 1, 4))
    run_scan(D(2027, 2, 1))
    drafts = {b.plan_id: b for b in all_bulletins() if b.period == "2027-01"}
    assert set(drafts) == {1, second} and all(b.matters for b in drafts.values())
    with read_session() as session:
        plan_of = {t.id: t.plan_id for t in session.exec(select(Task))}
    for plan_id, b in drafts.items():
        assert {plan_of[m.task_id] for m in b.matters} == {plan_id}
        with write_session() as session:
            service.issue(session, office(), bulletin_id=b.id, today=D(2027, 2, 1), rules=BulletinRules())
    numbers = {b.plan_id: (b.issue_no, b.number) for b in all_bulletins() if b.issued}
    assert numbers == {1: (1, "运养托通〔2027〕1号"), second: (1, "运十五通〔2027〕1号")}
    with read_session() as session:
        doc = bulletin_context(session, drafts[second].id)
    assert doc.issuing_office == "运城市“一老一小”工作联席会议办公室" and doc.subject == "十五五养老托育重点任务"


def test_an_answer_is_sent_back_from_the_command_line_and_reopening_is_for_closed_notices(plan_sqlite):
    run_scan(D(2023, 1, 3))
    answer("3.1", D(2023, 1, 5))
    with read_session() as session:
        notice = session.exec(select(Notice).where(Notice.milestone_id == milestone_of(session, "3.1").id,
                                                   Notice.level == "督办")).one()
    sent_back = run_cli("return-notice", str(notice.id), "--note", "措施不具体，请重新反馈")
    assert sent_back.returncode == 0 and "已退回" in sent_back.stdout
    with read_session() as session:
        assert session.get(Notice, notice.id).status == "已签收"
    with write_session() as session, pytest.raises(NoticeActionNotAllowed, match="不能重新打开"):
        notices.reopen(session, office(), notice_id=notice.id, note="再打开")
