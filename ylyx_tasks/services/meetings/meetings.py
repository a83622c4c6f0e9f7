"""Meetings (联席会议 / 专班会议): the office schedules one, then records its decisions (议定事项), each a supervised
matter (:mod:`.matters`). Only the office schedules and records (checked here, whatever the page shows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, update
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.meetings import GROUP_OF_KIND, MeetingKind, MeetingStatus, TaskSource, parse_kind, require_role
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.errors import InvalidInput, NotFound, StaleTask
from ylyx_tasks.models import Department, Meeting, Plan, Task
from ylyx_tasks.reads.meetings.meeting import DEFAULT_BODY
from ylyx_tasks.services import audit
from ylyx_tasks.services.meetings.matters import MatterInput, check_matter, create_matter, group_named, next_code

MAX_FIELD = 2000


def _lines(text: str | Sequence[str], what: str) -> list[str]:
    items = text.splitlines() if isinstance(text, str) else list(text)
    items = [i.strip() for i in items if i and i.strip()]
    if sum(len(i) for i in items) > MAX_FIELD:
        raise InvalidInput(f"{what}不能超过 {MAX_FIELD} 字")
    return items


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"没有编号为 {meeting_id} 的会议")
    return meeting


def schedule(session: Session, actor: Actor, *, plan_id: int, kind: MeetingKind | str, held_on: dt.date, title: str = "",
             venue: str = "", chair: str = "", agenda: str | Sequence[str] = "",
             units: str | Sequence[str] = "", people: str | Sequence[str] = "") -> Meeting:
    """安排会议. ``units``: participating units by name (each must be in the unit list); ``people``: 姓名（职务）."""
    require_role(actor, {Role.OFFICE}, "安排会议")
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"没有编号为 {plan_id} 的方案")
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    unit_names = _lines(units, "参会单位")
    known = set(session.exec(select(Department.name).where(Department.name.in_(unit_names))))
    unknown = [n for n in unit_names if n not in known]
    if unknown:
        raise InvalidInput(f"参会单位不在单位名录中：{'、'.join(unknown)}")
    title = (title or "").strip()
    if not title:
        count = session.exec(select(func.count()).select_from(Meeting).where(
            Meeting.plan_id == plan_id, Meeting.kind == kind.value)).one()
        title = f"{DEFAULT_BODY[kind]}第{count + 1}次会议"
    if len(title) > 100 or len(venue) > 100 or len(chair) > 64:
        raise InvalidInput("会议名称、地点不能超过 100 字，主持人不能超过 64 字")
    meeting = Meeting(plan_id=plan_id, kind=kind.value, title=title, held_on=held_on, venue=venue.strip(),
                      chair=chair.strip(), agenda="\n".join(_lines(agenda, "会议议程")),
                      participant_units="\n".join(unit_names), participant_people="\n".join(_lines(people, "参会人员")),
                      created_by=actor.user_id, created_at=clock.utcnow())
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "安排会议", "meeting", meeting.id,
                 after={"kind": kind.value, "title": title, "held_on": held_on, "units": unit_names})
    return meeting


def record_decisions(session: Session, actor: Actor, *, meeting_id: int, decisions: Sequence[MatterInput],
                     today: dt.date, summary: str = "", expected_version: int | None = None) -> list[Task]:
    """记录会议议定事项: every decision becomes a supervised matter (all or none: one wrong decision and nothing
    is written). The meeting is marked held and gets its 纪要 number. Recording again adds further decisions."""
    require_role(actor, {Role.OFFICE}, "记录会议议定事项")
    meeting = get_meeting(session, meeting_id)
    if expected_version is not None and meeting.version != expected_version:
        raise StaleTask(meeting.title)
    if not decisions:
        raise InvalidInput("请至少填写一项议定事项")
    if meeting.held_on > today:
        raise InvalidInput(f"会议定于 {meeting.held_on.isoformat()} 召开，尚未召开不能记录议定事项")
    plan = session.get(Plan, meeting.plan_id)
    for number, item in enumerate(decisions, start=1):
        try:
            check_matter(session, item, today, plan)
        except InvalidInput as exc:
            raise InvalidInput(f"第 {number} 项议定事项：{exc}") from None
    stmt = update(Meeting).where(Meeting.id == meeting.id, Meeting.version == meeting.version).values(
        version=Meeting.version + 1)
    if session.exec(stmt).rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise StaleTask(meeting.title)
    session.refresh(meeting)
    group = group_named(session, GROUP_OF_KIND[MeetingKind(meeting.kind)])
    made = []
    for item in decisions:
        code = next_code(session, plan.id, f"议{meeting.id}-")
        made.append(create_matter(session, actor, plan, item, source=TaskSource.DECISION, code=code,
                                  section=f"{meeting.title}议定事项"[:32], group=group, today=today,
                                  meeting_id=meeting.id))
    before = {"status": meeting.status, "issue_no": meeting.issue_no}
    if meeting.issue_no is None:
        last = session.exec(select(func.max(Meeting.issue_no)).where(Meeting.plan_id == plan.id,
                                                                     Meeting.kind == meeting.kind)).one()
        meeting.issue_no = (last or 0) + 1
    meeting.status = MeetingStatus.HELD.value
    if summary.strip():
        meeting.summary = "\n".join(_lines(summary, "会议纪要正文"))
    session.add(meeting)
    audit.record(session, actor, "记录会议议定事项", "meeting", meeting.id, before=before,
                 after={"status": meeting.status, "issue_no": meeting.issue_no, "decisions": [t.code for t in made]})
    return made
