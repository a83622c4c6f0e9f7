"""What the meetings page, the CLI and the documents read about meetings and their decisions, and the meeting pack
(会议材料): matters behind schedule by unit (with the unit's forecast), pending extension and completion requests,
open 督办 and the last 通报, indicators off their trajectory, and earlier decisions still open."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ylyx_tasks.domain.lights import Light, worst
from ylyx_tasks.domain.meetings import MeetingKind, MeetingStatus, TaskSource
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.requests import RequestKind, RequestStatus
from ylyx_tasks.domain.roles import Actor, Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.documents import Decision, DecisionFollowUp, LaggingMatter, MeetingMinutes, MeetingPack, Proposal
from ylyx_tasks.models import Meeting, Notice, ReviewRequest, Task, UnitForecast
from ylyx_tasks.reads.indicators import list_indicators
from ylyx_tasks.reads.notices import notice_briefs
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.tasks import TaskView, load_task_views


# the body that meets, as the minutes name it when the title does not
DEFAULT_BODY = {MeetingKind.JOINT: "养老托育工作联席会议", MeetingKind.ELDERLY: "养老工作专班",
                MeetingKind.CHILDCARE: "托育工作专班", MeetingKind.GENERAL: "综合工作专班"}


@dataclass(frozen=True)
class MeetingRow:
    id: int
    kind: str
    title: str
    held_on: dt.date
    venue: str
    chair: str
    status: str
    issue_no: int | None
    agenda: list[str]
    units: list[str]
    people: list[str]
    summary: list[str]
    version: int

    @property
    def label(self) -> str:
        return f"{self.held_on.isoformat()} {self.title}（{self.status}）"


def _row(m: Meeting) -> MeetingRow:
    def lines(text: str) -> list[str]:
        return [x for x in text.splitlines() if x.strip()]

    return MeetingRow(m.id, m.kind, m.title, m.held_on, m.venue, m.chair, m.status, m.issue_no, lines(m.agenda),
                      lines(m.participant_units), lines(m.participant_people), lines(m.summary), m.version)


def meetings(session: Session, plan_id: int) -> list[MeetingRow]:
    """The plan's meetings, the latest first."""
    return [_row(m) for m in session.exec(select(Meeting).where(Meeting.plan_id == plan_id)
                                          .order_by(Meeting.held_on.desc(), Meeting.id.desc()))]


def meeting(session: Session, meeting_id: int) -> MeetingRow | None:
    found = session.get(Meeting, meeting_id)
    return _row(found) if found is not None else None


@dataclass(frozen=True)
class Matter:
    """A decision or 交办 as the lists show it."""

    view: TaskView
    source: str
    meeting_id: int | None
    related_code: str

    @property
    def lead(self) -> str:
        return next((u.name for u in self.view.units if u.duty == Duty.LEAD), "")

    @property
    def supporting(self) -> list[str]:
        return [u.name for u in self.view.units if u.duty == Duty.SUPPORT]

    @property
    def due(self) -> dt.date | None:
        return min((m.due_date for m in self.view.milestones), default=None)

    @property
    def light(self) -> Light:
        return worst(m.light for m in self.view.milestones) if self.view.milestones else Light.GREEN

    @property
    def closed(self) -> bool:
        return self.view.status == Status.DONE


def matters(session: Session, plan_id: int, today: dt.date, rules: SupervisionRules, *,
            source: TaskSource | None = None, meeting_id: int | None = None,
            created_before: dt.date | None = None) -> list[Matter]:
    """The plan's decisions and 交办 (or those of ``source``, of ``meeting_id``), in order."""
    stmt = sa.select(Task.id, Task.source, Task.meeting_id, Task.related_task_id).where(
        Task.plan_id == plan_id, Task.source != TaskSource.CLAUSE.value)
    if source is not None:
        stmt = stmt.where(Task.source == source.value)
    if meeting_id is not None:
        stmt = stmt.where(Task.meeting_id == meeting_id)
    if created_before is not None:
        stmt = stmt.where(Task.meeting_id.in_(sa.select(Meeting.id).where(Meeting.held_on < created_before)))
    rows = session.connection().execute(stmt).all()
    if not rows:
        return []
    related = dict(session.connection().execute(sa.select(Task.id, Task.code).where(
        Task.id.in_([r[3] for r in rows if r[3]]))).all()) if any(r[3] for r in rows) else {}
    views = {v.id: v for v in load_task_views(session, today, rules, task_ids=[r[0] for r in rows])}
    return [Matter(views[r[0]], r[1], r[2], related.get(r[3], "")) for r in rows if r[0] in views]


def _forecasts(session: Session, task_ids: list[int]) -> dict[int, str]:
    """task → its latest forecast."""
    out: dict[int, str] = {}
    if task_ids:
        for task_id, value in session.connection().execute(
                sa.select(UnitForecast.task_id, UnitForecast.forecast).where(UnitForecast.task_id.in_(task_ids))
                .order_by(UnitForecast.period)):
            out[task_id] = value
    return out


