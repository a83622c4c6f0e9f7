"""督办：open notices by level and age; departments acknowledge and answer, the office closes, sends an answer
back or re-opens; the 督办通知单 as a Word document. The 通报 tab: the periodic bulletins (通报（第N期）)."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.domain.meetings import TargetKind
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.ui import guard, widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels import bulletins as bulletin_panel
from ylyx_tasks.ui.panels import notices as notice_panel
from ylyx_tasks.ui.panels.cockpit import notice_scope
from ylyx_tasks.ui.panels.meetings import instruction_panel

ctx = guard.page("notices")  # first: stops here unless signed in and allowed to read this page

with safely():
    st.title("督办")
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    notices_tab, bulletins_tab = st.tabs(["通知", "通报（第N期）"])
    with notices_tab:
        briefs = cached.notices(ctx.actor, plan_id=ctx.plan.id)
        notice_panel.summary(briefs, ctx.today, notice_scope(ctx.user.role))
        st.divider()
        shown, filters = notice_panel.filtered(ctx, briefs)
        st.caption(f"符合条件的通知 {len(shown)} 件。")
        by_id = {b.id: b for b in briefs}
        linked = st.query_params.get("notice")  # opened from a to-do row or a mail: that notice, once
        if linked and linked.isdigit() and int(linked) in by_id and st.session_state.get("nt_linked") != linked:
            st.session_state["nt_linked"] = linked
            if all(b.id != int(linked) for b in shown):
                shown = [by_id[int(linked)], *shown]
            st.session_state["nt_pick"] = int(linked)
        # When the filters are as before and a change (by anyone) took the notice being worked on out of the list,
        # it stays shown: the user sees what became of it, not another notice in its place.
        current = st.session_state.get("nt_pick")
        if filters == st.session_state.get("nt_filters") and current in by_id and all(b.id != current for b in shown):
            shown = [by_id[current], *shown]
        st.session_state["nt_filters"] = filters
        widgets.plain_table(notice_reads.notices_frame(shown, ctx.today), key="nt_table", empty="没有符合条件的通知。",
                            height=min(460, 38 + 35 * max(1, len(shown))))
        if any(b.calendar_fallback for b in shown):
            st.caption("反馈期限带 * 的，发出时该年度节假日安排尚未录入，按周一至周五为工作日推算。")
        if shown:
            options = {b.id: b for b in shown}
            chosen = st.selectbox("选择通知", list(options), key="nt_pick",
                                  format_func=widgets.labels(options, lambda b: b.label))
            notice_panel.detail(ctx, options[chosen])
            instruction_panel.write_box(ctx, TargetKind.NOTICE, chosen, key="nt_instr")
    with bulletins_tab:
        bulletin_panel.render(ctx)
