"""会议: the office schedules a meeting, downloads its pack, records its decisions and downloads the minutes;
everyone sees the meetings and their decisions."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.meetings import MeetingKind, MeetingStatus
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads.meetings import meeting as meeting_reads
from ylyx_tasks.services.meetings import documents, meetings
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.feedback import user_message
from ylyx_tasks.ui.fmt import iso, md_escape
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.panels.meetings import common

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def schedule_form(ctx: Ctx) -> None:
    with st.expander("安排会议", expanded=False), st.form("mt_schedule"):
        c1, c2 = st.columns(2)
        c1.selectbox("会议类型", [k.value for k in MeetingKind], key="mt_kind")
        c2.date_input("会议日期", value=ctx.today, key="mt_date")
        st.text_input("会议名称（可空：联席第N次会议）", key="mt_title")
        c3, c4 = st.columns(2)
        c3.text_input("地点", key="mt_venue")
        c4.text_input("主持", key="mt_chair")
        st.text_area("会议议程（每行一项）", key="mt_agenda")
        st.multiselect("参会单位", common.unit_names(), key="mt_units")
        st.text_area("参会人员（每行一人：姓名（单位、职务））", key="mt_people")

        def schedule(s, f):
            return meetings.schedule(s, ctx.actor, plan_id=ctx.plan.id, kind=f["mt_kind"], held_on=f["mt_date"],
                                     title=f["mt_title"] or "", venue=f["mt_venue"] or "", chair=f["mt_chair"] or "",
                                     agenda=f["mt_agenda"] or "", units=f["mt_units"] or [],
                                     people=f["mt_people"] or "")

        actions.submit("安排会议", key="mt_schedule_submit", type="primary", action=schedule,
                       success=lambda m: f"已安排：{m.title}（{iso(m.held_on)}）",
                       fields=["mt_kind", "mt_date", "mt_title", "mt_venue", "mt_chair", "mt_agenda", "mt_units",
                               "mt_people"], clear=["mt_title", "mt_agenda", "mt_people"])


def _documents(ctx: Ctx, m: meeting_reads.MeetingRow) -> None:
    c1, c2 = st.columns(2)
    try:
        with read_session() as s:
            pack = documents.pack_docx(s, ctx.actor, meeting_id=m.id, today=ctx.today)
        c1.download_button("下载会议材料（.docx）", pack, file_name=f"{m.title}会议材料.docx", mime=DOCX,
                           key=f"mt_pack_{m.id}")
    except Exception as exc:  # noqa: BLE001 — a message, never a traceback
        c1.error(user_message(exc))
    if m.status == MeetingStatus.HELD:
        with read_session() as s:
            minutes = documents.minutes_docx(s, meeting_id=m.id, today=ctx.today)
        c2.download_button("下载会议纪要（.docx）", minutes, file_name=f"{m.title}纪要.docx", mime=DOCX,
                           key=f"mt_minutes_{m.id}")
    else:
        c2.caption("记录议定事项后可生成会议纪要。")


def decisions_form(ctx: Ctx, m: meeting_reads.MeetingRow) -> None:
    codes = common.task_codes(ctx.plan)
    units = common.unit_names()
    with st.form(f"mt_decide_{m.id}"):
        st.markdown("**记录议定事项**（每项纳入督办：报送、亮灯、提醒、督办、通报与方案任务相同）")
        st.data_editor(common.empty_matters(), key=f"mt_items_{m.id}", num_rows="dynamic", width="stretch",
                       column_config={
                           "事项": st.column_config.TextColumn("事项", width="large", required=True),
                           "牵头单位": st.column_config.SelectboxColumn("牵头单位", options=units),
                           "配合单位": st.column_config.TextColumn("配合单位（、分隔）"),
                           "完成时限": st.column_config.DateColumn("完成时限", min_value=ctx.today),
                           "关联任务": st.column_config.SelectboxColumn("关联任务", options=list(codes))})
        st.text_area("纪要正文（议定事项前的段落，可空）", key=f"mt_summary_{m.id}")
        frame_key = f"mt_items_{m.id}"

        def decide(s, f):
            editor = st.session_state.get(frame_key) or {}
            frame = common.empty_matters()
            for index, changes in (editor.get("edited_rows") or {}).items():
                for column, value in changes.items():
                    frame.loc[int(index), column] = value
            for added in editor.get("added_rows") or []:
                frame.loc[len(frame)] = {c: added.get(c) for c in frame.columns}
            return meetings.record_decisions(s, ctx.actor, meeting_id=m.id, today=ctx.today,
                                             decisions=common.matter_inputs(frame, codes),
                                             summary=f[f"mt_summary_{m.id}"] or "", expected_version=m.version)

        actions.submit("记录议定事项", key=f"mt_decide_submit_{m.id}", type="primary", action=decide,
                       success=lambda made: "已记录并纳入督办：" + "、".join(t.code for t in made),
                       fields=[f"mt_summary_{m.id}"])


def meetings_tab(ctx: Ctx) -> None:
    if ctx.user.role == Role.OFFICE:
        schedule_form(ctx)
    with read_session() as s:
        rows = meeting_reads.meetings(s, ctx.plan.id)
    if not rows:
        st.info("还没有会议。" + ("用上面的“安排会议”安排第一次会议。" if ctx.user.role == Role.OFFICE else ""))
        return
    options = {m.id: m for m in rows}
    chosen = st.selectbox("会议", list(options), key="mt_pick", format_func=widgets.labels(options, lambda m: m.label))
    m = options[chosen]
    st.markdown(f"**{md_escape(m.title)}**　{m.kind} · {iso(m.held_on)} · {md_escape(m.venue or '地点待定')} · "
                f"主持：{md_escape(m.chair or '待定')}" + (f" · 纪要第{m.issue_no}期" if m.issue_no else ""))
    if m.units or m.people:
        st.caption("参会单位：" + ("、".join(m.units) or "—") + "；参会人员：" + md_escape("、".join(m.people) or "—"))
    _documents(ctx, m)
    frame = common.matters_frame(ctx.plan, ctx.today, meeting_id=m.id)
    st.markdown("**本次会议议定事项**")
    widgets.plain_table(frame, key=f"mt_decisions_{m.id}", empty="尚未记录议定事项。")
    if ctx.user.role == Role.OFFICE and m.held_on <= ctx.today:
        decisions_form(ctx, m)


def matters_tab(ctx: Ctx) -> None:
    st.caption("会议议定事项和领导批示交办事项，与方案任务一样报送进展、亮灯、提醒、催报、督办和通报；"
               "点编号进入任务页办理。")
    frame = common.matters_frame(ctx.plan, ctx.today)
    widgets.plain_table(frame, key="mt_matters", empty="还没有议定事项或交办事项。")
