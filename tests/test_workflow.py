"""The workflow services on a real database: who may do what, optimistic locking, extensions, and the history.

Personas (tests/personas.py): minzheng leads 3.1, weijian supports it, yanhu is a county, tongji is unrelated."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from tests.personas import make_cast, milestone, milestone_id, task, task_id
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.domain.status import TransitionNotAllowed
from ylyx_tasks.errors import StaleTask, WorkflowError
from ylyx_tasks.models import AuditEvent, Notice, ProgressReport
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow

D = dt.date
TODAY = D(2023, 6, 10)


@pytest.fixture
def cast(plan_db):
    return make_cast()


def report(actor, code="3.1", percent=40, text="推进中", **kw):
    with write_session() as s:
        return workflow.submit_report(s, actor, task_id=task_id(code), percent=percent, text=text, today=TODAY, **kw)


def claim(actor, code="3.1", key="2025", **kw):
    kw.setdefault("links", "https://example.cn/evidence")
    with write_session() as s:
        return workflow.claim_done(s, actor, milestone_id=milestone_id(code, key), evidence="已完成", today=TODAY,
                                   **kw)


def accept(actor, code="3.1", key="2025", **kw):
    with write_session() as s:
        return workflow.accept(s, actor, milestone_id=milestone_id(code, key), today=TODAY, **kw)


def test_it_lets_the_lead_department_report_and_moves_the_task(cast):
    report(cast["minzheng"], percent=35)
    t = task("3.1")
    assert (t.progress, t.last_report_period, t.status) == (35, "2023-06", "推进中")
    assert milestone("3.1", "2022").status == "推进中"  # the earliest open milestone starts


def test_it_keeps_a_supporting_or_county_share_apart_from_the_task_progress(cast):
    report(cast["weijian"], percent=90, text="配合完成床位统计")
    report(cast["yanhu"], percent=70, text="盐湖区新增床位 300 张")
    t = task("3.1")
    assert (t.progress, t.last_report_period, t.status) == (0, None, "未启动")
    with write_session() as s:
        duties = sorted(r.duty for r in s.exec(select(ProgressReport)))
    assert duties == ["属地", "配合"]


@pytest.mark.parametrize("who", ["tongji", "leader", "yanglao"])
def test_it_refuses_a_report_from_someone_without_a_duty_on_the_task(cast, who):
    with pytest.raises(PermissionDenied):
        report(cast[who])


@pytest.mark.parametrize("who", ["weijian", "yanhu", "tongji", "leader", "zonghe"])
def test_it_lets_only_the_lead_department_claim_completion(cast, who):
    with pytest.raises(PermissionDenied):
        claim(cast[who])


def test_it_requires_evidence_to_claim_completion(cast):
    with pytest.raises(WorkflowError, match="佐证"):
        claim(cast["minzheng"], links="")
    claim(cast["minzheng"], links="", files=[workflow.Upload("验收报告.pdf", b"%PDF-1.4 ...")])
    assert milestone("3.1", "2025").status == "待审核"


@pytest.mark.parametrize("who, allowed", [("office", True), ("zonghe", True), ("yanglao", False),
                                          ("minzheng", False), ("leader", False)])
def test_it_lets_the_office_or_the_tasks_working_group_accept(cast, who, allowed):
    claim(cast["minzheng"])  # 3.1 belongs to 综合专班
    if allowed:
        accept(cast[who])
        assert milestone("3.1", "2025").status == "已完成"
    else:
        with pytest.raises(PermissionDenied):
            accept(cast[who])


def test_it_sends_a_rejected_claim_back_with_its_reason(cast):
    claim(cast["minzheng"])
    with pytest.raises(WorkflowError, match="退回理由"):
        with write_session() as s:
            workflow.reject(s, cast["office"], milestone_id=milestone_id("3.1", "2025"), reason=" ", today=TODAY)
    with write_session() as s:
        workflow.reject(s, cast["office"], milestone_id=milestone_id("3.1", "2025"), reason="缺少验收报告",
                        today=TODAY)
    assert milestone("3.1", "2025").status == "推进中"
    with pytest.raises(TransitionNotAllowed):
        accept(cast["office"])


def test_it_completes_the_task_when_every_milestone_is_accepted_and_closes_its_notices(cast):
    run_scan(D(2023, 1, 3))  # 督办 for the 2022 milestone, 催报 for December
    for key in ("2022", "2025"):
        claim(cast["minzheng"], key=key)
        accept(cast["office"], key=key)
    t = task("3.1")
    assert (t.status, t.progress) == ("已完成", 100)
    with write_session() as s:
        statuses = {n.level: n.status for n in s.exec(select(Notice).where(Notice.task_id == t.id))}
    assert statuses == {"督办": "已办结", "催报": "已办结"}


def test_it_refuses_the_second_of_two_concurrent_edits(cast):
    seen = task("3.1").version  # both users opened the task page at this version
    report(cast["minzheng"], percent=30, expected_version=seen)
    with pytest.raises(StaleTask, match="刚被其他人修改"):
        report(cast["office"], percent=50, text="办公室代报", expected_version=seen)
    t = task("3.1")
    assert t.progress == 30 and t.version == seen + 1
    with write_session() as s:
        assert len(s.exec(select(ProgressReport)).all()) == 1  # nothing of the refused edit was written


def test_supporting_and_county_reports_on_a_task_changed_meanwhile_all_land_and_leave_its_version(cast):
    """Report day: the lead and several units report on one task from pages opened at the same version. Only the
    lead's report changes the task; the others are rows of their own and are never refused as stale."""
    seen = task("3.1").version
    report(cast["minzheng"], percent=30, expected_version=seen)
    report(cast["weijian"], percent=90, text="配合完成床位统计", expected_version=seen)
    report(cast["yanhu"], percent=70, text="盐湖区新增床位 300 张", expected_version=seen)
    t = task("3.1")
    assert (t.progress, t.version) == (30, seen + 1)
    with write_session() as s:
        assert sorted(r.duty for r in s.exec(select(ProgressReport))) == ["属地", "牵头", "配合"]
    with pytest.raises(StaleTask):  # the lead's own second report from the old page is still refused
        report(cast["minzheng"], percent=35, expected_version=seen)


