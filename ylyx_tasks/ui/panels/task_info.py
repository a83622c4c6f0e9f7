"""The task page's read-only panels: the clause in the plan's words, units and duties, milestones, reports,
requests, notices, and the full history; evidence files for download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain.lights import completion_note
from ylyx_tasks.domain.notices import OPEN_STATUSES
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads import history
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.reads.tasks import TaskView
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.cached import tasks as cached_tasks
from ylyx_tasks.ui.fmt import iso, md_escape, size
from ylyx_tasks.ui.guard import Ctx

PICK_LIMIT = 200  # options in the task selector; past that, a search box narrows them


def pick_task(ctx: Ctx) -> cached_tasks.TaskEntry | None:
    """The task chosen in the selector; a link (``?task=3.2.1``) or a list row chooses it too. A liaison starts
    with a task its unit leads (or shares), a working-group member with one of its group. With more tasks than
    :data:`PICK_LIMIT` (a province's plans), a search box narrows the selector; the chosen task is always in it.
    ``None`` when the plan has no task. Only the tasks offered are read, never the whole plan."""
    if st.session_state.get("td_plan") != ctx.plan.id:  # another plan: its own tasks, its own first task
        st.session_state.pop("td_task", None)
        st.session_state.pop("td_search", None)
        st.session_state["td_plan"] = ctx.plan.id
    if "td_task" not in st.session_state and ctx.user.role in (Role.LIAISON, Role.MEMBER):
        first = cached_tasks.first_task_of(ctx.plan, ctx.user.department_id, ctx.user.working_group_id)
        if first is not None:
            st.session_state["td_task"] = first.code
    requested = st.query_params.get("task")
    if requested and st.session_state.get("td_linked") != requested and cached_tasks.task_by_code(ctx.plan, requested):
        st.session_state["td_task"] = requested
        st.session_state["td_linked"] = requested
    entries, total = cached_tasks.find_tasks(ctx.plan, "", PICK_LIMIT)
    if not entries:
        return None
    if total > PICK_LIMIT:
        needle = st.text_input("查找任务", key="td_search", placeholder="输入编号或名称中的字词").strip()
        entries, matching = cached_tasks.find_tasks(ctx.plan, needle, PICK_LIMIT) if needle else (entries, total)
        current = cached_tasks.task_by_code(ctx.plan, st.session_state.get("td_task") or "")
        if current is not None and current not in entries:
            entries.insert(0, current)
        if matching > PICK_LIMIT:
            st.caption(f"共 {matching} 项任务符合，下拉框列出前 {PICK_LIMIT} 项；请输入更多字词缩小范围。")
        if not entries:
            st.info("没有符合的任务。")
            st.stop()
    by_code = {e.code: e for e in entries}
    code = st.selectbox("任务", list(by_code), key="td_task",
                        format_func=widgets.labels(by_code, lambda e: f"{e.code} {e.title}"))
    if st.query_params.get("task") != code:
        st.query_params["task"] = code
        st.session_state["td_linked"] = code
    return by_code[code]


def header(v: TaskView) -> None:
    st.title(f"{v.code} {v.title}")
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("状态", v.status)
    c2.metric("灯号", v.light.value)
    c3.metric("牵头单位进度", f"{v.progress}%")
    c4.metric("下一节点到期", iso(v.next_due))
    c5.metric("逾期天数", v.days_overdue)
    st.caption(f"{v.section} · {v.working_group} · 最近报送期 {v.last_report_period or '无'}"
               + (" · 牵头单位本期进展未按时报送" if v.report_late else "")
               + (f" · 久未更新：牵头单位已 {v.stale_days} 天没有报送进展" if v.stale_days is not None else ""))


def clause(v: TaskView) -> None:
    st.markdown("**方案原文**")
    with st.container(border=True):
        st.markdown(md_escape(v.clause_text))


def units(v: TaskView, territorial_phrase: str) -> None:
    st.markdown("**责任单位**")
    leads = "、".join(u.name for u in v.leads)
    lines = [f"- **牵头**：{md_escape(leads) if leads else '—'}"]
    if v.supporting:
        lines.append(f"- **配合**：{md_escape('、'.join(u.name for u in v.supporting))}")
    if v.territorial:
        lines.append(f"- **属地**：{md_escape(territorial_phrase)}（{len(v.territorial)} 个）")
    st.markdown("\n".join(lines))


def milestones(v: TaskView) -> None:
    st.markdown("**时间节点**")
    for m in v.milestones:
        with st.container(border=True):
            due = f"现期限 {iso(m.due_date)}（原定 {iso(m.original_due)}，已延期）" if m.extended else f"期限 {iso(m.due_date)}"
            done = f" · {iso(m.completed_on)} 办结（{completion_note(m.late_days)}）" if m.done and m.completed_on else ""
            overdue = f" · 逾期 {m.days_overdue} 天" if m.days_overdue else ""
            light = "" if m.done else f" · {m.light.value}"
            st.markdown(f"**{m.label}** · {m.status}{light} · {due}{done}{overdue}")
            st.markdown(md_escape(m.commitment or "完成本条任务（方案期末）"))


def _fetch(attachment_id: int, task_id: int):
    def load() -> bytes:
        with read_session() as s:
            return history.attachment_content(s, attachment_id, task_id=task_id).data
    return load


def files(task_id: int, infos: tuple[history.FileInfo, ...], key: str) -> None:
    for f in infos:
        st.download_button(f"{f.filename}（{size(f.size)}）", data=_fetch(f.id, task_id), file_name=f.filename,
                           mime=f.content_type, key=f"{key}_{f.id}", icon=":material/attach_file:")


def own_latest(ctx: Ctx, record: history.TaskRecord) -> history.ReportRow | None:
    """The liaison's own latest report on the task (its share, for a supporting unit or a county)."""
    if ctx.user.role != Role.LIAISON:
        return None
    return next((r for r in record.reports if r.department == ctx.user.department), None)


def own_share(ctx: Ctx, record: history.TaskRecord) -> None:
    if ctx.user.role != Role.LIAISON:
        return
    mine = own_latest(ctx, record)
    if mine:
        st.caption(f"本单位最近一次报送：{mine.period} 期，进度 {mine.percent}%（{iso(mine.reported_on)}）")
    else:
        st.caption("本单位尚未报送过本任务的进展。")


def reports(v: TaskView, record: history.TaskRecord) -> None:
    st.markdown("**进展报送**")
    if not record.reports:
        st.caption("尚无报送。")
        return
    df = pd.DataFrame([{"报送期": r.period, "日期": iso(r.reported_on), "单位": r.department, "责任": r.duty,
                        "进度(%)": r.percent, "进展情况": r.text, "佐证材料": r.evidence, "报送人": r.by,
                        "附件": len(r.files)} for r in record.reports])
    widgets.plain_table(df, key="td_reports", height=min(420, 38 + 35 * len(df)))
    with_files = [r for r in record.reports if r.files]
    if with_files:
        with st.expander(f"报送附件（{sum(len(r.files) for r in with_files)}）"):
            for r in with_files:
                st.caption(f"{r.period} {r.department}")
                files(v.id, r.files, key="td_report_file")


def requests(v: TaskView, record: history.TaskRecord) -> None:
    st.markdown("**办结与延期申请**")
    if not record.requests:
        st.caption("尚无申请。")
        return
    keys = {m.id: m.label.removesuffix("节点") for m in v.milestones}
    tz = get_settings().tz
    df = pd.DataFrame([{"类型": r.kind, "节点": keys.get(r.milestone_id, ""), "状态": r.status, "单位": r.department,
                        "说明": r.text, "链接": r.links, "申请期限": iso(r.new_due_date) if r.new_due_date else "",
                        "申请时间": r.requested_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), "申请人": r.by,
                        "意见": r.decision_note} for r in record.requests])
    widgets.plain_table(df, key="td_requests")
    with_files = [r for r in record.requests if r.files]
    if with_files:
        with st.expander("申请附件"):
            for r in with_files:
                files(v.id, r.files, key="td_request_file")


