"""Indicator figures as the table writes them (``≥95``, ``>90``, ``60``, ``--``) and whether a value meets them."""

from __future__ import annotations

import re
from collections.abc import Mapping
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


def path_points(baseline: float | None, target: float, base_year: int | None, target_year: int | None,
                trajectory: Mapping[int, float] | None = None) -> list[tuple[int, float]]:
    """The points the path to the target runs through: the baseline, the interim targets, the target."""
    points: dict[int, float] = {}
    if baseline is not None and base_year is not None:
        points[base_year] = baseline
    points.update(trajectory or {})
    if target_year is not None:
        points[target_year] = target
    return sorted(points.items())


def expected_on_path(baseline: float | None, target: float, year: int, base_year: int = 2020,
                     target_year: int = 2025, trajectory: Mapping[int, float] | None = None) -> float:
    """Where the path stands in ``year``: straight lines between the baseline, the interim targets (the
    trajectory) and the target; before the first point its value, after the last the target. Without a
    baseline and a trajectory there is no path: the target."""
    if baseline is None and not trajectory:
        return target
    points = path_points(baseline, target, base_year, target_year, trajectory)
    if year <= points[0][0]:
        return points[0][1]
    if year >= points[-1][0]:
        return points[-1][1]
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return target  # unreachable: the points cover the year


def is_off_track(value: float, year: int, baseline: float | None, target: float, comparator: str,
                 base_year: int = 2020, target_year: int = 2025,
                 trajectory: Mapping[int, float] | None = None) -> bool:
    """Whether a year's value is behind the path to the target (:func:`expected_on_path`), for a target to
    raise and for one to reduce (≤). In or after the target year, and for a target to keep (=): not met."""
    if year >= target_year or comparator == "=" or (baseline is None and not trajectory):
        return not is_met(value, target, comparator)
    path = expected_on_path(baseline, target, year, base_year, target_year, trajectory)
    if comparator == "≤":
        return value > path + 1e-9
    return value < path - 1e-9
