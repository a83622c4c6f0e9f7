"""One task's history, simulated through the workflow's own rules: monthly reports by the lead department and the
counties, extensions applied for and approved, completion claimed and accepted — up to the last day of the
history. The result is the task's rows (task, milestones, reports, requests, audit events) and the facts the
notice rules need (:class:`MilestoneFacts`).

Statuses move only through ``ylyx_tasks.domain.status`` (``next_status``, ``task_status``), and each change is
recorded in the audit log as the services record it, so the data are what the app would have written.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.status import Action, Status, next_status, task_status

from benchmarks.model import Context, Ids, TaskPlan, at, audit_json, office_hours, randint

DAY = dt.timedelta(days=1)
# Order of events on the same day.
_APPLY, _DECIDE, _LEAD, _COUNTY, _CLAIM, _ACCEPT = range(6)


@dataclass
class MilestoneFacts:
    """What the notice rules need about one milestone: its working due dates over time and its completion."""

    id: int
    # (due date, first scan day it applies to, last scan day it applies to or None = still)
    epochs: list[tuple[dt.date, dt.date, dt.date | None]]
    claimed: dt.date | None  # the day its completion was claimed (待审核 from then on)
    accepted: dt.date | None  # the day it was accepted (已完成)


@dataclass
class TaskHistory:
    task_row: tuple
    milestone_rows: list[tuple]
    report_rows: list[tuple]
    request_rows: list[tuple]
    audit_rows: list[tuple]  # without ids: (at, actor_id, actor, action, entity, entity_id, task_id, before, after, note)
    milestones: list[MilestoneFacts]
    lead_reports: list[dt.date]  # the lead department's report days, in order
    done_on: dt.date | None  # the day the task became 已完成
    rng: random.Random = field(repr=False, default_factory=random.Random)


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=randint(rng, lo, hi))


def _plan_milestones(plan: TaskPlan, ctx: Context, rng: random.Random, diligence: float) -> list[dict]:
    """When each milestone is extended, claimed and accepted (None: not by the end of the history)."""
    # by the end of the history about half the tasks are done; most of the rest are overdue
    p_on_time = 0.25 + 0.35 * diligence
    p_late = 0.35 - 0.15 * diligence
    earliest = ctx.first_scan + _days(rng, 20, 200)  # no milestone is claimed before the work has begun
    out = []
    for m in sorted(plan.milestones, key=lambda m: (m.original_due, m.key)):
        due = m.original_due
        info = {"plan": m, "apply": None, "decide": None, "new_due": None, "claim": None, "accept": None}
        if earliest is not None and rng.random() < 0.15 + 0.15 * (1 - diligence):
            apply = due - _days(rng, 10, 60)
            if earliest <= apply <= ctx.last:
                info["apply"] = apply
                info["new_due"] = due + _days(rng, 60, 420)
                decide = min(due, apply + _days(rng, 1, 7))
                if decide <= ctx.last:
                    info["decide"] = decide
        working = info["new_due"] if info["decide"] else due
        u = rng.random()
        claim = None
        if earliest is not None and u < p_on_time + p_late:
            claim = working - _days(rng, 5, 150) if u < p_on_time else working + _days(rng, 1, 420)
            claim = max(claim, earliest)
            if info["apply"] is not None and claim <= (info["decide"] or info["apply"]):
                # nobody asks for more time for a milestone that is already claimed
                claim = (info["decide"] or info["apply"]) + _days(rng, 1, 40)
        if claim is not None and claim <= ctx.last:
            info["claim"] = claim
            accept = claim + _days(rng, 2, 20)
            info["accept"] = accept if accept <= ctx.last else None
        # later milestones are claimed after this one is accepted
        earliest = info["accept"] + _days(rng, 3, 30) if info["accept"] else None
        out.append(info)
    return out


@lru_cache(maxsize=8)
def _months(first_period: str, last: dt.date) -> tuple[tuple[str, dt.date, int], ...]:
    """(period, its first day, its length) from ``first_period`` to the month of ``last``."""
    out = []
    period = first_period
    while period <= periods.period_of(last):
        first = periods.parse_period(period)
        out.append((period, first, month_calendar.monthrange(first.year, first.month)[1]))
        period = periods.add_months(period, 1)
    return tuple(out)


def _report_days(ctx: Context, rng: random.Random, p_miss: float, p_late: float, every: int = 1,
                 offset: int = 0) -> list[tuple[str, dt.date]]:
    """(period, day) of a unit's monthly reports: most by the due day, some late in the month, some missing."""
    out = []
    due_day = ctx.rules.report_due_day
    for index, (period, first, length) in enumerate(_months(ctx.first_period, ctx.last)):
        if (index + offset) % every:
            continue
        u = rng.random()
        if u >= p_miss:
            day = randint(rng, due_day + 1, length) if u < p_miss + p_late else randint(rng, 3, due_day)
            date = first + dt.timedelta(days=day - 1)
            if date <= ctx.last:
                out.append((period, date))
    return out


