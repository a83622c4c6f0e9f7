"""The task page's review panels: completion claims (审核通过 / 退回重办, the office or the task's working
group), extension requests (审批, the office) and re-opening a milestone accepted by mistake (the office)."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.domain.requests import RequestKind, RequestStatus
from ylyx_tasks.domain.roles import Permission
from ylyx_tasks.domain.status import Action, allowed_actions
from ylyx_tasks.db import read_session
from ylyx_tasks.reads import history
from ylyx_tasks.reads.meetings.rechecks import evidence_matches
from ylyx_tasks.reads.tasks import TaskView
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.fmt import iso, md_escape
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.panels import task_info

PENDING = RequestStatus.PENDING


def _request_box(v: TaskView, r: history.RequestRow) -> None:
    m = next((m for m in v.milestones if m.id == r.milestone_id), None)
    st.markdown(f"**{r.kind}申请** · {md_escape(m.label) if m else ''} · {md_escape(r.department)} · "
                f"{md_escape(r.by) if r.by else '—'}")
    st.markdown(md_escape(r.text))
    if r.links:
        st.caption("佐证链接：")
        st.code(r.links, language=None)
    if r.new_due_date:
        st.caption(f"申请将期限由 {iso(m.due_date) if m else '—'} 延至 {iso(r.new_due_date)}")
    task_info.files(v.id, r.files, key=f"td_review_file_{r.id}")
    with read_session() as s:  # 纸面销号: files identical to another matter's, flagged when the claim was made
        same = evidence_matches(s, v.plan_id, request_id=r.id)
    for match in same:
        st.warning(f"佐证文件“{match.filename}”与任务 {match.other_code} 的“{match.other_filename}”内容完全相同，"
                   "请核实是否为同一材料重复使用。")


def claims(ctx: Ctx, v: TaskView, record: history.TaskRecord) -> bool:
    pending = [r for r in record.requests if r.kind == RequestKind.DONE and r.status == PENDING]
    if not pending or not ctx.can(Permission.REVIEW, v.scope()):
        return False
    for r in pending:
        note = f"td_review_note_{r.id}"
        with st.container(border=True):
            _request_box(v, r)
            with st.form(f"td_review_{r.id}"):
                st.text_area("审核意见（退回时必填）", key=note)
                c1, c2, _ = st.columns([1, 1, 3])
                with c1:
                    actions.submit("审核通过（办结销号）", key=f"td_accept_{r.id}", type="primary", fields=[note],
                                   clear=[note], success="已审核通过，节点办结销号。",
                                   action=lambda s, f, r=r: workflow.accept(
                                       s, ctx.actor, milestone_id=r.milestone_id, today=ctx.today, note=f[note] or "",
                                       expected_version=v.version))
                with c2:
                    actions.submit("退回重办", key=f"td_reject_{r.id}", fields=[note], clear=[note],
                                   success="已退回重办。",
                                   action=lambda s, f, r=r: workflow.reject(
                                       s, ctx.actor, milestone_id=r.milestone_id, reason=f[note] or "",
                                       today=ctx.today, expected_version=v.version))
    return True


def extensions(ctx: Ctx, v: TaskView, record: history.TaskRecord) -> bool:
    pending = [r for r in record.requests if r.kind == RequestKind.EXTEND and r.status == PENDING]
    if not pending or not ctx.can(Permission.DECIDE_EXTENSION, v.scope()):
        return False
    for r in pending:
        note = f"td_decide_note_{r.id}"
        with st.container(border=True):
            _request_box(v, r)
            with st.form(f"td_decide_{r.id}"):
                st.text_area("审批意见（不批准时必填）", key=note)
                c1, c2, _ = st.columns([1, 1, 3])
                for column, approve, label, key, done in (
                        (c1, True, "批准延期", f"td_approve_{r.id}", "已批准延期，节点期限已调整（原定期限保留）。"),
                        (c2, False, "不批准", f"td_refuse_{r.id}", "已不批准延期。")):
                    with column:
                        actions.submit(label, key=key, type="primary" if approve else "secondary", fields=[note],
                                       clear=[note], success=done,
                                       action=lambda s, f, r=r, approve=approve: workflow.decide_extension(
                                           s, ctx.actor, request_id=r.id, approve=approve, today=ctx.today,
                                           note=f[note] or "", expected_version=v.version))
    return True


def reopen(ctx: Ctx, v: TaskView) -> bool:
    done = {m.id: m for m in v.milestones if Action.REOPEN in allowed_actions(m.status)}
    if not done or not ctx.can(Permission.DECIDE_EXTENSION, v.scope()):  # office only, as the service says
        return False
    with st.expander("撤销办结（误办结时使用）"), st.form("td_reopen"):
        which = widgets.option_key("td_reopen_milestone", done)
        st.selectbox("节点", list(done), key=which,
                     format_func=widgets.labels(done, lambda m: f"{m.label}（{iso(m.completed_on)} 办结）"))
        st.text_area("撤销理由", key="td_reopen_reason")
        actions.submit("撤销办结", key="td_reopen_submit", fields=[which, "td_reopen_reason"],
                       clear=["td_reopen_reason"], success="已撤销办结，节点恢复为推进中。",
                       action=lambda s, f: workflow.reopen(s, ctx.actor, milestone_id=f[which],
                                                           reason=f["td_reopen_reason"] or "", today=ctx.today,
                                                           expected_version=v.version))
    return True
