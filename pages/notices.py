"""督办：open notices by level and age; departments acknowledge and answer, the office closes, re-opens and
escalates; the 督办通知单 as a Word document."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.services import notice_desk
from ylyx_tasks.ui import data, guard, notice_panel, widgets
from ylyx_tasks.ui.feedback import safely

ctx = guard.page("notices")  # first: stops here unless signed in and allowed to read this page

with safely():
    st.title("督办")
    briefs = data.notices(ctx.actor)
    notice_panel.summary(briefs, ctx.today)
    st.divider()
    shown = notice_panel.filtered(ctx, briefs)
    st.caption(f"符合条件的通知 {len(shown)} 件。")
    widgets.plain_table(notice_desk.notices_frame(shown, ctx.today), key="nt_table", empty="没有符合条件的通知。",
                        height=min(460, 38 + 35 * max(1, len(shown))))
    if shown:
        by_id = {b.id: b for b in shown}
        chosen = st.selectbox("选择通知", list(by_id), key="nt_pick", format_func=lambda i: by_id[i].label)
        notice_panel.detail(ctx, by_id[chosen])