def simulate(plan: TaskPlan, ctx: Context, ids: Ids) -> TaskHistory:
    rng = random.Random(ctx.seed * 1_000_003 + plan.id)
    diligence = rng.random()
    schedule = _plan_milestones(plan, ctx, rng, diligence)
    done_day = schedule[-1]["accept"] if all(s["accept"] for s in schedule) else None
    last_claim = schedule[-1]["claim"] if all(s["claim"] for s in schedule) else None

    events: list[tuple] = []
    for s in schedule:
        if s["apply"]:
            events.append((s["apply"], _APPLY, s))
        if s["decide"]:
            events.append((s["decide"], _DECIDE, s))
        if s["claim"]:
            events.append((s["claim"], _CLAIM, s))
        if s["accept"]:
            events.append((s["accept"], _ACCEPT, s))
    lead_days = [(p, d) for p, d in _report_days(ctx, rng, 0.02 + 0.06 * (1 - diligence), 0.03 + 0.10 * (1 - diligence))
                 if done_day is None or d <= done_day]
    events += [(d, _LEAD, (p, plan.lead)) for p, d in lead_days]
    for i, county in enumerate(plan.counties):
        c_rng = random.Random(rng.getrandbits(64))
        for p, d in _report_days(ctx, c_rng, 0.15, 0.05, ctx.county_every, i):
            if done_day is None or d <= done_day:
                events.append((d, _COUNTY, (p, county)))
    events.sort(key=lambda e: (e[0], e[1], e[2][1] if e[1] == _COUNTY else 0))
    return _replay(plan, ctx, ids, rng, schedule, events, done_day, last_claim)


