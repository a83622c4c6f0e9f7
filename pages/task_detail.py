"""任务详情：the clause in the plan's words, units, milestones, the forms this user may use, reviews, notices
and the full history of one task."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.domain.requests import RequestKind
from ylyx_tasks.domain.meetings import TargetKind
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.ui import guard
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.cached import tasks as cached_tasks
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels import task_forms, task_info, task_review
from ylyx_tasks.ui.panels.meetings import instruction_panel

ctx = guard.page("task_detail")  # first: stops here unless signed in and allowed to read this page


def _overview(ctx, v) -> None:
    task_info.clause(v)
    left, right = st.columns([2, 3], gap="large")
    with left:
        task_info.units(v, ctx.plan.territorial_phrase)
    with right:
        task_info.milestones(v)


def _handling(ctx, v, record) -> None:
    pending_ext = {r.milestone_id for r in record.requests
                   if r.kind == RequestKind.EXTEND and r.status == task_review.PENDING}
    task_info.own_share(ctx, record)
    acted = task_review.claims(ctx, v, record)
    acted |= task_review.extensions(ctx, v, record)
    mine = task_info.own_latest(ctx, record)
    acted |= task_forms.department_forms(ctx, v, pending_ext, own_percent=mine.percent if mine else None)
    acted |= task_review.reopen(ctx, v)
    if not acted:
        if ctx.user.role == Role.LEADER:
            st.info("领导账号可查看全部情况，不办理具体事项。")
        else:
            st.info("你对本任务没有需要办理的事项（仅可查看）。")
    task_info.reports(v, record)
    task_info.requests(v, record)


with safely():
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    entry = task_info.pick_task(ctx)
    if entry is None:
        st.warning("还没有载入方案。")
        st.stop()
    v = cached_tasks.task_view(ctx.today, entry.id)
    if v is None:  # removed since the selector was read
        st.warning("该任务已不在方案中。")
        st.stop()
    record = cached.task_record(v.id)
    task_info.header(v)
    instruction_panel.write_box(ctx, TargetKind.TASK, v.id, key="td_instr")  # a leader's 批示, phone included
    # Keyed and tracked: after a form is sent, the page comes back on the same tab. Every tab is drawn on every run
    # (drawing only the open one saved little, and a tab whose content waits for a rerun after the click is a
    # page that can stay empty: one of 60 people at once saw that in the load test).
    overview, handling, notices, log = st.tabs(["概况", "办理", "督办通知", "办理记录"], key="td_tabs",
                                               on_change="rerun")
    with overview:
        _overview(ctx, v)
    with handling:
        _handling(ctx, v, record)
    with notices:
        task_info.task_notices(ctx, v)
    with log:
        task_info.full_history(v.id, record)