def test_a_reviewer_with_a_stale_page_is_told_the_task_changed_not_that_the_action_no_longer_fits(cast):
    claim(cast["minzheng"])
    seen = task("3.1").version  # the office and the group member both opened the claim at this version
    accept(cast["office"], expected_version=seen)
    with pytest.raises(StaleTask, match="刚被其他人修改"):
        with write_session() as s:  # rejecting an accepted milestone would otherwise be a transition error
            workflow.reject(s, cast["zonghe"], milestone_id=milestone_id("3.1", "2025"), reason="材料不全",
                            today=TODAY, expected_version=seen)
    assert milestone("3.1", "2025").status == "已完成"


def test_it_moves_the_working_due_date_on_an_approved_extension_and_keeps_the_original(cast):
    m_id = milestone_id("3.1", "2025")
    with write_session() as s:
        request = workflow.apply_extension(s, cast["minzheng"], milestone_id=m_id, new_date=D(2026, 6, 30),
                                           reason="用地手续调整", today=D(2025, 12, 1))
    with pytest.raises(PermissionDenied):
        with write_session() as s:
            workflow.decide_extension(s, cast["zonghe"], request_id=request.id, approve=True,
                                      today=D(2025, 12, 2))
    with write_session() as s:
        workflow.decide_extension(s, cast["office"], request_id=request.id, approve=True, note="同意",
                                  today=D(2025, 12, 2))
    m = milestone("3.1", "2025")
    assert (m.original_due, m.due_date) == (D(2025, 12, 31), D(2026, 6, 30))


@pytest.mark.parametrize("who, today, new_date, error", [
    ("weijian", D(2025, 12, 1), D(2026, 6, 30), PermissionDenied),  # only the lead applies
    ("minzheng", D(2026, 1, 1), D(2026, 6, 30), WorkflowError),  # after the due date: too late
    ("minzheng", D(2025, 12, 1), D(2025, 12, 31), WorkflowError),  # not later than the current date
])
def test_it_refuses_extensions_that_break_the_rules(cast, who, today, new_date, error):
    with pytest.raises(error):
        with write_session() as s:
            workflow.apply_extension(s, cast[who], milestone_id=milestone_id("3.1", "2025"), new_date=new_date,
                                     reason="理由", today=today)


def test_it_records_who_changed_what_from_what_to_what(cast):
    report(cast["minzheng"], percent=35)
    claim(cast["minzheng"])
    accept(cast["zonghe"], note="材料齐全")
    with write_session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.task_id == task_id("3.1"))
                        .where(AuditEvent.actor != "system").order_by(AuditEvent.id)).all()
    actions = [(e.actor, e.action) for e in events]
    assert ("minzheng", "报送进展") in actions and ("minzheng", "申报办结") in actions
    accepted = next(e for e in events if e.action == "审核通过")
    assert accepted.actor == "zonghe" and accepted.at.tzinfo is not None
    assert json.loads(accepted.before) == {"status": "待审核"} and json.loads(accepted.after) == {"status": "已完成"}


def test_a_stale_notice_action_is_refused_and_changes_nothing(cast):
    from ylyx_tasks.errors import StaleNotice
    from ylyx_tasks.services.supervision import notices

    run_scan(D(2023, 1, 3))  # 督办 to 市民政局 for the 2022 milestone of 3.1
    with write_session() as s:
        n = s.exec(select(Notice).where(Notice.task_id == task_id("3.1"), Notice.level == "督办")).one()
        nid, seen = n.id, n.version
    with write_session() as s:  # the liaison answers …
        notices.answer(s, cast["minzheng"], notice_id=nid, situation="已完成验收", reason="资金晚到",
                       new_date=D(2023, 3, 1), today=D(2023, 1, 4), expected_version=seen)
    with write_session() as s:  # … while the office, on the page it opened before, closes it
        with pytest.raises(StaleNotice):
            notices.close(s, cast["office"], notice_id=nid, note="同意", expected_version=seen)
    with write_session() as s:  # acknowledging an answered notice would be a transition error: stale comes first
        with pytest.raises(StaleNotice):
            notices.acknowledge(s, cast["minzheng"], notice_id=nid, expected_version=seen)
    with write_session() as s:
        n = s.get(Notice, nid)
        assert (n.status, n.version, n.closed_at) == ("已反馈", seen + 1, None)
