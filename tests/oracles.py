"""Test-only oracles: the cockpit's figures, charts and overdue list computed the simple way, from the full
task read model (:func:`ylyx_tasks.reads.tasks.load_task_views`) and the visible notices. The fast reads of
:mod:`ylyx_tasks.reads.cockpit.figures` and :mod:`ylyx_tasks.reads.cockpit.overdue` must give exactly what these give
(``tests/test_readmodel.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlmodel import Session, select

from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, OPEN_STATUSES, NoticeLevel
from ylyx_tasks.domain.roles import Actor, Duty
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Notice, Task
from ylyx_tasks.reads.cockpit.figures import FIGURES, TASKS, CockpitFilter
from ylyx_tasks.reads.notices import NoticeBrief, visible_notice_filter
from ylyx_tasks.reads.tasks import TaskView


def scope_views(views: list[TaskView], f: CockpitFilter) -> list[TaskView]:
    out = []
    for v in views:
        if f.group and v.working_group != f.group:
            continue
        if f.department_id is not None and v.duty_of(f.department_id) is None:
            continue
        if f.county_id is not None and v.duty_of(f.county_id) != Duty.TERRITORIAL:
            continue
        out.append(v)
    return out


@dataclass
class Figure:
    """A headline number and what it counts: task ids or notice ids (the list shown when it is chosen)."""

    key: str
    label: str
    kind: str  # TASKS / NOTICES
    ids: list[int] = field(default_factory=list)
    help: str = ""

    @property
    def value(self) -> int:
        return len(self.ids)


def figures(views: list[TaskView], notices: list[NoticeBrief]) -> list[Figure]:
    """The cockpit's headline figures, each with the ids it counts. ``notices`` are the visible ones. (The page
    counts the same by aggregate queries: :func:`ylyx_tasks.reads.cockpit.figures.headlines`.)"""
    task_ids = {v.id for v in views}
    open_n = [n for n in notices if n.is_open and n.task_id in task_ids]
    counts = {
        "all": lambda v: True, "done": lambda v: v.status == Status.DONE,
        "in_progress": lambda v: v.status == Status.IN_PROGRESS,
        "pending": lambda v: v.status == Status.PENDING_REVIEW, "not_started": lambda v: v.status == Status.NOT_STARTED,
        "overdue": lambda v: v.days_overdue > 0, "red": lambda v: v.light == Light.RED,
        "yellow": lambda v: v.light == Light.YELLOW, "green": lambda v: v.light == Light.GREEN,
        "notices": lambda n: n.level != NoticeLevel.REMINDER, "circulations": lambda n: n.level == NoticeLevel.CIRCULATE,
    }
    return [Figure(key, label, kind, [x.id for x in (views if kind == TASKS else open_n) if counts[key](x)], help_text)
            for key, label, kind, help_text in FIGURES]


def status_by_group(views: list[TaskView]) -> pd.DataFrame:
    """Tasks per working group and status (every combination, zeros included, for a stable stacked bar)."""
    groups = list(dict.fromkeys(v.working_group for v in views))
    rows = [{"工作专班": g, "状态": s.value, "任务数": sum(1 for v in views if v.working_group == g and v.status == s)}
            for g in groups for s in Status]
    return pd.DataFrame(rows, columns=["工作专班", "状态", "任务数"])


def overdue_by_lead(views: list[TaskView]) -> pd.DataFrame:
    """Overdue milestones per lead department, most first (departments with none are left out)."""
    counts: dict[str, int] = {}
    for v in views:
        n = sum(1 for m in v.milestones if m.days_overdue > 0)
        if n and v.lead:
            counts[v.lead.name] = counts.get(v.lead.name, 0) + n
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame(rows, columns=["牵头单位", "逾期节点数"])


def milestones_by_month(views: list[TaskView]) -> pd.DataFrame:
    """Milestones counted by the month of their working due date and their light (the time line of a plan with
    too many tasks for one row each)."""
    counts: dict[tuple[pd.Timestamp, str], int] = {}
    for v in views:
        for m in v.milestones:
            key = (pd.Timestamp(m.due_date.replace(day=1)), m.light.value)
            counts[key] = counts.get(key, 0) + 1
    rows = [{"月份": month, "灯号": light, "节点数": n} for (month, light), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["月份", "灯号", "节点数"])


def overdue_list(views: list[TaskView], notices: list[NoticeBrief]) -> pd.DataFrame:
    """Overdue milestones, longest overdue first, with the open notices about each task."""
    open_by_task: dict[int, list[str]] = {}
    for n in notices:
        if n.is_open and n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
            open_by_task.setdefault(n.task_id, []).append(n.level)
    rows = []
    for v in views:
        for m in v.milestones:
            if m.days_overdue <= 0:
                continue
            levels = open_by_task.get(v.id, [])
            rows.append({"逾期天数": m.days_overdue, "编号": v.code, "任务": v.title, "节点": f"{m.key}年",
                         "承诺": m.commitment or "完成本条任务", "牵头单位": v.lead.name if v.lead else "",
                         "现期限": m.due_date.isoformat(), "状态": m.status,
                         "未结督办": "、".join(f"{lv}×{levels.count(lv)}" for lv in dict.fromkeys(levels))})
    rows.sort(key=lambda r: (-r["逾期天数"], r["编号"], r["节点"]))
    return pd.DataFrame(rows, columns=["逾期天数", "编号", "任务", "节点", "承诺", "牵头单位", "现期限", "状态",
                                       "未结督办"])


# --- the visible notices, read as ORM entities (what notice_briefs reads as columns) -----------------------


@dataclass
class NoticeRow:
    notice: Notice
    task_code: str
    task_title: str
    department: str
    milestone_commitment: str

    @property
    def is_open(self) -> bool:
        return self.notice.status in OPEN_STATUSES

    def age_days(self, today: dt.date) -> int:
        return (today - self.notice.created_on).days

    def overdue_answer(self, today: dt.date) -> bool:
        n = self.notice
        return n.response_due is not None and n.status in AWAITING_DEPARTMENT and today > n.response_due


def list_notices(session: Session, actor: Actor, *, open_only: bool = False, level: str | None = None,
                 department_id: int | None = None, task_id: int | None = None, limit: int | None = None
                 ) -> list[NoticeRow]:
    """Notices newest first, as ``actor`` may see them."""
    stmt = (select(Notice, Task.code, Task.title, Department.name, Milestone.commitment)
            .join(Task, Notice.task_id == Task.id).join(Department, Notice.department_id == Department.id)
            .outerjoin(Milestone, Notice.milestone_id == Milestone.id))
    stmt = visible_notice_filter(actor, stmt, session)
    if open_only:
        stmt = stmt.where(Notice.status.in_([s.value for s in OPEN_STATUSES]))
    if level:
        stmt = stmt.where(Notice.level == level)
    if department_id is not None:
        stmt = stmt.where(Notice.department_id == department_id)
    if task_id is not None:
        stmt = stmt.where(Notice.task_id == task_id)
    stmt = stmt.order_by(Notice.created_on.desc(), Notice.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return [NoticeRow(n, code, title, dept, commitment or "") for n, code, title, dept, commitment in session.exec(stmt)]
