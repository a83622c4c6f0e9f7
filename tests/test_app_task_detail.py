"""The task page (任务详情) for each persona: what each may do through the page, what each may not — and that
the services refuse it too when called directly; concurrent edits; the history; user text shown literally."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.personas import add_province_tasks, milestone, milestone_id, task, task_id
from tests.test_app_support import (  # noqa: F401
    TODAY,
    cast,
    cast_any,
    errors,
    frame,
    keys,
    ok,
    on_tab,
    open_page,
    successes,
    text_of,
)
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.models import Attachment, AuditEvent, ProgressReport, Responsibility, ReviewRequest
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.ui.widgets import option_key

FORMS = {"td_report_submit", "td_claim_submit", "td_extend_submit", "td_reopen_submit"}


def detail(user: str, code: str = "3.1", tab: str = "办理"):
    """The task page as a user opens it to work on it: on the 办理 tab (only the open tab is drawn)."""
    return ok(on_tab(open_page(user, "task_detail", task=code), tab))


def fill_report(at, percent: int, text: str, evidence: str = ""):
    at.number_input(key="td_report_percent").set_value(percent)
    at.text_area(key="td_report_text").input(text)
    if evidence:
        at.text_input(key="td_report_evidence").input(evidence)
    return at


def claim_as_minzheng(cast, key: str = "2025") -> int:
    with write_session() as s:
        return workflow.claim_done(s, cast["minzheng"], milestone_id=milestone_id("3.1", key),
                                   evidence="已全部完成", links="https://example.cn/3.1", today=TODAY).id


def test_the_lead_liaison_reports_progress_with_evidence_and_a_file(cast_any):
    at = detail("minzheng")
    assert "以 市民政局（牵头）身份报送" in text_of(at)
    fill_report(at, 40, "已完成市级养老服务中心主体工程", "https://example.cn/progress")
    at.file_uploader(key="td_report_files_0").set_value(("进展材料.txt", "照片说明".encode(), "text/plain"))
    ok(at.button(key="td_report_submit").click().run())
    assert successes(at) == ["进展已报送。"]
    with write_session() as s:
        report = s.exec(select(ProgressReport)).one()
        assert (report.percent, report.duty, report.period) == (40, "牵头", "2025-06")
        files = s.exec(select(Attachment).where(Attachment.owner_id == report.id)).all()
        assert [f.filename for f in files] == ["进展材料.txt"]
    assert task("3.1").progress == 40
    assert at.metric[2].value == "40%"  # the page shows the new state
    assert "已完成市级养老服务中心主体工程" in text_of(at)


def test_a_report_without_text_is_refused_with_a_message(cast):
    at = detail("minzheng")
    fill_report(at, 10, "")
    ok(at.button(key="td_report_submit").click().run())
    assert errors(at) == ["请填写进展情况"]
    with write_session() as s:
        assert s.exec(select(ProgressReport)).first() is None


def test_the_lead_claims_completion_and_the_office_accepts_it(cast_any):
    at = detail("minzheng")
    ids = [milestone_id("3.1", "2022"), milestone_id("3.1", "2025")]
    at.selectbox(key=option_key("td_claim_milestone", ids)).set_value(ids[0])
    at.text_area(key="td_claim_text").input("2022 年底养老床位达到 1.9 万张")
    at.text_input(key="td_claim_links").input("https://example.cn/beds")
    ok(at.button(key="td_claim_submit").click().run())
    assert successes(at) == ["已申报办结，等待专班审核。"]
    assert milestone("3.1", "2022").status == "待审核"

    office = detail("office")
    with write_session() as s:
        request_id = s.exec(select(ReviewRequest.id)).one()
    assert {f"td_accept_{request_id}", f"td_reject_{request_id}"} <= keys(office)
    assert "https://example.cn/beds" in text_of(office)
    ok(office.button(key=f"td_accept_{request_id}").click().run())
    assert successes(office) == ["已审核通过，节点办结销号。"]
    assert milestone("3.1", "2022").status == "已完成"
    assert milestone("3.1", "2022").completed_on == TODAY


def test_a_claim_without_evidence_is_refused(cast):
    at = detail("minzheng")
    at.text_area(key="td_claim_text").input("已完成")
    ok(at.button(key="td_claim_submit").click().run())
    assert errors(at) == ["申报办结须附佐证材料：链接或文件"]


def test_the_groups_member_reviews_and_a_member_of_another_group_may_not(cast):
    request_id = claim_as_minzheng(cast)
    zonghe = detail("zonghe")  # 3.1 belongs to 综合专班
    assert f"td_accept_{request_id}" in keys(zonghe)
    yanglao = detail("yanglao")
    assert f"td_accept_{request_id}" not in keys(yanglao)
    assert not FORMS & keys(yanglao)
    with write_session() as s, pytest.raises(PermissionDenied):
        workflow.accept(s, cast["yanglao"], milestone_id=milestone_id("3.1", "2025"), today=TODAY)
    zonghe.text_area(key=f"td_review_note_{request_id}").input("佐证不足")
    ok(zonghe.button(key=f"td_reject_{request_id}").click().run())
    assert successes(zonghe) == ["已退回重办。"]
    assert milestone("3.1", "2025").status == "推进中"


def test_sending_a_claim_back_needs_a_reason(cast):
    request_id = claim_as_minzheng(cast)
    at = detail("office")
    ok(at.button(key=f"td_reject_{request_id}").click().run())
    assert errors(at) == ["请填写退回理由"]
    assert milestone("3.1", "2025").status == "待审核"


def test_a_supporting_department_reports_its_share_and_cannot_claim(cast):
    at = detail("weijian")
    assert "以 市卫健委（配合）身份报送：报送本单位承担部分" in text_of(at)
    assert "td_claim_submit" not in keys(at) and "td_extend_submit" not in keys(at)
    fill_report(at, 60, "医养结合机构备案完成")
    ok(at.button(key="td_report_submit").click().run())
    with write_session() as s:
        report = s.exec(select(ProgressReport)).one()
    assert (report.duty, report.percent) == ("配合", 60)
    assert task("3.1").progress == 0  # the lead's progress is the task's
    with write_session() as s, pytest.raises(PermissionDenied):
        workflow.claim_done(s, cast["weijian"], milestone_id=milestone_id("3.1", "2025"), evidence="x",
                            links="https://example.cn", today=TODAY)
    with write_session() as s, pytest.raises(PermissionDenied):
        workflow.apply_extension(s, cast["weijian"], milestone_id=milestone_id("3.1", "2025"),
                                 new_date=dt.date(2026, 6, 30), reason="x", today=TODAY)


def test_a_county_reports_its_territorial_share(cast):
    at = detail("yanhu")
    assert "以 盐湖区人民政府（属地）身份报送" in text_of(at)
    assert "td_claim_submit" not in keys(at)
    fill_report(at, 70, "盐湖区新建社区养老服务站 3 处")
    ok(at.button(key="td_report_submit").click().run())
    with write_session() as s:
        assert s.exec(select(ProgressReport.duty)).one() == "属地"


@pytest.mark.parametrize("who", ["leader", "tongji", "yanglao"])
def test_readers_see_no_write_control_and_the_services_refuse_them(cast, who):
    claim_as_minzheng(cast)
    at = detail(who)
    assert not {k for k in keys(at) if k.startswith("td_") and k != "td_task" and not k.startswith("td_instr_")}
    assert ("td_instr_submit" in keys(at)) == (who == "leader")  # a leader's one write: a 批示 on what they read
    assert "你对本任务没有需要办理的事项" in text_of(at) or "领导账号可查看全部情况" in text_of(at)
    with write_session() as s, pytest.raises(PermissionDenied):
        workflow.submit_report(s, cast[who], task_id=task_id("3.1"), percent=10, text="x", today=TODAY)
    with write_session() as s, pytest.raises(PermissionDenied):
        workflow.accept(s, cast[who], milestone_id=milestone_id("3.1", "2025"), today=TODAY)


def test_the_lead_applies_for_an_extension_and_the_office_approves_it(cast):
    at = detail("minzheng")
    ids = [milestone_id("3.1", "2022"), milestone_id("3.1", "2025")]
    at.selectbox(key=option_key("td_extend_milestone", ids[1:])).set_value(ids[1])  # the 2022 one is past due
    at.date_input(key="td_extend_date").set_value(dt.date(2026, 6, 30))
    at.text_area(key="td_extend_reason").input("用地手续未批复")
    ok(at.button(key="td_extend_submit").click().run())
    assert successes(at) == ["延期申请已提交，等待专班办公室审批。"]
    office = detail("office")
    with write_session() as s:
        request_id = s.exec(select(ReviewRequest.id).where(ReviewRequest.kind == "延期")).one()
    ok(office.button(key=f"td_approve_{request_id}").click().run())
    m = milestone("3.1", "2025")
    assert (m.due_date, m.original_due) == (dt.date(2026, 6, 30), dt.date(2025, 12, 31))
    assert "现期限 2026年6月30日（原定 2025年12月31日，已延期）" in text_of(on_tab(office, "概况"))
    with write_session() as s, pytest.raises(PermissionDenied):  # only the office decides
        workflow.decide_extension(s, cast["zonghe"], request_id=request_id, approve=False, note="x", today=TODAY)


def test_the_office_reopens_a_milestone_accepted_by_mistake(cast):
    claim_as_minzheng(cast)
    with write_session() as s:
        workflow.accept(s, cast["office"], milestone_id=milestone_id("3.1", "2025"), today=TODAY)
    assert "td_reopen_submit" not in keys(detail("zonghe"))
    at = detail("office")
    at.text_area(key="td_reopen_reason").input("误办结")
    ok(at.button(key="td_reopen_submit").click().run())
    assert milestone("3.1", "2025").status == "推进中"


def test_a_concurrent_change_is_refused_and_the_new_state_shown(cast_any):
    at = detail("minzheng")  # the liaison reads the task …
    with write_session() as s:  # … the office reports meanwhile …
        workflow.submit_report(s, cast_any["office"], task_id=task_id("3.1"), percent=55, text="办公室代报", today=TODAY)
    fill_report(at, 30, "我的报送")  # … and the liaison submits what it typed
    ok(at.button(key="td_report_submit").click().run())
    assert any("刚被其他人修改过" in e for e in errors(at))
    with write_session() as s:
        assert s.exec(select(ProgressReport.text)).all() == ["办公室代报"]
    assert at.metric[2].value == "55%"  # the page now shows the other user's change
    fill_report(at, 60, "看过最新情况后再报")  # a second try, on the state now shown, goes through
    ok(at.button(key="td_report_submit").click().run())
    assert successes(at) == ["进展已报送。"]


def test_the_history_says_who_did_what_when_from_what_to_what(cast):
    at = detail("minzheng")
    fill_report(at, 20, "开工")
    ok(at.button(key="td_report_submit").click().run())
    history = frame(on_tab(at, "办理记录"), index=len(at.dataframe) - 1)
    row = history[history["操作"] == "报送进展"].iloc[0]
    assert row["操作人"] == "minzheng" and row["时间"].startswith("2025-06-16")
    moved = history[(history["操作"] == "报送进展") & (history["对象"] == "时间节点")].iloc[0]
    assert (moved["变更前"], moved["变更后"]) == ("状态：未启动", "状态：推进中")


def test_user_written_text_is_shown_literally_never_as_markup(cast):
    nasty = "**粗体** <script>alert('x')</script> <b>加粗</b> [点我](javascript:alert(1))"
    with write_session() as s:
        workflow.claim_done(s, cast["minzheng"], milestone_id=milestone_id("3.1", "2025"), evidence=nasty,
                            links="https://example.cn", today=TODAY)
    at = detail("office")
    rendered = [m.value for m in at.markdown if "粗体" in m.value]
    assert rendered and all("<script>" not in m and "\\<script\\>" in m and "\\*\\*粗体\\*\\*" in m for m in rendered)
    assert not any(getattr(m, "allow_html", False) for m in at.markdown)
    requests = next(f for f in (frame(at, i) for i in range(len(at.dataframe))) if "申请人" in f.columns)
    assert nasty in set(requests["说明"])


def test_a_task_can_be_chosen_by_link(cast):
    at = detail("leader", code="4.4", tab="概况")
    assert at.selectbox(key="td_task").value == "4.4"
    assert at.title[0].value == "4.4 提升金融服务"
    assert "人行运城市中心支行" in text_of(at)


def test_a_claim_accepted_meanwhile_by_another_reviewer_is_not_accepted_twice(cast):
    request_id = claim_as_minzheng(cast)
    at = detail("office")  # the office sees the claim awaiting review …
    with write_session() as s:  # … while the group's member accepts it
        workflow.accept(s, cast["zonghe"], milestone_id=milestone_id("3.1", "2025"), today=TODAY)
    ok(at.button(key=f"td_accept_{request_id}").click().run())
    assert any("刚被其他人修改过" in e for e in errors(at))  # told that the task changed meanwhile
    assert f"td_accept_{request_id}" not in keys(at)  # the page shows the claim settled


def test_the_file_chosen_for_a_report_is_cleared_after_it_was_sent(cast):
    at = detail("minzheng")
    fill_report(at, 10, "开工")
    at.file_uploader(key="td_report_files_0").set_value(("照片.txt", b"x", "text/plain"))
    ok(at.button(key="td_report_submit").click().run())
    assert "td_report_files_1" in keys(at, "file_uploader") and "td_report_files_0" not in keys(at, "file_uploader")
    assert at.text_area(key="td_report_text").value == ""


def test_an_unexpected_error_becomes_a_message_not_a_traceback(cast, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    at = detail("minzheng")
    monkeypatch.setattr(workflow, "submit_report", broken)
    fill_report(at, 10, "开工")
    at.button(key="td_report_submit").click().run()
    assert not at.exception
    assert any("系统出现意外错误" in e and "错误编号" in e for e in errors(at))
    assert "disk on fire" not in text_of(at) and "disk on fire" in caplog.text


def test_a_page_that_fails_while_drawing_says_so_politely(cast, monkeypatch):
    from ylyx_tasks.ui.cached import common as data

    at = detail("leader")
    monkeypatch.setattr(data, "task_record", lambda task_id: 1 / 0)
    at.run()
    assert not at.exception and any("系统出现意外错误" in e for e in errors(at))


def test_a_province_of_tasks_is_searched_not_listed_and_a_link_still_opens_any_task(cast):
    """More tasks than the selector lists: a search box narrows it; a link to a task past the first page opens it."""
    add_province_tasks(230)
    at = ok(open_page("office", "task_detail"))
    options = at.selectbox(key="td_task").options
    assert len(options) == 200 and "共 250 项任务符合" in text_of(at)
    ok(at.text_input(key="td_search").input("省级任务 22").run())
    assert [o.split()[0] for o in at.selectbox(key="td_task").options][1:] == \
        ["X022", *[f"X{i}" for i in range(220, 230)]]  # the chosen task stays first
    ok(at.selectbox(key="td_task").set_value("X225").run())
    assert at.title[0].value == "X225 省级任务 225" and at.query_params["task"] == "X225"
    linked = ok(open_page("leader", "task_detail", task="X229"))  # past the first 200 in document order
    assert linked.selectbox(key="td_task").value == "X229" and linked.title[0].value == "X229 省级任务 229"


def _table_with(at, column: str):
    """The page's table that has ``column`` (the tabs hold several)."""
    found = [frame(at, i) for i in range(len(at.dataframe)) if column in frame(at, i).columns]
    assert len(found) == 1
    return found[0]


