"""指标：the 25 indicators of the plan's table and section 二's further goals — baseline, target, nature,
latest value and whether it is met; a trend per indicator; yearly value entry (the office)."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.domain.meetings import TargetKind
from ylyx_tasks.ui import guard
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels import indicators as indicator_panel
from ylyx_tasks.ui.panels.meetings import instruction_panel

ctx = guard.page("indicators")  # first: stops here unless signed in and allowed to read this page

with safely():
    st.title("指标")
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    rows = cached.indicator_rows(ctx.plan.id)
    if not rows:
        st.warning("还没有载入指标。")
        st.stop()
    indicator_panel.tables(rows)
    st.divider()
    indicator_panel.trend(ctx, rows)
    instruction_panel.write_box(ctx, TargetKind.INDICATOR, st.session_state["ind_pick"], key="ind_instr")
    indicator_panel.entry(ctx, rows)
