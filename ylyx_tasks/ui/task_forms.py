"""The task page's forms for departments: progress report, completion claim, extension request. Each is shown
only when the user's role may use it; the services check again. Each passes the task version the user saw as
``expected_version``: an edit made meanwhile by someone else is refused, never overwritten."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ylyx_tasks.domain.roles import Permission, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.services import workflow
from ylyx_tasks.services.overview import MilestoneView, TaskView
from ylyx_tasks.services.workflow import Upload
from ylyx_tasks.ui.feedback import perform
from ylyx_tasks.ui.guard import Ctx


def seen_version(kind: str, obj_id: int, current: int) -> int:
    """The version of the object the user saw when the form was drawn (in the previous run), and remember
    ``current`` for the next run. A submission reruns the script, which would otherwise read the new version."""
    key = f"ylyx_seen_{kind}_{obj_id}"
    previous = st.session_state.get(key, current)
    st.session_state[key] = current
    return previous


def uploads(files) -> list[Upload]:
    return [Upload(f.name, f.getvalue(), f.type or "application/octet-stream") for f in files or []]


def _label(m: MilestoneView) -> str:
    return f"{m.key}年节点（现期限 {m.due_date.isoformat()}，{m.status}）"


def report_form(ctx: Ctx, v: TaskView, version: int) -> None:
    open_ms = [m for m in v.milestones if not m.done]
    duty = v.duty_of(ctx.user.department_id)
    with st.form("td_report", clear_on_submit=True):
        st.markdown("**报送进展**")
        department = None
        if ctx.user.role == Role.LIAISON:
            st.caption(f"以 {ctx.user.department}（{duty}）身份报送" + ("" if duty == "牵头" else "：报送本单位承担部分"))
        else:
            units = {u.id: f"{u.name}（{u.duty}）" for u in v.units}
            department = st.selectbox("代为报送的单位", list(units), format_func=units.get, key="td_report_dept")
        c1, c2 = st.columns([1, 3])
        percent = c1.number_input("完成进度（%）", min_value=0, max_value=100, step=5,
                                  value=v.progress if duty == "牵头" else 0, key="td_report_percent")
        labels = {0: "（不指定）", **{m.id: _label(m) for m in open_ms}}
        milestone = c2.selectbox("对应节点", list(labels), key="td_report_milestone", format_func=labels.get,
                                 index=1 if open_ms else 0) or None
        text = st.text_area("进展情况", key="td_report_text", max_chars=workflow.MAX_TEXT,
                            placeholder="本期完成的工作、存在的问题和下步打算")
        evidence = st.text_input("佐证材料（链接或说明）", key="td_report_evidence")
        files = st.file_uploader("上传佐证文件", accept_multiple_files=True, key="td_report_files")
        submitted = st.form_submit_button("提交报送", type="primary", key="td_report_submit")
    if submitted:
        perform(lambda s: workflow.submit_report(
            s, ctx.actor, task_id=v.id, percent=int(percent), text=text, today=ctx.today, evidence=evidence,
            milestone_id=milestone, department_id=department, expected_version=version, files=uploads(files)),
            success="进展已报送。")


def claim_form(ctx: Ctx, v: TaskView, version: int) -> None:
    claimable = [m for m in v.milestones if m.status in (Status.NOT_STARTED, Status.IN_PROGRESS)]
    if not claimable:
        return
    by_id = {m.id: m for m in claimable}
    with st.form("td_claim", clear_on_submit=True):
        st.markdown("**申报办结**（须附佐证材料：链接或文件）")
        milestone = st.selectbox("节点", list(by_id), format_func=lambda i: _label(by_id[i]), key="td_claim_milestone")
        evidence = st.text_area("办结情况说明", key="td_claim_text", max_chars=workflow.MAX_TEXT)
        links = st.text_input("佐证链接", key="td_claim_links")
        files = st.file_uploader("佐证文件", accept_multiple_files=True, key="td_claim_files")
        submitted = st.form_submit_button("申报办结", type="primary", key="td_claim_submit")
    if submitted:
        perform(lambda s: workflow.claim_done(s, ctx.actor, milestone_id=milestone, evidence=evidence, links=links,
                                              files=uploads(files), today=ctx.today, expected_version=version),
                success="已申报办结，等待专班审核。")


def extension_form(ctx: Ctx, v: TaskView, version: int, pending_ext: set[int]) -> None:
    extendable = [m for m in v.milestones if not m.done and ctx.today <= m.due_date and m.id not in pending_ext]
    if not extendable:
        if any(not m.done for m in v.milestones):
            st.caption("申请延期须在节点期限之前提出；已逾期的节点按原期限考核。")
        return
    by_id = {m.id: m for m in extendable}
    with st.form("td_extend", clear_on_submit=True):
        st.markdown("**申请延期**（须在期限前申请，由专班办公室审批）")
        milestone = st.selectbox("节点", list(by_id), format_func=lambda i: _label(by_id[i]), key="td_extend_milestone")
        new_date = st.date_input("申请延至", value=by_id[extendable[0].id].due_date + dt.timedelta(days=90),
                                 min_value=ctx.today, key="td_extend_date", format="YYYY-MM-DD")
        reason = st.text_area("延期理由", key="td_extend_reason", max_chars=workflow.MAX_TEXT)
        submitted = st.form_submit_button("提交延期申请", key="td_extend_submit")
    if submitted:
        perform(lambda s: workflow.apply_extension(s, ctx.actor, milestone_id=milestone, new_date=new_date,
                                                   reason=reason, today=ctx.today, expected_version=version),
                success="延期申请已提交，等待专班办公室审批。")


def department_forms(ctx: Ctx, v: TaskView, version: int, pending_ext: set[int]) -> bool:
    """The forms this user may use on the task; False when there is none."""
    scope = v.scope()
    shown = False
    if ctx.can(Permission.REPORT, scope):
        report_form(ctx, v, version)
        shown = True
    if ctx.can(Permission.CLAIM_DONE, scope):
        claim_form(ctx, v, version)
        shown = True
    if ctx.can(Permission.APPLY_EXTENSION, scope):
        extension_form(ctx, v, version, pending_ext)
        shown = True
    return shown
