"""The task page's review panels: completion claims (审核通过 / 退回重办, the office or the task's working
group), extension requests (审批, the office) and re-opening a milestone accepted by mistake (the office)."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.domain.roles import Permission
from ylyx_tasks.services import history, workflow
from ylyx_tasks.services.overview import TaskView
from ylyx_tasks.ui import task_info
from ylyx_tasks.ui.feedback import perform
from ylyx_tasks.ui.fmt import iso, md_escape
from ylyx_tasks.ui.guard import Ctx

PENDING = "待审核"


def _request_box(v: TaskView, r: history.RequestRow) -> None:
    m = next((m for m in v.milestones if m.id == r.milestone_id), None)
    st.markdown(f"**{r.kind}申请** · {m.key + '年节点' if m else ''} · {r.department} · {r.by or '—'}")
    st.markdown(md_escape(r.text))
    if r.links:
        st.caption("佐证链接：")
        st.code(r.links, language=None)
    if r.new_due_date:
        st.caption(f"申请将期限由 {iso(m.due_date) if m else '—'} 延至 {iso(r.new_due_date)}")
    task_info.files(v.id, r.files, key=f"td_review_file_{r.id}")


def claims(ctx: Ctx, v: TaskView, record: history.TaskRecord, version: int) -> bool:
    pending = [r for r in record.requests if r.kind == workflow.KIND_DONE and r.status == PENDING]
    if not pending or not ctx.can(Permission.REVIEW, v.scope()):
        return False
    for r in pending:
        with st.container(border=True):
            _request_box(v, r)
            with st.form(f"td_review_{r.id}", clear_on_submit=True):
                note = st.text_area("审核意见（退回时必填）", key=f"td_review_note_{r.id}")
                c1, c2, _ = st.columns([1, 1, 3])
                accept = c1.form_submit_button("审核通过（办结销号）", type="primary", key=f"td_accept_{r.id}")
                reject = c2.form_submit_button("退回重办", key=f"td_reject_{r.id}")
            if accept:
                perform(lambda s: workflow.accept(s, ctx.actor, milestone_id=r.milestone_id, today=ctx.today,
                                                  note=note, expected_version=version), success="已审核通过，节点办结销号。")
            if reject:
                perform(lambda s: workflow.reject(s, ctx.actor, milestone_id=r.milestone_id, reason=note,
                                                  today=ctx.today, expected_version=version), success="已退回重办。")
    return True


def extensions(ctx: Ctx, v: TaskView, record: history.TaskRecord, version: int) -> bool:
    pending = [r for r in record.requests if r.kind == workflow.KIND_EXTEND and r.status == PENDING]
    if not pending or not ctx.can(Permission.DECIDE_EXTENSION, v.scope()):
        return False
    for r in pending:
        with st.container(border=True):
            _request_box(v, r)
            with st.form(f"td_decide_{r.id}", clear_on_submit=True):
                note = st.text_area("审批意见（不批准时必填）", key=f"td_decide_note_{r.id}")
                c1, c2, _ = st.columns([1, 1, 3])
                approve = c1.form_submit_button("批准延期", type="primary", key=f"td_approve_{r.id}")
                refuse = c2.form_submit_button("不批准", key=f"td_refuse_{r.id}")
            if approve or refuse:
                perform(lambda s: workflow.decide_extension(s, ctx.actor, request_id=r.id, approve=bool(approve),
                                                            today=ctx.today, note=note, expected_version=version),
                        success="已批准延期，节点期限已调整（原定期限保留）。" if approve else "已不批准延期。")
    return True


def reopen(ctx: Ctx, v: TaskView, version: int) -> bool:
    done = [m for m in v.milestones if m.done]
    if not done or not ctx.can(Permission.DECIDE_EXTENSION, v.scope()):  # office only, as the service says
        return False
    by_id = {m.id: m for m in done}
    with st.expander("撤销办结（误办结时使用）"):
        with st.form("td_reopen", clear_on_submit=True):
            milestone = st.selectbox("节点", list(by_id), key="td_reopen_milestone",
                                     format_func=lambda i: f"{by_id[i].key}年节点（{iso(by_id[i].completed_on)} 办结）")
            reason = st.text_area("撤销理由", key="td_reopen_reason")
            submitted = st.form_submit_button("撤销办结", key="td_reopen_submit")
        if submitted:
            perform(lambda s: workflow.reopen(s, ctx.actor, milestone_id=milestone, reason=reason, today=ctx.today,
                                              expected_version=version), success="已撤销办结，节点恢复为推进中。")
    return True
