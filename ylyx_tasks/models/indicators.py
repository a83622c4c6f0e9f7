"""The 主要指标 table (and section 二's further goals) and the yearly values entered against it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ylyx_tasks.models.types import TZDateTime


class Indicator(SQLModel, table=True):
    """An indicator with its baseline and target as written, their years, and their parsed numbers. Interim
    targets (a trajectory) and per-county targets are :class:`IndicatorTarget` rows."""

    __table_args__ = (UniqueConstraint("plan_id", "group", "no"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    group: str = Field(max_length=16)  # 养老服务指标 / 托育服务指标
    no: str = Field(max_length=8)
    position: int = 0
    name: str = Field(max_length=100)
    unit: str = Field(default="", max_length=8)
    baseline_year: int | None = None
    target_year: int | None = None
    baseline_text: str = Field(default="", max_length=16)
    target_text: str = Field(default="", max_length=16)
    baseline_value: float | None = None
    target_value: float | None = None
    comparator: str = Field(max_length=2)  # ≥ > = ≤
    nature: str = Field(default="", max_length=4)  # 预期性 / 约束性 / "" (not stated)
    source: str = Field(default="主要指标表", max_length=32)
    note: str = Field(default="", sa_type=Text)


class IndicatorTarget(SQLModel, table=True):
    """An interim target for a year (``unit_key`` "") or a county's own target (``unit_key`` "d12")."""

    __tablename__ = "indicator_target"  # type: ignore[assignment]
    __table_args__ = (UniqueConstraint("indicator_id", "year", "unit_key"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    year: int
    unit_key: str = Field(default="", max_length=16)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    value: float
    note: str = Field(default="", sa_type=Text)


class IndicatorValue(SQLModel, table=True):
    """The value of an indicator for one year, with where the figure comes from."""

    __tablename__ = "indicator_value"  # type: ignore[assignment]

    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    year: int
    value: float
    note: str = Field(default="", sa_type=Text)  # source of the figure (统计公报, 部门报表…)
    is_demo: bool = False
    entered_by: int | None = Field(default=None, foreign_key="app_user.id")
    entered_at: dt.datetime = Field(sa_type=TZDateTime)
