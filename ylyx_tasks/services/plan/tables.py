"""Writing tables the way offices open them, through the documents module: .xlsx a clerk prints as it is (title
row, 制表单位 and 截至 date, landscape A4 fitted to the width, header repeated, real dates, autofilter, lights
coloured, formulas neutralised) and CSV with a BOM that keeps codes such as 3.1 as text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ylyx_tasks.documents import write_csv, write_xlsx
from ylyx_tasks.errors import InvalidInput

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def real_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each text column whose every non-empty value is an ISO date ("2026-11-30") made of dates,
    so a spreadsheet sorts and filters them as dates (read models give screens ISO text)."""
    out = frame.copy()
    for column in out.columns:
        values = [v for v in out[column].tolist() if isinstance(v, str) and v]
        if values and len(values) == out[column].map(lambda v: isinstance(v, str) and bool(v)).sum() \
                and all(_ISO_DATE.match(v) for v in values):
            out[column] = [dt.date.fromisoformat(v) if isinstance(v, str) and v else None for v in out[column]]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, CRLF; control characters removed, formula-leading text neutralised, number-like codes
    kept as text (see ``ylyx_tasks.documents.csv_field``)."""
    return write_csv(real_dates(df))


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame, sheet_name: str = "任务清单", *,
                  unit: str, as_of: dt.date, title: str | None = None,
                  sheet_titles: Mapping[str, str] | None = None) -> bytes:
    """A print-ready workbook: one sheet per frame (a single frame is named ``sheet_name``), each titled
    ``sheet_titles[name]`` or ``title`` (default: the sheet's name), made by ``unit`` and counted to ``as_of``
    (the ``today`` the figures — 逾期天数 — were counted to)."""
    frames = {name: real_dates(frame) for name, frame in
              ({sheet_name: sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)).items()}
    titles = {name: (sheet_titles or {}).get(name) or title or name for name in frames}
    return write_xlsx(frames, title=title or sheet_name, unit=unit, as_of=as_of, sheet_titles=titles)


def write_table(df: pd.DataFrame, path: Path, sheet_name: str = "任务清单", *, unit: str, as_of: dt.date,
                title: str | None = None) -> None:
    """Write ``df`` to ``path``: ``.csv`` or ``.xlsx`` by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(to_csv_bytes(df))
    elif suffix == ".xlsx":
        path.write_bytes(to_xlsx_bytes(df, sheet_name, unit=unit, as_of=as_of, title=title))
    else:
        raise InvalidInput(f"不支持的导出格式“{path.suffix}”：请用 .csv 或 .xlsx")