NOTICES_SHOWN = 50  # a task with years of notices shows the open ones and the newest others; all on request


def task_notices(ctx: Ctx, v: TaskView) -> None:
    st.markdown("**督办通知**")
    briefs = cached.task_notices(ctx.actor, v.id)  # newest first
    shown = briefs
    if len(briefs) > NOTICES_SHOWN:
        open_now = {b.id for b in briefs if b.status in OPEN_STATUSES}
        room = max(0, NOTICES_SHOWN - len(open_now))
        closed_shown = set([b.id for b in briefs if b.id not in open_now][:room])
        shown = [b for b in briefs if b.id in open_now or b.id in closed_shown]
        if len(shown) < len(briefs) and st.toggle(
                f"显示全部 {len(briefs)} 条（现显示未办结的 {len(open_now)} 条和最近的其他通知）", key="td_notices_all"):
            shown = briefs
    widgets.plain_table(notice_reads.notices_frame(shown, ctx.today), key="td_notices", empty="本任务没有通知。")
    if briefs:
        st.page_link("pages/notices.py", label="到“督办”页签收、反馈或办结", icon=":material/campaign:")


def full_history(task_id: int, record: history.TaskRecord) -> None:
    st.markdown("**办理记录**（谁、何时、做了什么、由什么改为什么）")
    rows = record.history
    if record.history_total > len(rows):
        if st.toggle(f"显示全部 {record.history_total} 条（现显示最近 {len(rows)} 条）", key="td_history_all"):
            rows = cached.full_history(task_id)
    widgets.plain_table(history.history_frame(rows), key="td_history", height=min(600, 38 + 35 * max(1, len(rows))))
