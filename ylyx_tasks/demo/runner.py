"""Replaying the demo story through the real services, day by day (see :mod:`ylyx_tasks.demo.loader`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlmodel import Session

from ylyx_tasks.demo.story import (
    ANSWER,
    CLAIM,
    DECIDE,
    DEMO_MARK,
    REPORT,
    SCAN,
    Event,
    Plot,
    demo_actor,
    h,
    open_on,
    percent_on,
    plan_milestones,
    pretend_today,
    report_day,
    scan_days,
)
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.bulletins import BulletinStatus
from ylyx_tasks.domain.notices import NoticeLevel, NoticeStatus
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.models import Department, Notice, ReviewRequest, User
from ylyx_tasks.reads.indicators import list_indicators
from ylyx_tasks.reads.supervision.bulletins import bulletins
from ylyx_tasks.reads.plans import current_plan, rules_from_settings
from ylyx_tasks.reads.tasks import TaskView, load_task_views
from ylyx_tasks.services import indicators
from ylyx_tasks.services.supervision import bulletins as bulletin_service
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.services.tasks.workflow import Upload
from ylyx_tasks.services.users import actor_for

PHRASES = ["已制定年度工作方案，正在按计划推进", "已召开专题推进会，分解落实责任", "相关项目已开工建设",
           "已完成前期调研，形成初步方案", "配套政策文件正在征求意见", "已完成阶段性目标，正在总结经验"]


class Story:
    def __init__(self, session: Session, today: dt.date) -> None:
        self.s, self.today = session, today
        plan = current_plan(session)
        self.first = plan.issued_on + dt.timedelta(days=1)
        self.first_period = periods.first_period(plan.issued_on)
        self.views = load_task_views(session, today)
        self.plots = plan_milestones(self.views, today, self.first)
        self.by_task: dict[int, list[Plot]] = defaultdict(list)
        for p in self.plots:
            self.by_task[p.task.id].append(p)
        self.departments = {d.id: d for d in session.execute(select(Department)).scalars()}
        demo_users = {u.department_id: u for u in session.execute(select(User).where(
            User.is_demo.is_(True), User.role == Role.LIAISON.value)).scalars()}
        self.liaison_users = demo_users
        office = session.execute(select(User).where(User.username == "demo_office")).scalar_one()
        member = session.execute(select(User).where(User.username == "demo_member")).scalar_one()
        self.office, self.member = actor_for(office), actor_for(member)
        self.last_percent: dict[int, int] = {}
        self.late_claims = 0
        self.events: list[Event] = []

    # --- who acts ----------------------------------------------------------------------------------------
    def liaison(self, department_id: int) -> Actor:
        user = self.liaison_users.get(department_id)
        if user is not None:
            return actor_for(user)
        d = self.departments[department_id]
        return demo_actor(f"{d.short_name or d.name}联络员（演示）", Role.LIAISON, department_id)

    def reviewer(self, p: Plot) -> Actor:
        if p.task.working_group_id == self.member.working_group_id and h(p.milestone.id) % 2 == 0:
            return self.member
        return self.office

    # --- the events ----------------------------------------------------------------------------------------
    def add(self, day: dt.date, order: int, fn, *args) -> None:
        if self.first <= day <= self.today:
            self.events.append(Event(day, order, fn.__name__, None, run=lambda: fn(day, *args)))

    def build(self) -> None:
        scans = scan_days(self.plots, self.today, self.first)
        for day in scans:
            self.add(day, SCAN, self.scan)
        self._lead_reports(scans)
        for p in self.plots:
            self._milestone_events(p, scans)
        self._share_reports()

    def _lead_reports(self, scans: list[dt.date]) -> None:
        recent = self.today - dt.timedelta(days=70)
        seen: set[tuple[int, dt.date]] = set()
        for scan in scans:
            day = report_day(scan, self.first_period)
            if day is None:
                continue
            day = max(self.first, min(day, scan))
            for v in self.views:
                p = open_on(self.by_task[v.id], day)
                if p is None or p.scenario == "H" or (p.lagging and day >= recent) or (v.id, day) in seen:
                    continue
                seen.add((v.id, day))
                self.add(day, REPORT, self.lead_report, p)

    def _milestone_events(self, p: Plot, scans: list[dt.date]) -> None:
        if p.extend_apply_on:
            self.add(p.extend_apply_on, CLAIM, self.apply_extension, p)
        if p.extend_decide_on:
            self.add(p.extend_decide_on, DECIDE, self.decide_extension, p)
        if p.claim_on:
            self.add(p.claim_on - dt.timedelta(days=2), REPORT, self.lead_report, p)
            self.late_claims += p.scenario == "B"
            if p.scenario == "B" and self.late_claims % 2 == 1:
                # a first claim sent back, so that the history shows 退回重办 too
                self.add(p.claim_on - dt.timedelta(days=9), CLAIM, self.claim, p)
                self.add(p.claim_on - dt.timedelta(days=6), DECIDE, self.reject, p)
            self.add(p.claim_on, CLAIM, self.claim, p)
        if p.accept_on:
            self.add(p.accept_on, DECIDE, self.accept, p)
        if p.scenario in ("B", "C", "D", "E", "Y"):
            # Departments answer each 督办 a few days after it arrives (a 督办 stays open until its milestone is
            # done). E is the slow one: it answers late — so its matters are listed in the monthly 通报 — and
            # lately only acknowledges.
            lag, quiet_since = (12, self.today - dt.timedelta(days=60)) if p.scenario == "E" else (3, self.today)
            until = min(p.claim_on or self.today, self.today)
            for scan in scans:
                if not p.due < scan < until - dt.timedelta(days=lag):
                    continue
                if scan < quiet_since:
                    self.add(scan + dt.timedelta(days=lag), ANSWER, self.answer_all, p)
                else:
                    self.add(scan + dt.timedelta(days=2), ANSWER, self.acknowledge_all, p)

    def _share_reports(self) -> None:
        """Supporting departments report their shares in the last two months, counties in the last one (the
        matrix shows each county's latest report)."""
        last = self.today.replace(day=19) if self.today.day >= 19 else \
            periods.parse_period(periods.add_months(periods.period_of(self.today), -1)).replace(day=19)
        previous = periods.parse_period(periods.period_of(last - dt.timedelta(days=30))).replace(day=19)
        for day in (previous, last):
            for v in self.views:
                for u in v.units:
                    if u.duty == "配合" and (u.name == "市住建局" or v.supporting.index(u) < 2):
                        self.add(day, REPORT, self.share_report, v, u.id)
                    elif u.duty == "属地" and day == last:
                        if u.id in self.liaison_users:  # the demo county reports most of its shares
                            if h(v.id) % 7 != 0:
                                self.add(day, REPORT, self.share_report, v, u.id)
                        elif h(v.id, u.id, day) % 100 < 75:
                            self.add(day, REPORT, self.share_report, v, u.id)

    # --- the actions ---------------------------------------------------------------------------------------
    def lead_report(self, day: dt.date, p: Plot) -> None:
        if open_on(self.by_task[p.task.id], day) is not p:
            return
        pct = max(self.last_percent.get(p.task.id, 0), percent_on(p, day))
        self.last_percent[p.task.id] = pct
        lead = p.task.lead
        files = [Upload(f"演示-{p.task.code}-{day:%Y%m}进展.txt", f"{DEMO_MARK}虚构的进展材料，仅供演示。".encode(),
                        "text/plain")] if h(p.task.id, day) % 9 == 0 else None
        workflow.submit_report(self.s, self.liaison(lead.id), task_id=p.task.id, percent=pct, today=day,
                               text=f"{DEMO_MARK}{day.month}月进展：{PHRASES[h(p.task.id, day) % len(PHRASES)]}。",
                               evidence="演示链接：https://example.org/ylyx-demo/" + p.task.code,
                               milestone_id=p.milestone.id, files=files, is_demo=True)

    def share_report(self, day: dt.date, v: TaskView, department_id: int) -> None:
        p = open_on(self.by_task[v.id], day)
        base = 100 if p is None else percent_on(p, day)
        pct = max(0, min(100, base + h(v.id, department_id, day) % 41 - 25))
        name = self.departments[department_id].short_name
        kind = "属地" if self.departments[department_id].kind == DepartmentKind.COUNTY else "配合"
        workflow.submit_report(self.s, self.liaison(department_id), task_id=v.id, percent=pct, today=day,
                               text=f"{DEMO_MARK}{name}{kind}部分：{PHRASES[h(v.id, department_id) % len(PHRASES)]}。",
                               is_demo=True)

    def claim(self, day: dt.date, p: Plot) -> None:
        m, v = p.milestone, p.task
        files = [Upload(f"演示佐证材料-{v.code}-{m.key}.txt",
                        f"{DEMO_MARK}{v.title}（{m.key}年节点）虚构的佐证材料，仅供演示。".encode(), "text/plain")] \
            if h(m.id) % 3 == 0 else None
        workflow.claim_done(self.s, self.liaison(v.lead.id), milestone_id=m.id, today=day,
                            evidence=f"{DEMO_MARK}{m.commitment or v.title}：已按要求完成，相关文件已印发。",
                            links=f"https://example.org/ylyx-demo/{v.code}-{m.key}", files=files)

    def accept(self, day: dt.date, p: Plot) -> None:
        workflow.accept(self.s, self.reviewer(p), milestone_id=p.milestone.id, today=day,
                        note=f"{DEMO_MARK}佐证材料齐全，同意办结。")

    def reject(self, day: dt.date, p: Plot) -> None:
        workflow.reject(self.s, self.reviewer(p), milestone_id=p.milestone.id, today=day,
                        reason=f"{DEMO_MARK}佐证材料不完整，请补充验收报告后重新申报。")

    def apply_extension(self, day: dt.date, p: Plot) -> None:
        workflow.apply_extension(self.s, self.liaison(p.task.lead.id), milestone_id=p.milestone.id,
                                 new_date=p.extend_to, today=day,
                                 reason=f"{DEMO_MARK}受项目审批进度影响，申请延期。")

    def decide_extension(self, day: dt.date, p: Plot) -> None:
        request = next(r for r in workflow_pending(self.s, p.milestone.id))
        workflow.decide_extension(self.s, self.office, request_id=request, approve=True, today=day,
                                  note=f"{DEMO_MARK}理由充分，同意延期。")

    def _answer(self, day: dt.date, p: Plot, notice: Notice) -> None:
        notices.answer(self.s, self.liaison(notice.department_id), notice_id=notice.id, today=day,
                       situation=f"{DEMO_MARK}已召开专题会议研究，正在加快推进。",
                       reason=f"{DEMO_MARK}项目前期手续办理时间较长。",
                       new_date=max(day + dt.timedelta(days=45), p.claim_on or day))

    def answer_all(self, day: dt.date, p: Plot) -> None:
        for notice in self._open_notices(p, (NoticeStatus.AWAITING_ACK, NoticeStatus.ACKNOWLEDGED)):
            self._answer(day, p, notice)

    def _open_notices(self, p: Plot, statuses) -> list[Notice]:
        return list(self.s.execute(select(Notice).where(
            Notice.milestone_id == p.milestone.id,
            Notice.level == NoticeLevel.SUPERVISE.value,
            Notice.status.in_([s.value for s in statuses])).order_by(Notice.id)).scalars())

    def acknowledge_all(self, day: dt.date, p: Plot) -> None:
        for notice in self._open_notices(p, (NoticeStatus.AWAITING_ACK,)):
            notices.acknowledge(self.s, self.liaison(notice.department_id), notice_id=notice.id)

    def scan(self, day: dt.date) -> None:
        self.s.commit()  # the scan runs in transactions of its own and must see the story so far
        run_scan(today=day)
        if day < self.today:  # the office issues each 通报 it drafted; today's draft is left for it to review
            self.issue_bulletins(day)

    def issue_bulletins(self, day: dt.date) -> None:
        plan = current_plan(self.s)
        for b in bulletins(self.s, plan.id, status=BulletinStatus.DRAFT):  # type: ignore[union-attr, arg-type]
            if b.matters:
                bulletin_service.issue(self.s, self.office, bulletin_id=b.id, today=day,
                                       rules=rules_from_settings().bulletin)
        self.s.commit()

    def indicator_values(self) -> None:
        for i, row in enumerate(list_indicators(self.s)):
            ind = row.indicator
            if ind.target_value is None:
                continue
            base = ind.baseline_value if ind.baseline_value is not None else ind.target_value * 0.7
            pace = 0.55 if i % 4 == 3 else 1.0 + (h(ind.id) % 15) / 100  # every fourth one is off track
            for year in range(2021, 2026):
                published = max(dt.date(year + 1, 3, 15), self.first)  # figures of the year, out next spring
                if published > self.today:
                    break
                value = base + (ind.target_value - base) * min(1.0, pace * (year - 2020) / 5)
                value = min(value, 100.0) if ind.unit == "%" else value
                value = round(value, 2 if ind.unit == "万张" else 1) if ind.unit in ("%", "岁", "万张") \
                    else float(round(value))
                with pretend_today(published):
                    indicators.record_value(self.s, self.office, indicator_id=ind.id, year=year, value=value,
                                            note=f"{DEMO_MARK}虚构数值，仅供演示", is_demo=True)


def workflow_pending(session: Session, milestone_id: int) -> list[int]:
    return list(session.execute(select(ReviewRequest.id).where(
        ReviewRequest.milestone_id == milestone_id, ReviewRequest.kind == "延期",
        ReviewRequest.status == "待审核")).scalars())


def replay(session: Session, today: dt.date) -> None:
    """Build the story for ``today`` and play it in date order (scans last on their day)."""
    story = Story(session, today)
    story.build()
    for event in sorted(story.events, key=lambda e: (e.day, e.order)):
        with pretend_today(event.day):
            event.run()
    story.indicator_values()
    session.commit()
