"""领导批示: the box a leader writes in on the page they are reading (task, decision, notice, indicator — phone
included), and the list where the office assigns or notes, the units answer and the leader settles or asks again."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.meetings import EVENT_ROLES, InstructionEvent, InstructionState, TargetKind
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads.meetings import instructions as instruction_reads
from ylyx_tasks.reads.meetings.instructions import InstructionRow
from ylyx_tasks.services.meetings import instructions
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.fmt import md_escape
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.panels.meetings import common


def write_box(ctx: Ctx, kind: TargetKind, target_id: int, *, key: str) -> None:
    """A leader's 批示 on what this page shows, with the 批示 already written on it and what became of them."""
    if ctx.plan is None:
        return
    with read_session() as s:
        rows = instruction_reads.instructions(s, ctx.plan.id, target_kind=kind.value, target_id=target_id)
    if ctx.user.role != Role.LEADER and not rows:
        return
    with st.expander(f"领导批示（{len(rows)}）" if rows else "领导批示", expanded=ctx.user.role == Role.LEADER):
        for r in rows:
            st.markdown(f"**{md_escape(r.leader)}**（{common.local_day(r.at)}）：{md_escape(r.text)}　"
                        f"`{r.state.value}`")
            if r.last_answer:
                st.caption(f"最近答复（{md_escape(r.last_answer.unit or r.last_answer.actor)}）："
                           f"{md_escape(r.last_answer.text)}")
        if ctx.user.role != Role.LEADER:
            return
        with st.form(f"{key}_form"):
            st.text_area("批示内容", key=f"{key}_text", placeholder="如：请市民政局抓紧推进，月底前报进展。",
                         max_chars=instructions.MAX_TEXT)

            def write(s, f):
                return instructions.write(s, ctx.actor, target_kind=kind, target_id=target_id, text=f[f"{key}_text"] or "")

            actions.submit("提交批示", key=f"{key}_submit", type="primary", action=write, width="stretch",
                           success="批示已送专班办公室办理。", fields=[f"{key}_text"], clear=[f"{key}_text"])


def _steps(r: InstructionRow) -> None:
    st.markdown(f"**{md_escape(r.leader)}** 批示（{common.local_day(r.at)}，{r.target_kind}：{md_escape(r.target)}）："
                f"{md_escape(r.text)}")
    for step in r.steps:
        who = f"{step.unit}（{step.actor}）" if step.unit else step.actor
        extra = f"　→ {step.matter_code}" if step.matter_code else ""
        st.caption(f"{common.local_day(step.at)} · {step.kind} · {md_escape(who)}：{md_escape(step.text)}{extra}")


def _may(ctx: Ctx, event: InstructionEvent, r: InstructionRow) -> bool:
    if ctx.user.role not in EVENT_ROLES[event]:
        return False
    if event in (InstructionEvent.SETTLE, InstructionEvent.AGAIN):
        return r.leader_id == ctx.user.user_id
    return True


def _handle(ctx: Ctx, r: InstructionRow) -> None:
    if r.state == InstructionState.SETTLED:
        return
    key = f"in_{r.id}"
    if _may(ctx, InstructionEvent.ASSIGN, r) and r.state in (InstructionState.NEW, InstructionState.AGAIN,
                                                             InstructionState.NOTED):
        with st.form(f"{key}_assign"):
            st.markdown("**交办**（形成督办事项：牵头、配合单位和完成时限）")
            st.text_area("交办事项", key=f"{key}_text", value=f"落实领导批示：{r.text}"[:200])
            c1, c2 = st.columns(2)
            c1.selectbox("牵头单位", common.unit_names(), key=f"{key}_lead")
            c2.date_input("完成时限", key=f"{key}_due", min_value=ctx.today)
            st.multiselect("配合单位", common.unit_names(), key=f"{key}_support")

            def assign(s, f):
                matter = common.MatterInput(text=f[f"{key}_text"] or "", lead_unit=f[f"{key}_lead"] or "",
                                            due_on=f[f"{key}_due"], supporting_units=f[f"{key}_support"] or [])
                return instructions.assign(s, ctx.actor, instruction_id=r.id, matter=matter, today=ctx.today)

            actions.submit("交办", key=f"{key}_assign_submit", type="primary", action=assign,
                           success=lambda t: f"已交办：{t.code}",
                           fields=[f"{key}_text", f"{key}_lead", f"{key}_due", f"{key}_support"])
        actions.button("阅知（不交办）", key=f"{key}_note", success="已记录为阅知。",
                       action=lambda s, f: instructions.note(s, ctx.actor, instruction_id=r.id))
    if _may(ctx, InstructionEvent.ANSWER, r) and r.state not in (InstructionState.NEW, InstructionState.NOTED):
        with st.form(f"{key}_answer"):
            st.text_area("答复（本单位办理情况）", key=f"{key}_answer_text")
            actions.submit("提交答复", key=f"{key}_answer_submit", type="primary", success="答复已送领导。",
                           action=lambda s, f: instructions.answer(s, ctx.actor, instruction_id=r.id,
                                                                   text=f[f"{key}_answer_text"] or ""),
                           fields=[f"{key}_answer_text"], clear=[f"{key}_answer_text"])
    if _may(ctx, InstructionEvent.SETTLE, r):
        with st.form(f"{key}_leader"):
            st.text_area("意见（再次批示时必填）", key=f"{key}_leader_text")
            c1, c2 = st.columns(2)
            with c1:
                actions.submit("办结", key=f"{key}_settle", type="primary", success="批示已办结。",
                               action=lambda s, f: instructions.settle(s, ctx.actor, instruction_id=r.id,
                                                                       text=f[f"{key}_leader_text"] or "同意办结"),
                               fields=[f"{key}_leader_text"], clear=[f"{key}_leader_text"])
            with c2:
                actions.submit("再次批示", key=f"{key}_again", success="已再次批示。",
                               action=lambda s, f: instructions.ask_again(s, ctx.actor, instruction_id=r.id,
                                                                          text=f[f"{key}_leader_text"] or ""),
                               fields=[f"{key}_leader_text"], clear=[f"{key}_leader_text"])


def instructions_tab(ctx: Ctx) -> None:
    with read_session() as s:
        rows = instruction_reads.for_actor(s, ctx.actor, ctx.plan.id)
    who = {Role.LEADER: "你作出的批示", Role.LIAISON: "本单位需答复的批示"}.get(ctx.user.role, "全部批示")
    st.caption(f"{who}：领导在任务页、督办通知、指标页上写批示；办公室交办或阅知，责任单位答复，领导办结或再次批示。"
               "批示和每一步都不可修改、删除。")
    if not rows:
        st.info("还没有批示。")
        return
    options = {r.id: r for r in rows}
    chosen = st.selectbox("批示", list(options), key="in_pick", format_func=widgets.labels(options, lambda r: r.label))
    r = options[chosen]
    _steps(r)
    _handle(ctx, r)
