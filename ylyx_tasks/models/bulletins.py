"""通报（第N期）: one bulletin per plan and period, and the matters it lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ylyx_tasks.models.types import TZDateTime


class Bulletin(SQLModel, table=True):
    """A periodic bulletin of one plan. The unique (plan, period) is what makes drafting idempotent, however often
    and however concurrently the scan runs. ``issue_no`` (第N期, per plan and year) and ``number`` (文号) are given
    when the office issues it. ``legacy``: made by migration 0010 from the per-milestone 通报 of that month."""

    __table_args__ = (UniqueConstraint("plan_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")  # first in the unique constraint's index
    period: str = Field(max_length=7)  # the period's first month: 2026-11
    months: int = 1  # the period's length when it was drafted
    status: str = Field(max_length=4)  # BulletinStatus value
    issue_no: int | None = None
    number: str | None = Field(default=None, max_length=40, unique=True)
    as_of: dt.date  # the period's last day: what the matters are judged as of
    drafted_on: dt.date
    issued_on: dt.date | None = None
    issued_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    issued_by: int | None = Field(default=None, foreign_key="app_user.id")
    rectify_by: dt.date | None = None  # 限期整改
    legacy: bool = False
    version: int = 1


class BulletinMatter(SQLModel, table=True):
    """A matter listed in a bulletin: a milestone's due date, behind schedule, with its 督办 and lead unit. At most
    once per issue (the unique constraint)."""

    __tablename__ = "bulletin_matter"  # type: ignore[assignment]
    __table_args__ = (
        UniqueConstraint("bulletin_id", "milestone_id", "milestone_due"),
        # "how often has this unit been listed?" (the scorecards count issued listings per unit)
        Index("ix_bulletin_matter_department_id", "department_id", "bulletin_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bulletin_id: int = Field(foreign_key="bulletin.id")
    notice_id: int | None = Field(default=None, foreign_key="notice.id")  # the 督办 behind it
    task_id: int = Field(foreign_key="task.id")
    milestone_id: int = Field(foreign_key="milestone.id")
    milestone_due: dt.date
    department_id: int = Field(foreign_key="department.id")
    reason: str = Field(default="", sa_type=Text)
    added_by_office: bool = False
