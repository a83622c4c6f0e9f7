"""The plan as data: plan, departments, working groups, tasks, responsibilities and milestones."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ylyx_tasks.domain.status import UNFINISHED, Status
from ylyx_tasks.models.types import TZDateTime, partial, sql_in

UNFINISHED_SQL = sql_in("status", [s.value for s in UNFINISHED])
# columns added to tables that had rows (migration 0008) carry their default in the database as well
_EMPTY = {"server_default": ""}


class Plan(SQLModel, table=True):
    """A plan document (e.g. 运政办发〔2022〕29号) whose clauses are tracked; several may be supervised at once.

    ``code`` is what the office types (``--plan CODE``); ``doc_number`` the document's 文号. The plan's own
    wording — the office that issues its notices, their prefix, the phrase naming its territorial units —
    comes from here; empty means the configured default (``YLYX_ISSUING_OFFICE``, ``YLYX_NOTICE_PREFIX``).
    """

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    title: str = Field(max_length=200)
    short_name: str = Field(default="", max_length=32, sa_column_kwargs=_EMPTY)  # the chooser's name: 十四五养老托育
    doc_number: str = Field(default="", max_length=64, sa_column_kwargs=_EMPTY)  # 文号
    issuer: str = Field(default="", max_length=100)
    issued_on: dt.date
    period_start: dt.date
    period_end: dt.date
    issuing_office: str = Field(default="", max_length=100, sa_column_kwargs=_EMPTY)
    notice_prefix: str = Field(default="", max_length=16, sa_column_kwargs=_EMPTY)
    # 各县（市、区）人民政府、运城开发区管委会: how the plan names its territorial units as one
    territorial_phrase: str = Field(default="", max_length=100, sa_column_kwargs=_EMPTY)
    status: str = Field(default="在实施", max_length=8, sa_column_kwargs={"server_default": "在实施"})  # PlanStatus
    closed_on: dt.date | None = None  # when the office marked it 终期评估


class PlanUnit(SQLModel, table=True):
    """A unit a plan uses (units are shared across plans where they are the same body)."""

    __tablename__ = "plan_unit"  # type: ignore[assignment]
    __table_args__ = (UniqueConstraint("plan_id", "department_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    position: int = 0


class PlanGroup(SQLModel, table=True):
    """A working group a plan uses (the joint meeting's 专班 are shared across plans)."""

    __tablename__ = "plan_group"  # type: ignore[assignment]
    __table_args__ = (UniqueConstraint("plan_id", "working_group_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    working_group_id: int = Field(foreign_key="working_group.id")
    position: int = 0


class Department(SQLModel, table=True):
    """A responsible unit: 市直部门, 县级政府 (the 13 counties and 运城开发区), 区直部门, 街道/乡镇 or 其他单位
    (e.g. 人行运城市中心支行, or a collective unit such as 各街道)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    short_name: str = Field(default="", max_length=32)
    kind: str = Field(max_length=8)  # DepartmentKind value
    active: bool = True


class WorkingGroup(SQLModel, table=True):
    """One of the joint meeting's three working groups (工作专班): 养老专班, 托育专班, 综合专班."""

    __tablename__ = "working_group"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=32, unique=True)
    description: str = Field(default="", max_length=200)


class Task(SQLModel, table=True):
    """A clause of the plan tracked as a task. ``version`` guards against concurrent edits (optimistic locking)."""

    # ix_task_plan_position: the plan's tasks in document order without sorting (a page of a list stops early),
    # with their group and status (the groups in order of their first task, from the index alone)
    __table_args__ = (UniqueConstraint("plan_id", "code"), Index("ix_task_group_status", "working_group_id", "status"),
                      Index("ix_task_plan_position", "plan_id", "position", "code", "working_group_id", "status"),
                      # "which tasks are late with their report?" and "has this 催报's report arrived?" (the scan)
                      Index("ix_task_report", "plan_id", "last_report_period", "status", "id"),
                      # "which is each working group's first task?" (the task list's group choices): one seek each
                      Index("ix_task_plan_group_position", "plan_id", "working_group_id", "position"))

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    code: str = Field(max_length=16)
    position: int = 0  # document order
    section: str = Field(max_length=32)  # the plan's section heading: 主要任务 / 要素支撑 / 重点任务…
    title: str = Field(max_length=100)
    clause_text: str = Field(sa_type=Text)
    working_group_id: int = Field(foreign_key="working_group.id")
    county_responsible: bool = False
    status: str = Field(default="未启动", max_length=8, index=True)
    progress: int = 0  # latest percent reported by the lead department
    last_report_period: str | None = Field(default=None, max_length=7)  # lead department's latest period
    last_report_on: dt.date | None = None  # date of the lead department's latest report
    version: int = 1
    carried_from_id: int | None = Field(default=None, foreign_key="task.id")  # 结转: the task of an earlier plan
    # where the matter comes from (TaskSource): a clause of the plan, a meeting's decision or a leader's 批示 (交办)
    source: str = Field(default="方案条款", max_length=4, sa_column_kwargs={"server_default": "方案条款"})
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)  # 会议议定: its meeting
    # 领导批示: the 批示 (no foreign key: instruction.task_id refers to task, and a cycle of references cannot be
    # ordered for creation or deletion; the 批示's 交办 event refers to this task in its turn)
    instruction_id: int | None = None
    related_task_id: int | None = Field(default=None, foreign_key="task.id")  # the task a decision or 交办 concerns
    created_at: dt.datetime = Field(sa_type=TZDateTime)
    updated_at: dt.datetime = Field(sa_type=TZDateTime)


class Responsibility(SQLModel, table=True):
    """Task × department × duty (牵头 / 配合 / 属地). ``position`` keeps the document's order of units."""

    # ix_resp_task_duty_position: a task's lead unit (the first 牵头 in the document's order) from the index alone
    __table_args__ = (UniqueConstraint("task_id", "department_id"), Index("ix_resp_dept_duty", "department_id", "duty"),
                      Index("ix_resp_task_duty_position", "task_id", "duty", "position", "department_id"))

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    department_id: int = Field(foreign_key="department.id")
    duty: str = Field(max_length=4)  # Duty value
    position: int = 0


class Milestone(SQLModel, table=True):
    """A dated commitment of a task. ``original_due`` never changes; ``due_date`` moves with approved extensions."""

    # ix_milestone_due / ix_milestone_original_due: "is any milestone due in year Y?" (the due-year filter)
    # ix_milestone_unfinished / ix_milestone_done: the scan's two sides of the milestones, each from the index alone
    __table_args__ = (UniqueConstraint("task_id", "key"), Index("ix_milestone_status_due", "status", "due_date"),
                      Index("ix_milestone_due", "due_date"), Index("ix_milestone_original_due", "original_due"),
                      Index("ix_milestone_unfinished", "id", "due_date", "task_id", **partial(UNFINISHED_SQL)),
                      Index("ix_milestone_done", "id", **partial(f"status = '{Status.DONE.value}'")))

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    key: str = Field(max_length=16)  # domain.plans.milestone_key: "2022", "2027-06-30": stable across reloads
    # the clause's own words; empty = the clause as a whole, due at the end of the plan
    commitment: str = Field(default="", sa_type=Text)
    start_date: dt.date  # start of the period the 序时进度 is measured over
    original_due: dt.date
    due_date: dt.date
    status: str = Field(default="未启动", max_length=8)
    completed_on: dt.date | None = None
    created_at: dt.datetime = Field(sa_type=TZDateTime)
    updated_at: dt.datetime = Field(sa_type=TZDateTime)
