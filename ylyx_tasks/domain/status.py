"""Status values of milestones and tasks, and the transitions between them — defined once, here.

A milestone moves 未启动 → 推进中 → 待审核 → 已完成; the office (or the task's working group) accepts a completion
claim (办结销号) or sends it back to 推进中 with a reason. A task's status follows from its milestones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from ylyx_tasks.errors import InvalidInput


class Status(StrEnum):
    NOT_STARTED = "未启动"
    IN_PROGRESS = "推进中"
    PENDING_REVIEW = "待审核"
    DONE = "已完成"


# Still to be worked on: what reminders and 督办 are about (a claim awaiting review is the office's turn).
UNFINISHED = (Status.NOT_STARTED, Status.IN_PROGRESS)


class Action(StrEnum):
    """What someone does to a milestone. The values are the words shown in the history."""

    REPORT = "报送进展"  # a progress report starts a milestone that had not started
    CLAIM_DONE = "申报办结"
    ACCEPT = "审核通过"
    REJECT = "退回重办"
    REOPEN = "撤销办结"


class TransitionNotAllowed(InvalidInput):
    """The action does not apply to a milestone in this status."""

    def __init__(self, current: Status, action: Action) -> None:
        super().__init__(f"状态为“{current}”的节点不能执行“{action}”")
        self.current = current
        self.action = action


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.NOT_STARTED, Action.REPORT): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.REPORT): Status.IN_PROGRESS,
    # a report while a claim is under review keeps the claim: the office decides on the evidence it was given
    (Status.PENDING_REVIEW, Action.REPORT): Status.PENDING_REVIEW,
    (Status.NOT_STARTED, Action.CLAIM_DONE): Status.PENDING_REVIEW,
    (Status.IN_PROGRESS, Action.CLAIM_DONE): Status.PENDING_REVIEW,
    (Status.PENDING_REVIEW, Action.ACCEPT): Status.DONE,
    (Status.PENDING_REVIEW, Action.REJECT): Status.IN_PROGRESS,
    (Status.DONE, Action.REOPEN): Status.IN_PROGRESS,
}


def next_status(current: Status | str, action: Action) -> Status:
    """The status after ``action``; raises :class:`TransitionNotAllowed` when the action does not apply."""
    current = Status(current)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionNotAllowed(current, action) from None


def allowed_actions(current: Status | str) -> list[Action]:
    """The actions that apply to a milestone in ``current`` status, in workflow order."""
    current = Status(current)
    return [action for (status, action) in TRANSITIONS if status == current]


def extension_refusal(status: Status | str, due_date: dt.date, today: dt.date, *, pending: bool) -> str | None:
    """Why an extension (延期) of a milestone cannot be applied for now, or None when it can: it must be asked for
    before the working due date (an overrun without one is assessed against that date), for an unfinished
    milestone, one request at a time. The task page offers the form by this rule; the service refuses by it."""
    if Status(status) == Status.DONE:
        return "节点已完成，无需延期"
    if today > due_date:
        return f"延期须在期限（{due_date:%Y年%m月%d日}）之前申请；已逾期的节点按原期限考核"
    if pending:
        return "该节点已有待审批的延期申请"
    return None


def task_status(milestone_statuses: Iterable[Status | str]) -> Status:
    """A task's status from its milestones' statuses.

    已完成 when every milestone is; 未启动 when none has started; 待审核 when every unfinished milestone awaits review;
    otherwise 推进中. A task without milestones has not started.
    """
    statuses = [Status(s) for s in milestone_statuses]
    if not statuses or all(s == Status.NOT_STARTED for s in statuses):
        return Status.NOT_STARTED
    if all(s == Status.DONE for s in statuses):
        return Status.DONE
    if all(s in (Status.DONE, Status.PENDING_REVIEW) for s in statuses):
        return Status.PENDING_REVIEW
    return Status.IN_PROGRESS
