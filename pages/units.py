"""单位：scorecards of departments and counties (tasks led and supported, on-time completion, overdue, missing
reports, notices and 通报), the ranking, and the county × task matrix of reported progress."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.ui import guard
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels import units as units_panel

ctx = guard.page("units")  # first: stops here unless signed in and allowed to read this page

with safely():
    st.title("单位")
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    units_panel.render(ctx.today, ctx.plan)
