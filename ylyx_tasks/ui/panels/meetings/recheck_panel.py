"""回头看: the office chooses which closed matters to re-check and after how many days; the lead unit confirms
with evidence; the office passes or reopens. Also the completion claims whose files are identical to another
matter's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.meetings import DEFAULT_RECHECK_DAYS, RecheckKind, RecheckStatus
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads.meetings import rechecks as recheck_reads
from ylyx_tasks.services.meetings import rechecks
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.fmt import iso
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.panels.task_forms import uploads


def _schedule_form(ctx: Ctx) -> None:
    with st.expander("安排回头看", expanded=False), st.form("rc_schedule"):
        st.multiselect("范围", [k.value for k in RecheckKind], key="rc_kinds",
                       default=[RecheckKind.LATE.value, RecheckKind.SUPERVISED.value])
        st.number_input("办结后多少天回头看", min_value=1, max_value=3650, value=DEFAULT_RECHECK_DAYS, key="rc_days")
        st.number_input("抽查：每 N 项抽 1 项", min_value=1, max_value=100, value=5, key="rc_every")
        actions.submit("安排", key="rc_schedule_submit", type="primary",
                       action=lambda s, f: rechecks.schedule(s, ctx.actor, plan_id=ctx.plan.id, today=ctx.today,
                                                             kinds=[RecheckKind(k) for k in f["rc_kinds"] or []],
                                                             days=int(f["rc_days"] or DEFAULT_RECHECK_DAYS),
                                                             sample_every=int(f["rc_every"] or 5)),
                       success=lambda made: f"新安排回头看 {len(made)} 项。", fields=["rc_kinds", "rc_days", "rc_every"])


def _act(ctx: Ctx, r: recheck_reads.RecheckRow) -> None:
    key = f"rc_{r.id}"
    lead = ctx.user.role == Role.LIAISON and ctx.user.department_id == r.lead_id
    if (lead or ctx.user.role == Role.OFFICE) and r.status in (RecheckStatus.DUE, RecheckStatus.CONFIRMED):
        if r.due_on > ctx.today:
            st.caption(f"{iso(r.due_on)} 起由牵头单位确认。")
        else:
            files_key = actions.uploader_key(f"{key}_files")
            with st.form(f"{key}_confirm"):
                st.markdown("**确认**：成果仍然有效（附佐证）")
                st.text_area("复核情况", key=f"{key}_result")
                st.text_input("佐证说明或链接", key=f"{key}_evidence")
                st.file_uploader("佐证文件", accept_multiple_files=True, key=files_key)
                actions.submit("确认", key=f"{key}_confirm_submit", type="primary", success="回头看已确认。",
                               action=lambda s, f: rechecks.confirm(
                                   s, ctx.actor, recheck_id=r.id, result=f[f"{key}_result"] or "",
                                   evidence=f[f"{key}_evidence"] or "", today=ctx.today, files=uploads(f[files_key])),
                               fields=[f"{key}_result", f"{key}_evidence", files_key],
                               clear=[f"{key}_result", f"{key}_evidence", actions.nonce(f"{key}_files")])
    if ctx.user.role == Role.OFFICE and r.status in (RecheckStatus.DUE, RecheckStatus.CONFIRMED):
        with st.form(f"{key}_decide"):
            st.text_input("意见（重新打开时必填）", key=f"{key}_note")
            c1, c2 = st.columns(2)
            with c1:
                actions.submit("通过", key=f"{key}_pass", success="回头看已通过。",
                               action=lambda s, f: rechecks.decide(s, ctx.actor, recheck_id=r.id, reopen=False,
                                                                   note=f[f"{key}_note"] or "", today=ctx.today),
                               fields=[f"{key}_note"])
            with c2:
                actions.submit("重新打开", key=f"{key}_reopen", success="事项已重新打开，重新纳入督办。",
                               action=lambda s, f: rechecks.decide(s, ctx.actor, recheck_id=r.id, reopen=True,
                                                                   note=f[f"{key}_note"] or "", today=ctx.today),
                               fields=[f"{key}_note"])


def rechecks_tab(ctx: Ctx) -> None:
    if ctx.user.role == Role.OFFICE:
        _schedule_form(ctx)
    mine = ctx.user.department_id if ctx.user.role == Role.LIAISON else None
    with read_session() as s:
        rows = recheck_reads.rechecks(s, ctx.plan.id, department_id=mine)
        matches = recheck_reads.evidence_matches(s, ctx.plan.id)
    frame = pd.DataFrame([{"编号": r.id, "任务": f"{r.code} {r.title}", "牵头单位": r.lead,
                           "办结日期": r.completed_on, "范围": r.kind, "回头看日期": r.due_on, "状态": r.status,
                           "复核情况": r.result, "办公室意见": r.decision_note} for r in rows])
    widgets.plain_table(frame, key="rc_table", empty="没有回头看事项。")
    if rows:
        options = {r.id: r for r in rows}
        chosen = st.selectbox("回头看事项", list(options), key="rc_pick",
                              format_func=widgets.labels(options, lambda r: r.label))
        _act(ctx, options[chosen])
    if matches and ctx.user.role != Role.LIAISON:
        st.markdown("**佐证材料与其他事项相同的办结申报**（常见的“纸面销号”）")
        widgets.plain_table(pd.DataFrame([{"任务": m.code, "文件": m.filename, "与之相同": f"{m.other_code} 的 "
                                           f"{m.other_filename}", "申报时间": m.requested_at.date()} for m in matches]),
                            key="rc_matches")
