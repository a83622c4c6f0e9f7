"""Loading the plan: ``initialize()`` puts the whole plan in the database, twice changes nothing, and a
changed seed updates texts (with an audit record) without touching status, progress, due dates or reports.

Personas: Alice works in the office (专班办公室) and reports for 市民政局, the lead department of 3.3.2.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.seedfile import seed_rows, write_seed_rows
from conftest import REPO, make_database, point_settings_at
from sqlmodel import SQLModel, select

from ylyx_tasks import config, db
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.roles import Actor, Duty, Role
from ylyx_tasks.models import (
    AuditEvent,
    Department,
    Indicator,
    Milestone,
    Plan,
    ProgressReport,
    Responsibility,
    Task,
    WorkingGroup,
)
from ylyx_tasks.services.setup import InitReport, ensure_ready, initialize
from ylyx_tasks.services.tasks import workflow

ALICE = Actor(user_id=None, username="alice", role=Role.OFFICE)
PLAN_END = dt.date(2025, 12, 31)
END_OF_2022 = dt.date(2022, 12, 31)


def row_counts() -> dict[str, int]:
    with db.get_engine().connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


def tasks_by_code(session) -> dict[str, Task]:
    return {t.code: t for t in session.exec(select(Task))}


# --- the first load -------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What one ``initialize()`` on an empty database produced, read back as plain values."""

    report: InitReport
    counts: dict[str, int]
    plan: Plan
    departments: dict[int, Department]
    groups: dict[int, str]
    tasks: list[Task]
    milestones: list[Milestone]
    responsibilities: list[Responsibility]
    indicators: list[Indicator]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def loaded(request, tmp_path_factory) -> Loaded:
    """The plan loaded once per backend for the read-only checks below (a load on PostgreSQL takes a second)."""
    tmp = tmp_path_factory.mktemp(f"loaded-{request.param}")
    database = make_database(request.param, tmp)
    patch = pytest.MonkeyPatch()
    try:
        point_settings_at(patch, database.url, tmp)
        report = initialize()
        with db.read_session() as session:
            return Loaded(
                report=report, counts=row_counts(), plan=session.exec(select(Plan)).one(),
                departments={d.id: d for d in session.exec(select(Department))},
                groups={g.id: g.name for g in session.exec(select(WorkingGroup))},
                tasks=session.exec(select(Task).order_by(Task.position)).all(),
                milestones=session.exec(select(Milestone)).all(),
                responsibilities=session.exec(select(Responsibility).order_by(Responsibility.position)).all(),
                indicators=session.exec(select(Indicator)).all(),
            )
    finally:
        db.dispose_engines()
        config.get_settings.cache_clear()
        patch.undo()
        database.close()


def test_it_loads_the_whole_plan(loaded):
    report, counts = loaded.report, loaded.counts
    assert report.revision_before is None
    assert report.admin_created
    assert counts["plan"] == 1
    assert counts["department"] == 46
    assert counts["working_group"] == 3
    assert counts["task"] == 20
    assert counts["milestone"] == 25
    assert counts["indicator"] == 32
    assert dict(report.load.created) == {"plan": 1, "department": 46, "group": 3, "task": 20,
                                         "responsibility": counts["responsibility"], "milestone": 25,
                                         "indicator": 32}
    assert (loaded.plan.code, loaded.plan.period_end) == ("运政办发〔2022〕29号", PLAN_END)
    kinds = [d.kind for d in loaded.departments.values()]
    assert kinds.count(DepartmentKind.COUNTY) == 14
    assert set(loaded.groups.values()) == {"养老专班", "托育专班", "综合专班"}
    assert sum(i.source == "主要指标表" for i in loaded.indicators) == 25
    # a target below its baseline means "reduce to" (托育 10: 29 → 20)
    high_end = next(i for i in loaded.indicators if i.group == "托育服务指标" and i.no == "10")
    assert (high_end.baseline_value, high_end.target_value, high_end.comparator) == (29.0, 20.0, "≤")


def test_tasks_carry_the_seed_texts_in_document_order(loaded):
    rows = seed_rows()
    assert [t.code for t in loaded.tasks] == [r["code"] for r in rows]
    for task, row in zip(loaded.tasks, rows):
        assert (task.section, task.title) == (row["section"], row["title"])
        assert task.clause_text == row["clause_text"]
        assert loaded.groups[task.working_group_id] == row["working_group"]
        assert task.county_responsible is (row["county_responsible"] == "true")
        assert (task.status, task.progress, task.version) == ("未启动", 0, 1)
        # timestamps come back timezone-aware (UTC) on both backends
        assert task.created_at.utcoffset() == dt.timedelta(0)


