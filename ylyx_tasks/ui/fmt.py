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


# a web address as people paste it: up to a space, a quote, an angle bracket or full-width punctuation, and not
# ending in the punctuation around it ("(见 https://a.cn/x)." keeps ")." out)
_URL = re.compile(r"https?://[^\s<>\"'，。；、（）【】《》“”]*[^\s<>\"'，。；、（）【】《》“”.,;:!?)\]]")


def _escape_part(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_escape(text: str) -> str:
    """User-written text for ``st.markdown``: every Markdown (and HTML) character escaped, so that a report
    saying ``**<b>完成</b>**`` shows exactly that; a web address (http/https only) stays one working link, written
    as an autolink ``<…>`` (inside which nothing is Markdown). Line breaks are kept."""
    lines = []
    for line in (text or "").splitlines():
        out, last = [], 0
        for m in _URL.finditer(line):
            out.append(_escape_part(line[last:m.start()]))
            out.append(f"<{m.group()}>")
            last = m.end()
        out.append(_escape_part(line[last:]))
        lines.append("".join(out))
    return "  \n".join(lines)


def size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
