"""会商协调, 领导批示, 回头看 and forecasts: their words, states and rules. Pure: no database, no clock.

- A task of the plan has a **source**: a clause of the plan (方案条款), a meeting's decision (会议议定) or a
  leader's instruction turned into a 交办 (领导批示). Decisions and 交办 are supervised exactly as clauses are.
- A **批示** is never edited: what becomes of it is a sequence of events (交办 / 阅知 / 答复 / 办结 / 再次批示),
  and its state is read from them.
- **回头看**: a matter closed (办结销号) is checked again some days later; the lead unit confirms, the office
  accepts or reopens.
- **Forecasts**: the lead unit's own view each month beside the light; disagreements and wrong forecasts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum

from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.roles import Actor, PermissionDenied, Role
from ylyx_tasks.errors import InvalidInput


class TaskSource(StrEnum):
    """Where a supervised matter comes from."""

    CLAUSE = "方案条款"
    DECISION = "会议议定"
    INSTRUCTION = "领导批示"


class MeetingKind(StrEnum):
    JOINT = "联席会议"
    ELDERLY = "养老专班会议"
    CHILDCARE = "托育专班会议"
    GENERAL = "综合专班会议"


# the working group a meeting's decisions are supervised in (the joint meeting's by the 综合专班)
GROUP_OF_KIND = {MeetingKind.JOINT: "综合专班", MeetingKind.ELDERLY: "养老专班", MeetingKind.CHILDCARE: "托育专班",
                 MeetingKind.GENERAL: "综合专班"}


class MeetingStatus(StrEnum):
    SCHEDULED = "已安排"
    HELD = "已召开"  # decisions recorded


def parse_kind(text: str) -> MeetingKind:
    text = (text or "").strip()
    for kind in MeetingKind:
        if text in (kind.value, kind.value.removesuffix("会议"), kind.name.lower()):
            return kind
    raise InvalidInput(f"未知会议类型“{text}”；可选：{'、'.join(k.value for k in MeetingKind)}")


class TargetKind(StrEnum):
    """What a 批示 is written on (a decision is a task whose source is 会议议定)."""

    TASK = "任务"
    NOTICE = "督办通知"
    INDICATOR = "指标"


def parse_target(text: str) -> TargetKind:
    aliases = {"task": TargetKind.TASK, "notice": TargetKind.NOTICE, "indicator": TargetKind.INDICATOR,
               "决定": TargetKind.TASK, "议定事项": TargetKind.TASK, "通知": TargetKind.NOTICE}
    text = (text or "").strip()
    if text in aliases:
        return aliases[text]
    try:
        return TargetKind(text)
    except ValueError:
        raise InvalidInput(f"批示对象类型“{text}”不对；可选：任务、督办通知、指标") from None


class InstructionEvent(StrEnum):
    ASSIGN = "交办"  # the office: units and a deadline (a supervised matter is made)
    NOTE = "阅知"  # the office: recorded as read, nothing to assign
    ANSWER = "答复"  # a responsible unit's liaison (or the office on its behalf)
    SETTLE = "办结"  # the leader: settled
    AGAIN = "再次批示"  # the leader: asks again


class InstructionState(StrEnum):
    NEW = "待办理"
    ASSIGNED = "已交办"
    NOTED = "已阅知"
    ANSWERED = "已答复"
    SETTLED = "已办结"
    AGAIN = "再次批示"


_STATE_AFTER = {InstructionEvent.ASSIGN: InstructionState.ASSIGNED, InstructionEvent.NOTE: InstructionState.NOTED,
                InstructionEvent.ANSWER: InstructionState.ANSWERED, InstructionEvent.SETTLE: InstructionState.SETTLED,
                InstructionEvent.AGAIN: InstructionState.AGAIN}

# which event may follow which state (a settled 批示 is final: a new concern is a new 批示)
_ALLOWED: dict[InstructionState, frozenset[InstructionEvent]] = {
    InstructionState.NEW: frozenset({InstructionEvent.ASSIGN, InstructionEvent.NOTE, InstructionEvent.SETTLE}),
    InstructionState.AGAIN: frozenset({InstructionEvent.ASSIGN, InstructionEvent.NOTE, InstructionEvent.ANSWER,
                                       InstructionEvent.SETTLE}),
    InstructionState.ASSIGNED: frozenset({InstructionEvent.ANSWER, InstructionEvent.SETTLE, InstructionEvent.AGAIN}),
    InstructionState.NOTED: frozenset({InstructionEvent.SETTLE, InstructionEvent.AGAIN, InstructionEvent.ASSIGN}),
    InstructionState.ANSWERED: frozenset({InstructionEvent.ANSWER, InstructionEvent.SETTLE, InstructionEvent.AGAIN}),
    InstructionState.SETTLED: frozenset(),
}


def instruction_state(events: Iterable[InstructionEvent | str]) -> InstructionState:
    """The state of a 批示 after ``events`` (in order)."""
    state = InstructionState.NEW
    for event in events:
        state = _STATE_AFTER[InstructionEvent(event)]
    return state


def check_event(state: InstructionState | str, event: InstructionEvent) -> None:
    """Raise InvalidInput when ``event`` cannot follow ``state``."""
    if event not in _ALLOWED[InstructionState(state)]:
        raise InvalidInput(f"状态为“{state}”的批示不能“{event.value}”")


# who may write which event: the office handles, the leader (its author) settles or asks again, units answer
EVENT_ROLES = {InstructionEvent.ASSIGN: {Role.OFFICE}, InstructionEvent.NOTE: {Role.OFFICE},
               InstructionEvent.ANSWER: {Role.LIAISON, Role.OFFICE},
               InstructionEvent.SETTLE: {Role.LEADER}, InstructionEvent.AGAIN: {Role.LEADER}}


def require_role(actor: Actor, roles: Iterable[Role], what: str) -> None:
    """Raise PermissionDenied unless ``actor`` has one of ``roles``. (The command line's operator acts as the office:
    it may do what the office does, and no more — a 批示 needs a leader's own account.)"""
    if actor.role in set(roles):
        return
    raise PermissionDenied(f"“{actor.role}”账号 {actor.username} 无权{what}")


# --- 回头看 ---------------------------------------------------------------------------------------------------


class RecheckKind(StrEnum):
    """Which closed matters the office re-checks."""

    LATE = "逾期办结"  # completed after the original due date
    SUPERVISED = "督办后办结"  # had a 督办 before it was completed
    DECISION = "会议议定"
    INSTRUCTION = "领导批示"
    SAMPLE = "抽查"  # one completion in every N, in the order they were completed
    ALL = "全部办结"


class RecheckStatus(StrEnum):
    DUE = "待复核"
    CONFIRMED = "已确认"  # the lead unit says the result stands, with evidence
    PASSED = "已通过"  # the office agrees
    REOPENED = "已重新打开"


DEFAULT_RECHECK_DAYS = 90


def parse_recheck_kinds(texts: Sequence[str]) -> list[RecheckKind]:
    out = []
    for text in texts:
        try:
            out.append(RecheckKind(text.strip()))
        except ValueError:
            raise InvalidInput(f"未知回头看范围“{text}”；可选：{'、'.join(k.value for k in RecheckKind)}") from None
    if not out:
        raise InvalidInput("请至少选择一类回头看事项")
    return out


def recheck_selected(kinds: Iterable[RecheckKind], *, completed_on: dt.date, original_due: dt.date,
                     supervised: bool, source: TaskSource | str, sampled: bool = False) -> bool:
    """Whether a completed milestone falls in one of the office's chosen ``kinds`` (``sampled``: it is one of the
    sample, see :func:`in_sample`)."""
    for kind in kinds:
        if kind == RecheckKind.SAMPLE and sampled:
            return True
        if kind == RecheckKind.ALL:
            return True
        if kind == RecheckKind.LATE and completed_on > original_due:
            return True
        if kind == RecheckKind.SUPERVISED and supervised:
            return True
        if kind == RecheckKind.DECISION and source == TaskSource.DECISION:
            return True
        if kind == RecheckKind.INSTRUCTION and source == TaskSource.INSTRUCTION:
            return True
    return False


def in_sample(position: int, every: int) -> bool:
    """Whether the completion at ``position`` (0-based, in the order of completion) is in a 1-in-``every`` sample:
    the first, then every ``every``-th — the same choice however often the office asks."""
    if every < 1:
        raise InvalidInput("抽查比例须为正整数（每 N 项抽 1 项）")
    return position % every == 0


def recheck_due(completed_on: dt.date, days: int) -> dt.date:
    if days < 1:
        raise InvalidInput("回头看间隔天数须为正整数")
    return completed_on + dt.timedelta(days=days)


# --- forecasts --------------------------------------------------------------------------------------------


class Forecast(StrEnum):
    ON_TIME = "能按期完成"
    AT_RISK = "有风险"
    WILL_MISS = "不能按期完成"


def parse_forecast(text: str) -> Forecast:
    aliases = {"on-time": Forecast.ON_TIME, "risk": Forecast.AT_RISK, "miss": Forecast.WILL_MISS,
               "能按期": Forecast.ON_TIME, "不能按期": Forecast.WILL_MISS}
    text = (text or "").strip()
    if text in aliases:
        return aliases[text]
    try:
        return Forecast(text)
    except ValueError:
        raise InvalidInput(f"预判只能是：{'、'.join(f.value for f in Forecast)}") from None


def disagrees(forecast: Forecast | str, light: Light | str) -> bool:
    """Whether the unit's forecast and the measured light tell different stories: a red light with "能按期完成",
    or a green light with "不能按期完成" (有风险 fits any light)."""
    forecast = Forecast(forecast)
    if light == Light.RED:
        return forecast == Forecast.ON_TIME
    if light == Light.GREEN:
        return forecast == Forecast.WILL_MISS
    return False


def forecast_outcome(forecast: Forecast | str, *, due: dt.date, completed_on: dt.date | None,
                     today: dt.date) -> bool | None:
    """Whether a forecast about a milestone due on ``due`` came true: None while it cannot be told yet (still
    open before its due date) and for 有风险 (a warning, not a claim). Judged against the due date the forecast was
    made for, so a later extension does not make a wrong forecast right."""
    forecast = Forecast(forecast)
    if forecast == Forecast.AT_RISK:
        return None
    met = completed_on is not None and completed_on <= due
    missed = (completed_on is not None and completed_on > due) or (completed_on is None and today > due)
    if not met and not missed:
        return None
    return met if forecast == Forecast.ON_TIME else missed
