"""Department scorecards and the ranking (红黑榜): on-time completion first, then fewest problems.

A score starts at 100 and deducts per problem; a repeated 通报 for the same milestone deducts again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ylyx_tasks.domain.status import Status


def counts_as_due(status: str, due: dt.date, today: dt.date) -> bool:
    """A lead milestone that counts in the on-time rate: done, or past its working due date."""
    return status == Status.DONE or due < today


def done_on_time(status: str, completed_on: dt.date | None, due: dt.date) -> bool:
    """Done by its working due date: an approved extension counts, an overrun without one does not."""
    return status == Status.DONE and completed_on is not None and completed_on <= due


def is_overdue(status: str, due: dt.date, today: dt.date) -> bool:
    """Unfinished past its working due date (the red light; a 督办 is due)."""
    return status != Status.DONE and due < today


DEDUCTIONS = {"overdue": 3, "missing_report": 1, "chased": 1, "supervise": 2, "circulate": 5, "repeat_circulate": 3}


@dataclass
class Scorecard:
    department_id: int
    department: str
    kind: str = ""
    led: int = 0
    supported: int = 0
    territorial: int = 0
    milestones_due: int = 0  # lead milestones due by today, or already done
    completed_on_time: int = 0
    overdue: int = 0  # lead milestones past their working due date, unfinished
    missing_reports: int = 0  # reports owed for the last due period (lead: task report; county: its share)
    chased: int = 0  # 催报 received
    supervise: int = 0  # 督办 received
    circulate: int = 0  # 通报 received
    repeat_circulate: int = 0  # 通报 beyond the first for the same milestone
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        """Share of due milestones completed by their working due date (None when none is due yet)."""
        if self.milestones_due == 0:
            return None
        return self.completed_on_time / self.milestones_due

    @property
    def score(self) -> int:
        deducted = (DEDUCTIONS["overdue"] * self.overdue + DEDUCTIONS["missing_report"] * self.missing_reports
                    + DEDUCTIONS["chased"] * self.chased + DEDUCTIONS["supervise"] * self.supervise
                    + DEDUCTIONS["circulate"] * self.circulate
                    + DEDUCTIONS["repeat_circulate"] * self.repeat_circulate)
        return max(0, 100 - deducted)


def rank(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """Best first: on-time completion rate, then fewer overdue milestones, fewer missing reports, fewer 通报,
    then the score and the name for a stable order. Units with nothing due yet (no rate) come after the units
    that can be measured, ranked among themselves by the same remaining keys."""
    def key(c: Scorecard) -> tuple:
        rate = c.on_time_rate
        return (rate is None, -(rate or 0.0), c.overdue, c.missing_reports, c.circulate, -c.score, c.department)

    return sorted(cards, key=key)
