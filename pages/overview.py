"""总览：领导驾驶舱 — headline figures (each leads to its list), charts, the overdue list, my to-do list."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.ui import guard
from ylyx_tasks.ui.cached import tasks as cached_tasks
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels import cockpit
from ylyx_tasks.ui.panels.meetings import overview_panel

ctx = guard.page("overview")  # first: stops here unless signed in and allowed to read this page

with safely():
    st.title("总览")
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    plan = ctx.plan
    st.caption(f"{plan.title}（{plan.doc_number}，{plan.state(ctx.today)}） · 截至 {ctx.today.year}年{ctx.today.month}月{ctx.today.day}日")
    first = st.container()  # filled below, once the filters are read: what is overdue comes first
    cockpit.todo(ctx)
    scope = cockpit.filters(plan)
    model = cached_tasks.cockpit(ctx.today, plan, ctx.actor, scope)
    with first:
        cockpit.first_screen(model, ctx.user.role)
    st.divider()
    cockpit.headline(model.figures, ctx.user.role, plan.id)
    cockpit.figure_list(ctx, model.figures, scope)
    cockpit.overdue_panel(model)
    st.divider()
    cockpit.chart_panels(ctx, model, scope)
    cockpit.indicator_panel(ctx)
    overview_panel.panel(ctx)  # a leader's 批示 and what became of them; forecasts against the lights
