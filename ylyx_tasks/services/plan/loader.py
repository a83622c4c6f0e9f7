"""Loading the plan from its data folder (plan.toml, departments.csv, tasks_seed.csv, indicators_seed.csv).

Idempotent: loading twice changes nothing. When a CSV changes, texts are updated (and the change recorded in the
audit log); statuses, due dates, reports and history are never touched, and nothing is deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.indicators import COMPARATORS, derive_comparator, parse_figure
from ylyx_tasks.domain.roles import SYSTEM, Actor, Duty
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import Department, Indicator, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads.plans import current_plan  # noqa: F401  (re-exported for callers that load plans)
from ylyx_tasks.services import audit
from ylyx_tasks.services.plan.taskcsv import TaskRow, read_file
from ylyx_tasks.services.tabular import ImportRejected

INDICATOR_HEADER = ["group", "no", "name", "unit", "baseline_2020", "target_2025", "comparator", "nature",
                    "source", "note"]


@dataclass
class LoadSummary:
    """What a load did, per kind of thing: created / updated / unchanged counts."""

    created: Tally = field(default_factory=Tally)
    updated: Tally = field(default_factory=Tally)
    unchanged: Tally = field(default_factory=Tally)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = {"plan": "方案", "department": "单位", "group": "工作专班", "task": "任务", "responsibility": "责任分工",
                 "milestone": "时间节点", "indicator": "指标"}
        out = []
        for kind, label in names.items():
            c, u, n = self.created[kind], self.updated[kind], self.unchanged[kind]
            if c or u or n:
                out.append(f"{label}：新增 {c}，更新 {u}，未变 {n}")
        return out + self.notes


def read_plan_meta(data_dir: Path) -> dict:
    with open(data_dir / "plan.toml", "rb") as f:
        return tomllib.load(f)


def load_plan(session: Session, data_dir: Path, actor: Actor = SYSTEM) -> LoadSummary:
    """Load (or refresh) everything in ``data_dir``. Validates the task file fully before writing anything."""
    summary = LoadSummary()
    meta = read_plan_meta(data_dir)
    plan = _upsert_plan(session, meta, summary)
    _upsert_departments(session, data_dir / "departments.csv", summary)
    for group in meta.get("working_groups", []):
        _upsert(session, WorkingGroup, {"name": group["name"]}, {"description": group.get("description", "")},
                summary, "group")
    session.flush()
    departments = {d.name for d in session.exec(select(Department))}
    groups = {g.name for g in session.exec(select(WorkingGroup))}
    parsed = read_file(data_dir / "tasks_seed.csv", departments, groups)
    if not parsed.ok:
        raise ImportRejected(parsed.errors)
    apply_task_rows(session, plan, parsed.rows, actor, summary)
    _load_indicators(session, plan, data_dir / "indicators_seed.csv", summary)
    return summary


def _upsert_plan(session: Session, meta: dict, summary: LoadSummary) -> Plan:
    values = {k: meta[k] for k in ("title", "issuer", "issued_on", "period_start", "period_end")}
    return _upsert(session, Plan, {"code": meta["code"]}, values, summary, "plan")


def _upsert_departments(session: Session, path: Path, summary: LoadSummary) -> None:
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            kind = DepartmentKind(row["kind"].strip())
            _upsert(session, Department, {"name": row["name"].strip()},
                    {"short_name": row["short_name"].strip(), "kind": kind.value}, summary, "department")


def _upsert(session: Session, model, key: dict, values: dict, summary: LoadSummary, kind: str):
    stmt = select(model)
    for name, value in key.items():
        stmt = stmt.where(getattr(model, name) == value)
    obj = session.exec(stmt).first()
    if obj is None:
        obj = model(**key, **values)
        session.add(obj)
        session.flush()
        summary.count(kind, "created")
        return obj
    before, _after = audit.changes(obj, values)
    summary.count(kind, "updated" if before else "unchanged")
    return obj


def apply_task_rows(session: Session, plan: Plan, rows: list[TaskRow], actor: Actor,
                    summary: LoadSummary | None = None) -> LoadSummary:
    """Create or update the tasks of ``rows`` (already validated). Texts and responsibilities follow the file;
    status, progress, due dates and history stay. Tasks missing from the file are kept and reported."""
    summary = summary or LoadSummary()
    now = clock.utcnow()
    departments = {d.name: d for d in session.exec(select(Department))}
    counties = [d for d in departments.values() if d.kind == DepartmentKind.COUNTY]
    counties.sort(key=lambda d: d.id or 0)
    groups = {g.name: g for g in session.exec(select(WorkingGroup))}
    existing = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id))}
    # A full file (the seed) sets the document order; a partial import keeps the order of the tasks it does not
    # mention, updates the ones it does in place, and puts new tasks at the end.
    full = set(existing) <= {r.code for r in rows}
    next_position = max((t.position for t in existing.values()), default=-1) + 1
    for index, row in enumerate(rows):
        task = existing.get(row.code)
        if full:
            position = index
        elif task is not None:
            position = task.position
        else:
            position, next_position = next_position, next_position + 1
        values = {"section": row.section, "title": row.title, "clause_text": row.clause_text,
                  "working_group_id": groups[row.working_group].id, "county_responsible": row.county_responsible,
                  "position": position}
        if task is None:
            task = Task(plan_id=plan.id, code=row.code, created_at=now, updated_at=now, **values)
            session.add(task)
            session.flush()
            audit.record(session, actor, "新增任务", "task", task.id, task_id=task.id,
                         after={"code": row.code, "title": row.title})
            summary.count("task", "created")
        else:
            before, after = audit.changes(task, values)
            if before:
                task.updated_at = now
                task.version += 1
                audit.record(session, actor, "更新任务文本", "task", task.id, task_id=task.id, before=before,
                             after=after)
                summary.count("task", "updated")
            else:
                summary.count("task", "unchanged")
        duties = [(row.lead_department, Duty.LEAD)] + [(u, Duty.SUPPORT) for u in row.supporting_departments]
        if row.county_responsible:
            duties += [(c.name, Duty.TERRITORIAL) for c in counties if c.name not in dict(duties)]
        _sync_responsibilities(session, task, [(departments[n], d) for n, d in duties], actor, summary)
        _sync_milestones(session, plan, task, row, actor, summary, now)
    missing = sorted(set(existing) - {r.code for r in rows})
    if missing:
        summary.notes.append(f"文件中没有的任务保留未删：{'、'.join(missing)}")
    return summary


def _sync_responsibilities(session: Session, task: Task, wanted: list[tuple[Department, Duty]], actor: Actor,
                           summary: LoadSummary) -> None:
    current = {r.department_id: r for r in session.exec(select(Responsibility).where(
        Responsibility.task_id == task.id))}
    names = {}
    for position, (department, duty) in enumerate(wanted):
        names[department.id] = department.name
        resp = current.pop(department.id, None)
        if resp is None:
            session.add(Responsibility(task_id=task.id, department_id=department.id, duty=duty.value,
                                       position=position))
            summary.count("responsibility", "created")
            continue
        before, after = audit.changes(resp, {"duty": duty.value, "position": position})
        if "duty" in before:
            audit.record(session, actor, "调整责任分工", "responsibility", resp.id, task_id=task.id,
                         before={"单位": department.name, **before}, after={"单位": department.name, **after})
        summary.count("responsibility", "updated" if before else "unchanged")
    for resp in current.values():
        # A unit no longer named: its reports stay (they point at the task and department, not at this row).
        audit.record(session, actor, "移除责任单位", "responsibility", resp.id, task_id=task.id,
                     before={"department_id": resp.department_id, "duty": resp.duty})
        session.delete(resp)
        summary.count("responsibility", "updated")


def _sync_milestones(session: Session, plan: Plan, task: Task, row: TaskRow, actor: Actor, summary: LoadSummary,
                     now: dt.datetime) -> None:
    """A 2022 milestone when the clause commits something for 2022; a milestone at the plan's end always."""
    wanted = []
    if row.milestone_2022:
        wanted.append(("2022", row.milestone_2022, dt.date(2022, 12, 31)))
    wanted.append(("2025", row.milestone_2025, plan.period_end))
    current = {m.key: m for m in session.exec(select(Milestone).where(Milestone.task_id == task.id))}
    for key, commitment, due in wanted:
        milestone = current.get(key)
        if milestone is None:
            milestone = Milestone(task_id=task.id, key=key, commitment=commitment, start_date=plan.issued_on,
                                  original_due=due, due_date=due, created_at=now, updated_at=now)
            session.add(milestone)
            session.flush()
            audit.record(session, actor, "新增时间节点", "milestone", milestone.id, task_id=task.id,
                         after={"key": key, "commitment": commitment, "due_date": due})
            summary.count("milestone", "created")
            continue
        before, after = audit.changes(milestone, {"commitment": commitment})
        if before:
            milestone.updated_at = now
            audit.record(session, actor, "更新节点承诺", "milestone", milestone.id, task_id=task.id, before=before,
                         after=after)
        summary.count("milestone", "updated" if before else "unchanged")
    stale = sorted(set(current) - {k for k, _, _ in wanted})
    if stale:
        summary.notes.append(f"任务 {task.code} 的节点 {'、'.join(stale)} 已不在文件中，保留未删")


def _load_indicators(session: Session, plan: Plan, path: Path, summary: LoadSummary) -> None:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != INDICATOR_HEADER:
            raise InvalidInput(f"{path.name} 表头应为 {','.join(INDICATOR_HEADER)}")
        for position, row in enumerate(reader):
            row = {k: (v or "").strip() for k, v in row.items()}
            comparator = row["comparator"] or derive_comparator(row["baseline_2020"], row["target_2025"])
            if comparator not in COMPARATORS:
                raise InvalidInput(f"{path.name} 第 {position + 2} 行：未知比较符 {comparator}")
            baseline, target = parse_figure(row["baseline_2020"]), parse_figure(row["target_2025"])
            values = {"position": position, "name": row["name"], "unit": row["unit"],
                      "baseline_text": row["baseline_2020"], "target_text": row["target_2025"],
                      "baseline_value": baseline.value if baseline else None,
                      "target_value": target.value if target else None, "comparator": comparator,
                      "nature": row["nature"], "source": row["source"] or "主要指标表", "note": row["note"]}
            _upsert(session, Indicator, {"plan_id": plan.id, "group": row["group"], "no": row["no"]}, values,
                    summary, "indicator")
