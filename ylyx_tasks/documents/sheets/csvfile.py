"""CSV for Excel and LibreOffice: UTF-8 with a BOM (so Excel reads Chinese), formulas neutralised, and text
that looks like a number — task codes 3.1, 4.10, 007 — kept as text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from ylyx_tasks.documents.sheets.cells import neutralise, number_like, plain


def csv_field(value: object) -> str:
    """One field as written. Text that a spreadsheet would take for a number or a date gets a leading tab
    ("\\t3.1"): Excel and LibreOffice then keep it as text, the tab is invisible, and unlike ="3.1" it is not
    a formula. Formula-leading text gets OWASP's apostrophe (see ``neutralise``). Dates print 2026-11-30
    (ISO, which both programs read as a date); numbers as they are."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = neutralise(str(value))
    return "\t" + text if number_like(text) else text


def write_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes: UTF-8 with BOM, header row first, CRLF line ends, fields quoted when needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_field(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([csv_field(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


__all__ = ["csv_field", "write_csv"]
