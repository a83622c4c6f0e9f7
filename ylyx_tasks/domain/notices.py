"""Notices (督办) and the rules that say when the scan makes one. Pure: facts and ``today`` in, decisions out.

Levels, mildest first:

- 提醒 to the lead department ``reminder_days`` (30 and 7) days before a milestone's working due date;
- 催报 when the lead department's report for the last due period is missing;
- 督办 when a milestone passes its working due date unfinished — a numbered 督办通知单 with an answer deadline in
  working days;
- 通报: a 督办 not answered by its deadline, or whose milestone is still unfinished ``escalate_after_days`` after
  it, is listed in the next periodic bulletin (通报（第N期）, :mod:`ylyx_tasks.domain.bulletins`). The 通报 level
  of a notice remains for the per-milestone 通报 made before the bulletin: history, never made again.

Every rule names its notice by a ``dedup_key``; the database's unique constraint on it makes the scan idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import InvalidInput


class NoticeLevel(StrEnum):
    REMINDER = "提醒"
    CHASE = "催报"
    SUPERVISE = "督办"
    CIRCULATE = "通报"


# The character of each level in the notice number: 运养托督〔2026〕12号.
NUMBER_MARK = {NoticeLevel.REMINDER: "提", NoticeLevel.CHASE: "催", NoticeLevel.SUPERVISE: "督",
               NoticeLevel.CIRCULATE: "通"}


class NoticeStatus(StrEnum):
    SENT = "已发出"  # 提醒: for information, nothing to answer
    AWAITING_REPORT = "待报送"  # 催报: closes itself when the report arrives
    AWAITING_ACK = "待签收"  # 督办 / 通报
    ACKNOWLEDGED = "已签收"
    ANSWERED = "已反馈"
    CLOSED = "已办结"


OPEN_STATUSES = (NoticeStatus.AWAITING_REPORT, NoticeStatus.AWAITING_ACK, NoticeStatus.ACKNOWLEDGED,
                 NoticeStatus.ANSWERED)
# What the addressed department still has to do something about.
AWAITING_DEPARTMENT = (NoticeStatus.AWAITING_REPORT, NoticeStatus.AWAITING_ACK, NoticeStatus.ACKNOWLEDGED)


def initial_status(level: NoticeLevel | str) -> NoticeStatus:
    level = NoticeLevel(level)
    if level == NoticeLevel.REMINDER:
        return NoticeStatus.SENT
    if level == NoticeLevel.CHASE:
        return NoticeStatus.AWAITING_REPORT
    return NoticeStatus.AWAITING_ACK


class NoticeAction(StrEnum):
    ACKNOWLEDGE = "签收"
    ANSWER = "反馈"
    CLOSE = "办结"
    RETURN = "退回重新反馈"  # the answer is not good enough: the department answers again
    REOPEN = "重新打开"  # a notice closed too early


class NoticeActionNotAllowed(InvalidInput):
    pass


_NOTICE_TRANSITIONS: dict[tuple[NoticeStatus, NoticeAction], NoticeStatus] = {
    (NoticeStatus.AWAITING_ACK, NoticeAction.ACKNOWLEDGE): NoticeStatus.ACKNOWLEDGED,
    # answering implies acknowledging: a department that answers at once has read the notice
    (NoticeStatus.AWAITING_ACK, NoticeAction.ANSWER): NoticeStatus.ANSWERED,
    (NoticeStatus.ACKNOWLEDGED, NoticeAction.ANSWER): NoticeStatus.ANSWERED,
    (NoticeStatus.ANSWERED, NoticeAction.ANSWER): NoticeStatus.ANSWERED,  # a corrected answer
    (NoticeStatus.AWAITING_ACK, NoticeAction.CLOSE): NoticeStatus.CLOSED,
    (NoticeStatus.ACKNOWLEDGED, NoticeAction.CLOSE): NoticeStatus.CLOSED,
    (NoticeStatus.ANSWERED, NoticeAction.CLOSE): NoticeStatus.CLOSED,
    (NoticeStatus.AWAITING_REPORT, NoticeAction.CLOSE): NoticeStatus.CLOSED,
    (NoticeStatus.ANSWERED, NoticeAction.RETURN): NoticeStatus.ACKNOWLEDGED,
    (NoticeStatus.CLOSED, NoticeAction.REOPEN): NoticeStatus.ACKNOWLEDGED,
}


def next_notice_status(level: NoticeLevel | str, current: NoticeStatus | str, action: NoticeAction) -> NoticeStatus:
    """The status after ``action``; 签收 and 反馈 apply to 督办 and 通报 only."""
    level, current = NoticeLevel(level), NoticeStatus(current)
    if action in (NoticeAction.ACKNOWLEDGE, NoticeAction.ANSWER, NoticeAction.RETURN, NoticeAction.REOPEN) and level not in (
        NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
        raise NoticeActionNotAllowed(f"{level}不需要{action}")
    try:
        return _NOTICE_TRANSITIONS[(current, action)]
    except KeyError:
        raise NoticeActionNotAllowed(f"状态为“{current}”的{level}不能{action}") from None


def may_answer(actor: Actor, addressee_id: int | None) -> bool:
    """签收 and 反馈 are for the addressed department, or the office on its behalf."""
    return actor.role == Role.OFFICE or (actor.role == Role.LIAISON and actor.department_id == addressee_id)


def _applies(level: NoticeLevel | str, status: NoticeStatus | str, action: NoticeAction) -> bool:
    try:
        next_notice_status(level, status, action)
    except NoticeActionNotAllowed:
        return False
    return True


def notice_actions(actor: Actor, *, level: NoticeLevel | str, status: NoticeStatus | str,
                   addressee_id: int | None) -> list[str]:
    """What ``actor`` may do with a notice now — the one rule the pages offer by and the services allow by:
    签收 / 反馈 (the addressed department, or the office on its behalf), 办结 / 退回重新反馈 (an answered notice) /
    重新打开 (a closed one) (the office). A 通报 is never made from a notice: matters are listed in the periodic
    bulletin. Leaders and working-group members only read."""
    out: list[str] = []
    if may_answer(actor, addressee_id):
        out += [a.value for a in (NoticeAction.ACKNOWLEDGE, NoticeAction.ANSWER) if _applies(level, status, a)]
    if actor.role == Role.OFFICE:
        out += [a.value for a in (NoticeAction.CLOSE, NoticeAction.RETURN, NoticeAction.REOPEN)
                if _applies(level, status, a)]
    return out


def notice_number(prefix: str, level: NoticeLevel | str, year: int, seq: int) -> str:
    """``运养托督〔2026〕12号``."""
    return f"{prefix}{NUMBER_MARK[NoticeLevel(level)]}〔{year}〕{seq}号"


@dataclass(frozen=True)
class EscalationRules:
    reminder_days: tuple[int, ...] = (30, 7)
    response_working_days: int = 5
    escalate_after_days: int = 30


def reminder_due(due: dt.date, status: Status | str, today: dt.date, reminder_days: tuple[int, ...]) -> int | None:
    """Which reminder (30, 7…) is due today for a milestone, or None.

    The windows are (7, 30] and [0, 7]: a scan that runs daily makes each reminder on its day; one that missed
    days still makes the reminder of the window it is in, never a stale one.
    """
    if Status(status) in (Status.DONE, Status.PENDING_REVIEW):
        return None
    days_left = (due - today).days
    if days_left < 0:
        return None
    lower = -1
    for d in sorted(reminder_days):
        if lower < days_left <= d:
            return d
        lower = d
    return None


def supervise_due(due: dt.date, status: Status | str, today: dt.date) -> bool:
    """督办 when the working due date has passed and the milestone is unfinished.

    A milestone whose completion claim awaits the office's review is not chased: the department has done its
    part; if the claim is sent back, the next scan issues the 督办.
    """
    return today > due and Status(status) not in (Status.DONE, Status.PENDING_REVIEW)


def chase_key(task_id: int, period: str) -> str:
    return f"催报:t{task_id}:{period}"


REMINDER_PREFIX = "提醒"  # the scan's SQL forms the keys from it too


def reminder_key(days: int, milestone_id: int, due: dt.date) -> str:
    return f"{REMINDER_PREFIX}{days}:m{milestone_id}:{due.isoformat()}"


def supervise_key(milestone_id: int, due: dt.date) -> str:
    return f"督办:m{milestone_id}:{due.isoformat()}"
