"""The supervision desk's panels (督办): the summary by level and age, the filtered list, one notice with the
actions the user may take on it, and its 督办通知单 as a Word document."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.notices import NoticeAction, NoticeLevel
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.reads.supervision.notice_document import DOCUMENT_KINDS, notice_docx_bytes
from ylyx_tasks.reads.notices import NoticeBrief
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.ui import actions as act
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.fmt import iso, md_escape
from ylyx_tasks.ui.guard import Ctx

ALL = "全部"


def summary(briefs: list[NoticeBrief], today: dt.date, scope: str = "") -> None:
    """The notices' figures; ``scope`` says when the role sees only part of them (（本单位）)."""
    open_ = [b for b in briefs if b.is_open]
    widgets.metric_row([
        ("未办结通知" + scope, sum(1 for b in open_ if b.counts_as_open_notice),
         "未办结的催报、督办通知单和通报（不含到期提醒）"),
        ("待签收", sum(1 for b in open_ if b.status == "待签收"), "督办、通报发出后待主送单位签收"),
        ("逾期未反馈", sum(1 for b in open_ if b.answer_overdue(today)), "已过反馈期限仍未反馈"),
        ("已反馈待办结", sum(1 for b in open_ if b.status == "已反馈"), "待专班办公室审核办结"),
    ])
    st.markdown("**未办结通知：按级别和发出时长**")
    widgets.plain_table(notice_reads.open_by_level_and_age(briefs, today), key="nt_summary")


def filtered(ctx: Ctx, briefs: list[NoticeBrief]) -> tuple[list[NoticeBrief], tuple]:
    """The notices that pass the filters, and the filters themselves (to tell a changed filter from changed
    data)."""
    c1, c2, c3, c4 = st.columns([1, 1, 2, 2])
    level = c1.selectbox("级别", [ALL, *notice_reads.LEVEL_ORDER], key="nt_level")
    open_only = c2.toggle("仅未办结", value=True, key="nt_open")
    departments = sorted({b.department for b in briefs})
    default_mine = ctx.user.role == Role.LIAISON and ctx.user.department in departments
    if default_mine and "nt_dept" not in st.session_state:
        st.session_state["nt_dept"] = ctx.user.department
    dept = c3.selectbox("主送单位", [ALL, *departments], key="nt_dept")
    text = c4.text_input("关键词", key="nt_text", placeholder="编号、任务或事由")
    out = []
    for b in briefs:
        if level != ALL and b.level != level or open_only and not b.is_open or dept != ALL and b.department != dept:
            continue
        if text and text.casefold() not in f"{b.number} {b.task_code} {b.task_title} {b.reason}".casefold():
            continue
        out.append(b)
    return out, (level, open_only, dept, text)


def _docx(notice_id: int):
    def build() -> bytes:
        with read_session() as s:
            return notice_docx_bytes(s, notice_id)
    return build


