"""The leadership cockpit (总览): headline figures with the lists behind them, chart data, the overdue list,
and each user's to-do list. Pure functions of the task read model, the visible notices and the indicators,
so that the page can cache their inputs and the tests can check each figure against its list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlmodel import Session, select

from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, NoticeLevel, NoticeStatus
from ylyx_tasks.domain.roles import Actor, Duty, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import ReviewRequest
from ylyx_tasks.services.indicators import IndicatorRow
from ylyx_tasks.services.notice_desk import NoticeBrief
from ylyx_tasks.services.overview import TaskView

TASKS, NOTICES, MILESTONES = "tasks", "notices", "milestones"


@dataclass(frozen=True)
class CockpitFilter:
    group: str | None = None
    department_id: int | None = None  # any duty
    county_id: int | None = None  # 属地 duty


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


# (key, label, what it counts, help): the cockpit's headline figures, in the order they are shown
FIGURES = [
    ("all", "任务总数", TASKS, "方案第三、四部分的任务条目"),
    ("done", "已完成", TASKS, "所有时间节点均已审核通过"),
    ("in_progress", "推进中", TASKS, ""),
    ("pending", "待审核", TASKS, "已申报办结，待专班审核"),
    ("not_started", "未启动", TASKS, ""),
    ("overdue", "逾期", TASKS, "有节点已过期限仍未完成"),
    ("red", "红灯", TASKS, ""),
    ("yellow", "黄灯", TASKS, ""),
    ("green", "绿灯", TASKS, ""),
    ("notices", "未办结督办", NOTICES, "未办结的催报、督办和通报"),
    ("circulations", "未办结通报", NOTICES, "通报后仍未解决的事项"),
]


def figures(views: list[TaskView], notices: list[NoticeBrief]) -> list[Figure]:
    """The cockpit's headline figures, each with the ids it counts. ``notices`` are the visible ones. (The page
    counts the same by aggregate queries: :func:`ylyx_tasks.services.readmodel.headlines`.)"""
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


def milestone_timeline(views: list[TaskView]) -> pd.DataFrame:
    """Every milestone (the 2022 and 2025 commitments) with its dates, status and light."""
    rows = []
    for v in views:
        for m in v.milestones:
            rows.append({"编号": v.code, "任务": v.title, "节点": f"{m.key}年", "承诺": m.commitment or "完成本条任务",
                         "原定期限": pd.Timestamp(m.original_due), "现期限": pd.Timestamp(m.due_date),
                         "状态": m.status, "灯号": m.light.value, "逾期天数": m.days_overdue,
                         "已延期": "是" if m.extended else ""})
    return pd.DataFrame(rows, columns=["编号", "任务", "节点", "承诺", "原定期限", "现期限", "状态", "灯号", "逾期天数",
                                       "已延期"])


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


def indicator_progress(rows: list[IndicatorRow]) -> pd.DataFrame:
    """Indicators with a numeric target: baseline → latest → target, each also as a share of the target (so
    that beds, percentages and years fit on one axis). For a "reduce to" (≤) target, 100 is reached from above."""
    out = []
    for row in rows:
        ind = row.indicator
        if ind.target_value in (None, 0):
            continue
        latest = row.latest
        def rel(x: float | None) -> float | None:
            return None if x is None else round(100 * x / ind.target_value, 1)
        out.append({"指标": row.label, "类别": ind.group, "来源": ind.source, "比较": ind.comparator,
                    "基期值": ind.baseline_value, "最新值": latest.value if latest else None,
                    "最新年份": latest.year if latest else None, "目标值": ind.target_value,
                    "基期(相对目标%)": rel(ind.baseline_value), "最新(相对目标%)": rel(latest.value if latest else None),
                    "达标": {True: "已达标", False: "未达标", None: "无数据"}[row.met]})
    return pd.DataFrame(out, columns=["指标", "类别", "来源", "比较", "基期值", "最新值", "最新年份", "目标值",
                                      "基期(相对目标%)", "最新(相对目标%)", "达标"])


# --- the user's own to-do list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingRequest:
    id: int
    kind: str  # 办结 / 延期
    task_id: int
    milestone_id: int
    department_id: int
    requested_on: dt.date
    new_due_date: dt.date | None


def pending_requests(session: Session, tz) -> list[PendingRequest]:
    """Completion claims and extension requests awaiting a decision, oldest first."""
    rows = session.exec(select(ReviewRequest).where(ReviewRequest.status == "待审核").order_by(ReviewRequest.id))
    return [PendingRequest(r.id, r.kind, r.task_id, r.milestone_id, r.department_id,
                           r.requested_at.astimezone(tz).date(), r.new_due_date) for r in rows]


@dataclass(frozen=True)
class TodoItem:
    what: str
    task_id: int | None
    detail: str


def todo_for(actor: Actor, views: list[TaskView], notices: list[NoticeBrief], requests: list[PendingRequest],
             today: dt.date, reported_shares: set[tuple[int, int]] | None = None) -> list[TodoItem]:
    """What waits for this user: notices to answer and reports due (liaisons), claims to review (members and
    the office), extension requests and answered notices to settle (the office). Leaders have none."""
    by_id = {v.id: v for v in views}
    items: list[TodoItem] = []

    def task_label(task_id: int) -> str:
        v = by_id.get(task_id)
        return f"{v.code} {v.title}" if v else str(task_id)

    if actor.role == Role.LIAISON:
        for n in notices:
            if n.department_id == actor.department_id and n.status in AWAITING_DEPARTMENT \
                    and n.level != NoticeLevel.REMINDER:
                due = f"，反馈期限 {n.response_due.isoformat()}" if n.response_due else ""
                items.append(TodoItem(f"{n.level}待{'报送' if n.level == NoticeLevel.CHASE else '反馈'}",
                                      n.task_id, f"{n.number} {task_label(n.task_id)}{due}"))
        for v in views:
            duty = v.duty_of(actor.department_id)
            if v.status == Status.DONE or duty is None:
                continue
            if duty == Duty.LEAD and v.report_late:
                items.append(TodoItem("进展未按时报送", v.id, task_label(v.id)))
            if duty == Duty.TERRITORIAL and reported_shares is not None \
                    and (v.id, actor.department_id) not in reported_shares:
                items.append(TodoItem("本月属地进展未报送", v.id, task_label(v.id)))
    if actor.role in (Role.MEMBER, Role.OFFICE):
        for r in requests:
            v = by_id.get(r.task_id)
            if r.kind == "办结" and v and (actor.role == Role.OFFICE or v.working_group_id == actor.working_group_id):
                items.append(TodoItem("办结申请待审核", r.task_id, f"{task_label(r.task_id)}（{r.requested_on} 申报）"))
    if actor.role == Role.OFFICE:
        for r in requests:
            if r.kind == "延期":
                items.append(TodoItem("延期申请待审批", r.task_id,
                                      f"{task_label(r.task_id)}：申请延至 {r.new_due_date}"))
        for n in notices:
            if n.status == NoticeStatus.ANSWERED:
                items.append(TodoItem(f"{n.level}已反馈待办结", n.task_id, f"{n.number} {task_label(n.task_id)}"))
    return items
