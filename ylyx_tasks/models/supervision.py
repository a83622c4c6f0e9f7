"""Notices (督办 and its siblings), mail deliveries, contacts, counters and the scheduler's run log."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ylyx_tasks.domain.notices import OPEN_STATUSES, NoticeLevel
from ylyx_tasks.models.types import TZDateTime, partial, sql_in

OPEN_SQL = sql_in("status", [s.value for s in OPEN_STATUSES])


class Notice(SQLModel, table=True):
    """A notice made by the scan (or by the office): 提醒, 催报, 督办 or 通报.

    ``dedup_key`` says which rule made it for which object (``督办:m12:2025-12-31``); its unique constraint is what
    makes the scan idempotent, however often and however concurrently it runs.
    """

    __table_args__ = (
        # open notices by level, task and milestone: the cockpit counts them and the scan settles them from the
        # index alone
        Index("ix_notice_status_level_task", "status", "level", "task_id", "milestone_id"),
        Index("ix_notice_dept_status", "department_id", "status"),
        # "is there a 督办 for this milestone and due date?" (the scan asks it of every overdue milestone), and
        # "which of this milestone's notices are open?" (the scan settles those of done milestones): index only
        Index("ix_notice_milestone_level_due", "milestone_id", "level", "milestone_due", "status"),
        # "has this task been chased for this period?" (the scan asks it of every task late with its report)
        Index("ix_notice_task_level_period", "task_id", "level", "period"),
        # "how many 通报 has this 督办 had?" (the office escalating by hand numbers its 通报 by it)
        Index("ix_notice_parent_level", "parent_id", "level"),
        # the newest notices in a status (the office's to-do list: the answered ones), read in order
        Index("ix_notice_status_created", "status", "created_on", "id"),
        # the open notices by milestone (a small part of all): "which open notices have a done milestone?"
        Index("ix_notice_open_milestone", "milestone_id", "id", **partial(OPEN_SQL)),
        # the 督办 by milestone and due date: "which overdue milestones have no 督办 for their due date yet?"
        Index("ix_notice_supervise_milestone_due", "milestone_id", "milestone_due",
              **partial(f"level = '{NoticeLevel.SUPERVISE.value}'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    dedup_key: str = Field(max_length=80, unique=True)
    level: str = Field(max_length=4)  # NoticeLevel value
    number: str | None = Field(default=None, max_length=40, unique=True)  # 运养托督〔2026〕12号
    task_id: int = Field(foreign_key="task.id")  # indexed first in ix_notice_task_level_period
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    department_id: int = Field(foreign_key="department.id")  # addressee: the lead department
    parent_id: int | None = Field(default=None, foreign_key="notice.id")  # 通报 → its 督办
    period: str | None = Field(default=None, max_length=7)  # 催报: the missing report's period
    milestone_due: dt.date | None = None  # the working due date the notice is about
    reason: str = Field(default="", sa_type=Text)
    created_on: dt.date = Field(index=True)
    created_at: dt.datetime = Field(sa_type=TZDateTime)
    response_due: dt.date | None = None
    # the answer deadline was counted through a year whose official holiday calendar is not known (Mon–Fri)
    calendar_fallback: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    status: str = Field(max_length=4)  # NoticeStatus value
    acknowledged_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    acknowledged_by: int | None = Field(default=None, foreign_key="app_user.id")
    answered_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    answered_by: int | None = Field(default=None, foreign_key="app_user.id")
    answer_situation: str = Field(default="", sa_type=Text)
    answer_reason: str = Field(default="", sa_type=Text)
    answer_new_date: dt.date | None = None
    closed_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    closed_by: int | None = Field(default=None, foreign_key="app_user.id")
    close_note: str = Field(default="", sa_type=Text)
    version: int = 1


class Delivery(SQLModel, table=True):
    """One mail to one recipient, recorded before it is sent. The sender claims it with a conditional UPDATE."""

    __table_args__ = (
        UniqueConstraint("dedup_key", "recipient_email"),
        Index("ix_delivery_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dedup_key: str = Field(max_length=80)  # notice:12, digest:2026-11-23:leader, test:…
    kind: str = Field(max_length=8)  # notice / digest / test
    notice_id: int | None = Field(default=None, foreign_key="notice.id", index=True)
    recipient_email: str = Field(max_length=254)
    recipient_name: str = Field(default="", max_length=64)
    subject: str = Field(max_length=200)
    body_text: str = Field(sa_type=Text)
    body_html: str = Field(sa_type=Text)
    # pending → sending (claimed) → sent; a failed attempt goes back to pending with a later next_attempt_at
    status: str = Field(default="pending", max_length=8)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(sa_type=TZDateTime)
    claimed_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    claim_token: str | None = Field(default=None, max_length=36)
    last_error: str = Field(default="", sa_type=Text)
    message_id: str = Field(default="", max_length=200)
    sent_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class Contact(SQLModel, table=True):
    """A mail recipient for a unit: a department or county, a working group, or the leading group (领导小组)."""

    __table_args__ = (UniqueConstraint("unit_key", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_key: str = Field(max_length=24, index=True)  # department:12 / group:3 / leadership
    department_id: int | None = Field(default=None, foreign_key="department.id")
    working_group_id: int | None = Field(default=None, foreign_key="working_group.id")
    name: str = Field(default="", max_length=64)
    email: str = Field(max_length=254)
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class Holiday(SQLModel, table=True):
    """A day of the official holiday calendar as the office entered it from the 国务院办公厅 notice: a holiday
    (放假) or a make-up working day (调休上班). Takes precedence over the calendar package."""

    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(unique=True)
    workday: bool
    note: str = Field(default="", max_length=100)
    entered_by: int | None = Field(default=None, foreign_key="app_user.id")
    entered_at: dt.datetime = Field(sa_type=TZDateTime)


class CalendarYear(SQLModel, table=True):
    """A year whose holiday notice the office has entered in full (its deadlines are no longer on the fallback)."""

    __tablename__ = "calendar_year"  # type: ignore[assignment]

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    source: str = Field(default="", max_length=100)  # 国办发明电〔2026〕x号
    entered_by: int | None = Field(default=None, foreign_key="app_user.id")
    entered_at: dt.datetime = Field(sa_type=TZDateTime)


class Counter(SQLModel, table=True):
    """Numbered sequences (督办通知单 numbers per prefix, level and year). Incremented with a single UPDATE …
    RETURNING."""

    name: str = Field(primary_key=True, max_length=32)
    value: int = 0


class JobRun(SQLModel, table=True):
    """A run of a scheduled job (scan, deliver, digest), so the office can see when it last ran and what it did."""

    __tablename__ = "job_run"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=32, index=True)
    started_at: dt.datetime = Field(sa_type=TZDateTime)
    finished_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    ok: bool | None = None
    summary: str = Field(default="", sa_type=Text)
