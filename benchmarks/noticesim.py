"""The notices a daily scan would have made over one task's history, and what departments and the office did
with them — derived from the rules in ``ylyx_tasks.domain.notices`` and ``ylyx_tasks.domain.periods``, not from
the scan's code, and checked against the real scan by the tests.

The scan runs at 08:00; whatever happens during a day (a report, a claim, an answer, an approval) is seen by the
next day's scan. So for a scan on day ``t``, a milestone is unfinished when it was not claimed before ``t``, a
督办 is unanswered when it was not answered before ``t``, and so on. Each rule fires on the first scan day its
condition holds; the conditions only ever stop holding (a claim is never withdrawn in this history), so that
day is computed directly instead of walking the calendar.

No per-milestone 通报 is simulated: a 督办 behind schedule is listed in the periodic bulletin, which the
benchmark's first scan drafts (one per plan and period).
"""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache

from ylyx_tasks.domain import calendar, periods
from ylyx_tasks.domain.notices import NoticeLevel, NoticeStatus, reminder_due, supervise_due

from benchmarks.model import TZ, Context, TaskPlan, office_hours, randint
from benchmarks.timeline import MilestoneFacts, TaskHistory

DAY = dt.timedelta(days=1)


class NoticeDraft:
    """A notice before it has an id (ids, numbers and 通报 keys are given once all notices are sorted)."""

    __slots__ = ("created_on", "level", "task_id", "milestone_id", "department_id", "period", "milestone_due",
                 "reason", "response_due", "parent", "tag", "key", "id", "number", "status", "version",
                 "ack", "answer", "answer_new_date", "closed", "close_note", "close_by_office")

    def __init__(self, created_on: dt.date, level: NoticeLevel, task_id: int, department_id: int, *,
                 milestone_id: int | None = None, period: str | None = None, milestone_due: dt.date | None = None,
                 reason: str = "", response_due: dt.date | None = None, parent: NoticeDraft | None = None,
                 tag: tuple = (), key: str | None = None) -> None:
        self.created_on, self.level, self.task_id, self.department_id = created_on, level, task_id, department_id
        self.milestone_id, self.period, self.milestone_due, self.reason = milestone_id, period, milestone_due, reason
        self.response_due, self.parent, self.tag, self.key = response_due, parent, tag, key
        self.id: int | None = None
        self.number: str | None = None
        self.status = {NoticeLevel.REMINDER: NoticeStatus.SENT, NoticeLevel.CHASE: NoticeStatus.AWAITING_REPORT}.get(
            level, NoticeStatus.AWAITING_ACK)
        self.version = 1
        self.ack: dt.datetime | None = None
        self.answer: dt.datetime | None = None
        self.answer_new_date: dt.date | None = None
        self.closed: dt.datetime | None = None
        self.close_note = ""
        self.close_by_office = False

    def sort_key(self) -> tuple:
        """The order the scan inserts a day's notices in (level, task, milestone, key)."""
        order = list(NoticeLevel).index(self.level)
        return (self.created_on, order, self.task_id, self.milestone_id or 0, self.key or "", self.tag)


@lru_cache(maxsize=8192)
def _response_due(day: dt.date, workdays: int) -> dt.date:
    return calendar.add_workdays(day, workdays, _OVERRIDES)


_OVERRIDES: dict[dt.date, bool] = {}


def _before(event: dt.date | None, t: dt.date) -> bool:
    """Whether something that happened on ``event`` is seen by the scan on day ``t``."""
    return event is not None and event < t


def task_notices(plan: TaskPlan, history: TaskHistory, ctx: Context) -> list[NoticeDraft]:
    """Every notice the scan makes for this task up to and including ``ctx.today``, with its life up to
    ``ctx.last`` (notices made on ``today`` are what the first scan of the benchmark must make)."""
    _OVERRIDES.clear()
    _OVERRIDES.update(ctx.overrides)
    rng = history.rng
    out: list[NoticeDraft] = []
    for m in history.milestones:
        for n in _milestone_notices(plan, m, ctx):
            _life(n, ctx, rng, history)
            out.append(n)
    for n in _chases(plan, history, ctx):
        _life(n, ctx, rng, history)
        out.append(n)
    return out


