"""The task page's forms for departments: progress report, completion claim, extension request. Each is shown
only when the user's role may use it; the services check again. Each submits with the task version that was on
the screen (``expected_version``): an edit made meanwhile by someone else is refused, never overwritten."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.roles import Permission, Role
from ylyx_tasks.domain.status import Action, allowed_actions, extension_refusal
from ylyx_tasks.reads.tasks import MilestoneView, TaskView
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.services.tasks.workflow import Upload
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.fmt import iso


def uploads(files) -> list[Upload]:
    return [Upload(f.name, f.getvalue(), f.type or "application/octet-stream") for f in files or []]


def _label(m: MilestoneView) -> str:
    return f"{m.label}（现期限 {iso(m.due_date)}）"


def report_form(ctx: Ctx, v: TaskView, own_percent: int | None) -> None:
    open_ms = [m for m in v.milestones if not m.done]
    duty = v.duty_of(ctx.user.department_id)
    files_key = actions.uploader_key("td_report_files")
    with st.form("td_report"):
        st.markdown("**报送进展**")
        if ctx.user.role == Role.LIAISON:
            st.caption(f"以 {ctx.user.department}（{duty}）身份报送" + ("" if duty == "牵头" else "：报送本单位承担部分"))
        else:
            units = {u.id: f"{u.name}（{u.duty}）" for u in v.units}
            st.selectbox("代为报送的单位", list(units), format_func=widgets.labels(units, str), key="td_report_dept")
        c1, c2 = st.columns([1, 3])
        start = v.progress if duty == "牵头" else (own_percent or 0)  # where the unit's last report left it
        c1.number_input("完成进度（%）", min_value=0, max_value=100, step=5, value=start, key="td_report_percent")
        labels = {0: "（不指定）", **{m.id: _label(m) for m in open_ms}}
        which = widgets.option_key("td_report_milestone", labels)
        c2.selectbox("对应节点", list(labels), key=which, format_func=widgets.labels(labels, str),
                     index=1 if open_ms else 0)
        st.text_area("进展情况", key="td_report_text", max_chars=workflow.MAX_TEXT,
                     placeholder="本期完成的工作、存在的问题和下步打算")
        st.text_input("佐证材料（链接或说明）", key="td_report_evidence")
        st.file_uploader(f"上传佐证文件（每个不超过 {get_settings().max_upload_mb} MB）", accept_multiple_files=True,
                         key=files_key)

        def report(s, f):
            return workflow.submit_report(
                s, ctx.actor, task_id=v.id, percent=int(f["td_report_percent"] or 0), text=f["td_report_text"] or "",
                today=ctx.today, evidence=f["td_report_evidence"] or "", milestone_id=f[which] or None,
                department_id=f.get("td_report_dept"), expected_version=v.version, files=uploads(f[files_key]))

        actions.submit("提交报送", key="td_report_submit", type="primary", action=report, success="进展已报送。",
                       fields=["td_report_percent", "td_report_text", "td_report_evidence", which,
                               "td_report_dept", files_key],
                       clear=["td_report_text", "td_report_evidence", actions.nonce("td_report_files")])


def claim_form(ctx: Ctx, v: TaskView) -> None:
    claimable = {m.id: m for m in v.milestones if Action.CLAIM_DONE in allowed_actions(m.status)}
    if not claimable:
        return
    files_key = actions.uploader_key("td_claim_files")
    with st.form("td_claim"):
        st.markdown("**申报办结**（须附佐证材料：链接或文件）")
        which = widgets.option_key("td_claim_milestone", claimable)
        st.selectbox("节点", list(claimable), format_func=widgets.labels(claimable, _label), key=which)
        st.text_area("办结情况说明", key="td_claim_text", max_chars=workflow.MAX_TEXT)
        st.text_input("佐证链接", key="td_claim_links")
        st.file_uploader(f"佐证文件（每个不超过 {get_settings().max_upload_mb} MB）", accept_multiple_files=True,
                         key=files_key)

        def claim(s, f):
            return workflow.claim_done(s, ctx.actor, milestone_id=f[which],
                                       evidence=f["td_claim_text"] or "", links=f["td_claim_links"] or "",
                                       files=uploads(f[files_key]), today=ctx.today, expected_version=v.version)

        actions.submit("申报办结", key="td_claim_submit", type="primary", action=claim,
                       success="已申报办结，等待专班审核。",
                       fields=[which, "td_claim_text", "td_claim_links", files_key],
                       clear=["td_claim_text", "td_claim_links", actions.nonce("td_claim_files")])


def extension_form(ctx: Ctx, v: TaskView, pending_ext: set[int]) -> None:
    extendable = {m.id: m for m in v.milestones
                  if extension_refusal(m.status, m.due_date, ctx.today, pending=m.id in pending_ext) is None}
    if not extendable:
        if any(not m.done for m in v.milestones):
            st.caption("申请延期须在节点期限之前提出；已逾期的节点按原期限考核。")
        return
    first = next(iter(extendable.values()))
    with st.form("td_extend"):
        st.markdown("**申请延期**（须在期限前申请，由专班办公室审批）")
        which = widgets.option_key("td_extend_milestone", extendable)
        st.selectbox("节点", list(extendable), format_func=widgets.labels(extendable, _label), key=which)
        st.date_input("申请延至", value=first.due_date + dt.timedelta(days=90), min_value=ctx.today,
                      key="td_extend_date", format="YYYY-MM-DD")
        st.text_area("延期理由", key="td_extend_reason", max_chars=workflow.MAX_TEXT)

        def extend(s, f):
            return workflow.apply_extension(s, ctx.actor, milestone_id=f[which],
                                            new_date=f["td_extend_date"], reason=f["td_extend_reason"] or "",
                                            today=ctx.today, expected_version=v.version)

        actions.submit("提交延期申请", key="td_extend_submit", action=extend,
                       success="延期申请已提交，等待专班办公室审批。",
                       fields=[which, "td_extend_date", "td_extend_reason"], clear=["td_extend_reason"])


def department_forms(ctx: Ctx, v: TaskView, pending_ext: set[int], own_percent: int | None = None) -> bool:
    """The forms this user may use on the task; False when there is none. The office sees them folded away:
    it uses them on a unit's behalf (a report received on paper), not as its own business."""
    if ctx.user.role == Role.OFFICE:
        with st.expander("代责任单位报送进展、申报办结或申请延期（收到书面材料时使用）"):
            return _department_forms(ctx, v, pending_ext, own_percent)
    return _department_forms(ctx, v, pending_ext, own_percent)


def _department_forms(ctx: Ctx, v: TaskView, pending_ext: set[int], own_percent: int | None) -> bool:
    scope = v.scope()
    shown = False
    if ctx.can(Permission.REPORT, scope):
        report_form(ctx, v, own_percent)
        shown = True
    if ctx.can(Permission.CLAIM_DONE, scope):
        claim_form(ctx, v)
        shown = True
    if ctx.can(Permission.APPLY_EXTENSION, scope):
        extension_form(ctx, v, pending_ext)
        shown = True
    return shown
