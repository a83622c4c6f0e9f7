"""Department scorecards and the ranking (红黑榜): by the score, whose rule is :data:`SCORE_RULE`.

A score starts at 100 and deducts per problem; each listing in an issued 通报（第N期） deducts, and a milestone
listed again in a later issue deducts again. Units with nothing measurable yet (no lead milestone due, no report
owed) are not ranked: they are listed apart, never as the best.
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
    circulate: int = 0  # matters listed in issued 通报（第N期）
    repeat_circulate: int = 0  # listings beyond the first of the same milestone
    reports_owed: bool = False  # a report was due from it (a territorial unit's share, or a lead task's report)
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


    @property
    def measurable(self) -> bool:
        """Something was due from it: a lead milestone, or a report. Else its 100 points mean nothing yet."""
        return self.milestones_due > 0 or self.reports_owed or self.overdue > 0

    @property
    def deductions(self) -> str:
        """Where its points went, as the pages print beside the score: "逾期节点 2×3、通报 4×5"."""
        parts = [(label, n, DEDUCTIONS[key]) for key, label, n in (
            ("overdue", "逾期节点", self.overdue), ("missing_report", "未按时报送", self.missing_reports),
            ("chased", "催报", self.chased), ("supervise", "督办", self.supervise),
            ("circulate", "列入通报", self.circulate), ("repeat_circulate", "重复通报", self.repeat_circulate)) if n]
        return "、".join(f"{label} {n}×{d}" for label, n, d in parts) or "无扣分"


SCORE_RULE = (f"得分 = 100 − 逾期节点×{DEDUCTIONS['overdue']} − 未按时报送×{DEDUCTIONS['missing_report']} − "
              f"催报×{DEDUCTIONS['chased']} − 督办×{DEDUCTIONS['supervise']} − 列入通报×{DEDUCTIONS['circulate']} − "
              f"同一节点重复通报×{DEDUCTIONS['repeat_circulate']}（最低 0 分）；按得分由高到低排名，同分时按时完成率高者在前；"
              "尚无到期节点、也无应报进展的单位不参与排名，另行列出。")


def rank(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """Best first by :data:`SCORE_RULE`: the score, then the on-time rate, fewer overdue milestones, fewer
    通报 listings, then the name for a stable order. Units with nothing measurable come after every ranked unit
    (see :func:`ranked_and_apart`), by name."""
    def key(c: Scorecard) -> tuple:
        rate = c.on_time_rate
        if not c.measurable:
            return (1, 0, 0.0, 0, 0, c.department)
        return (0, -c.score, -(rate if rate is not None else 0.0), c.overdue, c.circulate, c.department)

    return sorted(cards, key=key)


def ranked_and_apart(cards: Iterable[Scorecard]) -> tuple[list[Scorecard], list[Scorecard]]:
    """(the ranked units, best first; the units with nothing measurable yet, by name)."""
    ordered = rank(cards)
    return [c for c in ordered if c.measurable], [c for c in ordered if not c.measurable]
