"""Reading and writing ``data/tasks_seed.csv`` in tests, with the first release's view of a row alongside: the
lead unit (``lead_department``) and the 2022 and 2025 commitments (``milestone_2022``, ``milestone_2025``), taken
from the ``lead_departments`` and ``milestones`` columns. Writing puts a changed view back into those columns."""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
HEADER = ["code", "section", "title", "clause_text", "lead_departments", "supporting_departments",
          "county_responsible", "working_group", "milestones"]
YEARS = {"2022": "2022-12-31", "2025": "2025-12-31"}


def _with_views(row: dict[str, str]) -> dict[str, str]:
    by_due = dict(line.split(" ", 1) if " " in line else (line, "") for line in row["milestones"].splitlines() if line)
    return {**row, "lead_department": row["lead_departments"].split("、")[0],
            **{f"milestone_{year}": by_due.get(due, "") for year, due in YEARS.items()}}


def seed_rows(data_dir: Path = DATA) -> list[dict[str, str]]:
    with open(data_dir / "tasks_seed.csv", encoding="utf-8", newline="") as f:
        return [_with_views(r) for r in csv.DictReader(f)]


def write_seed_rows(data_dir: Path, rows: list[dict[str, str]]) -> None:
    with open(data_dir / "tasks_seed.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            leads = row["lead_departments"].split("、")
            leads[0] = row["lead_department"]
            milestones = "\n".join(f"{due} {row[f'milestone_{year}']}" for year, due in YEARS.items()
                                   if row[f"milestone_{year}"])
            writer.writerow([*(row[k] for k in HEADER[:4]), "、".join(leads), *(row[k] for k in HEADER[5:8]),
                             milestones])
