"""Plans, not the plan: a second plan drafted from its own document beside the first, each supervised by its
own period and wording; calendar honesty for a year whose holiday notice is unknown; interim indicator targets;
re-importing a corrected document; the end of a plan (终期评估, report, carry-over).

Personas: the office (Bob) loads the 十五五 plan (tests/data/十五五一老一小示例方案.txt) while the 十四五 plan
(the seed) is closing out; 市民政局 leads tasks in both.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import select

from tests.personas import make_cast
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.indicators import expected_on_path, is_off_track
from ylyx_tasks.domain.plans import PlanStatus, milestone_key, milestone_label
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import SYSTEM
from ylyx_tasks.models import AuditEvent, Delivery, Department, Milestone, Notice, ProgressReport, Task
from ylyx_tasks.reads.holidays import unknown_years
from ylyx_tasks.reads.notices import notice_briefs
from ylyx_tasks.reads.plans import all_plans, find_plan, plans_in_force
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services.holidays import enter_year
from ylyx_tasks.services.mail.recipients import add_contact
from ylyx_tasks.services.plan import closeout, workbook
from ylyx_tasks.services.plan.plan_import import PlanMeta, import_plan, preview_plan_import
from ylyx_tasks.services.supervision.issue import NewNotice, create_notices
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tabular import ImportRejected
from ylyx_tasks.services.tasks import workflow

SAMPLE = Path(__file__).parent / "data" / "十五五一老一小示例方案.txt"
META = PlanMeta(code="十五五养老托育", title="关于运城市“十五五”时期“一老一小”服务高质量发展实施方案",
                period_start=dt.date(2026, 1, 1), period_end=dt.date(2030, 12, 31), issued_on=dt.date(2026, 1, 10),
                short_name="十五五养老托育", doc_number="运政办发〔2026〕18号", notice_prefix="运十五",
                issuing_office="运城市“一老一小”工作联席会议办公室")


def load_second_plan(data: bytes | None = None) -> int:
    with write_session() as s:
        plan, _ = import_plan(s, SYSTEM, data or SAMPLE.read_bytes(), SAMPLE.name, META,
                              new_units={"市中医院": "其他单位"})
        return plan.id


def tasks_of(plan_id: int) -> dict[str, Task]:
    with read_session() as s:
        return {t.code: t for t in s.exec(select(Task).where(Task.plan_id == plan_id).order_by(Task.position))}


# --- importing a plan drafted from its document ------------------------------------------------------------


def test_a_plan_drafted_from_its_document_is_imported_beside_the_first(plan_db):
    plan_id = load_second_plan()
    tasks = tasks_of(plan_id)
    assert list(tasks) == ["2.1", "2.2.1", "2.2.2", "2.3", "3.1"]
    with read_session() as s:
        views = {v.code: v for v in load_task_views(s, dt.date(2026, 6, 1), plan_id=plan_id)}
        seed = load_task_views(s, dt.date(2026, 6, 1))
    assert [u.name for u in views["2.2.1"].leads] == ["市卫健委", "市住建局"]  # co-leads
    assert [u.name for u in views["2.3"].supporting] == ["市民政局", "市医保局", "市中医院"]  # a confirmed new unit
    assert len(views["3.1"].territorial) == 14 and not views["2.1"].territorial
    assert [(m.key, m.due_date.isoformat()) for m in views["2.1"].milestones] == [
        ("2026", "2026-12-31"), ("2028", "2028-12-31"), ("2030", "2030-12-31")]
    assert [(m.key, m.label) for m in views["2.2.1"].milestones][0] == ("2027-06-30", "2027年6月30日节点")
    assert len(seed) == 20  # the first plan untouched


def test_an_unknown_unit_not_confirmed_imports_nothing(plan_db):
    with read_session() as s:
        before = len(s.exec(select(Task)).all())
        preview = preview_plan_import(s, SYSTEM, SAMPLE.read_bytes(), SAMPLE.name, META)
    assert not preview.ok and list(preview.unknown_units) == ["市中医院"]
    with pytest.raises(ImportRejected) as refused, write_session() as s:
        import_plan(s, SYSTEM, SAMPLE.read_bytes(), SAMPLE.name, META)
    assert "未知单位“市中医院”" in str(refused.value)
    with read_session() as s:
        assert len(s.exec(select(Task)).all()) == before
        assert s.exec(select(Department).where(Department.name == "市中医院")).first() is None


def test_importing_a_corrected_document_keeps_reports_notices_and_history(plan_db):
    plan_id = load_second_plan()
    cast = make_cast()
    task = tasks_of(plan_id)["2.1"]
    with write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=task.id, percent=30, text="已起草清单",
                               today=dt.date(2026, 3, 20))
    run_scan(dt.date(2026, 12, 1))  # a reminder for the 2026 commitment
    corrected = SAMPLE.read_text(encoding="utf-8").replace("健全基本养老服务体系", "健全基本养老服务制度体系")
    load_second_plan(corrected.encode("utf-8"))
    with read_session() as s:
        again = s.get(Task, task.id)
        assert again.title == "健全基本养老服务制度体系"
        assert len(s.exec(select(ProgressReport).where(ProgressReport.task_id == task.id)).all()) == 1
        assert s.exec(select(Notice).where(Notice.task_id == task.id)).first() is not None
        events = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.task_id == task.id))]
    assert "更新任务文本" in events and "报送进展" in events and events[0] == "新增任务"


# --- two plans supervised at once, each by its own period --------------------------------------------------


def test_two_plans_walk_the_calendar_each_by_its_own_period(plan_db):
    """The seed plan ends 2025-12-31; the 十五五 plan runs 2026–2030. Walking the scan across the change: no
    notice about the new plan before it starts, no 催报 for the old one after it ends (its overdue matters still
    get their 督办), each plan's notices numbered with its own prefix."""
    plan_id = load_second_plan()
    new_tasks = {t.id for t in tasks_of(plan_id).values()}
    day = dt.date(2025, 11, 3)
    while day <= dt.date(2027, 2, 1):
        run_scan(day)
        day += dt.timedelta(days=7)
    with read_session() as s:
        notices = s.exec(select(Notice)).all()
    new = [n for n in notices if n.task_id in new_tasks]
    old = [n for n in notices if n.task_id not in new_tasks]
    assert new and old
    assert min(n.created_on for n in new) >= dt.date(2026, 1, 1)
    assert max(n.created_on for n in old if n.level == "催报") <= dt.date(2025, 12, 31)
    assert any(n.level == "督办" and n.created_on >= dt.date(2026, 1, 1) for n in old)  # still supervised
    assert all(n.number.startswith("运十五") for n in new) and all(n.number.startswith("运养托") for n in old)
    assert any(n.level == "催报" for n in new)  # the new plan asks for its monthly reports
    with read_session() as s:
        assert {b.plan_id for b in notice_briefs(s, SYSTEM, plan_id=plan_id)} == {plan_id}
        assert [p.code for p in plans_in_force(s, dt.date(2026, 6, 1))] == ["十五五养老托育"]
        assert find_plan(s, "运政办发〔2026〕18号").id == plan_id


