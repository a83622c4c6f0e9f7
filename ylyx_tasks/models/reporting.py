"""What departments send in: progress reports, completion claims and extension requests, and their files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from ylyx_tasks.models.types import TZDateTime


class ProgressReport(SQLModel, table=True):
    """进展报送: a department's report on its share of a task for one period (``YYYY-MM``)."""

    __tablename__ = "progress_report"  # type: ignore[assignment]

    __table_args__ = (
        Index("ix_report_task_dept_period", "task_id", "department_id", "period"),
        Index("ix_report_dept_period", "department_id", "period"),
        Index("ix_report_demo", "is_demo"),  # "is there demo data?" asked on every page
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    department_id: int = Field(foreign_key="department.id")
    duty: str = Field(max_length=4)  # the department's duty on the task when it reported
    period: str = Field(max_length=7)  # YYYY-MM
    reported_on: dt.date
    percent: int
    text: str = Field(sa_type=Text)
    evidence: str = Field(default="", sa_type=Text)  # links or notes; files are Attachment rows
    is_demo: bool = False
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: dt.datetime = Field(sa_type=TZDateTime)


class ReviewRequest(SQLModel, table=True):
    """A request the office decides on: 办结 (completion claim, with evidence) or 延期 (extension, with a new date)."""

    __tablename__ = "review_request"  # type: ignore[assignment]

    __table_args__ = (Index("ix_request_milestone_status", "milestone_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=4)  # 办结 / 延期
    status: str = Field(default="待审核", max_length=4)  # 待审核 / 已通过 / 已退回
    task_id: int = Field(foreign_key="task.id", index=True)
    milestone_id: int = Field(foreign_key="milestone.id")
    department_id: int = Field(foreign_key="department.id")
    text: str = Field(sa_type=Text)  # evidence (办结) or reason (延期)
    links: str = Field(default="", sa_type=Text)
    new_due_date: dt.date | None = None  # 延期 only
    requested_by: int | None = Field(default=None, foreign_key="app_user.id")
    requested_at: dt.datetime = Field(sa_type=TZDateTime)
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    decision_note: str = Field(default="", sa_type=Text)


class Attachment(SQLModel, table=True):
    """An evidence file, kept in the database so that every app server sees it (PostgreSQL deployments)."""

    __table_args__ = (Index("ix_attachment_owner", "owner_kind", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(max_length=16)  # report / request / notice
    owner_id: int
    filename: str = Field(max_length=200)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: dt.datetime = Field(sa_type=TZDateTime)
