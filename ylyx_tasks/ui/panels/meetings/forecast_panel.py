"""预判: the lead unit's monthly forecast beside the light; where they disagree now, and which proved wrong."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.meetings import Forecast
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads.meetings import forecasts as forecast_reads
from ylyx_tasks.reads.plans import rules_for
from ylyx_tasks.reads.tasks import duties_of
from ylyx_tasks.services.meetings import forecasts
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.panels.meetings import common

OUTCOME = {True: "预判准确", False: "预判错误", None: ""}


def frame(rows: list[forecast_reads.ForecastRow], today) -> pd.DataFrame:
    return pd.DataFrame([{"任务": f"{r.code} {r.title}", "牵头单位": r.unit, "期次": r.period, "预判": r.forecast,
                          "当时": r.light_then, "灯号": r.light_now,
                          "与灯不一致": "是" if forecast_reads.disagrees_now(r, today) else "",
                          "结果": OUTCOME[r.came_true]} for r in rows])


def _form(ctx: Ctx) -> None:
    codes = common.task_codes(ctx.plan)
    if ctx.user.role == Role.LIAISON:
        with read_session() as s:
            led = {t for t, duty in duties_of(s, ctx.user.department_id).items() if duty == "牵头"}
        codes = {c: i for c, i in codes.items() if i in led}
    if not codes:
        return
    with st.form("fc_give"):
        st.markdown("**报送本月预判**（牵头单位，每月一次）")
        c1, c2 = st.columns(2)
        c1.selectbox("任务", list(codes), key="fc_task")
        c2.selectbox("预判", [f.value for f in Forecast], key="fc_value")
        st.text_input("说明", key="fc_note")
        actions.submit("报送预判", key="fc_submit", type="primary",
                       action=lambda s, f: forecasts.give(s, ctx.actor, task_id=codes[f["fc_task"]],
                                                          forecast=f["fc_value"], note=f["fc_note"] or "",
                                                          today=ctx.today),
                       success=lambda row: f"已报送 {row.period} 预判：{row.forecast}",
                       fields=["fc_task", "fc_value", "fc_note"], clear=["fc_note"])


def forecasts_tab(ctx: Ctx) -> None:
    if ctx.user.role in (Role.LIAISON, Role.OFFICE):
        _form(ctx)
    with read_session() as s:
        rows = forecast_reads.forecast_rows(s, ctx.plan.id, ctx.today, rules_for(ctx.plan))
    widgets.plain_table(frame(rows, ctx.today), key="fc_table", empty="还没有预判。")