def test_a_plan_closed_out_stops_asking_for_reports_but_not_its_supervision(plan_db):
    plan_id = load_second_plan()
    with write_session() as s:
        closeout.set_status(s, SYSTEM, plan_id=plan_id, status=PlanStatus.CLOSING, today=dt.date(2027, 1, 2))
    run_scan(dt.date(2027, 1, 5))
    with read_session() as s:
        levels = {n.level for n in s.exec(select(Notice))
                  if n.task_id in {t.id for t in tasks_of(plan_id).values()}}
    assert "督办" in levels and "催报" not in levels


# --- calendar honesty ----------------------------------------------------------------------------------------


def test_a_2027_deadline_is_flagged_as_computed_on_the_fallback(plan_db):
    plan_id = load_second_plan()
    with write_session() as s:
        add_contact(s, SYSTEM, unit="市民政局", name="民政联络员", email="mzj@example.org")
    with read_session() as s:
        assert unknown_years(s, dt.date(2026, 11, 30)) == [2027]
    run_scan(dt.date(2026, 12, 1))  # answer deadlines within 2026: the official calendar
    run_scan(dt.date(2027, 1, 4))  # 2.1's 2026 commitment overdue: a 督办 whose 5 working days fall in 2027
    with read_session() as s:
        early = s.exec(select(Notice).where(Notice.response_due.is_not(None),
                                            Notice.created_on == dt.date(2026, 12, 1))).all()
        supervise = s.exec(select(Notice).where(Notice.level == "督办",
                                                Notice.task_id == tasks_of(plan_id)["2.1"].id)).one()
        mails = [d.body_text for d in s.exec(select(Delivery).where(Delivery.notice_id == supervise.id))]
    assert all(not n.calendar_fallback for n in early)
    assert supervise.calendar_fallback and mails
    assert all("暂按周一至周五" in text for text in mails)
    with write_session() as s:
        enter_year(s, SYSTEM, year=2027, source="国办发明电〔2026〕12号",
                   text="2027-01-01 放假 元旦\n2027-02-05至2027-02-11 放假 春节\n2027-02-14 上班 春节调休")
    with read_session() as s:
        assert unknown_years(s, dt.date(2026, 11, 30)) == []
    # a notice issued on 2027-02-04 (a 督办 about the same milestone's later date): its deadline spans 春节
    with write_session() as s:
        create_notices(s, [NewNotice(f"督办:m{supervise.milestone_id}:2027-02-03", NoticeLevel.SUPERVISE,
                                     supervise.task_id, supervise.department_id, milestone_id=supervise.milestone_id,
                                     milestone_due=dt.date(2027, 2, 3), reason="节点逾期未完成")],
                       today=dt.date(2027, 2, 4))
    with read_session() as s:
        later = s.exec(select(Notice).where(Notice.response_due.is_not(None),
                                            Notice.created_on == dt.date(2027, 2, 4))).all()
    assert later and all(not n.calendar_fallback for n in later)
    # Thursday 4 February + 5 working days: 12 Feb, 14 Feb (调休上班), 15, 16, 17
    assert {n.response_due for n in later} == {dt.date(2027, 2, 17)}


