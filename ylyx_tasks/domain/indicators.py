"""Indicator figures as the table writes them (``≥95``, ``>90``, ``60``, ``--``) and whether a value meets them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ylyx_tasks.errors import InvalidInput

COMPARATORS = ("≥", ">", "=", "≤")
_FIGURE = re.compile(r"^\s*(≥|>|≤|<)?\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Figure:
    """A parsed figure: its qualifier as written ('' for a plain number) and its number."""

    qualifier: str
    value: float


def parse_figure(text: str) -> Figure | None:
    """``'≥90.5'`` → Figure('≥', 90.5); ``''`` or ``'--'`` → None; anything else raises ValueError."""
    text = (text or "").strip()
    if text in ("", "--", "—", "-"):
        return None
    m = _FIGURE.match(text)
    if not m:
        raise InvalidInput(f"无法识别的指标数值“{text}”")
    return Figure(m.group(1) or "", float(m.group(2)))


def derive_comparator(baseline_text: str, target_text: str) -> str:
    """The comparator a target means.

    Written ``≥``/``>`` → that; a plain target below its baseline means "reduce to" (≤); a plain target equal
    to its baseline means "keep at" (=); any other plain target is to be reached (≥).
    """
    target = parse_figure(target_text)
    if target is None:
        raise InvalidInput("目标值为空")
    if target.qualifier in ("≥", ">"):
        return target.qualifier
    if target.qualifier in ("≤", "<"):
        return "≤"
    baseline = parse_figure(baseline_text)
    if baseline is not None and target.value < baseline.value:
        return "≤"
    if baseline is not None and target.value == baseline.value:
        return "="
    return "≥"


def is_met(value: float, target: float, comparator: str) -> bool:
    """Whether ``value`` meets ``target`` under ``comparator`` (≥, >, =, ≤)."""
    if comparator == "≥":
        return value >= target
    if comparator == ">":
        return value > target
    if comparator == "≤":
        return value <= target
    if comparator == "=":
        return abs(value - target) < 1e-9
    raise ValueError(f"unknown comparator {comparator!r}")


def expected_on_path(baseline: float | None, target: float, year: int, base_year: int = 2020,
                     target_year: int = 2025) -> float:
    """Where a straight line from the baseline to the target stands in ``year`` (the target when no baseline)."""
    if baseline is None or year >= target_year:
        return target
    if year <= base_year:
        return baseline
    return baseline + (target - baseline) * (year - base_year) / (target_year - base_year)


def is_off_track(value: float, year: int, baseline: float | None, target: float, comparator: str,
                 base_year: int = 2020, target_year: int = 2025) -> bool:
    """Whether a year's value is behind the straight path to the target (after the target year: not met)."""
    if year >= target_year or baseline is None or comparator == "=":
        return not is_met(value, target, comparator)
    path = expected_on_path(baseline, target, year, base_year, target_year)
    if comparator == "≤":
        return value > path + 1e-9
    return value < path - 1e-9
