"""Jinja2 for mail: HTML templates autoescape (user-written text can never inject markup); dates and numbers
are formatted as Chinese readers expect."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

WEEKDAYS = "一二三四五六日"


def cn_date(value: dt.date | dt.datetime | None, weekday: bool = False) -> str:
    """2026年11月23日 (optionally 星期一)."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.date()
    text = f"{value.year}年{value.month}月{value.day}日"
    return text + f"（星期{WEEKDAYS[value.weekday()]}）" if weekday else text


def cn_number(value: float | int | None) -> str:
    """Integers as written in Chinese documents (no grouping below 一万), decimals trimmed; 12.0 → 12."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 100000 else str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


def nowrap(value: object) -> Markup:
    """HTML that keeps ``value`` on one line — a 文号, a date, a figure with its unit —, escaped: a narrow
    screen wraps around it, never inside it."""
    return Markup('<span style="white-space:nowrap">{}</span>').format(escape(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ylyx_tasks", "templates"),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cndate=cn_date, cnnum=cn_number, pct=percent, nw=nowrap)
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
