"""Chart specifications with their data, cached per data version, today and filter, and drawn with
``st.vega_lite_chart`` (the charts themselves are Altair templates: :mod:`ylyx_tasks.ui.charts.templates`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from ylyx_tasks.reads.cockpit import charts as chart_data
from ylyx_tasks.reads.cockpit import figures as cockpit_reads
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.cached import tasks as cached_tasks
from ylyx_tasks.ui.charts import templates as charts

ENTRIES = 128
OVERDUE_BARS = 15


def _packed(spec: dict | None) -> dict | None:
    """The spec with its datasets already in Arrow IPC, as ``st.vega_lite_chart`` sends them: converted once,
    when the spec is made and cached, instead of on every run that draws the chart (Streamlit passes bytes on)."""
    if spec is not None:
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(rows)
                            for name, rows in spec["datasets"].items()}
    return spec


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _status(db: str, v: int, plan_id: int, today: dt.date, f: cockpit_reads.CockpitFilter, _tally) -> dict:
    df = cockpit_reads.status_by_group(_tally)
    # the height is the whole chart's, axis and legend below included: room for both besides the bars
    return _packed(charts.fill("status_by_group", 110 + max(120, 48 * df["工作专班"].nunique()), main=df))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _overdue(db: str, v: int, plan_id: int, today: dt.date, f: cockpit_reads.CockpitFilter, _tally
             ) -> dict | None:
    df = cockpit_reads.overdue_by_lead(_tally).head(OVERDUE_BARS)  # the departments most behind
    return None if df.empty else _packed(charts.fill("overdue_by_lead", max(120, 34 * len(df)), main=df))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _timeline(db: str, v: int, plan_id: int, today: dt.date, f: cockpit_reads.CockpitFilter, _model
              ) -> dict | None:
    if _model.months is not None:
        return _packed(charts.fill("milestone_months", 300, main=_model.months, today=charts.today_frame(today)))
    df = chart_data.milestone_timeline(cached_tasks.views_of(today, _model.timeline_ids))
    if df.empty:
        return None
    return _packed(charts.fill("milestone_timeline", max(160, 22 * df["编号"].nunique()), main=df,
                               today=charts.today_frame(today)))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _progress(db: str, v: int, plan_id: int) -> pd.DataFrame:
    return chart_data.indicator_progress(cached.indicator_rows(plan_id))


def indicator_progress(plan_id: int) -> pd.DataFrame:
    """The plan's indicators: baseline, latest and target, relative to the target (the chart's and the cockpit's
    counts' data). Keyed on the indicators' own version: a progress report leaves it cached."""
    return _progress(cached.db(), cached.indicator_version(), plan_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _indicators(db: str, v: int, plan_id: int) -> dict | None:
    """Keyed on the indicators' own version, not on the data version: a write that changes no indicator — every
    progress report — leaves the chart as it is (the melt below is most of a cold cockpit)."""
    df = _progress(db, v, plan_id)
    if df.empty:
        return None
    long = df.melt(id_vars=["指标", "比较", "达标", "基期值", "最新值", "目标值", "最新年份"],
                   value_vars=["基期(相对目标%)", "最新(相对目标%)"], var_name="数值", value_name="相对目标")
    long["数值"] = long["数值"].map({"基期(相对目标%)": "基期值", "最新(相对目标%)": "最新值"})
    # rows in the table's order (the melt put all baselines first)
    long = long.assign(_i=long["指标"].map({n: i for i, n in enumerate(df["指标"])})).sort_values(
        ["_i", "数值"], kind="stable").drop(columns="_i").dropna(subset=["相对目标"])
    return _packed(charts.fill("indicators", max(200, 22 * len(df)), main=long, target=pd.DataFrame({"x": [100]})))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _trend(db: str, v: int, plan_id: int, indicator_id: int) -> dict | None:
    row = next((r for r in cached.indicator_rows(plan_id) if r.indicator.id == indicator_id), None)
    if row is None:
        return None
    ind = row.indicator
    points = []
    if ind.baseline_value is not None:
        points.append({"年份": row.base_year, "数值": ind.baseline_value, "类型": "基期值", "来源": "方案主要指标表"})
    points += [{"年份": x.year, "数值": x.value, "类型": "年度值", "来源": x.note} for x in row.values]
    points += [{"年份": y, "数值": value, "类型": "阶段目标", "来源": "方案阶段目标"}
               for y, value in sorted(row.trajectory.items())]
    if not points:
        return None
    target = pd.DataFrame({"目标": [ind.target_value],
                           "标注": [f"{row.target_year}年目标 {ind.comparator}{ind.target_value:g}"]}
                          if ind.target_value is not None else {"目标": [], "标注": []})
    spec = charts.fill("indicator_trend", 280, main=pd.DataFrame(points), target=target)
    spec["layer"][0]["encoding"]["y"]["title"] = ind.unit or "数值"
    return _packed(spec)


# The cockpit's tally (or its whole model) is passed in and left out of the cache key (the leading underscore):
# the key is the data version, today and the filter, which determine it.


def status_by_group(plan_id: int, today: dt.date, f: cockpit_reads.CockpitFilter, tally: pd.DataFrame) -> dict:
    return _status(cached.db(), cached.version(), plan_id, today, f, tally)


def overdue_by_lead(plan_id: int, today: dt.date, f: cockpit_reads.CockpitFilter, tally: pd.DataFrame
                    ) -> dict | None:
    return _overdue(cached.db(), cached.version(), plan_id, today, f, tally)


def milestone_timeline(plan_id: int, today: dt.date, f: cockpit_reads.CockpitFilter, model) -> dict | None:
    return _timeline(cached.db(), cached.version(), plan_id, today, f, model)


def indicators(plan_id: int) -> dict | None:
    return _indicators(cached.db(), cached.indicator_version(), plan_id)


def indicator_trend(plan_id: int, indicator_id: int) -> dict | None:
    return _trend(cached.db(), cached.indicator_version(), plan_id, indicator_id)
