"""Requests a unit sends for the office to decide (审核 / 审批): a completion claim or an extension."""

from __future__ import annotations

from enum import StrEnum


class RequestKind(StrEnum):
    DONE = "办结"  # completion claim, with evidence (申报办结)
    EXTEND = "延期"  # extension, with a reason and a new date (申请延期)


class RequestStatus(StrEnum):
    PENDING = "待审核"
    APPROVED = "已通过"
    REJECTED = "已退回"
