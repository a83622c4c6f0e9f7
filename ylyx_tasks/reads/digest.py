"""What a weekly digest says, computed once per run from a few queries and cut per recipient unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlmodel import Session

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.bulletins import BulletinStatus
from ylyx_tasks.domain.departments import is_territorial
from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, OPEN_STATUSES, NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.scoring import Scorecard
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Notice, ProgressReport, Task
from ylyx_tasks.reads.supervision.bulletins import BulletinView, bulletins
from ylyx_tasks.reads.indicators import IndicatorRow, list_indicators
from ylyx_tasks.reads.plans import PlanInfo, current_plan, info, rules_for
from ylyx_tasks.reads.scorecards import scorecards
from ylyx_tasks.reads.tasks import TaskView, load_task_views

LIST_LIMIT = 30  # rows per list in a mail; the rest is "另有 N 项" with a link to the system


@dataclass
class OverdueItem:
    code: str
    title: str
    commitment: str
    due_date: dt.date
    original_due: dt.date
    days: int
    lead: str


@dataclass
class NoticeItem:
    id: int
    number: str
    level: str
    code: str
    title: str
    department: str
    created_on: dt.date
    response_due: dt.date | None
    status: str
    reason: str


@dataclass
class TaskLine:
    code: str
    title: str
    status: str
    light: str
    next_due: dt.date | None
    days_overdue: int
    progress: int
    report_late: bool


@dataclass
class DigestData:
    kind: str  # leadership / group / department
    label: str
    week_start: dt.date
    week_from: dt.date
    week_to: dt.date
    overdue: list[OverdueItem] = field(default_factory=list)
    open_circulations: list[NoticeItem] = field(default_factory=list)
    awaiting: list[NoticeItem] = field(default_factory=list)
    issued: Tally = field(default_factory=Tally)
    answered: int = 0
    # 通报（第N期） issued in the week (for a unit: those naming it), and how many of their matters concern the scope
    bulletins: list[BulletinView] = field(default_factory=list)
    bulletin_matters: int = 0
    totals_status: dict[str, int] = field(default_factory=dict)
    totals_light: dict[str, int] = field(default_factory=dict)
    ranking: list[Scorecard] = field(default_factory=list)
    county_ranking: list[Scorecard] = field(default_factory=list)
    off_track: list[IndicatorRow] = field(default_factory=list)
    no_data: int = 0
    led: list[TaskLine] = field(default_factory=list)
    supported: list[TaskLine] = field(default_factory=list)
    territorial: list[TaskLine] = field(default_factory=list)
    reports_due: list[TaskLine] = field(default_factory=list)
    report_due_on: dt.date | None = None
    limit: int = LIST_LIMIT
    plan_label: str = ""  # the plan this digest is about (a unit gets one per plan it has a part in)
    target_year: int | None = None  # the plan's indicators' target year

    @property
    def problem_count(self) -> int:
        return len(self.overdue) + len(self.open_circulations) + len(self.awaiting)

    @property
    def activity(self) -> int:
        return sum(self.issued.values()) + self.answered + len(self.bulletins)

    @property
    def has_content(self) -> bool:
        if self.kind == "department":
            return bool(self.problem_count or self.reports_due or any(t.status != Status.DONE for t in
                                                                         self.led + self.supported))
        return bool(self.problem_count or self.activity or self.off_track)


@dataclass
class Facts:
    plan: PlanInfo
    today: dt.date
    week_start: dt.date
    views: list[TaskView]
    notices: list[Notice]
    department_names: dict[int, str]
    department_kinds: dict[int, str]
    indicators: list[IndicatorRow]
    county_reported: set[tuple[int, int]]  # (task, county) with a share report for the current period
    current_period: str
    report_due_on: dt.date
    by_id: dict[int, TaskView] = field(default_factory=dict)
    duties: dict[int, list[tuple[TaskView, str]]] = field(default_factory=dict)  # department → its tasks, duty
    notices_of: dict[int, list] = field(default_factory=dict)  # department → notices addressed to it

    def __post_init__(self) -> None:
        """Index once what every department's digest looks up (not one pass over all tasks per department)."""
        self.by_id = {v.id: v for v in self.views}
        duties: dict[int, list[tuple[TaskView, str]]] = defaultdict(list)
        for v in self.views:
            for u in v.units:
                duties[u.id].append((v, u.duty))
        self.duties = dict(duties)
        notices_of: dict[int, list] = defaultdict(list)
        for n in self.notices:
            notices_of[n.department_id].append(n)
        self.notices_of = dict(notices_of)


