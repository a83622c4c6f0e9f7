"""会商协调 and what comes of it: meetings, leaders' instructions (批示) and their events, 回头看, the lead unit's
monthly forecasts, and evidence files found identical to another matter's.

A meeting's decisions (议定事项) and a 批示's 交办 are rows of ``task`` (``Task.source``), so that reports, lights,
reminders, 督办, 通报 and digests treat them as the plan's own tasks.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ylyx_tasks.models.types import TZDateTime


class Meeting(SQLModel, table=True):
    """A joint-meeting (联席会议) or working-group (专班) meeting the office schedules, then records."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    kind: str = Field(max_length=8)  # MeetingKind value
    title: str = Field(max_length=100)  # 运城市养老托育工作联席会议第三次会议
    held_on: dt.date
    venue: str = Field(default="", max_length=100)
    chair: str = Field(default="", max_length=64)
    agenda: str = Field(default="", sa_type=Text)  # one item a line
    participant_units: str = Field(default="", sa_type=Text)  # unit names, one a line
    participant_people: str = Field(default="", sa_type=Text)  # 姓名（单位）, one a line
    summary: str = Field(default="", sa_type=Text)  # the minutes' paragraphs before the decisions
    status: str = Field(default="已安排", max_length=4)  # MeetingStatus value
    issue_no: int | None = None  # 纪要 第N期, given when the decisions are recorded
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: dt.datetime = Field(sa_type=TZDateTime)
    version: int = 1


class Instruction(SQLModel, table=True):
    """领导批示: never updated or deleted (the database refuses it); what becomes of it is its events."""

    __table_args__ = (Index("ix_instruction_target", "target_kind", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    leader_id: int = Field(foreign_key="app_user.id", index=True)
    leader_name: str = Field(max_length=64)
    target_kind: str = Field(max_length=8)  # TargetKind value
    target_id: int
    target_label: str = Field(max_length=200)  # what the leader was reading, as it was then
    task_id: int | None = Field(default=None, foreign_key="task.id")  # the task concerned (a notice's task too)
    text: str = Field(sa_type=Text)
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class InstructionStep(SQLModel, table=True):
    """One event of a 批示: 交办 / 阅知 / 答复 / 办结 / 再次批示 — append-only, like the 批示 itself."""

    __tablename__ = "instruction_event"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    instruction_id: int = Field(foreign_key="instruction.id", index=True)
    kind: str = Field(max_length=4)  # InstructionEvent value
    text: str = Field(default="", sa_type=Text)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor_name: str = Field(max_length=64)
    department_id: int | None = Field(default=None, foreign_key="department.id")  # 答复: the unit answering
    matter_id: int | None = Field(default=None, foreign_key="task.id")  # 交办: the supervised matter made
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class Recheck(SQLModel, table=True):
    """回头看 of a closed milestone: due some days after its completion; the lead unit confirms with evidence,
    the office passes it or reopens the matter."""

    __table_args__ = (UniqueConstraint("milestone_id", "completed_on"), Index("ix_recheck_status_due", "status", "due_on"))

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    milestone_id: int = Field(foreign_key="milestone.id")
    completed_on: dt.date  # the completion being re-checked (a reopened and re-closed milestone gets another)
    kind: str = Field(max_length=8)  # RecheckKind that selected it
    due_on: dt.date
    status: str = Field(default="待复核", max_length=8)  # RecheckStatus value
    result: str = Field(default="", sa_type=Text)  # the lead unit's confirmation
    evidence: str = Field(default="", sa_type=Text)  # links or notes; files are Attachment rows (owner recheck)
    confirmed_by: int | None = Field(default=None, foreign_key="app_user.id")
    confirmed_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    decision_note: str = Field(default="", sa_type=Text)
    reopened: bool = False
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class UnitForecast(SQLModel, table=True):
    """The lead unit's forecast for a task in one period, about the milestone then next due. Kept as made: a
    forecast that proved wrong stays visible."""

    __tablename__ = "forecast"  # type: ignore[assignment]
    __table_args__ = (UniqueConstraint("task_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    period: str = Field(max_length=7)  # YYYY-MM
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    milestone_due: dt.date | None = None  # the due date the forecast is about, as it was then
    forecast: str = Field(max_length=8)  # Forecast value
    light: str = Field(default="", max_length=4)  # the light when the forecast was made
    note: str = Field(default="", sa_type=Text)
    department_id: int = Field(foreign_key="department.id")
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class EvidenceMatch(SQLModel, table=True):
    """An evidence file of a completion claim identical (same SHA-256) to a file of a different matter —
    the usual form of 纸面销号 — flagged for the reviewer when the claim is made."""

    __tablename__ = "evidence_match"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="review_request.id", index=True)
    task_id: int = Field(foreign_key="task.id")
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    other_task_id: int = Field(foreign_key="task.id")
    other_filename: str = Field(max_length=200)
    created_at: dt.datetime = Field(sa_type=TZDateTime)
