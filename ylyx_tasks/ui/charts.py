"""Altair charts drawn from the services' frames. Fixed colours per status and light, Chinese labels, and a
point selection where a click should lead to the list behind a bar."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from ylyx_tasks.ui.fmt import LIGHT_COLOR, STATUS_COLOR

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _style(chart: alt.Chart) -> alt.Chart:
    return chart.configure_axis(labelFont=FONT, titleFont=FONT, labelLimit=260).configure_legend(
        labelFont=FONT, titleFont=FONT).configure_title(font=FONT)


def status_by_group(df: pd.DataFrame, selection_name: str = "pick") -> alt.Chart:
    pick = alt.selection_point(name=selection_name, fields=["工作专班", "状态"])
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("工作专班:N", title=None, sort=list(dict.fromkeys(df["工作专班"]))),
        x=alt.X("sum(任务数):Q", title="任务数", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("状态:N", scale=alt.Scale(domain=list(STATUS_COLOR), range=list(STATUS_COLOR.values())),
                        title="状态"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=["工作专班", "状态", "任务数"],
    ).add_params(pick)
    return _style(chart.properties(height=max(120, 48 * df["工作专班"].nunique())))


def overdue_by_lead(df: pd.DataFrame, selection_name: str = "pick") -> alt.Chart:
    pick = alt.selection_point(name=selection_name, fields=["牵头单位"])
    chart = alt.Chart(df).mark_bar(color=LIGHT_COLOR["红灯"]).encode(
        y=alt.Y("牵头单位:N", title=None, sort="-x", axis=alt.Axis(labelOverlap=False)),
        x=alt.X("逾期节点数:Q", title="逾期节点数", axis=alt.Axis(tickMinStep=1, format="d")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=["牵头单位", "逾期节点数"],
    ).add_params(pick)
    return _style(chart.properties(height=max(120, 34 * len(df))))


def milestone_timeline(df: pd.DataFrame, today: dt.date) -> alt.Chart:
    """Each milestone at its working due date (hollow: the original date of an extended one), today marked."""
    base = alt.Chart(df)
    y = alt.Y("编号:N", title="任务编号", sort=list(dict.fromkeys(df["编号"])), axis=alt.Axis(labelOverlap=False))
    tooltip = ["编号", "任务", "节点", "承诺", alt.Tooltip("原定期限:T", format="%Y-%m-%d"),
               alt.Tooltip("现期限:T", format="%Y-%m-%d"), "状态", "灯号", "逾期天数"]
    points = base.mark_point(filled=True, size=140).encode(
        x=alt.X("现期限:T", title="期限", axis=alt.Axis(format="%Y-%m")), y=y,
        color=alt.Color("灯号:N", scale=alt.Scale(domain=list(LIGHT_COLOR), range=list(LIGHT_COLOR.values())),
                        title="灯号"),
        shape=alt.Shape("节点:N", title="节点"), tooltip=tooltip)
    moved = base.transform_filter("datum['已延期'] == '是'").mark_point(filled=False, size=140, color="#757575"
                                                                      ).encode(x="原定期限:T", y=y, tooltip=tooltip)
    today_df = pd.DataFrame({"今天": [pd.Timestamp(today)], "标注": [f"今天 {today.isoformat()}"]})
    rule = alt.Chart(today_df).mark_rule(color="#b71c1c", strokeDash=[6, 4], size=2).encode(x="今天:T")
    label = alt.Chart(today_df).mark_text(align="left", dx=4, dy=-6, color="#b71c1c", font=FONT).encode(
        x="今天:T", y=alt.value(0), text="标注:N")
    layered = alt.layer(points, moved, rule, label).properties(height=max(160, 22 * df["编号"].nunique()))
    return _style(layered)


def indicators(df: pd.DataFrame) -> alt.Chart:
    """Baseline → latest → target, each as a share of the target (target = 100)."""
    long = df.melt(id_vars=["指标", "比较", "达标", "基期值", "最新值", "目标值", "最新年份"],
                   value_vars=["基期(相对目标%)", "最新(相对目标%)"], var_name="数值", value_name="相对目标")
    long = long.dropna(subset=["相对目标"])
    long["数值"] = long["数值"].map({"基期(相对目标%)": "2020年基期", "最新(相对目标%)": "最新值"})
    y = alt.Y("指标:N", title=None, sort=list(df["指标"]))
    tooltip = ["指标", "比较", "基期值", "最新值", "最新年份", "目标值", "达标"]
    line = alt.Chart(long).mark_line(color="#bdbdbd").encode(x="相对目标:Q", y=y, detail="指标:N")
    dots = alt.Chart(long).mark_point(filled=True, size=90).encode(
        x=alt.X("相对目标:Q", title="相对 2025 年目标（目标 = 100）"), y=y,
        color=alt.Color("数值:N", scale=alt.Scale(domain=["2020年基期", "最新值"], range=["#9e9e9e", "#1e88e5"]),
                        title=None), tooltip=tooltip)
    target = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color="#43a047", strokeDash=[4, 3]).encode(x="x:Q")
    return _style(alt.layer(line, dots, target).properties(height=max(200, 22 * len(df))))


def indicator_trend(values: pd.DataFrame, target: float | None, comparator: str, unit: str) -> alt.Chart:
    """An indicator's yearly values (2020 = the baseline) with its 2025 target as a line."""
    line = alt.Chart(values).mark_line(point=alt.OverlayMarkDef(size=70, filled=True)).encode(
        x=alt.X("年份:O", title="年份"), y=alt.Y("数值:Q", title=unit or "数值", scale=alt.Scale(zero=False), axis=alt.Axis(format="~g")),
        color=alt.Color("类型:N", scale=alt.Scale(domain=["基期值", "年度值"], range=["#9e9e9e", "#1e88e5"]),
                        title=None),
        tooltip=["年份", "数值", "类型", "来源"])
    layers = [line]
    if target is not None:
        t = pd.DataFrame({"目标": [target], "标注": [f"2025年目标 {comparator}{target:g}"]})
        layers.append(alt.Chart(t).mark_rule(color="#43a047", strokeDash=[5, 4]).encode(y="目标:Q"))
        layers.append(alt.Chart(t).mark_text(align="left", dx=4, dy=-6, color="#2e7d32", font=FONT).encode(
            y="目标:Q", x=alt.value(4), text="标注:N"))
    return _style(alt.layer(*layers).properties(height=280))
