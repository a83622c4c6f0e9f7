"""The 通报 tab of the supervision desk: the office reviews a draft (adds or removes a matter) and issues it;
everyone reads the issued bulletins and downloads them as Word documents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads.supervision import bulletins as reads
from ylyx_tasks.reads.supervision.bulletins import BulletinView
from ylyx_tasks.reads.plans import rules_for
from ylyx_tasks.services.supervision import bulletins as service
from ylyx_tasks.services.supervision.bulletin_docx import bulletin_docx_bytes
from ylyx_tasks.ui import actions as act
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.fmt import iso, md_escape
from ylyx_tasks.ui.guard import Ctx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _frame(b: BulletinView) -> pd.DataFrame:
    # the unit and the reason first: what a phone shows without scrolling sideways
    return pd.DataFrame([{"序号": i, "责任单位": m.department + (f"（第{m.times_listed}次）" if m.times_listed > 1 else ""),
                          "事由": m.reason, "任务": f"{m.task_code} {m.task_title}", "节点到期": iso(m.milestone_due),
                          "督办文号": m.notice_number, "来源": "办公室增列" if m.added_by_office else "自动列入"}
                         for i, m in enumerate(b.matters, start=1)])


def _docx(bulletin_id: int):
    def build() -> bytes:
        with read_session() as s:
            return bulletin_docx_bytes(s, bulletin_id)
    return build


def render(ctx: Ctx) -> None:
    plan = ctx.plan
    assert plan is not None  # the page stops earlier without a plan
    rules = rules_for(plan).bulletin
    with read_session() as s:
        every = reads.bulletins(s, plan.id)
    st.caption(f"通报（第N期）每 {rules.months} 个月一期，每期结束后次月 {rules.draft_day} 日由系统起草：列入督办逾期未反馈、"
               f"或督办后 {rules.listed_after_days} 天仍未完成的事项（每项每期至多一次）；办公室审核、增删事项后印发，"
               "印发后编期次和文号，并给领导小组和被通报单位各发一封邮件。无事项的一期不印发。")
    if ctx.user.role == Role.OFFICE:
        drafts = [b for b in every if not b.issued]
        with_matters = [b for b in drafts if b.matters]
        if with_matters:
            for b in with_matters:
                draft(ctx, b)
        elif every and not every[0].issued:  # the newest period's draft lists nothing
            st.info(f"{every[0].period_label}没有需要通报的事项，本期不印发。")
    issued(every)


def draft(ctx: Ctx, b: BulletinView) -> None:
    with st.container(border=True):
        st.markdown(f"#### 待印发：{b.period_label}通报（草稿，{len(b.matters)} 项）")
        st.caption(f"系统于 {iso(b.drafted_on)} 起草，截至 {iso(b.as_of)}。")
        widgets.plain_table(_frame(b), key=f"bl_draft_{b.id}")
        options = {m.id: m for m in b.matters}
        with st.form(f"bl_remove_{b.id}"):
            st.markdown("**删去一项**")
            st.selectbox("事项", list(options), key=f"bl_remove_pick_{b.id}",
                         format_func=widgets.labels(options, lambda m: f"{m.task_code} · {m.department}"))
            st.text_input("理由", key=f"bl_remove_note_{b.id}")
            act.submit("删去", key=f"bl_remove_submit_{b.id}",
                       fields=[f"bl_remove_pick_{b.id}", f"bl_remove_note_{b.id}"], clear=[f"bl_remove_note_{b.id}"],
                       success="已从通报草稿中删去。", action=lambda s, f: service.remove_matter(
                           s, ctx.actor, bulletin_id=b.id, matter_id=f[f"bl_remove_pick_{b.id}"],
                           note=f[f"bl_remove_note_{b.id}"] or "", expected_version=b.version))
        with read_session() as s:
            candidates = {c.notice_id: c for c in reads.candidates(s, b.id)}
        if candidates:
            with st.form(f"bl_add_{b.id}"):
                st.markdown("**增列一项**（未办结的督办）")
                st.selectbox("督办", list(candidates), key=f"bl_add_pick_{b.id}",
                             format_func=widgets.labels(candidates, lambda c: c.label))
                st.text_input("事由", key=f"bl_add_reason_{b.id}")
                act.submit("增列", key=f"bl_add_submit_{b.id}",
                           fields=[f"bl_add_pick_{b.id}", f"bl_add_reason_{b.id}"], clear=[f"bl_add_reason_{b.id}"],
                           success="已增列入通报草稿。", action=lambda s, f: service.add_matter(
                               s, ctx.actor, bulletin_id=b.id, notice_id=f[f"bl_add_pick_{b.id}"],
                               reason=f[f"bl_add_reason_{b.id}"] or "", expected_version=b.version))
        act.button("印发本期通报", key=f"bl_issue_{b.id}", type="primary",
                   success=lambda r: f"已印发第{r.issue_no}期通报 {r.number}，邮件已排队发送。",
                   action=lambda s, f: service.issue(s, ctx.actor, bulletin_id=b.id, today=ctx.today,
                                                     rules=rules_for(ctx.plan).bulletin, expected_version=b.version))


def issued(every: list[BulletinView]) -> None:
    done = [b for b in every if b.issued]
    st.markdown(f"#### 已印发的通报（{len(done)} 期）")
    if not done:
        st.caption("尚未印发通报。")
        return
    widgets.plain_table(pd.DataFrame([{
        "期次": f"第{b.issue_no}期", "文号": b.number or "（原逐项通报归并）", "周期": b.period_label,
        "印发日期": iso(b.issued_on), "事项": len(b.matters), "被通报单位": "、".join(b.units),
        "限期整改": iso(b.rectify_by)} for b in done]), key="bl_issued")
    options = {b.id: b for b in done}
    chosen = st.selectbox("查看一期", list(options), key="bl_pick", format_func=widgets.labels(options, lambda b: b.label))
    b = options[chosen]
    widgets.plain_table(_frame(b), key=f"bl_matters_{b.id}")
    if b.number:
        st.download_button("下载通报（Word）", data=_docx(b.id), file_name=f"{b.number}.docx", key=f"bl_docx_{b.id}",
                           icon=":material/description:", mime=DOCX)
    else:
        st.caption(md_escape("由原逐项通报归并的历史记录，没有正式文本；原通报仍可在“通知”中按级别“通报”查看。"))