def _replay(plan: TaskPlan, ctx: Context, ids: Ids, rng: random.Random, schedule: list[dict], events: list[tuple],
            done_day: dt.date | None, last_claim: dt.date | None) -> TaskHistory:
    created = at(ctx.issued_on + DAY, 10)
    lead = ctx.liaison(plan.lead)
    office = ctx.office
    status = {s["plan"].id: Status.NOT_STARTED for s in schedule}
    due = {s["plan"].id: s["plan"].original_due for s in schedule}
    completed: dict[int, dt.date] = {}
    m_updated = {s["plan"].id: created for s in schedule}
    audit: list[tuple] = [(created, None, "system", "新增任务", "task", plan.id, plan.id, None,
                           audit_json({"code": plan.code, "title": plan.title}), "")]
    for s in schedule:
        m = s["plan"]
        audit.append((created, None, "system", "新增时间节点", "milestone", m.id, plan.id, None,
                      audit_json({"key": m.key, "commitment": m.commitment, "due_date": m.original_due}), ""))
    reports: list[tuple] = []
    requests: list[tuple] = []
    t_status, progress, version, updated = Status.NOT_STARTED, 0, 1, created
    last_period: str | None = None
    last_on: dt.date | None = None
    county_pct: dict[int, int] = {}
    start = ctx.issued_on
    end = last_claim or ctx.last + _days(rng, 90, 900)
    requests_of: dict[tuple[int, str], int] = {}

    def move(mid: int, action: Action, when: dt.datetime, actor, note: str = "", day: dt.date | None = None) -> None:
        new = next_status(status[mid], action)
        audit.append((when, actor.id, actor.username, action.value, "milestone", mid, plan.id,
                      audit_json({"status": status[mid].value}), audit_json({"status": new.value}), note))
        status[mid] = new
        if new == Status.DONE:
            completed[mid] = day
        m_updated[mid] = when

    def refresh(when: dt.datetime, actor) -> None:
        nonlocal t_status, updated
        new = task_status(status.values())
        if new != t_status:
            audit.append((when, actor.id, actor.username, "任务状态变更", "task", plan.id, plan.id,
                          audit_json({"status": t_status.value}), audit_json({"status": new.value}), ""))
            t_status = new
        updated = when

    for day, kind, data in events:
        when = office_hours(day, rng)
        version += 1  # every write claims the task's version first
        if kind in (_LEAD, _COUNTY):
            period, dept = data
            rid = ids.take("progress_report")
            if kind == _LEAD:
                share = (day - start).days / max(1, (end - start).days)
                pct = max(progress, min(100 if last_claim and day >= last_claim else 99,
                                        round(100 * share + rng.uniform(-4, 4))))
                actor, duty = lead, Duty.LEAD
            else:
                pct = max(county_pct.get(dept, 0), min(100, round(100 * (day - start).days / max(1, (end - start).days)
                                                                    + rng.uniform(-12, 8))))
                county_pct[dept] = pct
                actor, duty = ctx.liaison(dept), Duty.TERRITORIAL
            pct = max(0, pct)
            text = (f"{periods.label(period)}进展：{plan.title}，{'本单位' if kind == _LEAD else '本县（市、区）'}"
                    f"按计划推进，累计完成约 {pct}%。下一步将继续落实方案要求，加快项目建设和资金保障。")
            reports.append((rid, plan.id, None, dept, duty.value, period, day, pct, text, "", False, actor.id, when))
            audit.append((when, actor.id, actor.username, "报送进展", "report", rid, plan.id,
                          audit_json({"progress": progress}) if kind == _LEAD else None,
                          audit_json({"period": period, "percent": pct, "duty": duty.value, "text": text[:200]}), ""))
            if kind == _LEAD:
                progress = pct
                if last_period is None or period >= last_period:
                    last_period, last_on = period, day
                open_ms = sorted((mid for mid in status if status[mid] != Status.DONE),
                                 key=lambda mid: (due[mid], mid))
                if open_ms and status[open_ms[0]] == Status.NOT_STARTED:
                    move(open_ms[0], Action.REPORT, when, actor)
                refresh(when, actor)
            continue
        s = data
        mid = s["plan"].id
        if kind == _APPLY:
            qid = ids.take("review_request")
            requests_of[(mid, "延期")] = len(requests)
            reason = "受项目审批和资金到位进度影响，申请延期完成。"
            decided = office_hours(s["decide"], rng) if s["decide"] else None
            requests.append((qid, "延期", "已通过" if decided else "待审核", plan.id, mid, plan.lead, reason, "",
                             s["new_due"], lead.id, when, office.id if decided else None, decided,
                             "同意延期" if decided else ""))
            audit.append((when, lead.id, lead.username, "申请延期", "request", qid, plan.id,
                          audit_json({"due_date": due[mid]}), audit_json({"new_due_date": s["new_due"]}), reason))
        elif kind == _DECIDE:
            when = requests[requests_of[(mid, "延期")]][12]  # the decision time recorded on the request
            before = due[mid]
            due[mid] = s["new_due"]
            m_updated[mid] = when
            audit.append((when, office.id, office.username, "批准延期", "milestone", mid, plan.id,
                          audit_json({"due_date": before}),
                          audit_json({"due_date": due[mid], "original_due": s["plan"].original_due}), "同意延期"))
            updated = when
        elif kind == _CLAIM:
            qid = ids.take("review_request")
            requests_of[(mid, "办结")] = len(requests)
            evidence = f"{s['plan'].key}年节点任务已完成，相关文件和验收材料见链接。"
            decided = office_hours(s["accept"], rng) if s["accept"] else None
            requests.append((qid, "办结", "已通过" if decided else "待审核", plan.id, mid, plan.lead, evidence,
                             f"https://docs.example.com/{plan.code}/{s['plan'].key}", None, lead.id, when,
                             office.id if decided else None, decided, "材料齐全，同意办结" if decided else ""))
            move(mid, Action.CLAIM_DONE, when, lead, note=evidence[:200])
            refresh(when, lead)
        elif kind == _ACCEPT:
            when = requests[requests_of[(mid, "办结")]][12]  # the decision time recorded on the request
            move(mid, Action.ACCEPT, when, office, note="材料齐全，同意办结", day=day)
            refresh(when, office)
            if t_status == Status.DONE:
                progress = 100

    milestone_rows = []
    facts = []
    for s in schedule:
        m = s["plan"]
        milestone_rows.append((m.id, plan.id, m.key, m.commitment, ctx.issued_on, m.original_due, due[m.id],
                               status[m.id].value, completed.get(m.id), created, m_updated[m.id]))
        epochs = [(m.original_due, ctx.first_scan, s["decide"])]
        if s["decide"]:
            epochs.append((s["new_due"], s["decide"] + DAY, None))
        facts.append(MilestoneFacts(m.id, epochs, s["claim"], s["accept"]))
    task_row = (plan.id, ctx.plan_id, plan.code, plan.position, plan.section, plan.title, plan.clause_text,
                plan.working_group_id, plan.county_responsible, t_status.value, progress, last_period, last_on,
                version, created, updated)
    return TaskHistory(task_row, milestone_rows, reports, requests, audit, facts,
                       [d for d, kind, _ in events if kind == _LEAD], done_day, rng)
