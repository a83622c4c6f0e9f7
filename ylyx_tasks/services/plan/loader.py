"""Loading a plan: from its data folder (plan.toml, departments.csv, tasks_seed.csv, indicators_seed.csv) or
from validated task rows (an import, a draft of its document), into a plan of its own beside any others.

Idempotent: loading twice changes nothing. When a file changes, texts are updated (and the change recorded in
the audit log); statuses, due dates, reports, notices and history are never touched, and nothing is deleted.
Units and working groups are shared across plans where they are the same body (the same name); each plan
records which of them it uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections.abc import Iterable
from pathlib import Path

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain import plans as plan_rules
from ylyx_tasks.domain.departments import parse_kind
from ylyx_tasks.domain.meetings import TaskSource
from ylyx_tasks.domain.roles import SYSTEM, Actor, Duty
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import (
    Department,
    Milestone,
    Plan,
    PlanGroup,
    PlanUnit,
    Responsibility,
    Task,
    WorkingGroup,
)
from ylyx_tasks.reads.plans import territorial_units
from ylyx_tasks.services import audit
from ylyx_tasks.services.plan.indicators_file import load_indicators
from ylyx_tasks.services.plan.summary import LoadSummary, upsert
from ylyx_tasks.services.plan.taskcsv import TaskRow, read_file
from ylyx_tasks.services.tabular import ImportRejected

PLAN_FIELDS = ("title", "short_name", "doc_number", "issuer", "issued_on", "period_start", "period_end",
               "issuing_office", "notice_prefix", "territorial_phrase")


def read_plan_meta(data_dir: Path) -> dict:
    with open(data_dir / "plan.toml", "rb") as f:
        return tomllib.load(f)


def load_plan(session: Session, data_dir: Path, actor: Actor = SYSTEM) -> LoadSummary:
    """Load (or refresh) the plan of ``data_dir``. Validates the task file fully before writing anything."""
    summary = LoadSummary()
    meta = read_plan_meta(data_dir)
    plan = upsert_plan(session, meta, summary)
    units = _upsert_departments(session, data_dir / "departments.csv", summary)
    use_units(session, plan, units)
    groups = [upsert(session, WorkingGroup, {"name": g["name"]}, {"description": g.get("description", "")},
                     summary, "group") for g in meta.get("working_groups", [])]
    use_groups(session, plan, groups)
    session.flush()
    parsed = read_file(data_dir / "tasks_seed.csv", [d.name for d in units], [g.name for g in groups],
                       plan_start=plan.period_start, plan_end=plan.period_end)
    if not parsed.ok:
        raise ImportRejected(parsed.errors)
    apply_task_rows(session, plan, parsed.rows, actor, summary)
    load_indicators(session, plan, data_dir, summary)
    return summary


def upsert_plan(session: Session, meta: dict, summary: LoadSummary) -> Plan:
    """The plan ``meta["code"]`` with the other fields of ``meta`` (missing ones left as they are)."""
    values = {k: meta[k] for k in PLAN_FIELDS if k in meta}
    for k in ("issued_on", "period_start", "period_end"):
        if k in values and isinstance(values[k], str):
            values[k] = dt.date.fromisoformat(values[k])
    if "period_start" in values and "period_end" in values and values["period_end"] < values["period_start"]:
        raise InvalidInput("方案期限的结束日期早于开始日期")
    return upsert(session, Plan, {"code": meta["code"]}, values, summary, "plan")


def _upsert_departments(session: Session, path: Path, summary: LoadSummary) -> list[Department]:
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            kind = parse_kind(row["kind"])
            out.append(upsert(session, Department, {"name": row["name"].strip()},
                              {"short_name": row["short_name"].strip(), "kind": kind.value}, summary, "department"))
    return out


def use_units(session: Session, plan: Plan, units: Iterable[Department]) -> None:
    """Record that ``plan`` uses ``units`` (in this order, after those it already uses)."""
    have = {u.department_id: u for u in session.exec(select(PlanUnit).where(PlanUnit.plan_id == plan.id))}
    position = max((u.position for u in have.values()), default=-1) + 1
    for unit in units:
        if unit.id not in have:
            session.add(PlanUnit(plan_id=plan.id, department_id=unit.id, position=position))
            have[unit.id] = PlanUnit(plan_id=plan.id, department_id=unit.id, position=position)
            position += 1
    session.flush()


def use_groups(session: Session, plan: Plan, groups: Iterable[WorkingGroup]) -> None:
    """Record that ``plan`` uses ``groups``."""
    have = set(session.exec(select(PlanGroup.working_group_id).where(PlanGroup.plan_id == plan.id)))
    for position, group in enumerate(groups, start=len(have)):
        if group.id not in have:
            session.add(PlanGroup(plan_id=plan.id, working_group_id=group.id, position=position))
            have.add(group.id)
    session.flush()


def apply_task_rows(session: Session, plan: Plan, rows: list[TaskRow], actor: Actor,
                    summary: LoadSummary | None = None) -> LoadSummary:
    """Create or update the tasks of ``rows`` (already validated) in ``plan``. Texts, responsibilities and
    commitments follow the rows; status, progress, due dates and history stay. Tasks missing from the rows are
    kept and reported. A clause with territorial duty names every territorial unit of the plan."""
    summary = summary or LoadSummary()
    now = clock.utcnow()
    departments = {d.name: d for d in session.exec(select(Department))}
    use_units(session, plan, [departments[n] for r in rows for n in (*r.lead_departments,
                                                                     *r.supporting_departments)])
    territory = territorial_units(session, plan.id)  # type: ignore[arg-type]
    groups = {g.name: g for g in session.exec(select(WorkingGroup))}
    use_groups(session, plan, [groups[n] for n in dict.fromkeys(r.working_group for r in rows)])
    # the plan's clauses only: a meeting's decisions and a 批示's 交办 are not in the file and stay as they are
    existing = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id,
                                                                   Task.source == TaskSource.CLAUSE.value))}
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
        duties = [(n, Duty.LEAD) for n in row.lead_departments] + [(n, Duty.SUPPORT) for n in
                                                                   row.supporting_departments]
        if row.county_responsible:
            named = {n for n, _ in duties}
            duties += [(c.name, Duty.TERRITORIAL) for c in territory if c.name not in named]
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
    for position, (department, duty) in enumerate(wanted):
        resp = current.pop(department.id, None)  # type: ignore[arg-type]
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
    """One milestone per dated commitment of the clause, and one at the plan's end (the clause as a whole)
    when no commitment falls on it. Keyed by :func:`ylyx_tasks.domain.plans.milestone_key`."""
    wanted = {plan_rules.milestone_key(due): (text, due) for due, text in row.milestones}
    wanted.setdefault(plan_rules.milestone_key(plan.period_end), ("", plan.period_end))
    current = {m.key: m for m in session.exec(select(Milestone).where(Milestone.task_id == task.id))}
    for key, (commitment, due) in wanted.items():
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
    stale = sorted(set(current) - set(wanted))
    if stale:
        summary.notes.append(f"任务 {task.code} 的节点 {'、'.join(stale)} 已不在文件中，保留未删")
