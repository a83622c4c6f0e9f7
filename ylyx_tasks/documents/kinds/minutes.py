"""会议纪要: registered as its own kind; the layout lives with the meeting pack in meeting.py."""

from __future__ import annotations

from ylyx_tasks.documents.kinds.meeting import MeetingMinutes
from ylyx_tasks.documents.kinds.meeting import build_minutes as build

CONTEXT = MeetingMinutes
__all__ = ["CONTEXT", "build"]
