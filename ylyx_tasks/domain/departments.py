"""Kinds of responsible units, and which of them carry territorial responsibility (属地责任).

A plan names its units by kind: a city plan has 市直部门 and 县级政府 (counties, and a development zone's
管委会), a district plan 区直部门 and 街道/乡镇. The territorial kinds are the units a clause's "各县（市、区）人民政府
…负责" or "各街道…负责" addresses; the plan says which of its units they are.
"""

from __future__ import annotations

from enum import StrEnum


class DepartmentKind(StrEnum):
    CITY = "市直部门"
    COUNTY = "县级政府"
    DISTRICT = "区直部门"
    TOWN = "街道/乡镇"
    OTHER = "其他单位"


TERRITORIAL_KINDS = (DepartmentKind.COUNTY, DepartmentKind.TOWN)
LEADERSHIP = "领导小组"

KIND_ALIASES = {"市直": DepartmentKind.CITY, "县级": DepartmentKind.COUNTY, "县区": DepartmentKind.COUNTY,
                "区直": DepartmentKind.DISTRICT, "街道": DepartmentKind.TOWN, "乡镇": DepartmentKind.TOWN,
                "其他": DepartmentKind.OTHER}


def is_territorial(kind: str) -> bool:
    """Whether a unit of this kind answers for a territory (a county, a 街道 or 乡镇)."""
    return kind in TERRITORIAL_KINDS


def parse_kind(text: str) -> DepartmentKind:
    """A unit kind from its name (市直部门) or a short form (市直, 区直, 街道…); ValueError otherwise."""
    text = text.strip()
    if text in KIND_ALIASES:
        return KIND_ALIASES[text]
    return DepartmentKind(text)
