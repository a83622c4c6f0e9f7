"""The weekly digest (每周督办简报), Mondays at 09:00: for 领导小组, for each working group, for each department.

Problems first (overdue milestones, outstanding 通报, notices awaiting an answer), then the week's activity and
the standings. One digest per plan being supervised (in force, or being closed out with open matters) and unit;
a recipient with nothing to read gets no mail. Each digest is a delivery per address with the key
``digest:<Monday>:<unit>:p<plan>``, so a digest is recorded once per week however often the job runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.departments import LEADERSHIP
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import Department, Milestone, Notice, ProgressReport, Task, WorkingGroup
from ylyx_tasks.reads.contacts import LEADERSHIP_KEY, contacts_by_unit, department_key, group_key
from ylyx_tasks.reads.digest import DigestData, build_department, build_scope, load_facts
from ylyx_tasks.reads.plans import PlanInfo, all_plans
from ylyx_tasks.services.mail.queue import OutgoingMail, enqueue
from ylyx_tasks.services.mail.templates import cn_date, render


@dataclass
class RenderedMail:
    subject: str
    text: str
    html: str


@dataclass
class DigestRun:
    week_start: dt.date
    units: int = 0  # units with something to read
    empty: int = 0  # units skipped: nothing to read
    no_contacts: int = 0  # units with something to read but nobody to send it to
    mails: int = 0  # deliveries recorded by this run
    previews: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, recipient, subject) in dry runs

    def summary(self) -> str:
        return (f"{self.week_start.isoformat()} 周简报：{self.units} 个单位有内容，{self.empty} 个无内容不发，"
                f"{self.no_contacts} 个未设联系人；新记录邮件 {self.mails} 封")


def digest_units(session: Session) -> list[tuple[str, str]]:
    """Every unit that can receive a digest: (unit_key, label)."""

    units = [(LEADERSHIP_KEY, LEADERSHIP)]
    units += [(group_key(g.id), g.name) for g in session.exec(select(WorkingGroup).order_by(WorkingGroup.id))]
    units += [(department_key(d.id), d.name) for d in session.exec(select(Department).order_by(Department.id))]
    return units


def _build(session: Session, today: dt.date, facts, unit_key: str) -> DigestData | None:
    if unit_key == LEADERSHIP_KEY:
        return build_scope(session, facts, today, kind="leadership", label=LEADERSHIP, task_ids=None)
    kind, _, ident = unit_key.partition(":")
    if kind == "group":
        group = session.get(WorkingGroup, int(ident))
        ids = [v.id for v in facts.views if v.working_group_id == group.id]
        return build_scope(session, facts, today, kind="group", label=group.name, task_ids=ids,
                           working_group_id=group.id)
    department = session.get(Department, int(ident))
    return build_department(session, facts, today, department)


def render_digest(data: DigestData, *, recipient_name: str, office: str) -> RenderedMail:
    settings = get_settings()
    ctx = dict(d=data, recipient_name=recipient_name, app_url=settings.app_url, office=office, Duty=Duty)
    subject = f"每周督办简报（{cn_date(data.week_start)}）· {data.plan_label} · {data.label}"
    if data.problem_count:
        subject += f" · {data.problem_count} 项需关注"
    ctx["subject"] = subject
    return RenderedMail(subject, render("mail/digest.txt.j2", **ctx), render("mail/digest.html.j2", **ctx))


def digested_plans(session: Session, today: dt.date) -> list[PlanInfo]:
    """The plans that have digests this week: begun, and in force or being closed out (open matters stay
    supervised until closed); never an archived one."""
    return [p for p in all_plans(session) if p.period_start <= today and p.status != PlanStatus.ARCHIVED]


def later_records(session: Session, plan: PlanInfo, today: dt.date) -> list[str]:
    """What the database holds of ``plan`` from after ``today`` (empty: a digest of ``today`` shows that day's
    state). The database keeps the current state only, so a digest for a past day with later records would
    show them as if they had been there: the run refuses instead."""
    of_plan = select(Task.id).where(Task.plan_id == plan.id)
    # the dates the rules set from their ``today`` (timestamps follow the real clock, not the rules' day)
    checks = {
        "通知": select(Notice.id).where(Notice.task_id.in_(of_plan), Notice.created_on > today),
        "进展报送": select(ProgressReport.id).where(ProgressReport.task_id.in_(of_plan),
                                                ProgressReport.reported_on > today),
        "节点完成": select(Milestone.id).where(Milestone.task_id.in_(of_plan), Milestone.completed_on > today),
    }
    return [name for name, query in checks.items() if session.exec(query.limit(1)).first() is not None]


def refuse_past(session: Session, plan: PlanInfo, today: dt.date) -> None:
    """Raise InvalidInput when ``plan`` has records from after ``today`` (see ``later_records``)."""
    later = later_records(session, plan, today)
    if later:
        raise InvalidInput(f"无法生成 {cn_date(today)} 的简报：系统只保存当前状态，{plan.short_name or plan.title}在该日之后"
                           f"已有新的{'、'.join(later)}记录，简报会把它们当作当天的情况。请用今天的日期生成。")


def preview_digest(session: Session, unit_key: str, today: dt.date, plan: PlanInfo | None = None
                   ) -> RenderedMail | None:
    """This week's digest of ``plan`` (the first one digested when None) for a unit, as its contacts would
    receive it (None: nothing to read). Refuses a day the database has moved past (``refuse_past``)."""
    plan = plan or next(iter(digested_plans(session, today)), None)
    if plan is None:
        return None
    refuse_past(session, plan, today)
    facts = load_facts(session, today, plan)
    data = _build(session, today, facts, unit_key)
    if data is None or not data.has_content:
        return None
    return render_digest(data, recipient_name="", office=plan.issuing_office)


def run_digest(today: dt.date | None = None, *, dry_run: bool = False, plan: PlanInfo | None = None) -> DigestRun:
    """Record this week's digests for every plan digested (or ``plan`` only) and every unit with contacts and
    something to read. A ``today`` in the past shows that day's state, or — when the database has records of a
    plan from after it — raises InvalidInput naming them, and records nothing."""
    today = today or clock.today()
    monday = periods.week_start(today)
    run = DigestRun(week_start=monday)
    mails: list[OutgoingMail] = []
    with read_session() as session:
        contacts = contacts_by_unit(session)
        chosen = [plan] if plan else digested_plans(session, today)
        for p in chosen:
            refuse_past(session, p, today)
        for p in chosen:
            facts = load_facts(session, today, p)
            for unit_key, label in digest_units(session):
                data = _build(session, today, facts, unit_key)
                if data is None or not data.has_content:
                    run.empty += 1
                    continue
                run.units += 1
                recipients = contacts.get(unit_key, [])
                if not recipients:
                    run.no_contacts += 1
                    continue
                for r in recipients:
                    rendered = render_digest(data, recipient_name=r.name, office=p.issuing_office)
                    if dry_run:
                        run.previews.append((label, r.email, rendered.subject))
                        continue
                    mails.append(OutgoingMail(dedup_key=f"digest:{monday.isoformat()}:{unit_key}:p{p.id}",
                                              kind="digest", recipient_email=r.email, recipient_name=r.name,
                                              subject=rendered.subject, body_text=rendered.text,
                                              body_html=rendered.html))
    if not dry_run and mails:
        with write_session() as session:
            run.mails = enqueue(session, mails)
    return run


def report_due_date(today: dt.date) -> dt.date:
    return periods.due_date(periods.period_of(today), get_settings().report_due_day)