def pack(session: Session, actor: Actor, meeting_id: int, plan: PlanInfo, today: dt.date, rules: SupervisionRules
         ) -> MeetingPack:
    """会议材料 for ``meeting_id``, as the plan stands on ``today``."""
    m = session.get(Meeting, meeting_id)
    views = load_task_views(session, today, rules, plan_id=plan.id)
    forecasts = _forecasts(session, [v.id for v in views])
    lagging = []
    for v in views:
        lead = next((u.name for u in v.units if u.duty == Duty.LEAD), "")
        for ms in v.milestones:
            if ms.status != Status.DONE and ms.days_overdue > 0:
                lagging.append((lead, LaggingMatter(task_code=v.code, task_title=v.title, milestone=ms.commitment[:60] or "全部任务",
                                                    units=lead, due_on=ms.due_date, days_overdue=ms.days_overdue,
                                                    forecast=forecasts.get(v.id, ""))))
    lagging.sort(key=lambda pair: (pair[0], -pair[1].days_overdue))  # by unit, the longest overdue first
    done = sum(1 for v in views if v.status == Status.DONE)
    extra = session.connection().execute(sa.select(sa.func.count()).select_from(Task).where(
        Task.plan_id == plan.id, Task.source != TaskSource.CLAUSE.value)).scalar_one()
    progress = [f"截至{today.year}年{today.month}月{today.day}日，本方案督办事项{len(views)}项（其中会议议定和批示交办"
                f"{extra}项），已完成{done}项，逾期未完成节点{len(lagging)}个。"]
    open_notices = [b for b in notice_briefs(session, actor, open_only=True) if b.plan_id == plan.id]
    supervise = [b for b in open_notices if b.level == NoticeLevel.SUPERVISE]
    if supervise:
        progress.append(f"未办结督办{len(supervise)}件：" + "；".join(
            f"{b.number or '#' + str(b.id)}（{b.task_code}，{b.department}，{b.status}）" for b in supervise[:15])
            + ("等。" if len(supervise) > 15 else "。"))
    last_circ = session.exec(select(Notice).join(Task, Task.id == Notice.task_id).where(
        Task.plan_id == plan.id, Notice.level == NoticeLevel.CIRCULATE.value).order_by(Notice.created_on.desc(),
                                                                                         Notice.id.desc())).first()
    if last_circ is not None:
        task = session.get(Task, last_circ.task_id)
        progress.append(f"最近一次通报：{last_circ.number or '#' + str(last_circ.id)}（{last_circ.created_on.isoformat()}，"
                        f"任务 {task.code}，{last_circ.status}）。")
    off = [r for r in list_indicators(session, plan.id) if r.off_track]
    if off:
        progress.append("落后于序时目标的指标：" + "、".join(r.indicator.name for r in off) + "。")
    proposals = []
    for req, code, title in session.execute(
            sa.select(ReviewRequest, Task.code, Task.title).join(Task, Task.id == ReviewRequest.task_id)
            .where(Task.plan_id == plan.id, ReviewRequest.status == RequestStatus.PENDING.value)
            .order_by(ReviewRequest.requested_at)).all():
        req = req[0] if isinstance(req, tuple) else req
        if req.kind == RequestKind.EXTEND:
            proposals.append(Proposal(title=f"关于任务{code}延期至{req.new_due_date.isoformat()}的申请",
                                      background=f"{title}：{req.text}", proposal="请会议研究是否同意延期。"))
        else:
            proposals.append(Proposal(title=f"关于任务{code}办结销号的申请", background=f"{title}：{req.text}",
                                      proposal="请会议听取办结情况，由专班办公室审核销号。"))
    follow_ups = [DecisionFollowUp(decision=f"{d.view.code} {d.view.title}", lead_unit=d.lead,
                                   due_on=d.due or today, status=_decision_status(d, today))
                  for d in matters(session, plan.id, today, rules, source=TaskSource.DECISION)
                  if d.meeting_id != meeting_id and not d.closed]
    return MeetingPack(issuing_office=plan.issuing_office, issued_on=today, meeting_name=m.title, held_on=m.held_on,
                       venue=m.venue or "（待定）", chair=m.chair or "（待定）",
                       agenda=[x for x in m.agenda.splitlines() if x.strip()] or ["听取重点任务推进情况汇报",
                                                                                 "研究滞后事项和提请事项"],
                       progress=progress, lagging=[lm for _u, lm in lagging], proposals=proposals,
                       follow_ups=follow_ups)


def _decision_status(d: Matter, today: dt.date) -> str:
    if d.closed:
        return "已完成"
    due = d.due
    if due is not None and due < today:
        return f"逾期{(today - due).days}天，{d.view.status}"
    return f"{d.view.status}（{d.light.value}，进度{d.view.progress}%）"


def minutes(session: Session, meeting_id: int, plan: PlanInfo, today: dt.date, rules: SupervisionRules
            ) -> MeetingMinutes:
    """会议纪要 from what was recorded: the meeting, its participants and its decisions."""
    m = session.get(Meeting, meeting_id)
    row = _row(m)
    decisions = [Decision(text=d.view.clause_text, lead_unit=d.lead, supporting_units=d.supporting,
                          due_on=d.due or m.held_on)
                 for d in matters(session, plan.id, today, rules, meeting_id=meeting_id)]
    body, session_name = split_title(m.title, MeetingKind(m.kind))
    return MeetingMinutes(issuing_office=plan.issuing_office, issued_on=today, meeting_name=body,
                          session=session_name, issue_no=m.issue_no or 0, held_on=m.held_on,
                          venue=m.venue or "（未填写）", chair=m.chair or "（未填写）",
                          purpose="听取养老托育重点任务推进情况汇报，研究部署下一步工作", decisions=decisions,
                          summary=row.summary, attendees=row.people or row.units,
                          cc=[u for u in row.units], number="")


_SESSION = re.compile(r"^(.+?)(第[一二三四五六七八九十百〇零\d]+次.*)$")


def split_title(title: str, kind: MeetingKind) -> tuple[str, str]:
    """The body and the session of a meeting's title, as the minutes print them ("{body}纪要", "{body}{session}纪要"):
    "运城市养老托育工作联席会议第三次会议" → ("运城市养老托育工作联席会议", "第三次会议"); a title without "第N次"
    is the session of the kind's body."""
    found = _SESSION.match(title)
    if found:
        return found.group(1), found.group(2)
    return DEFAULT_BODY[kind], title


def held(row: MeetingRow) -> bool:
    return row.status == MeetingStatus.HELD
