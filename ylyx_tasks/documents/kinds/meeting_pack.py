"""会议材料: registered as its own kind; the layout lives with the minutes in meeting.py."""

from __future__ import annotations

from ylyx_tasks.documents.kinds.meeting import MeetingPack
from ylyx_tasks.documents.kinds.meeting import build_pack as build

CONTEXT = MeetingPack
__all__ = ["CONTEXT", "build"]
