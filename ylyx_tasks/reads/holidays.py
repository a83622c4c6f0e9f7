"""The office's own calendar entries (``data/calendar_overrides.csv``: ``date,workday,note``), for a year whose
official holiday notice is newer than the ``chinese-calendar`` package. ``workday`` is 1 (上班) or 0 (放假)."""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

from ylyx_tasks.config import get_settings
from ylyx_tasks.errors import InvalidInput

FILENAME = "calendar_overrides.csv"


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> dict[dt.date, bool]:
    out: dict[dt.date, bool] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for index, row in enumerate(csv.DictReader(f), start=2):
            try:
                day = dt.date.fromisoformat(row["date"].strip())
                flag = row["workday"].strip()
                if flag not in ("0", "1"):
                    raise ValueError("workday 应为 1（上班）或 0（放假）")
            except (KeyError, ValueError) as exc:
                raise InvalidInput(f"{path.name} 第 {index} 行：{exc}") from None
            out[day] = flag == "1"
    return out


def calendar_overrides() -> dict[dt.date, bool]:
    path = get_settings().data_dir / FILENAME
    if not path.exists():
        return {}
    return _load(path, path.stat().st_mtime)
