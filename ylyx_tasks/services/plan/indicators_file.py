"""Loading a plan's indicators (主要指标) from its data folder: ``indicators_seed.csv`` with each indicator's
baseline and target and their years, and, when present, ``indicator_targets.csv`` with interim yearly targets
(a trajectory) and counties' own targets.

``indicators_seed.csv``: ``group,no,name,unit,baseline_year,baseline,target_year,target,comparator,nature,source,
note`` (the first release's ``baseline_2020,target_2025`` columns are still read, with those years).
``indicator_targets.csv``: ``group,no,year,unit,value,note`` — ``unit`` empty for the plan as a whole, else a
county's name.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import Session, select

from ylyx_tasks.domain.indicators import COMPARATORS, derive_comparator, parse_figure
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import Department, Indicator, IndicatorTarget, Plan
from ylyx_tasks.services.plan.summary import LoadSummary, upsert

HEADER = ["group", "no", "name", "unit", "baseline_year", "baseline", "target_year", "target", "comparator",
          "nature", "source", "note"]
LEGACY_HEADER = ["group", "no", "name", "unit", "baseline_2020", "target_2025", "comparator", "nature", "source",
                 "note"]
TARGETS_HEADER = ["group", "no", "year", "unit", "value", "note"]


def load_indicators(session: Session, plan: Plan, data_dir: Path, summary: LoadSummary) -> None:
    """Create or update the plan's indicators (and their targets) from ``data_dir``."""
    path = data_dir / "indicators_seed.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames not in (HEADER, LEGACY_HEADER):
            raise InvalidInput(f"{path.name} 表头应为 {','.join(HEADER)}")
        for position, row in enumerate(reader):
            row = {k: (v or "").strip() for k, v in row.items()}
            if "baseline_2020" in row:  # the first release's file
                row |= {"baseline_year": "2020", "baseline": row["baseline_2020"], "target_year": "2025",
                        "target": row["target_2025"]}
            comparator = row["comparator"] or derive_comparator(row["baseline"], row["target"])
            if comparator not in COMPARATORS:
                raise InvalidInput(f"{path.name} 第 {position + 2} 行：未知比较符 {comparator}")
            baseline, target = parse_figure(row["baseline"]), parse_figure(row["target"])
            values = {"position": position, "name": row["name"], "unit": row["unit"],
                      "baseline_text": row["baseline"], "target_text": row["target"],
                      "baseline_value": baseline.value if baseline else None,
                      "target_value": target.value if target else None, "comparator": comparator,
                      "baseline_year": _year(row["baseline_year"], path, position),
                      "target_year": _year(row["target_year"], path, position),
                      "nature": row["nature"], "source": row["source"] or "主要指标表", "note": row["note"]}
            upsert(session, Indicator, {"plan_id": plan.id, "group": row["group"], "no": row["no"]}, values,
                    summary, "indicator")
    targets = data_dir / "indicator_targets.csv"
    if targets.exists():
        _load_targets(session, plan, targets, summary)


def _year(text: str, path: Path, position: int) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise InvalidInput(f"{path.name} 第 {position + 2} 行：年份“{text}”不对")
    return int(text)


def _load_targets(session: Session, plan: Plan, path: Path, summary: LoadSummary) -> None:
    indicators = {(i.group, i.no): i for i in session.exec(select(Indicator).where(Indicator.plan_id == plan.id))}
    units = {d.name: d for d in session.exec(select(Department))} | {
        d.short_name: d for d in session.exec(select(Department)) if d.short_name}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != TARGETS_HEADER:
            raise InvalidInput(f"{path.name} 表头应为 {','.join(TARGETS_HEADER)}")
        for index, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items()}
            indicator = indicators.get((row["group"], row["no"]))
            unit = units.get(row["unit"]) if row["unit"] else None
            if indicator is None or (row["unit"] and unit is None) or not row["year"].isdigit():
                raise InvalidInput(f"{path.name} 第 {index} 行：未知指标、单位或年份")
            figure = parse_figure(row["value"])
            if figure is None:
                raise InvalidInput(f"{path.name} 第 {index} 行：目标值为空")
            upsert(session, IndicatorTarget, {"indicator_id": indicator.id, "year": int(row["year"]),
                                               "unit_key": f"d{unit.id}" if unit else ""},
                    {"department_id": unit.id if unit else None, "value": figure.value, "note": row["note"]},
                    summary, "target")