def load_facts(session: Session, today: dt.date, plan: PlanInfo | None = None) -> Facts:
    """What every digest of ``plan`` (the first plan loaded when None) this week is cut from."""
    plan = plan or info(current_plan(session))  # type: ignore[arg-type]
    monday = periods.week_start(today)
    week_from = monday - dt.timedelta(days=7)
    views = load_task_views(session, today, rules_for(plan), plan_id=plan.id)
    since = dt.datetime.combine(week_from, dt.time(), tzinfo=get_settings().tz)
    # rows with the notice's attributes, not ORM entities (tens of thousands at a province's scale)
    notices = list(session.connection().execute(select(*Notice.__table__.columns).where(or_(
        Notice.status.in_([s.value for s in OPEN_STATUSES]), Notice.created_on >= week_from,
        Notice.answered_at >= since), Notice.task_id.in_(select(Task.id).where(Task.plan_id == plan.id)))
        .order_by(Notice.id)))
    departments = list(session.execute(select(Department.id, Department.name, Department.kind)))
    period = periods.period_of(today)
    county_reported = {(t, d) for t, d in session.execute(
        select(ProgressReport.task_id, ProgressReport.department_id).where(
            ProgressReport.period == period, ProgressReport.duty == Duty.TERRITORIAL.value).distinct())}
    return Facts(plan=plan, today=today, week_start=monday, views=views, notices=notices,
                 department_names={i: n for i, n, _ in departments},
                 department_kinds={i: k for i, _, k in departments},
                 indicators=list_indicators(session, plan.id), county_reported=county_reported,
                 current_period=period, report_due_on=periods.due_date(period, get_settings().report_due_day))


def _notice_item(n: Notice, views: dict[int, TaskView], names: dict[int, str]) -> NoticeItem:
    v = views[n.task_id]
    return NoticeItem(id=n.id, number=n.number or "", level=n.level, code=v.code, title=v.title,
                      department=names.get(n.department_id, ""), created_on=n.created_on,
                      response_due=n.response_due, status=n.status, reason=n.reason)


def _line(v: TaskView) -> TaskLine:
    return TaskLine(code=v.code, title=v.title, status=v.status, light=v.light.value, next_due=v.next_due,
                    days_overdue=v.days_overdue, progress=v.progress, report_late=v.report_late)


def _base(facts: Facts, kind: str, label: str) -> DigestData:
    return DigestData(kind=kind, label=label, week_start=facts.week_start,
                      week_from=facts.week_start - dt.timedelta(days=7),
                      week_to=facts.week_start - dt.timedelta(days=1), report_due_on=facts.report_due_on,
                      plan_label=facts.plan.short_name or facts.plan.title,
                      target_year=facts.plan.period_end.year)


def _fill_notices(data: DigestData, facts: Facts, notices: list[Notice], views: dict[int, TaskView]) -> None:
    for n in notices:
        if data.week_from <= n.created_on <= data.week_to:
            data.issued[n.level] += 1
        if n.answered_at is not None and data.week_from <= n.answered_at.astimezone(get_settings().tz).date() \
                <= data.week_to:
            data.answered += 1
        # the per-milestone 通报 of before the bulletin, while still open
        if n.level == NoticeLevel.CIRCULATE and n.status in OPEN_STATUSES:
            data.open_circulations.append(_notice_item(n, views, facts.department_names))
    data.open_circulations.sort(key=lambda i: (i.created_on, i.id))


