"""Chart specifications, cached. Building an Altair chart costs a tenth of a second or more (its schema
validation); the Vega-Lite dict it produces is kept per data version, today and filter, and drawn with
``st.vega_lite_chart`` — so a page with four charts still renders in well under a second."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ylyx_tasks.services import dashboard
from ylyx_tasks.ui import charts, data

ENTRIES = 128


def _views(today: dt.date, f: dashboard.CockpitFilter):
    return dashboard.scope_views(data.task_views(today), f)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _status(db: str, v: int, today: dt.date, f: dashboard.CockpitFilter) -> dict:
    return charts.status_by_group(dashboard.status_by_group(_views(today, f))).to_dict()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _overdue(db: str, v: int, today: dt.date, f: dashboard.CockpitFilter) -> dict | None:
    df = dashboard.overdue_by_lead(_views(today, f))
    return None if df.empty else charts.overdue_by_lead(df).to_dict()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _timeline(db: str, v: int, today: dt.date, f: dashboard.CockpitFilter) -> dict | None:
    df = dashboard.milestone_timeline(_views(today, f))
    return None if df.empty else charts.milestone_timeline(df, today).to_dict()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _indicators(db: str, v: int) -> dict | None:
    df = dashboard.indicator_progress(data.indicator_rows())
    return None if df.empty else charts.indicators(df).to_dict()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _trend(db: str, v: int, indicator_id: int) -> dict | None:
    row = next((r for r in data.indicator_rows() if r.indicator.id == indicator_id), None)
    if row is None:
        return None
    ind = row.indicator
    points = []
    if ind.baseline_value is not None:
        points.append({"年份": 2020, "数值": ind.baseline_value, "类型": "基期值", "来源": "方案主要指标表"})
    points += [{"年份": x.year, "数值": x.value, "类型": "年度值", "来源": x.note} for x in row.values]
    if not points:
        return None
    return charts.indicator_trend(pd.DataFrame(points), ind.target_value, ind.comparator, ind.unit).to_dict()


def status_by_group(today: dt.date, f: dashboard.CockpitFilter) -> dict:
    return _status(data.db(), data.version(), today, f)


def overdue_by_lead(today: dt.date, f: dashboard.CockpitFilter) -> dict | None:
    return _overdue(data.db(), data.version(), today, f)


def milestone_timeline(today: dt.date, f: dashboard.CockpitFilter) -> dict | None:
    return _timeline(data.db(), data.version(), today, f)


def indicators() -> dict | None:
    return _indicators(data.db(), data.version())


def indicator_trend(indicator_id: int) -> dict | None:
    return _trend(data.db(), data.version(), indicator_id)