def _milestone_notices(plan: TaskPlan, m: MilestoneFacts, ctx: Context) -> list[NoticeDraft]:
    rules = ctx.rules
    out = []
    for due, valid_from, valid_to in m.epochs:
        last_day = min(d for d in (valid_to, ctx.today) if d is not None)
        # 提醒 30 and 7 days before: each on the first scan day in its window while the milestone is unfinished
        windows = sorted(rules.escalation.reminder_days)
        lower = -1
        for d in windows:
            t = max(valid_from, due - dt.timedelta(days=d))
            if t <= min(last_day, due - dt.timedelta(days=lower + 1)) and not _before(m.claimed, t):
                assert reminder_due(due, "推进中", t, rules.escalation.reminder_days) == d
                out.append(NoticeDraft(t, NoticeLevel.REMINDER, plan.id, plan.lead, milestone_id=m.id,
                                       milestone_due=due, reason=f"距到期还有 {(due - t).days} 天",
                                       key=f"提醒{d}:m{m.id}:{due.isoformat()}"))
            lower = d
        # 督办 the day after the due date, unless its completion was claimed by then
        t = due + DAY
        if valid_from <= t <= last_day and not _before(m.claimed, t):
            assert supervise_due(due, "推进中", t)
            s = NoticeDraft(t, NoticeLevel.SUPERVISE, plan.id, plan.lead, milestone_id=m.id, milestone_due=due,
                            reason="节点逾期未完成", response_due=_response_due(t, rules.escalation.response_working_days),
                            key=f"督办:m{m.id}:{due.isoformat()}")
            out.append(s)
    return out


def _chases(plan: TaskPlan, history: TaskHistory, ctx: Context) -> list[NoticeDraft]:
    """催报 on the day after each month's due day when the lead department has not reported that month."""
    due_day = ctx.rules.report_due_day
    reported = {periods.period_of(d) for d in history.lead_reports if d.day <= due_day}
    out = []
    period = ctx.first_period
    while (t := periods.due_date(period, due_day) + DAY) <= ctx.today:
        if t >= ctx.first_scan and period not in reported and not _before(history.done_on, t):
            out.append(NoticeDraft(t, NoticeLevel.CHASE, plan.id, plan.lead, period=period,
                                   reason=f"{periods.label(period)}进展未按时报送",
                                   key=f"催报:t{plan.id}:{period}"))
        period = periods.add_months(period, 1)
    return out


def _life(n: NoticeDraft, ctx: Context, rng: random.Random, history: TaskHistory) -> None:
    """What happened to a notice up to ``ctx.last``: answers, and closing by the office or by the workflow."""
    if n.created_on > ctx.last:
        return  # made by the benchmark's first scan
    m = next((f for f in history.milestones if f.id == n.milestone_id), None)
    settle: list[tuple[dt.date, str]] = []  # (day, note) of automatic closing
    if n.level == NoticeLevel.CHASE:
        nxt = next((d for d in history.lead_reports if d >= n.created_on), None)
        if nxt is not None:
            settle.append((nxt, f"已报送 {periods.period_of(nxt)} 进展"))
        if history.done_on is not None and history.done_on >= n.created_on:
            settle.append((history.done_on, "任务已办结"))
    else:
        if m.accepted is not None and m.accepted >= n.created_on:
            settle.append((m.accepted, "节点已办结"))
        # an approved extension settles the reminders about the old date
        for due, _from, until in m.epochs:
            if due == n.milestone_due and until is not None and until >= n.created_on:
                settle.append((until, "延期已批准"))
    auto = min(settle) if settle else None
    if n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
        p_ack, p_answer, p_close = (0.9, 0.9, 0.95) if n.level == NoticeLevel.SUPERVISE else (0.8, 0.7, 0.7)
        ack = n.created_on + dt.timedelta(days=randint(rng, 0, 4)) if rng.random() < p_ack else None
        answer = n.created_on + dt.timedelta(days=randint(rng, 1, 12)) if rng.random() < p_answer else None
        office_close = answer + dt.timedelta(days=randint(rng, 2, 30)) if answer and rng.random() < p_close else None
        limit = min(d for d in (auto[0] if auto else None, ctx.last) if d is not None)
        if answer and answer > limit:
            answer, office_close = None, None
        if office_close and office_close > ctx.last:
            office_close = None
        if ack and (ack > limit or (answer and ack > answer)):
            ack = answer
        if ack:
            n.ack = office_hours(ack, rng)
            n.version += 1
        if answer:
            n.answer = office_hours(answer, rng)
            if ack is None or ack == answer:
                n.ack = n.answer
            else:
                n.version += 1
            n.answer_new_date = answer + dt.timedelta(days=randint(rng, 30, 180))
            n.status = NoticeStatus.ANSWERED
        elif ack:
            n.status = NoticeStatus.ACKNOWLEDGED
        if office_close and (auto is None or office_close < auto[0]):
            n.closed, n.close_note, n.close_by_office = office_hours(office_close, rng), "反馈情况属实，同意按新期限推进", True
            n.status = NoticeStatus.CLOSED
            n.version += 1
            return
    if auto is not None and auto[0] <= ctx.last:
        n.closed, n.close_note = office_hours(auto[0], rng), auto[1]
        if n.closed <= (n.answer or n.closed) and n.answer:
            n.closed = n.answer + dt.timedelta(minutes=1)
        n.status = NoticeStatus.CLOSED
        n.version += 1