def test_every_task_is_due_by_the_end_of_the_plan_and_2022_commitments_by_end_2022(loaded):
    tasks = {t.code: t for t in loaded.tasks}
    by_task: dict[int, dict[str, Milestone]] = {}
    for m in loaded.milestones:
        by_task.setdefault(m.task_id, {})[m.key] = m
    for row in seed_rows():
        ms = by_task[tasks[row["code"]].id]
        expected_keys = {"2022", "2025"} if row["milestone_2022"] else {"2025"}
        assert set(ms) == expected_keys, row["code"]
        assert (ms["2025"].due_date, ms["2025"].original_due) == (PLAN_END, PLAN_END)
        assert ms["2025"].commitment == row["milestone_2025"]
        if row["milestone_2022"]:
            assert (ms["2022"].due_date, ms["2022"].original_due) == (END_OF_2022, END_OF_2022)
            assert ms["2022"].commitment == row["milestone_2022"]
        assert all(m.status == "未启动" for m in ms.values())


def test_each_task_has_one_lead_its_supporting_units_in_order_and_the_counties(loaded):
    tasks, departments = {t.code: t for t in loaded.tasks}, loaded.departments
    counties = {d.name for d in departments.values() if d.kind == DepartmentKind.COUNTY}
    assert len(counties) == 14
    for row in seed_rows():
        mine = [r for r in loaded.responsibilities if r.task_id == tasks[row["code"]].id]
        leads = [departments[r.department_id].name for r in mine if r.duty == Duty.LEAD]
        supporting = [departments[r.department_id].name for r in mine if r.duty == Duty.SUPPORT]
        territorial = {departments[r.department_id].name for r in mine if r.duty == Duty.TERRITORIAL}
        assert leads == [row["lead_department"]], row["code"]
        assert supporting == row["supporting_departments"].split("、"), row["code"]
        assert territorial == (counties if row["county_responsible"] == "true" else set()), row["code"]


# --- twice changes nothing ------------------------------------------------------------------------------------


def test_loading_twice_changes_nothing(any_db):
    initialize()
    counts = row_counts()
    with db.read_session() as session:
        events = [e.id for e in session.exec(select(AuditEvent))]
        versions = {t.code: (t.version, t.updated_at) for t in session.exec(select(Task))}

    again = initialize()

    assert again.load.changed is False
    assert sum(again.load.updated.values()) == 0 and sum(again.load.created.values()) == 0
    assert again.admin_password is None and not again.admin_created
    assert row_counts() == counts
    with db.read_session() as session:
        assert [e.id for e in session.exec(select(AuditEvent))] == events
        assert {t.code: (t.version, t.updated_at) for t in session.exec(select(Task))} == versions


# --- a changed seed -------------------------------------------------------------------------------------------


@pytest.fixture
def changed_data_dir(tmp_path) -> Path:
    """A copy of data/ in which 3.3.2's title, clause text and 2025 commitment were revised."""
    target = tmp_path / "data-revised"
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("*.db", "*.db-*", "outbox"))
    rows = seed_rows(target)
    row = next(r for r in rows if r["code"] == "3.3.2")
    row["title"] = "大力实施社区养老幸福工程（修订）"
    row["clause_text"] = row["clause_text"].replace("放大社区综合服务效应。", "放大社区综合服务效应，打造养老幸福社区。")
    row["milestone_2025"] = "到 2025 年基本实现每个社区配建有 1 处社区养老服务中心"
    write_seed_rows(target, rows)
    return target


def point_data_dir_at(monkeypatch, path: Path) -> None:
    monkeypatch.setenv("YLYX_DATA_DIR", str(path))
    config.get_settings.cache_clear()


