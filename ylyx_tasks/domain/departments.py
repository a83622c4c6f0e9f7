"""Kinds of responsible units, and how the plan's parenthesis assigns territorial responsibility."""

from __future__ import annotations

from enum import StrEnum


class DepartmentKind(StrEnum):
    CITY = "市直部门"
    COUNTY = "县级政府"
    OTHER = "其他单位"


LEADERSHIP = "领导小组"
