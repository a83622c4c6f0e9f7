"""Formatting for Chinese office readers: dates, lights, percentages, and user-written text shown literally."""

from __future__ import annotations

import datetime as dt
import re

from ylyx_tasks.services.mail.templates import cn_date

STATUS_COLOR = {"未启动": "#9e9e9e", "推进中": "#1e88e5", "待审核": "#fb8c00", "已完成": "#43a047"}
LIGHT_COLOR = {"红灯": "#e53935", "黄灯": "#fbc02d", "绿灯": "#43a047", "已完成": "#1e88e5"}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$])")


def day(value: dt.date | dt.datetime | None, weekday: bool = False) -> str:
    """2026年11月23日."""
    return cn_date(value, weekday=weekday)


def iso(value: dt.date | None) -> str:
    """A date as the office writes it: 2026年11月30日 ("—" when none)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def md_escape(text: str) -> str:
    """User-written text for ``st.markdown``: every Markdown (and HTML) character escaped, so that a report
    saying ``**<b>完成</b>**`` shows exactly that. Line breaks are kept."""
    return "  \n".join(_MD_SPECIAL.sub(r"\\\1", line) for line in (text or "").splitlines())


def size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
