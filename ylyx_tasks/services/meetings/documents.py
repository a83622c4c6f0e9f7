"""The meeting's Word documents in the national format: 会议材料 (before) and 会议纪要 (after, from what was
recorded). The office's own template in the data folder (会议材料.docx / 会议纪要.docx) takes precedence."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.documents import render_document
from ylyx_tasks.domain.meetings import MeetingStatus
from ylyx_tasks.domain.roles import Actor
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.reads.meetings import meeting as meeting_reads
from ylyx_tasks.models import Plan
from ylyx_tasks.reads.plans import info, rules_for
from ylyx_tasks.services.meetings.meetings import get_meeting


def pack_docx(session: Session, actor: Actor, *, meeting_id: int, today: dt.date) -> bytes:
    """会议材料 .docx of the meeting, as things stand on ``today``."""
    plan = info(session.get(Plan, get_meeting(session, meeting_id).plan_id))
    context = meeting_reads.pack(session, actor, meeting_id, plan, today, rules_for(plan))
    return render_document(context, created=clock.now(), override_dir=get_settings().data_dir)


def minutes_docx(session: Session, *, meeting_id: int, today: dt.date) -> bytes:
    """会议纪要 .docx: only once the decisions are recorded."""
    meeting = get_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.HELD:
        raise WorkflowError("会议议定事项尚未记录，不能生成会议纪要")
    plan = info(session.get(Plan, meeting.plan_id))
    context = meeting_reads.minutes(session, meeting_id, plan, today, rules_for(plan))
    return render_document(context, created=clock.now(), override_dir=get_settings().data_dir)