def test_a_long_history_shows_its_newest_events_and_all_of_them_on_request(cast):
    """Years of monthly reports: the record tab shows the newest events, the whole history when asked."""
    from ylyx_tasks.reads.history import HISTORY_SHOWN

    for i in range(HISTORY_SHOWN + 10):
        with write_session() as s:  # one unit of work each, as the page sends them
            workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=min(99, i), text=f"第{i}次",
                                   today=TODAY)
    with write_session() as s:
        total = len(s.exec(select(AuditEvent.id).where(AuditEvent.task_id == task_id("3.1"))).all())
    assert total > HISTORY_SHOWN
    at = detail("office", tab="办理记录")
    shown = _table_with(at, "操作人")
    assert len(shown) == HISTORY_SHOWN
    ok(at.toggle(key="td_history_all").set_value(True).run())
    everything = _table_with(at, "操作人")
    assert len(everything) == total
    assert shown.equals(everything.tail(HISTORY_SHOWN).reset_index(drop=True))  # the newest, oldest first


def test_many_notices_show_every_open_one_and_the_newest_others_all_on_request(cast):
    from ylyx_tasks.domain.notices import NoticeLevel
    from ylyx_tasks.reads.plans import rules_from_settings
    from ylyx_tasks.services.supervision.scan import NewNotice, create_notices
    from ylyx_tasks.ui.panels.task_info import NOTICES_SHOWN

    t, m = task("3.1"), milestone("3.1", "2025")
    rules = rules_from_settings()
    with write_session() as s:  # three open 督办 first (the oldest), then many reminders (sent, not open)
        lead = s.exec(select(Responsibility.department_id).where(
            Responsibility.task_id == t.id, Responsibility.duty == "牵头")).one()
        for i in range(3):
            create_notices(s, [NewNotice(f"督办:test:{i}", NoticeLevel.SUPERVISE, t.id, lead, milestone_id=m.id,
                                         milestone_due=m.due_date, reason=f"督办{i}")],
                           today=TODAY - dt.timedelta(days=200 - i), rules=rules)
        for i in range(NOTICES_SHOWN + 10):
            create_notices(s, [NewNotice(f"提醒:test:{i}", NoticeLevel.REMINDER, t.id, lead, milestone_id=m.id,
                                         milestone_due=m.due_date, reason=f"提醒{i}")],
                           today=TODAY - dt.timedelta(days=100 - i), rules=rules)
    at = detail("office", tab="督办通知")
    shown = _table_with(at, "逾期未反馈")
    assert len(shown) == NOTICES_SHOWN
    assert sorted(shown[shown["级别"] == "督办"]["事由"]) == ["督办0", "督办1", "督办2"]  # every open one
    assert "提醒59" in set(shown["事由"]) and "提醒0" not in set(shown["事由"])  # and the newest others
    ok(at.toggle(key="td_notices_all").set_value(True).run())
    assert len(_table_with(at, "逾期未反馈")) == NOTICES_SHOWN + 13
