"""The units page's panels (单位): scorecards of departments and of counties, the ranking (红黑榜), and the
county × task matrix of reported progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.domain.scoring import DEDUCTIONS, Scorecard
from ylyx_tasks.services.scorecards import split_by_kind
from ylyx_tasks.services.workbook import scorecards_frame
from ylyx_tasks.ui import data, widgets
from ylyx_tasks.ui.fmt import pct


def _podium(cards: list[Scorecard]) -> None:
    measured = [c for c in cards if c.on_time_rate is not None]
    if len(measured) < 2:
        st.caption("到期节点还太少，暂不排红黑榜。")
        return
    n = min(3, len(measured) // 2)
    left, right = st.columns(2)
    with left:
        st.markdown("**红榜**（按时完成率最高）")
        for c in measured[:n]:
            st.markdown(f":material/military_tech: {c.department} · 按时完成率 {pct(c.on_time_rate)} · 得分 {c.score}")
    with right:
        st.markdown("**黑榜**（按时完成率最低或问题最多）")
        for c in reversed(measured[-n:]):
            st.markdown(f":material/warning: {c.department} · 按时完成率 {pct(c.on_time_rate)} · 逾期 {c.overdue} · 通报 {c.circulate}")


def scorecards(cards: list[Scorecard], key: str) -> None:
    _podium(cards)
    df = scorecards_frame(cards)
    df["按时完成率(%)"] = [pct(c.on_time_rate) for c in cards]  # "—" where nothing is due yet
    widgets.plain_table(df, key=key, height=min(720, 38 + 35 * max(1, len(df))))


def _cell(value) -> str:
    if pd.isna(value):
        return "color: #9e9e9e"
    if value >= 80:
        return "background-color: #e8f5e9"
    if value >= 50:
        return "background-color: #fffde7"
    return "background-color: #ffebee"


def county_matrix() -> None:
    m = data.county_matrix()
    df = m.frame()
    if df.empty:
        st.caption("暂无县（市、区）承担属地责任的任务。")
        return
    coverage = m.coverage()
    st.caption("各县（市、区）对其承担属地责任的任务最近一次报送的完成进度（%）；空白表示尚未报送。"
               + (f" 已报送覆盖率 {pct(coverage)}。" if coverage is not None else ""))
    titles = dict(m.tasks)
    config = {code: st.column_config.NumberColumn(code, help=titles[code], format="%d%%") for code in df.columns}
    st.dataframe(df.style.map(_cell), key="un_matrix", width="stretch", column_config=config,
                 height=38 + 35 * len(df))
    with st.expander("任务编号对照"):
        widgets.plain_table(pd.DataFrame([{"编号": c, "任务": t} for c, t in m.tasks]), key="un_matrix_codes")


def rules() -> None:
    st.markdown(
        "- **按时完成率**：牵头节点中，在现期限（含经批准的延期）内办结的比例；未经批准逾期的按原期限计。\n"
        "- **排名**：先按按时完成率，再按逾期节点、未按时报送、通报次数由少到多。\n"
        f"- **得分**：100 分起，每个逾期节点扣 {DEDUCTIONS['overdue']} 分，每次未按时报送扣 {DEDUCTIONS['missing_report']} 分，"
        f"每次催报扣 {DEDUCTIONS['chased']} 分，每次督办扣 {DEDUCTIONS['supervise']} 分，每次通报扣 {DEDUCTIONS['circulate']} 分，"
        f"同一节点重复通报再扣 {DEDUCTIONS['repeat_circulate']} 分。")


def render(today) -> None:
    departments, counties = split_by_kind(data.unit_scorecards(today))
    t1, t2, t3, t4 = st.tabs(["市直部门及其他单位", "县（市、区）", "县区 × 任务进展", "评分规则"])
    with t1:
        scorecards(departments, key="un_departments")
    with t2:
        scorecards(counties, key="un_counties")
    with t3:
        county_matrix()
    with t4:
        rules()
