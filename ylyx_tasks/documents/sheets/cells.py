"""Cell values as a clerk's spreadsheet should hold them: formula injection neutralised, numbers that are
really codes kept as text, display widths that count CJK double, and the colours of 灯号 and 状态.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

import pandas as pd

from ylyx_tasks.documents.text import clean_text

# OWASP (CSV Injection): a cell beginning with = + - @ tab or CR is read as a formula by some spreadsheet.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# Text Excel or LibreOffice would silently turn into a number or a date: 3.1, 4.10, 007, 1/2, 3-1, 1e5, 50%.
_NUMBER_LIKE = re.compile(r"^\s*[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?\s*$|^\s*\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?\s*$")

LIGHT_FILLS = {"红灯": "FF6B6B", "黄灯": "FFC000", "绿灯": "70AD47", "已完成": "B4C6E7"}
# 状态 words, most urgent first: the first that occurs in a status picks its tint.
STATUS_TINTS = (("逾期", "FCE4E4"), ("退回", "FCE4E4"), ("未完成", "FCE4E4"), ("预警", "FFF2CC"), ("临期", "FFF2CC"),
                ("待", "FFF2CC"), ("办结", "DDEBF7"), ("完成", "DDEBF7"), ("进行", "E2EFDA"), ("正常", "E2EFDA"))


def neutralise(text: str) -> str:
    """``text`` made inert for a spreadsheet: control characters stripped (as in documents, keeping \\t, \\n)
    and, when it begins with = + - @ tab or CR, prefixed with an apostrophe (OWASP's recommendation; it stays
    visible, so the text still reads as written and survives a later export to CSV)."""
    text = text.replace("\r\n", "\n")
    if text.startswith(FORMULA_LEADS):
        return "'" + clean_text(text)
    return clean_text(text)


def number_like(text: str) -> bool:
    """True when a spreadsheet opening a CSV would read ``text`` as a number or a date (3.1, 007, 1-2)."""
    return bool(_NUMBER_LIKE.match(text))


def display_width(text: str) -> int:
    """The width of the longest line of ``text`` in Excel's character units: East Asian wide characters
    count two, others one."""
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in str(text).split("\n")), default=0)


def plain(value: Any) -> Any:
    """A pandas/numpy value as a plain Python one: NaN/NaT/None → None, numpy numbers → int/float,
    Timestamps → date (or datetime when it has a time), bools → 是/否, anything else unchanged."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):   # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):                                    # pandas Timestamp
        if str(value) == "NaT":
            return None
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        return value.date()
    if isinstance(value, bool):
        return "是" if value else "否"
    try:

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return value


def status_tint(status: str) -> str | None:
    """The fill of a 状态 cell, or None for a status without a known word."""
    return next((tint for word, tint in STATUS_TINTS if word in status), None)
