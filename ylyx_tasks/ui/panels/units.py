"""The units page's panels (单位): scorecards of departments and of counties, the ranking (红黑榜), and the
county × task matrix of reported progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.domain.scoring import DEDUCTIONS, Scorecard
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.scorecards import split_by_kind
from ylyx_tasks.services.plan.workbook import scorecards_frame
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.fmt import pct


def _podium(cards: list[Scorecard], *, counties: bool) -> None:
    """红黑榜: departments by on-time completion; counties (which lead no milestone) by their reporting."""
    measured = [c for c in cards if c.on_time_rate is not None] if not counties else list(cards)
    if len(measured) < 2:
        st.caption("到期节点还太少，暂不排红黑榜。")
        return
    n = min(3, len(measured) // 2)
    left, right = st.columns(2)
    if counties:
        describe = lambda c: f"{c.department} · 未按时报送 {c.missing_reports} · 得分 {c.score}"  # noqa: E731
        titles = ("**红榜**（属地进展报送最及时）", "**黑榜**（未按时报送最多）")
    else:
        describe = lambda c: (f"{c.department} · 按时完成率 {pct(c.on_time_rate)} · 逾期 {c.overdue}"  # noqa: E731
                              f" · 通报 {c.circulate}")
        titles = ("**红榜**（按时完成率最高）", "**黑榜**（按时完成率最低或问题最多）")
    with left:
        st.markdown(titles[0])
        for c in measured[:n]:
            st.markdown(f":material/military_tech: {describe(c)}")
    with right:
        st.markdown(titles[1])
        for c in reversed(measured[-n:]):
            st.markdown(f":material/warning: {describe(c)}")


DEPARTMENT_HIDDEN = ["类别", "属地任务"]
COUNTY_HIDDEN = ["类别", "牵头任务", "配合任务", "到期节点", "按时完成", "按时完成率(%)", "逾期节点"]


def scorecards(cards: list[Scorecard], key: str, plan_id: int, *, counties: bool = False) -> None:
    _podium(cards, counties=counties)
    df = scorecards_frame(cards)
    df["按时完成率(%)"] = [pct(c.on_time_rate) for c in cards]  # "—" where nothing is due yet
    if counties:
        m = cached.county_matrix(plan_id)
        df.insert(3, "已报送属地任务", [m.reported_by(name) for name in df["单位"]])
    df = df.drop(columns=COUNTY_HIDDEN if counties else DEPARTMENT_HIDDEN)
    widgets.plain_table(df, key=key, height=min(720, 38 + 35 * max(1, len(df))))


def _cell(value) -> str:
    if pd.isna(value):
        return "color: #9e9e9e"
    if value >= 80:
        return "background-color: #e8f5e9"
    if value >= 50:
        return "background-color: #fffde7"
    return "background-color: #ffebee"


def county_matrix(plan_id: int) -> None:
    m = cached.county_matrix(plan_id)
    df = m.frame()
    if df.empty:
        st.caption("暂无县（市、区）承担属地责任的任务。")
        return
    coverage = m.coverage()
    st.caption("各县（市、区）对其承担属地责任的任务最近一次报送的完成进度（%）；“—”表示尚未报送。"
               + (f" 已报送覆盖率 {pct(coverage)}。" if coverage is not None else ""))
    counties = [c for c in df.columns if c != "任务"]
    config = {c: st.column_config.Column(c, help=m.full_names.get(c, c)) for c in counties}
    shown = df.style.map(_cell, subset=counties).format("{:.0f}%", subset=counties, na_rep="—")
    st.dataframe(shown, key="un_matrix", width="stretch", column_config=config,
                 height=min(760, 38 + 35 * len(df)))


def rules() -> None:
    st.markdown(
        "- **按时完成率**：牵头节点中，在现期限（含经批准的延期）内办结的比例；未经批准逾期的按原期限计。\n"
        "- **排名**：先按按时完成率，再按逾期节点、未按时报送、通报次数由少到多。\n"
        f"- **得分**：100 分起，每个逾期节点扣 {DEDUCTIONS['overdue']} 分，每次未按时报送扣 {DEDUCTIONS['missing_report']} 分，"
        f"每次催报扣 {DEDUCTIONS['chased']} 分，每次督办扣 {DEDUCTIONS['supervise']} 分，每次通报扣 {DEDUCTIONS['circulate']} 分，"
        f"同一节点重复通报再扣 {DEDUCTIONS['repeat_circulate']} 分。")


def render(today, plan: PlanInfo) -> None:
    departments, counties = split_by_kind(cached.unit_scorecards(today, plan))
    t1, t2, t3, t4 = st.tabs(["市直部门及其他单位", "县（市、区）", "县区 × 任务进展", "评分规则"])
    with t1:
        scorecards(departments, key="un_departments", plan_id=plan.id)
    with t2:
        scorecards(counties, key="un_counties", plan_id=plan.id, counties=True)
    with t3:
        county_matrix(plan.id)
    with t4:
        rules()
