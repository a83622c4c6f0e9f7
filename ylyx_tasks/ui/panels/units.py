"""The units page's panels (单位): scorecards of departments and of counties, the ranking (红黑榜), and the
county × task matrix of reported progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.domain.scoring import DEDUCTIONS, SCORE_RULE, Scorecard, ranked_and_apart
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.scorecards import split_by_kind
from ylyx_tasks.services.plan.workbook import scorecards_frame
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.fmt import md_escape, pct


def _podium(cards: list[Scorecard], *, counties: bool) -> None:
    """红黑榜 by the score (the rule is shown beside it); units with nothing measurable yet are not on it."""
    measured = [c for c in cards if c.measurable]
    if len(measured) < 2:
        st.caption("可比较的单位还太少，暂不排红黑榜。")
        return
    n = min(3, len(measured) // 2)
    left, right = st.columns(2)
    describe = lambda c: f"{c.department} · 得分 {c.score}（{c.deductions}）"  # noqa: E731
    with left:
        st.markdown("**红榜**（得分最高）")
        for c in measured[:n]:
            st.markdown(f":material/military_tech: {md_escape(describe(c))}")
    with right:
        st.markdown("**黑榜**（得分最低）")
        for c in reversed(measured[-n:]):
            st.markdown(f":material/warning: {md_escape(describe(c))}")
    st.caption(SCORE_RULE)


DEPARTMENT_HIDDEN = ["类别", "属地任务"]
COUNTY_HIDDEN = ["类别", "牵头任务", "配合任务", "到期节点", "按时完成", "按时完成率(%)", "逾期节点"]


def scorecards(cards: list[Scorecard], key: str, plan_id: int, *, counties: bool = False) -> None:
    _podium(cards, counties=counties)
    ranked, apart = ranked_and_apart(cards)
    df = scorecards_frame(ranked)
    df["按时完成率(%)"] = [pct(c.on_time_rate) for c in ranked]  # "—" where nothing is due yet
    if counties:
        m = cached.county_matrix(plan_id)
        df.insert(3, "已报送属地任务", [m.reported_by(name) for name in df["单位"]])
    df = df.drop(columns=COUNTY_HIDDEN if counties else DEPARTMENT_HIDDEN)
    widgets.plain_table(df, key=key, height=min(720, 38 + 35 * max(1, len(df))))
    if apart:
        what = "尚无应报送的属地进展" if counties else "尚无到期节点"
        st.caption(md_escape(f"{what}、不参与排名（{len(apart)} 个）：" + "、".join(
            f"{c.department}（牵头 {c.led}、配合 {c.supported}）" if not counties else c.department for c in apart)))


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
        f"- **排名**：{SCORE_RULE}\n"
        f"- **得分**：100 分起，每个逾期节点扣 {DEDUCTIONS['overdue']} 分，每次未按时报送扣 {DEDUCTIONS['missing_report']} 分，"
        f"每次催报扣 {DEDUCTIONS['chased']} 分，每次督办扣 {DEDUCTIONS['supervise']} 分，每个列入已印发通报（第N期）的事项扣 {DEDUCTIONS['circulate']} 分，"
        f"同一节点在以后各期再次被通报的，每次再扣 {DEDUCTIONS['repeat_circulate']} 分。")


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