def detail(ctx: Ctx, b: NoticeBrief) -> None:
    with st.container(border=True):
        st.markdown(f"### {b.level} · {b.number or '（未编号）'}")
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("级别", b.level)
        c2.metric("状态", b.status)
        c3.metric("发出日期", iso(b.created_on))
        c4.metric("反馈期限", iso(b.response_due))
        st.markdown(f"**事项**：{md_escape(b.task_code + ' ' + b.task_title)}")
        if b.milestone_commitment or b.milestone_due:
            st.markdown(f"**节点**：{md_escape(b.milestone_commitment or '完成本条任务')}（期限 {iso(b.milestone_due)}）")
        st.markdown(f"**主送单位**：{md_escape(b.department)}　**事由**：{md_escape(b.reason)}")
        if b.calendar_fallback:
            st.caption("注：发出时该年度节假日安排尚未录入，反馈期限按周一至周五为工作日推算。")
        if b.answer_overdue(ctx.today):
            st.error(f"已超过反馈期限 {iso(b.response_due)}，尚未反馈。")
        if b.answered:
            st.markdown("**反馈**")
            st.markdown(md_escape(b.answer_situation))
            if b.answer_reason:
                st.caption("未完成原因：")
                st.markdown(md_escape(b.answer_reason))
            if b.answer_new_date:
                st.caption(f"预计完成日期：{iso(b.answer_new_date)}")
        if b.close_note:
            st.caption("办结意见：")
            st.markdown(md_escape(b.close_note))
        if b.number and (kind := DOCUMENT_KINDS.get(NoticeLevel(b.level))):
            st.download_button(f"下载{kind}（Word）", data=_docx(b.id),
                               file_name=f"{b.number}.docx", key=f"nt_docx_{b.id}", icon=":material/description:",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        actions(ctx, b)


def actions(ctx: Ctx, b: NoticeBrief) -> None:
    """The user's actions on notice ``b``, bound to it and to the version on the screen (and every widget key
    carries its id): a click can only ever act on the notice it was shown with, as it was shown."""
    allowed = notice_reads.actions_for(ctx.actor, b)
    if not allowed:
        if ctx.user.role in (Role.LEADER, Role.MEMBER):
            st.caption("本账号只能查看通知。")
        return
    department_side = [a for a in (NoticeAction.ACKNOWLEDGE, NoticeAction.ANSWER) if a in allowed]
    if department_side:
        # The office may record a department's acknowledgement or answer received on paper; tucked away so
        # that it is not mistaken for the office's own decision.
        where = st.expander("代主送单位签收或反馈（收到书面反馈时）") if ctx.user.role == Role.OFFICE else st.container()
        with where:
            department_actions(ctx, b, department_side)
    office = [a for a in (NoticeAction.CLOSE, NoticeAction.RETURN, NoticeAction.REOPEN) if a in allowed]
    if office:
        office_actions(ctx, b, office)


def department_actions(ctx: Ctx, b: NoticeBrief, allowed: list[str]) -> None:
    if NoticeAction.ACKNOWLEDGE in allowed:
        act.button("签收", key=f"nt_ack_{b.id}", type="primary", success=f"已签收 {b.number}。",
                   action=lambda s, f: notices.acknowledge(s, ctx.actor, notice_id=b.id, expected_version=b.version))
    if NoticeAction.ANSWER not in allowed:
        return
    situation, reason, date = f"nt_answer_situation_{b.id}", f"nt_answer_reason_{b.id}", f"nt_answer_date_{b.id}"
    with st.form(f"nt_answer_{b.id}"):
        st.markdown("**反馈**（办理情况；节点未完成时须说明原因和预计完成日期）")
        st.text_area("办理情况", key=situation)
        st.text_area("未完成原因", key=reason)
        st.date_input("预计完成日期", value=None, min_value=ctx.today, key=date, format="YYYY-MM-DD")
        act.submit("提交反馈", key=f"nt_answer_submit_{b.id}", type="primary", fields=[situation, reason, date],
                   clear=[situation, reason], success=f"已反馈 {b.number}。",
                   action=lambda s, f: notices.answer(s, ctx.actor, notice_id=b.id, situation=f[situation] or "",
                                                      reason=f[reason] or "", new_date=f[date], today=ctx.today,
                                                      expected_version=b.version))


def office_actions(ctx: Ctx, b: NoticeBrief, allowed: list[str]) -> None:
    note = f"nt_office_note_{b.id}"
    calls = {
        NoticeAction.CLOSE: (f"已办结 {b.number}。", lambda s, f: notices.close(
            s, ctx.actor, notice_id=b.id, note=f[note] or "", expected_version=b.version)),
        NoticeAction.REOPEN: (f"已重新打开 {b.number}。", lambda s, f: notices.reopen(
            s, ctx.actor, notice_id=b.id, note=f[note] or "", expected_version=b.version)),
        NoticeAction.RETURN: (f"已退回 {b.number}，请主送单位重新反馈。", lambda s, f: notices.send_back(
            s, ctx.actor, notice_id=b.id, note=f[note] or "", expected_version=b.version)),
    }
    with st.form(f"nt_office_{b.id}"):
        st.markdown("**专班办公室处理**")
        st.text_area("意见（办结意见、退回或重新打开的理由）", key=note)
        columns = st.columns(len(allowed) + 2)
        for column, a in zip(columns, allowed):
            success, call = calls[a]
            with column:
                act.submit(str(a), key=f"nt_{_slug(a)}_{b.id}", fields=[note], clear=[note], success=success,
                           action=call)


def _slug(action: str) -> str:
    return {NoticeAction.CLOSE: "close", NoticeAction.RETURN: "return", NoticeAction.REOPEN: "reopen"}[action]
