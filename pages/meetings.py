"""会商：会议（安排、会议材料、议定事项、会议纪要）、议定和交办事项、领导批示、回头看、单位预判."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.ui import guard
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels.meetings import forecast_panel, instruction_panel, meeting_panel, recheck_panel

ctx = guard.page("meetings")  # first: stops here unless signed in and allowed to read this page

with safely():
    st.title("会商")
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    meeting_tab, matters, orders, recheck, forecast = st.tabs(
        ["会议", "议定和交办事项", "领导批示", "回头看", "单位预判"], key="mt_tabs", on_change="rerun")
    with meeting_tab:
        meeting_panel.meetings_tab(ctx)
    with matters:
        meeting_panel.matters_tab(ctx)
    with orders:
        instruction_panel.instructions_tab(ctx)
    with recheck:
        recheck_panel.rechecks_tab(ctx)
    with forecast:
        forecast_panel.forecasts_tab(ctx)
