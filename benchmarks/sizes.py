"""The three sizes of synthetic data, and a ``scale`` factor that shrinks them for tests.

- ``plan``: the seed as it is (``initialize()``), plus one contact per unit so that mail is made;
- ``province``: eleven cities' copies of the seed's 20 tasks (``C03-3.2.2``), each with the 14 county shares,
  five years of monthly reports by the lead department and the counties;
- ``stress``: 10,000 tasks with three milestones each, 150 departments, 500 users, and the history that makes
  500,000 reports, 100,000 notices and deliveries and 1,000,000 audit events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SIZES = ("plan", "province", "stress")

# The synthetic plans are issued a year before the real one, so that five full years of monthly reports
# (2021-11 … 2026-10) precede TODAY. Everything else about the plan (its code, title, groups) is the seed's.
SYNTHETIC_ISSUED_ON = dt.date(2021, 10, 18)


@dataclass(frozen=True)
class Size:
    name: str
    scale: float = 1.0
    seed: int = 20261026
    cities: int = 0  # province: copies of the seed's tasks
    tasks: int = 0  # stress: number of tasks
    extra_departments: int = 0  # synthetic 市直部门 added to the seed's 46 units
    users: int = 0
    county_fraction: float = 1.0  # share of tasks with the 14 county shares (属地)
    county_every: int = 1  # a county reports every N months
    milestone_years: tuple[int, ...] = ()  # stress: milestones fall due on 31 December of some of these years
    milestones_per_task: int = 0

    @property
    def synthetic(self) -> bool:
        return self.name != "plan"

    @property
    def label(self) -> str:
        return self.name if self.scale == 1.0 else f"{self.name}×{self.scale:g}"


def size(name: str, scale: float = 1.0) -> Size:
    """The size called ``name``, shrunk by ``scale`` (tests use e.g. 0.1 for province and 0.005 for stress)."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    if name == "plan":
        return Size("plan", scale=scale)
    if name == "province":
        return Size("province", scale=scale, cities=max(1, round(11 * scale)), users=max(12, round(60 * scale)),
                    county_fraction=1.0, county_every=1)
    if name == "stress":
        return Size("stress", scale=scale, tasks=max(20, round(10_000 * scale)),
                    extra_departments=max(4, round(104 * scale)), users=max(20, round(500 * scale)),
                    county_fraction=0.1, county_every=6, milestone_years=(2022, 2023, 2024, 2025, 2026, 2027),
                    milestones_per_task=3)
    raise ValueError(f"unknown size {name!r}: one of {', '.join(SIZES)}")