def _fill_bulletins(data: DigestData, session: Session, plan_id: int, *, task_ids: set[int] | None = None,
                    department_id: int | None = None) -> None:
    """The bulletins issued in the week that concern the scope (a unit: those naming it)."""
    for b in bulletins(session, plan_id, status=BulletinStatus.ISSUED):
        if b.issued_on is None or not data.week_from <= b.issued_on <= data.week_to:
            continue
        concern = [m for m in b.matters if (department_id is None or m.department_id == department_id)
                   and (task_ids is None or m.task_id in task_ids)]
        if concern or department_id is None and task_ids is None:
            data.bulletins.append(b)
            data.bulletin_matters += len(concern)


def build_scope(session: Session, facts: Facts, today: dt.date, *, kind: str, label: str,
                task_ids: list[int] | None, working_group_id: int | None = None) -> DigestData:
    """The leadership digest (all tasks) or a working group's (its tasks)."""
    data = _base(facts, kind, label)
    ids = None if task_ids is None else set(task_ids)
    views = [v for v in facts.views if ids is None or v.id in ids]
    by_id = facts.by_id
    data.totals_status = dict(Tally(v.status for v in views))
    data.totals_light = {light.value: sum(1 for v in views if v.light == light) for light in Light}
    for v in views:
        lead = v.lead.name if v.lead else ""
        for m in v.milestones:
            if m.days_overdue > 0:
                data.overdue.append(OverdueItem(v.code, v.title, m.commitment, m.due_date, m.original_due,
                                                m.days_overdue, lead))
    data.overdue.sort(key=lambda o: (-o.days, o.code))
    _fill_notices(data, facts, [n for n in facts.notices if ids is None or n.task_id in ids], by_id)
    _fill_bulletins(data, session, facts.plan.id, task_ids=ids)
    cards = scorecards(session, today, report_due_day=get_settings().report_due_day, plan=facts.plan,
                       task_ids=None if ids is None or working_group_id is not None else sorted(ids),
                       working_group_id=working_group_id)
    # ranked by the score; a unit with nothing measurable yet is not ranked (it would come first with 100)
    data.ranking = [c for c in cards if not is_territorial(c.kind) and c.led and c.measurable]
    data.county_ranking = [c for c in cards if is_territorial(c.kind) and c.measurable]
    if kind == "leadership":
        data.off_track = [row for row in facts.indicators if row.off_track]
        data.no_data = sum(1 for row in facts.indicators if row.latest is None)
    return data


def build_department(session: Session, facts: Facts, today: dt.date, department: Department) -> DigestData:
    """A department's (or county's) digest: its tasks by duty, notices awaiting its answer, reports it owes."""
    data = _base(facts, "department", department.name)
    by_id = facts.by_id
    asks = facts.plan.asks_for_reports(today)  # after its period a plan asks for no more reports
    for v, duty in facts.duties.get(department.id, ()):
        line = _line(v)
        if duty == Duty.LEAD:
            data.led.append(line)
            for m in v.milestones:
                if m.days_overdue > 0:
                    data.overdue.append(OverdueItem(v.code, v.title, m.commitment, m.due_date, m.original_due,
                                                    m.days_overdue, department.name))
            if v.status != Status.DONE and v.last_report_period != facts.current_period and asks:
                data.reports_due.append(line)
        elif duty == Duty.SUPPORT:
            data.supported.append(line)
        else:
            data.territorial.append(line)
            if v.status != Status.DONE and (v.id, department.id) not in facts.county_reported and asks:
                data.reports_due.append(line)
    data.overdue.sort(key=lambda o: (-o.days, o.code))
    mine = facts.notices_of.get(department.id, [])
    for n in mine:
        if n.status in AWAITING_DEPARTMENT and n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE,
                                                           NoticeLevel.CHASE):
            data.awaiting.append(_notice_item(n, by_id, facts.department_names))
    # the most serious first (通报, then 督办, then 催报), oldest first within each
    severity = {NoticeLevel.CIRCULATE.value: 0, NoticeLevel.SUPERVISE.value: 1, NoticeLevel.CHASE.value: 2}
    data.awaiting.sort(key=lambda i: (severity.get(i.level, 3), i.created_on, i.id))
    _fill_notices(data, facts, mine, by_id)
    _fill_bulletins(data, session, facts.plan.id, department_id=department.id)
    return data
