"""The indicators page's panels (指标): the table with latest values and whether each target is met
(comparator-aware), a trend chart per indicator, and yearly value entry with its source (the office)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.domain.roles import Permission
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.reads.indicators import IndicatorRow
from ylyx_tasks.services import indicators
from ylyx_tasks.services.mail.templates import cn_number
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.charts import specs as chart_specs
from ylyx_tasks.ui.guard import Ctx

COMPARATOR_WORDS = {"≥": "≥ 不低于", ">": "> 高于", "=": "= 保持", "≤": "≤ 压减至"}
TABLE_SOURCE = "主要指标表"


def frame(rows: list[IndicatorRow]) -> pd.DataFrame:
    out = []
    for row in rows:
        ind, latest = row.indicator, row.latest
        out.append({"类别": ind.group, "序号": ind.no, "指标": ind.name, "单位": ind.unit,
                    "基期": f"{row.base_year}年 {ind.baseline_text or '—'}",
                    "目标": f"{row.target_year}年 {ind.target_text or '—'}",
                    "阶段目标": "；".join(f"{y}年 {v:g}" for y, v in sorted(row.trajectory.items())),
                    "比较": COMPARATOR_WORDS.get(ind.comparator, ind.comparator), "属性": ind.nature or "未标注",
                    "最新值": cn_number(latest.value) if latest else "—", "最新年份": str(latest.year) if latest else "—",
                    "是否达标": {True: "已达标", False: "未达标", None: "无数据"}[row.met],
                    "进度": {True: "落后于序时", False: "正常", None: ""}[row.off_track],
                    "说明": ind.note})
    # the verdict beside the indicator's name (a phone shows only the first columns); the figures after it
    return pd.DataFrame(out, columns=["序号", "指标", "是否达标", "进度", "最新值", "最新年份", "目标", "基期", "单位",
                                      "阶段目标", "比较", "属性", "说明", "类别"])


def tables(rows: list[IndicatorRow]) -> None:
    main = [r for r in rows if r.indicator.source == TABLE_SOURCE]
    extra = [r for r in rows if r.indicator.source != TABLE_SOURCE]
    t1, t2 = st.tabs([f"主要指标表（{len(main)} 项）", f"第二部分其他量化目标（{len(extra)} 项）"])
    with t1:
        widgets.plain_table(frame(main), key="ind_table", height=38 + 35 * max(1, len(main)))
    with t2:
        st.caption("方案第二部分（发展目标）提出、主要指标表未列的量化目标；与表中数字不一致处两者均保留，见“说明”。")
        widgets.plain_table(frame(extra), key="ind_extra", height=38 + 35 * max(1, len(extra)))


def _name(r: IndicatorRow) -> str:
    return f"{r.indicator.group} {r.indicator.no}. {r.label}"


def trend(ctx: Ctx, rows: list[IndicatorRow]) -> None:
    by_id = {r.indicator.id: r for r in rows}
    chosen = st.selectbox("查看指标趋势", list(by_id), key="ind_pick",
                          format_func=widgets.labels(by_id, _name))
    row = by_id[chosen]
    spec = chart_specs.indicator_trend(ctx.plan.id, chosen)
    left, right = st.columns([3, 2])
    with left:
        if spec is None:
            st.caption("该指标尚无数值。")
        else:
            st.vega_lite_chart(spec, width="stretch")
    with right:
        values = pd.DataFrame([{"年份": v.year, "数值": v.value, "数据来源": v.note} for v in row.values],
                              columns=["年份", "数值", "数据来源"])
        widgets.plain_table(values, key="ind_values", empty="尚未录入年度数值。")
        ind = row.indicator
        words = COMPARATOR_WORDS.get(ind.comparator, ind.comparator).split()[-1]
        st.caption(f"{row.target_year} 年目标：{ind.target_text or '—'}{ind.unit}（{words}）；{row.base_year} 年基期值："
                   f"{ind.baseline_text or '—'}{ind.unit if ind.baseline_text else ''}。{ind.note}")
        if row.county_targets:
            st.caption("县（市、区）目标：" + "；".join(f"{c} {y}年 {v:g}" for c, y, v in row.county_targets))


def entry(ctx: Ctx, rows: list[IndicatorRow]) -> None:
    if not ctx.can(Permission.EDIT_INDICATOR):
        return
    by_id = {r.indicator.id: r for r in rows}
    fields = ["ind_entry_indicator", "ind_entry_year", "ind_entry_value", "ind_entry_note"]
    with st.form("ind_entry"):
        st.markdown("**录入年度数值**（同一年份再次录入即为更正，留有记录）")
        st.selectbox("指标", list(by_id), key="ind_entry_indicator",
                     format_func=widgets.labels(by_id, _name))
        c1, c2 = st.columns(2)
        c1.number_input("年份", min_value=indicators.FIRST_YEAR, max_value=indicators.LAST_YEAR,
                        value=min(indicators.LAST_YEAR, max(indicators.FIRST_YEAR, ctx.today.year - 1)), step=1,
                        key="ind_entry_year")
        c2.number_input("数值", value=None, step=0.1, format="%.2f", key="ind_entry_value")
        st.text_input("数据来源", key="ind_entry_note", placeholder="如：某年国民经济和社会发展统计公报、部门报表")
        actions.submit("保存", key="ind_entry_submit", type="primary", fields=fields, clear=["ind_entry_note"],
                       action=lambda s, f: _record(s, ctx, f),
                       success=lambda v: f"已保存 {by_id[v.indicator_id].label} {v.year} 年数值。")


def _record(s, ctx: Ctx, f: dict):
    if f["ind_entry_value"] is None:
        raise WorkflowError("请填写数值")
    return indicators.record_value(s, ctx.actor, indicator_id=f["ind_entry_indicator"], year=int(f["ind_entry_year"]),
                                   value=float(f["ind_entry_value"]), note=f["ind_entry_note"] or "")