def test_a_changed_seed_updates_texts_and_keeps_status_progress_due_dates_and_reports(
        any_db, monkeypatch, changed_data_dir):
    initialize()
    original = {r["code"]: r for r in seed_rows()}["3.3.2"]
    with db.write_session() as session:
        task = tasks_by_code(session)["3.3.2"]
        milestone_2025 = session.exec(select(Milestone).where(Milestone.task_id == task.id,
                                                              Milestone.key == "2025")).one()
        # Alice reports 40 % for 市民政局 and has the 2025 milestone extended to March 2026.
        workflow.submit_report(session, ALICE, task_id=task.id, percent=40, text="老年公寓改制完成，嵌入式社区养老中心推进中",
                               today=dt.date(2025, 6, 1))
        request = workflow.apply_extension(session, ALICE, milestone_id=milestone_2025.id,
                                           new_date=dt.date(2026, 3, 31), reason="配建用地调整",
                                           today=dt.date(2025, 6, 1))
        workflow.decide_extension(session, ALICE, request_id=request.id, approve=True,
                                  today=dt.date(2025, 6, 2))
        task_id = task.id
    with db.read_session() as session:
        before_task = session.get(Task, task_id).model_dump()
        before_milestones = {m.key: m.model_dump() for m in session.exec(
            select(Milestone).where(Milestone.task_id == task_id))}
        before_reports = [r.model_dump() for r in session.exec(select(ProgressReport))]
        before_events = [e.model_dump() for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    counts = row_counts()
    assert before_task["status"] == "推进中" and before_task["progress"] == 40
    assert before_milestones["2025"]["due_date"] == dt.date(2026, 3, 31)

    point_data_dir_at(monkeypatch, changed_data_dir)
    report = initialize()

    assert report.load.changed
    assert report.load.updated["task"] == 1 and report.load.updated["milestone"] == 1
    with db.read_session() as session:
        task = session.get(Task, task_id)
        milestones = {m.key: m for m in session.exec(select(Milestone).where(Milestone.task_id == task_id))}
        reports = [r.model_dump() for r in session.exec(select(ProgressReport))]
        events = [e.model_dump() for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    # the texts follow the file…
    assert task.title == "大力实施社区养老幸福工程（修订）"
    assert "打造养老幸福社区" in task.clause_text
    assert milestones["2025"].commitment == "到 2025 年基本实现每个社区配建有 1 处社区养老服务中心"
    assert milestones["2022"].commitment == original["milestone_2022"]
    # …and nothing the office or the departments did is lost.
    assert (task.status, task.progress, task.last_report_period, task.last_report_on) == (
        before_task["status"], before_task["progress"], before_task["last_report_period"],
        before_task["last_report_on"])
    for key, before in before_milestones.items():
        m = milestones[key]
        assert (m.status, m.due_date, m.original_due, m.completed_on) == (
            before["status"], before["due_date"], before["original_due"], before["completed_on"]), key
    assert milestones["2025"].due_date == dt.date(2026, 3, 31)
    assert milestones["2025"].original_due == PLAN_END
    assert reports == before_reports
    assert events[:len(before_events)] == before_events
    changed = {k: v for k, v in row_counts().items() if v != counts[k]}
    assert changed == {"audit_event": counts["audit_event"] + 2}
    # the audit log records what the text was and what it became
    new_events = {e["action"]: e for e in events[len(before_events):]}
    assert set(new_events) == {"更新任务文本", "更新节点承诺"}
    text_event = new_events["更新任务文本"]
    assert (text_event["entity"], text_event["entity_id"], text_event["task_id"]) == ("task", task_id, task_id)
    assert json.loads(text_event["before"]) == {"title": original["title"],
                                                "clause_text": original["clause_text"]}
    assert json.loads(text_event["after"]) == {"title": task.title, "clause_text": task.clause_text}
    milestone_event = new_events["更新节点承诺"]
    assert milestone_event["entity_id"] == milestones["2025"].id
    assert json.loads(milestone_event["before"]) == {"commitment": original["milestone_2025"]}
    assert json.loads(milestone_event["after"]) == {"commitment": milestones["2025"].commitment}


def test_loading_the_changed_seed_again_changes_nothing(any_db, monkeypatch, changed_data_dir):
    initialize()
    point_data_dir_at(monkeypatch, changed_data_dir)
    initialize()
    counts = row_counts()

    again = initialize()

    assert again.load.changed is False
    assert row_counts() == counts


def test_a_rejected_seed_writes_nothing(any_db, monkeypatch, changed_data_dir):
    # One bad row in the seed (an unknown lead department): the load stops before writing any task text.
    initialize()
    rows = seed_rows(changed_data_dir)
    rows[-1]["lead_department"] = "市不存在局"
    write_seed_rows(changed_data_dir, rows)
    counts = row_counts()
    point_data_dir_at(monkeypatch, changed_data_dir)

    from ylyx_tasks.services.tabular import ImportRejected

    with pytest.raises(ImportRejected) as excinfo:
        initialize()

    assert [(e.row, e.column) for e in excinfo.value.errors] == [(21, "lead_departments")]
    assert row_counts() == counts
    with db.read_session() as session:
        assert tasks_by_code(session)["3.3.2"].title == "大力实施社区养老幸福工程"


# --- at app start, and two starts at once ---------------------------------------------------------------------


def test_the_app_start_loads_a_new_database_once(sqlite_db):
    ensure_ready()
    counts = row_counts()
    assert (counts["plan"], counts["task"], counts["milestone"]) == (1, 20, 25)

    ensure_ready()

    assert row_counts() == counts


def test_two_inits_at_once_both_succeed(any_db, request):
    # The web app and the scheduler start together on a new database: both migrate and load the plan.
    db.migrate()
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def init() -> None:
        start.wait()
        try:
            initialize()
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=init) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    counts = row_counts()
    assert (counts["plan"], counts["task"], counts["milestone"], counts["app_user"]) == (1, 20, 25, 1)
