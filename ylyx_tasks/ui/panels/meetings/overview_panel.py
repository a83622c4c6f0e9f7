"""The 总览's panel for this issue: a leader's 批示 and what became of each; for everyone, where the units'
forecasts and the lights disagree this month and the forecasts that proved wrong."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads.meetings import forecasts as forecast_reads
from ylyx_tasks.reads.meetings import instructions as instruction_reads
from ylyx_tasks.reads.plans import PlanInfo, rules_for
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.panels.meetings.common import local_day
from ylyx_tasks.ui.panels.meetings.forecast_panel import frame

MEETINGS_PAGE = "pages/meetings.py"


@st.cache_data(show_spinner=False, max_entries=cached.ENTRIES)
def _read(db: str, v: int, today: dt.date, plan: PlanInfo, leader_id: int | None
          ) -> tuple[list[instruction_reads.InstructionRow], list[forecast_reads.ForecastRow]]:
    """Keyed like the other cached reads (database, data version, today): any write shows at once."""
    with read_session() as s:
        mine = instruction_reads.instructions(s, plan.id, leader_id=leader_id) if leader_id is not None else []
        return mine, forecast_reads.forecast_rows(s, plan.id, today, rules_for(plan))


def panel(ctx: Ctx) -> None:
    """Drawn after the 总览's own content (one call from pages/overview.py)."""
    if ctx.plan is None:
        return
    leader = ctx.user.user_id if ctx.user.role == Role.LEADER else None
    mine, rows = _read(cached.db(), cached.version(), ctx.today, ctx.plan, leader)
    if ctx.user.role == Role.LEADER:
        st.divider()
        st.subheader("我的批示")
        if mine:
            # the state first: on a phone the first columns are what shows
            widgets.plain_table(pd.DataFrame([{
                "结果": r.state.value, "批示": r.text,
                "最近答复": f"{r.last_answer.unit}：{r.last_answer.text}" if r.last_answer else "",
                "交办事项": "、".join(r.matter_ids), "对象": r.target, "日期": local_day(r.at)} for r in mine]),
                key="ov_instructions")
            st.page_link(MEETINGS_PAGE, label="办结或再次批示", icon=":material/edit_note:")
        else:
            st.caption("还没有批示：在任务页、督办通知或指标页上可以直接写批示。")
    disagree = forecast_reads.disagreements(rows, ctx.today)
    wrong = forecast_reads.wrong(rows)
    if disagree or wrong:
        st.divider()
        st.subheader("单位预判与亮灯")
        if disagree:
            st.markdown(f"**本月预判与灯不一致 {len(disagree)} 项**")
            widgets.plain_table(frame(disagree, ctx.today), key="ov_forecast_disagree")
        if wrong:
            st.markdown(f"**事后证明预判错误 {len(wrong)} 项**")
            widgets.plain_table(frame(wrong, ctx.today), key="ov_forecast_wrong")