# --- indicators on a trajectory ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "year", "comparator", "off"), [
    (50, 2027, "≥", False), (39, 2027, "≥", True), (60, 2028, "≥", False), (59, 2028, "≥", True),
    (30, 2027, "≤", True), (10, 2027, "≤", False),
])
def test_on_track_is_judged_against_the_interim_targets(value, year, comparator, off):
    """Baseline 20 (2025), interim targets 40 (2027) and 80 (2029), target 100 (2030); for a target to reduce
    the same points read as a path downwards from 60 to 10."""
    if comparator == "≥":
        args, trajectory = (20.0, 100.0), {2027: 40.0, 2029: 80.0}
    else:
        args, trajectory = (60.0, 10.0), {2027: 20.0}
    assert is_off_track(value, year, args[0], args[1], comparator, 2025, 2030, trajectory) is off


def test_the_path_runs_through_the_interim_targets():
    assert expected_on_path(20, 100, 2028, 2025, 2030, {2027: 40, 2029: 80}) == 60
    assert expected_on_path(20, 100, 2026, 2025, 2030, {2027: 40, 2029: 80}) == 30
    assert expected_on_path(20, 100, 2028, 2025, 2030) == pytest.approx(68)  # straight line without one


@pytest.mark.parametrize(("due", "key", "label"), [
    (dt.date(2026, 12, 31), "2026", "2026年节点"), (dt.date(2027, 6, 30), "2027-06-30", "2027年6月30日节点")])
def test_a_milestone_is_keyed_and_named_by_its_date(due, key, label):
    assert milestone_key(due) == key and milestone_label(key) == label


# --- the end of a plan ---------------------------------------------------------------------------------------


def test_the_end_of_a_plan_report_and_carry_over(plan_db):
    plan_id = load_second_plan()
    with read_session() as s:
        old = find_plan(s, "十四五养老托育")
        report = closeout.closeout_report(s, old, dt.date(2026, 11, 30))
    assert report[:2] == b"PK" and len(report) > 10_000
    with write_session() as s:
        made = closeout.carry_over(s, SYSTEM, from_plan=old.id, to_plan=plan_id, codes=["3.1", "4.5"],
                                   today=dt.date(2026, 11, 30))
        assert [t.code for t in made] == ["结转3.1", "结转4.5"]
    with write_session() as s:  # carried once only
        assert closeout.carry_over(s, SYSTEM, from_plan=old.id, to_plan=plan_id, codes=["3.1"],
                                   today=dt.date(2026, 11, 30)) == []
    with read_session() as s:
        carried = s.exec(select(Task).where(Task.code == "结转3.1")).one()
        origin = s.get(Task, carried.carried_from_id)
        dues = sorted(m.due_date for m in s.exec(select(Milestone).where(Milestone.task_id == carried.id)))
    assert origin.code == "3.1" and carried.plan_id == plan_id and dues[-1] == dt.date(2030, 12, 31)


def test_the_full_export_is_one_plans_own(plan_db):
    """管理 → 导出: the workbook of the 十五五 plan holds its tasks, its indicators with their own years and its
    wording; the 十四五 workbook none of them."""
    new_id = load_second_plan()
    with read_session() as s:
        by_id = {p.id: p for p in all_plans(s)}
        new = pd.read_excel(io.BytesIO(workbook.export_everything(s, dt.date(2026, 11, 30), by_id[new_id])),
                            sheet_name=None, dtype=str, header=2)
        old_plan = next(p for i, p in by_id.items() if i != new_id)
        old = pd.read_excel(io.BytesIO(workbook.export_everything(s, dt.date(2026, 11, 30), old_plan)),
                            sheet_name=None, dtype=str, header=2)
    assert set(new["任务清单"]["编号"]) == set(tasks_of(new_id))
    assert len(old["任务清单"]) == 20 and not set(old["任务清单"]["任务"]) & set(new["任务清单"]["任务"])
    assert set(new["主要指标"]["目标年份"]) <= {"2030"} and set(old["主要指标"]["目标年份"]) == {"2025"}
