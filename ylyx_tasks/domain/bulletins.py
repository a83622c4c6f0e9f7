"""通报（第N期）: the periodic bulletin — the last rung of the escalation ladder. Pure: facts and ``today`` in.

提醒 → 催报 → 督办通知单 (answer within N working days) → the matter is listed in the next periodic 通报 → repeated
listing counts in the unit's score. A bulletin covers one period (a month by default; ``months`` consecutive
months, counted from January, when configured) of one plan. The scheduler drafts it on ``draft_day`` of the month
after its period; the office reviews it (may add or remove a matter) and issues it, which numbers it. A matter (a
督办 about one milestone's due date) appears at most once per issue; an issue with nothing to report is not issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ylyx_tasks.domain.status import Status

ALLOWED_MONTHS = (1, 2, 3, 4, 6, 12)  # periods that tile a year


class BulletinStatus(StrEnum):
    DRAFT = "草稿"  # drafted by the scheduler, under the office's review
    ISSUED = "已印发"  # numbered, mailed, counted in the scores


@dataclass(frozen=True)
class BulletinRules:
    """``months``: the length of a period; ``draft_day``: the day of the month after a period on which its draft
    is made; ``rectify_days``: 限期整改, calendar days from issue; ``listed_after_days``: a 督办 whose milestone is
    still unfinished this many days after it is listed (besides one not answered by its deadline)."""

    months: int = 1
    draft_day: int = 1
    rectify_days: int = 15
    listed_after_days: int = 30

    def __post_init__(self) -> None:
        if self.months not in ALLOWED_MONTHS:
            raise ValueError(f"通报周期应为 {'、'.join(map(str, ALLOWED_MONTHS))} 个月之一，不能是 {self.months}")
        if not 1 <= self.draft_day <= 28:
            raise ValueError(f"通报起草日应在每月 1 至 28 日之间，不能是 {self.draft_day}")


def period_of(day: dt.date, months: int) -> str:
    """The period ``day`` falls in, named by its first month: ``2026-10`` (for months=3: Oct–Dec 2026)."""
    first = (day.month - 1) // months * months + 1
    return f"{day.year}-{first:02d}"


def period_bounds(period: str, months: int) -> tuple[dt.date, dt.date]:
    """(first day, last day) of ``period``."""
    year, month = int(period[:4]), int(period[5:7])
    start = dt.date(year, month, 1)
    end_month = month + months
    end = dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def period_label(period: str, months: int) -> str:
    """``2026年11月``, ``2026年第四季度``, ``2026年下半年``, ``2026年度``, or ``2026年11—12月``."""
    year, month = int(period[:4]), int(period[5:7])
    if months == 1:
        return f"{year}年{month}月"
    if months == 3:
        return f"{year}年第{'一二三四'[(month - 1) // 3]}季度"
    if months == 6:
        return f"{year}年{'上' if month == 1 else '下'}半年"
    if months == 12:
        return f"{year}年度"
    return f"{year}年{month}—{month + months - 1}月"


def period_to_draft(today: dt.date, rules: BulletinRules) -> str | None:
    """The period whose bulletin is due to be drafted on ``today``: the one before today's, from ``draft_day``
    of the month after it (until the next period's day comes). None before that day."""
    current_start, _ = period_bounds(period_of(today, rules.months), rules.months)
    previous = period_of(current_start - dt.timedelta(days=1), rules.months)
    first_month_day = dt.date(current_start.year, current_start.month, rules.draft_day)
    if today < first_month_day:
        # before the draft day: the previous period's bulletin is not due yet, and the one before it was due
        # (and drafted) a whole period ago
        return None
    return previous


def listing_reason(*, supervise_created_on: dt.date, response_due: dt.date | None, answered: bool,
                   milestone_status: Status | str, as_of: dt.date, listed_after_days: int) -> str | None:
    """Why a still-open 督办 is listed in a bulletin as of ``as_of`` (its period's last day), or None.

    - not answered by its deadline: "督办逾期未反馈";
    - its milestone still unfinished ``listed_after_days`` after the 督办: "督办后 N 天仍未完成".
    Nothing once the milestone is done, nor while its completion awaits the office's review (the unit has done
    its part) unless the answer is late.
    """
    status = Status(milestone_status)
    if status == Status.DONE or supervise_created_on > as_of:
        return None
    if not answered and response_due is not None and as_of > response_due:
        return "督办逾期未反馈"
    days = (as_of - supervise_created_on).days
    if days >= listed_after_days and status != Status.PENDING_REVIEW:
        return f"督办后 {days} 天仍未完成"
    return None


def bulletin_number(prefix: str, year: int, seq: int) -> str:
    """The bulletin's 文号: ``运养托通〔2026〕3号`` (the sequence the per-milestone 通报 used, so numbers stay
    unique across the old and the new)."""
    return f"{prefix}通〔{year}〕{seq}号"


def bulletin_title(subject: str, issue_no: int) -> str:
    return f"关于{subject}工作进展情况的通报（第{issue_no}期）"


def rectify_by(issued_on: dt.date, rules: BulletinRules) -> dt.date:
    """限期整改: the deadline printed in the bulletin."""
    return issued_on + dt.timedelta(days=rules.rectify_days)
