"""The app's Altair charts, as templates over named datasets: fixed colours per status and light, Chinese
labels, a point selection where a click leads to the list behind a bar.

Building an Altair chart costs a tenth of a second or more; these charts depend on the data only through their
datasets and their height. So each is built once per process, with its data left as a name (``main``,
``today``…), and :func:`fill` puts the rows in — so that even right after a write, when every cache is new, a
page with four charts renders in well under a second.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache

import altair as alt
import pandas as pd

from ylyx_tasks.ui.fmt import LIGHT_COLOR, STATUS_COLOR

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
MAIN = alt.NamedData(name="main")


def _style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # legends below the plot, in a row: on a phone a legend at the side leaves the plot a sliver
    return chart.configure_axis(labelFont=FONT, titleFont=FONT, labelLimit=260).configure_legend(
        labelFont=FONT, titleFont=FONT, orient="bottom", direction="horizontal").configure_title(font=FONT)


def _order(field: str) -> alt.EncodingSortField:
    """Keep the rows in the order of the frame (its ``序`` column: document order, most overdue first…)."""
    return alt.EncodingSortField(field="序", op="min", order="ascending")


def status_by_group() -> alt.Chart:
    pick = alt.selection_point(name="pick", fields=["工作专班", "状态"])
    return _style(alt.Chart(MAIN).mark_bar().encode(
        y=alt.Y("工作专班:N", title=None, sort=_order("工作专班")),
        x=alt.X("sum(任务数):Q", title="任务数", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("状态:N", scale=alt.Scale(domain=list(STATUS_COLOR), range=list(STATUS_COLOR.values())),
                        title="状态"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=["工作专班:N", "状态:N", "任务数:Q"],
    ).add_params(pick))


def overdue_by_lead() -> alt.Chart:
    pick = alt.selection_point(name="pick", fields=["牵头单位"])
    return _style(alt.Chart(MAIN).mark_bar(color=LIGHT_COLOR["红灯"]).encode(
        y=alt.Y("牵头单位:N", title=None, sort=_order("牵头单位"), axis=alt.Axis(labelOverlap=False)),
        x=alt.X("逾期节点数:Q", title="逾期节点数", axis=alt.Axis(tickMinStep=1, format="d")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=["牵头单位:N", "逾期节点数:Q"],
    ).add_params(pick))


def milestone_timeline() -> alt.LayerChart:
    """Each milestone at its working due date (hollow: the original date of an extended one), today marked."""
    y = alt.Y("编号:N", title="任务编号", sort=_order("编号"), axis=alt.Axis(labelOverlap=False))
    tooltip = ["编号:N", "任务:N", "节点:N", "承诺:N", alt.Tooltip("原定期限:T", format="%Y年%-m月%-d日"),
               alt.Tooltip("现期限:T", format="%Y年%-m月%-d日"), "状态:N", "灯号:N", "逾期天数:Q"]
    points = alt.Chart(MAIN).mark_point(filled=True, size=140).encode(
        x=alt.X("现期限:T", title="期限", axis=alt.Axis(format="%Y年%-m月")), y=y,
        color=alt.Color("灯号:N", scale=alt.Scale(domain=list(LIGHT_COLOR), range=list(LIGHT_COLOR.values())),
                        title="灯号"),
        shape=alt.Shape("节点:N", title="节点"), tooltip=tooltip)
    moved = alt.Chart(MAIN).transform_filter("datum['已延期'] == '是'").mark_point(
        filled=False, size=140, color="#757575").encode(x="原定期限:T", y=y, tooltip=tooltip)
    today = alt.NamedData(name="today")
    rule = alt.Chart(today).mark_rule(color="#b71c1c", strokeDash=[6, 4], size=2).encode(x="今天:T")
    label = alt.Chart(today).mark_text(align="left", dx=4, dy=-6, color="#b71c1c", font=FONT).encode(
        x="今天:T", y=alt.value(0), text="标注:N")
    return _style(alt.layer(points, moved, rule, label))


def milestone_months() -> alt.LayerChart:
    """The time line of a large plan: milestones per month of their due date, by light, today marked."""
    bars = alt.Chart(MAIN).mark_bar().encode(
        x=alt.X("yearmonth(月份):T", title="期限（月）", axis=alt.Axis(format="%Y年%-m月")),
        y=alt.Y("sum(节点数):Q", title="节点数"),
        color=alt.Color("灯号:N", scale=alt.Scale(domain=list(LIGHT_COLOR), range=list(LIGHT_COLOR.values())),
                        title="灯号"),
        tooltip=[alt.Tooltip("yearmonth(月份):T", title="月份", format="%Y年%-m月"), "灯号:N", "sum(节点数):Q"])
    today = alt.NamedData(name="today")
    rule = alt.Chart(today).mark_rule(color="#b71c1c", strokeDash=[6, 4], size=2).encode(x="今天:T")
    return _style(alt.layer(bars, rule))


def indicators() -> alt.LayerChart:
    """Baseline → latest → target, each as a share of the target (target = 100)."""
    # long names cut at 150 px (the whole name is in the tooltip): the plot keeps its width on a phone
    y = alt.Y("指标:N", title=None, sort=_order("指标"), axis=alt.Axis(labelLimit=150))
    tooltip = ["指标:N", "比较:N", "基期值:Q", "最新值:Q", "最新年份:Q", "目标值:Q", "达标:N"]
    line = alt.Chart(MAIN).mark_line(color="#bdbdbd").encode(x="相对目标:Q", y=y, detail="指标:N")
    dots = alt.Chart(MAIN).mark_point(filled=True, size=90).encode(
        x=alt.X("相对目标:Q", title="相对目标值（目标 = 100）"), y=y,
        color=alt.Color("数值:N", scale=alt.Scale(domain=["基期值", "最新值"], range=["#9e9e9e", "#1e88e5"]),
                        title=None), tooltip=tooltip)
    target = alt.Chart(alt.NamedData(name="target")).mark_rule(color="#43a047", strokeDash=[4, 3]).encode(x="x:Q")
    return _style(alt.layer(line, dots, target))


def indicator_trend() -> alt.LayerChart:
    """An indicator's yearly values (from the baseline year) and its interim targets, with its target as a
    line."""
    line = alt.Chart(MAIN).mark_line(point=alt.OverlayMarkDef(size=70, filled=True)).encode(
        x=alt.X("年份:O", title="年份", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("数值:Q", title="数值", scale=alt.Scale(zero=False), axis=alt.Axis(format="~g")),
        color=alt.Color("类型:N", scale=alt.Scale(domain=["基期值", "年度值", "阶段目标"],
                                                   range=["#9e9e9e", "#1e88e5", "#43a047"]),
                        title=None),
        tooltip=["年份:O", "数值:Q", "类型:N", "来源:N"])
    target = alt.NamedData(name="target")
    rule = alt.Chart(target).mark_rule(color="#43a047", strokeDash=[5, 4]).encode(y="目标:Q")
    label = alt.Chart(target).mark_text(align="left", dx=4, dy=-6, color="#2e7d32", font=FONT).encode(
        y="目标:Q", x=alt.value(4), text="标注:N")
    return _style(alt.layer(line, rule, label))


@cache
def template(kind: str) -> dict:
    """The Vega-Lite spec of chart ``kind`` without data (built once per process)."""
    return globals()[kind]().to_dict()


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as Vega-Lite reads them: dates as ISO text, missing values as null."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.astype(object).where(out.notna(), None).to_dict(orient="records")


def fill(kind: str, height: int, **datasets: pd.DataFrame) -> dict:
    """The chart ``kind`` with its rows (``main`` gets a ``序`` column: the frame's order) and its height."""
    spec = copy.deepcopy(template(kind))
    main = datasets["main"].reset_index(drop=True)
    datasets["main"] = main.assign(序=range(len(main)))
    spec["datasets"] = {name: _records(df) for name, df in datasets.items()}
    spec["height"] = height
    return spec


def today_frame(today: dt.date) -> pd.DataFrame:
    return pd.DataFrame({"今天": [today.isoformat()], "标注": [f"今天 {today.month}月{today.day}日"]})
