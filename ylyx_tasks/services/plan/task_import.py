"""Importing a tasks CSV into a plan from the web (管理 → 导入任务): validate the whole file, preview what it
would change, then commit. The commit validates again — the preview is a courtesy, not a licence — and writes through
:func:`ylyx_tasks.services.plan.loader.apply_task_rows`, so an import from the page and from the CLI agree."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlmodel import Session, select

from ylyx_tasks.domain.meetings import TaskSource
from ylyx_tasks.domain.roles import Actor, Duty, Permission, require
from ylyx_tasks.models import Department, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.services.plan.loader import LoadSummary, apply_task_rows
from ylyx_tasks.services.plan.taskcsv import COLUMN_NAMES, ParseResult, TaskRow, format_milestones, parse
from ylyx_tasks.services.tabular import ImportRejected, RowError, decode

NEW, CHANGED, SAME = "新增", "更新", "不变"


@dataclass
class ImportPreview:
    parsed: ParseResult
    change: dict[str, str] = field(default_factory=dict)  # code → 新增 / 更新 / 不变
    fields: dict[str, list[str]] = field(default_factory=dict)  # code → the fields that would change
    missing: list[str] = field(default_factory=list)  # codes in the database and not in the file (kept)

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    def errors_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"行": e.row, "列": COLUMN_NAMES.get(e.column, e.column), "问题": e.reason}
                             for e in self.parsed.errors],
                            columns=["行", "列", "问题"])

    def rows_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "行": r.row, "编号": r.code, "变更": self.change.get(r.code, ""),
            "变更内容": "、".join(self.fields.get(r.code, [])), "任务": r.title,
            "牵头单位": "、".join(r.lead_departments), "配合单位": "、".join(r.supporting_departments),
            "属地责任": "是" if r.county_responsible else "", "工作专班": r.working_group,
            "时间节点": format_milestones(r.milestones),
        } for r in self.parsed.rows], columns=["行", "编号", "变更", "变更内容", "任务", "牵头单位", "配合单位", "属地责任",
                                                "工作专班", "时间节点"])


def _parse(session: Session, plan: Plan | None, data: bytes) -> ParseResult:
    departments = [d for d in session.exec(select(Department.name))]
    groups = [g for g in session.exec(select(WorkingGroup.name))]
    try:
        text = decode(data)
    except ImportRejected as exc:
        return ParseResult(errors=list(exc.errors))
    if plan is None:
        return ParseResult(errors=[RowError(1, "(文件)", "还没有载入方案")])
    return parse(text, departments, groups, plan_start=plan.period_start, plan_end=plan.period_end)


def preview_tasks_csv(session: Session, actor: Actor, data: bytes, plan_id: int | None = None) -> ImportPreview:
    """Validate every row and say, per task of plan ``plan_id`` (the first plan when None), whether it is new,
    would change (and which fields) or is unchanged."""
    require(actor, Permission.ADMINISTER)
    plan = session.get(Plan, plan_id) if plan_id is not None else current_plan(session)
    preview = ImportPreview(parsed=_parse(session, plan, data))
    if plan is None or not preview.ok:
        return preview
    tasks = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id,
                                                                Task.source == TaskSource.CLAUSE.value))}
    groups = {g.id: g.name for g in session.exec(select(WorkingGroup))}
    names = {d.id: d.name for d in session.exec(select(Department))}
    duties: dict[int, list[tuple[str, str]]] = {}
    for r in session.exec(select(Responsibility).order_by(Responsibility.position)):
        duties.setdefault(r.task_id, []).append((names[r.department_id], r.duty))
    for row in preview.parsed.rows:
        task = tasks.get(row.code)
        if task is None:
            preview.change[row.code] = NEW
            continue
        changed = _changed_fields(row, task, groups, duties.get(task.id, []))
        preview.change[row.code] = CHANGED if changed else SAME
        preview.fields[row.code] = changed
    preview.missing = sorted(set(tasks) - {r.code for r in preview.parsed.rows})
    return preview


def _changed_fields(row: TaskRow, task: Task, groups: dict[int, str], duties: list[tuple[str, str]]) -> list[str]:
    out = []
    for label, new, old in (("部分", row.section, task.section), ("标题", row.title, task.title),
                            ("条文", row.clause_text, task.clause_text),
                            ("工作专班", row.working_group, groups.get(task.working_group_id)),
                            ("属地责任", row.county_responsible, task.county_responsible)):
        if new != old:
            out.append(label)
    leads = [n for n, d in duties if d == Duty.LEAD]
    supporting = [n for n, d in duties if d == Duty.SUPPORT]
    if leads != row.lead_departments:
        out.append("牵头单位")
    if supporting != row.supporting_departments:
        out.append("配合单位")
    return out


def commit_tasks_csv(session: Session, actor: Actor, data: bytes, plan_id: int | None = None) -> LoadSummary:
    """Import the file into plan ``plan_id`` (the first plan when None): everything or, with one bad row,
    nothing (:class:`ImportRejected` names every row)."""
    require(actor, Permission.ADMINISTER)
    plan = session.get(Plan, plan_id) if plan_id is not None else current_plan(session)
    parsed = _parse(session, plan, data)
    if not parsed.ok or plan is None:
        raise ImportRejected(parsed.errors)
    return apply_task_rows(session, plan, parsed.rows, actor)
