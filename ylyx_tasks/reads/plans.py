"""The plans being supervised — several at once — and, for each, the rules and wording it is supervised by, and
the units and working groups it uses.

A plan's own settings (the office that issues its notices, their prefix, the phrase naming its territorial
units) come from its row; empty ones fall back to the configured defaults (``YLYX_ISSUING_OFFICE``,
``YLYX_NOTICE_PREFIX``). Every reader and writer asks here, never the settings directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain import periods
from ylyx_tasks.domain import plans as plan_rules
from ylyx_tasks.domain.bulletins import BulletinRules
from ylyx_tasks.domain.departments import is_territorial
from ylyx_tasks.domain.lights import LightRules
from ylyx_tasks.domain.notices import EscalationRules
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.models import Department, Plan, PlanGroup, PlanUnit, Task, WorkingGroup

DEFAULT_TERRITORIAL_PHRASE = "各县（市、区）人民政府"


@dataclass(frozen=True)
class PlanInfo:
    """A plan as plain values (safe to cache and to pickle), with its wording resolved."""

    id: int
    code: str
    title: str
    short_name: str
    doc_number: str
    issued_on: dt.date
    period_start: dt.date
    period_end: dt.date
    status: str
    issuing_office: str
    notice_prefix: str
    territorial_phrase: str

    @property
    def label(self) -> str:
        """How choosers and headings name it: "十四五养老托育（2021–2025）"."""
        name = self.short_name or self.title
        return f"{name}（{self.period_start.year}–{self.period_end.year}）"

    def in_force(self, today: dt.date) -> bool:
        return plan_rules.in_force(self.period_start, self.period_end, self.status, today)

    def state(self, today: dt.date) -> str:
        return plan_rules.state_label(self.period_start, self.period_end, self.status, today)

    def asks_for_reports(self, today: dt.date) -> bool:
        return plan_rules.asks_for_reports(self.period_start, self.period_end, self.status, today)


def info(plan: Plan) -> PlanInfo:
    s = get_settings()
    return PlanInfo(id=plan.id, code=plan.code, title=plan.title, short_name=plan.short_name,  # type: ignore[arg-type]
                    doc_number=plan.doc_number or plan.code, issued_on=plan.issued_on,
                    period_start=plan.period_start, period_end=plan.period_end, status=plan.status,
                    issuing_office=plan.issuing_office or s.issuing_office,
                    notice_prefix=plan.notice_prefix or s.notice_prefix,
                    territorial_phrase=plan.territorial_phrase or DEFAULT_TERRITORIAL_PHRASE)


def all_plans(session: Session) -> list[PlanInfo]:
    """Every plan, newest period first (then the order they were loaded)."""
    rows = session.exec(select(Plan).order_by(Plan.period_start.desc(), Plan.id)).all()  # type: ignore[union-attr]
    return [info(p) for p in rows]


def plans_in_force(session: Session, today: dt.date) -> list[PlanInfo]:
    return [p for p in all_plans(session) if p.in_force(today)]


def plans_visible(session: Session, today: dt.date, *, see_all: bool) -> list[PlanInfo]:
    """The plans a user may choose: every plan for the office; for everyone else the plans in force and those
    being closed out (终期评估: their open matters are still supervised), never an archived one."""
    plans = all_plans(session)
    if see_all:
        return plans
    return [p for p in plans if p.in_force(today) or p.status == plan_rules.PlanStatus.CLOSING
            or (p.status == plan_rules.PlanStatus.ACTIVE and p.period_start <= today)]


def default_plan(plans: list[PlanInfo], today: dt.date) -> PlanInfo | None:
    """The plan a page opens on: the newest in force today, else the newest that has started, else any."""
    for test in (lambda p: p.in_force(today), lambda p: p.period_start <= today, lambda p: True):
        chosen = [p for p in plans if test(p)]
        if chosen:
            return chosen[0]
    return None


def find_plan(session: Session, code: str) -> PlanInfo | None:
    """A plan by its code, its 文号 or its short name (what the office types after ``--plan``)."""
    code = code.strip()
    for p in all_plans(session):
        if code in (p.code, p.doc_number, p.short_name):
            return p
    return None


def current_plan(session: Session) -> Plan | None:
    """The first plan loaded (the seed's). Only for callers that have no plan to hand: tests and the demo."""
    return session.exec(select(Plan).order_by(Plan.id)).first()


def plan_of_task(session: Session, task_id: int) -> PlanInfo:
    """The plan a task belongs to."""
    task = session.get(Task, task_id)
    return info(session.get(Plan, task.plan_id))  # type: ignore[union-attr, arg-type]


def rules_for(plan: PlanInfo | None = None) -> SupervisionRules:
    """The supervision rules of ``plan``: lights, reminders, escalation and the report day as configured
    (``YLYX_*``), the notice prefix the plan's own."""
    s = get_settings()
    return SupervisionRules(
        lights=LightRules(yellow_within_days=s.yellow_within_days, behind_points=s.behind_schedule_points),
        escalation=EscalationRules(reminder_days=tuple(s.reminder_days), response_working_days=s.response_working_days,
                                   escalate_after_days=s.escalate_after_days),
        bulletin=BulletinRules(months=s.bulletin_months, draft_day=s.bulletin_draft_day,
                               rectify_days=s.bulletin_rectify_days, listed_after_days=s.escalate_after_days),
        report_due_day=s.report_due_day, stale_after_days=s.stale_after_days,
        notice_prefix=plan.notice_prefix if plan else s.notice_prefix,
    )


def rules_from_settings() -> SupervisionRules:
    """The rules shared by every plan (the prefix aside): :func:`rules_for` without a plan."""
    return rules_for(None)


def last_due_period(plan: Plan | PlanInfo, today: dt.date, rules: SupervisionRules) -> str | None:
    """The last report period of ``plan`` whose due day has passed on ``today`` (None before the first, and
    never one after the plan's period: a plan stops asking for reports when it ends)."""
    due = periods.last_due_period(today, rules.report_due_day, periods.first_period(plan.issued_on))
    last = periods.period_of(plan.period_end)
    return None if due is None else min(due, last)


# --- the units and groups a plan uses ------------------------------------------------------------------------


def departments(session: Session, plan_id: int | None = None) -> list[tuple[int, str, str]]:
    """(id, name, kind) of the units ``plan_id`` uses (every unit when None), in the plan's order."""
    if plan_id is None:
        return [(d.id, d.name, d.kind) for d in session.exec(select(Department).order_by(Department.id))]
    rows = session.exec(select(Department).join(PlanUnit, PlanUnit.department_id == Department.id)
                        .where(PlanUnit.plan_id == plan_id).order_by(PlanUnit.position, Department.id))
    return [(d.id, d.name, d.kind) for d in rows]


def territorial_units(session: Session, plan_id: int) -> list[Department]:
    """The units of ``plan_id`` that carry its territorial duty (its counties, or its 街道/乡镇)."""
    rows = session.exec(select(Department).join(PlanUnit, PlanUnit.department_id == Department.id)
                        .where(PlanUnit.plan_id == plan_id).order_by(PlanUnit.position, Department.id)).all()
    return [d for d in rows if is_territorial(d.kind)]


def groups(session: Session, plan_id: int) -> list[tuple[int, str]]:
    """(id, name) of the working groups ``plan_id`` uses, in its order."""
    rows = session.exec(select(WorkingGroup).join(PlanGroup, PlanGroup.working_group_id == WorkingGroup.id)
                        .where(PlanGroup.plan_id == plan_id).order_by(PlanGroup.position, WorkingGroup.id))
    return [(g.id, g.name) for g in rows]


def unit_names(session: Session, department_id: int | None, working_group_id: int | None) -> tuple[str, str]:
    """The names of a user's department and working group ('' for none)."""
    department = session.get(Department, department_id) if department_id else None
    group = session.get(WorkingGroup, working_group_id) if working_group_id else None
    return (department.name if department else ""), (group.name if group else "")
