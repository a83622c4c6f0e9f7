"""管理 → 方案: the plans supervised (each with its period and status), loading a new plan from its document
(upload → the draft with every doubt → edit → confirm), 终期评估 and its report, carrying unfinished tasks
into another plan."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.services.plan import closeout
from ylyx_tasks.services.plan.plan_import import PlanMeta, import_plan, preview_plan_import
from ylyx_tasks.services.plan.taskcsv import HEADER
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.feedback import attempt
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.fmt import iso

COLUMNS = {"code": "编号", "section": "部分", "title": "任务", "clause_text": "条文", "lead_departments": "牵头单位",
           "supporting_departments": "配合单位", "county_responsible": "属地责任", "working_group": "工作专班",
           "milestones": "时间节点（每行：日期 承诺）"}
REFUSE = "不导入（请在上表改正）"
KINDS = [k.value for k in DepartmentKind]


def plans_table(ctx: Ctx) -> None:
    plans = cached.visible_plans(ctx.today, see_all=True)
    df = pd.DataFrame([{"代号": p.code, "简称": p.short_name, "文号": p.doc_number, "名称": p.title,
                        "期限": f"{iso(p.period_start)} 至 {iso(p.period_end)}", "状态": p.status,
                        "今天在实施": "是" if p.in_force(ctx.today) else "", "督办文号前缀": p.notice_prefix}
                       for p in plans])
    widgets.plain_table(df, key="ad_plans_table", empty="还没有载入方案。")
    if not plans:
        return
    by_code = {p.code: p for p in plans}
    st.markdown("**终期评估、归档和结转**")
    code = st.selectbox("方案", list(by_code), key="ad_plan_pick", format_func=lambda c: by_code[c].label)
    plan = by_code[code]
    c1, c2, c3 = st.columns(3)
    for column, status, label in ((c1, PlanStatus.CLOSING, "标记为终期评估"), (c2, PlanStatus.ARCHIVED, "归档"),
                                  (c3, PlanStatus.ACTIVE, "恢复为在实施")):
        with column:
            actions.button(label, key=f"ad_plan_{status.name}", disabled=plan.status == status.value,
                           action=lambda s, f, status=status: closeout.set_status(
                               s, ctx.actor, plan_id=plan.id, status=status, today=ctx.today),
                           success=f"方案 {plan.label}：{status.value}。")

    def report() -> bytes:
        with read_session() as s:
            return closeout.closeout_report(s, plan, ctx.today)

    st.download_button("下载终期评估报告（Word）", data=report, file_name=f"{plan.short_name or plan.code}-终期评估报告.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="ad_plan_report", icon=":material/description:")
    others = [c for c in by_code if c != code]
    if others:
        with st.form("ad_carry"):
            st.markdown(f"**把“{plan.label}”未完成的任务结转到另一个方案**（每项注明来源，已结转的不重复）")
            target = st.selectbox("结转到", others, key="ad_carry_to", format_func=lambda c: by_code[c].label)
            st.text_input("只结转这些任务（编号以、分隔；留空 = 全部未完成的任务）", key="ad_carry_codes")
            actions.submit("结转", key="ad_carry_submit", fields=["ad_carry_to", "ad_carry_codes"],
                           action=lambda s, f: closeout.carry_over(
                               s, ctx.actor, from_plan=plan.id, to_plan=by_code[f["ad_carry_to"]].id,
                               codes=[c.strip() for c in (f["ad_carry_codes"] or "").split("、") if c.strip()] or None,
                               today=ctx.today),
                           success=lambda made: f"已结转 {len(made)} 项任务。")


def load_new(ctx: Ctx) -> None:
    """Upload → draft preview with every doubt → edit → confirm."""
    st.caption("上传方案原文（.txt / .docx）、任务分工表（.xlsx / Word 表格），或粘贴原文；系统起草任务清单，标出每一处"
               "拿不准的地方（疑点）。在表中改正后确认导入：有一处错误或未确认的未知单位，就什么也不导入。"
               "同一代号再次导入即更新该方案，报送、督办和历史记录都保留。")
    meta = _meta_form(ctx)
    upload = st.file_uploader("方案文件", type=["txt", "docx", "xlsx", "csv", "json"],
                              key=actions.uploader_key("ad_plan_file"))
    pasted = st.text_area("或粘贴方案原文", key="ad_plan_text", height=120)
    if meta is None or (upload is None and not pasted.strip()):
        return
    data, name = (upload.getvalue(), upload.name) if upload is not None else (pasted.encode("utf-8"), "粘贴的原文.txt")
    source_key = (name, len(data), hash(data), meta)
    if st.session_state.get("ad_plan_source") != source_key:  # a new source: a fresh draft to edit
        st.session_state["ad_plan_source"] = source_key
        st.session_state.pop("ad_plan_rows", None)
    if "ad_plan_rows" not in st.session_state:
        with read_session() as s:
            preview = attempt(lambda: preview_plan_import(s, ctx.actor, data, name, meta))
        if preview is None:
            return
        st.session_state["ad_plan_rows"] = _frame(preview.csv_text)
        st.session_state["ad_plan_doubts"] = _doubts(preview)
    _review(ctx, meta)


def _meta_form(ctx: Ctx) -> PlanMeta | None:
    c1, c2, c3 = st.columns(3)
    code = c1.text_input("方案代号（以后用它选择方案，如 十五五养老托育）", key="ad_plan_code").strip()
    title = c2.text_input("方案名称", key="ad_plan_title").strip()
    doc_number = c3.text_input("文号", key="ad_plan_doc").strip()
    c4, c5, c6 = st.columns(3)
    start = c4.date_input("期限开始", value=dt.date(ctx.today.year, 1, 1), key="ad_plan_start", format="YYYY/MM/DD")
    end = c5.date_input("期限结束", value=dt.date(ctx.today.year + 4, 12, 31), key="ad_plan_end", format="YYYY/MM/DD")
    issued = c6.date_input("印发日期", value=ctx.today, key="ad_plan_issued", format="YYYY/MM/DD")
    c7, c8, c9 = st.columns(3)
    office = c7.text_input("发出督办通知的机关（留空用默认）", key="ad_plan_office").strip()
    prefix = c8.text_input("督办文号前缀（留空用默认）", key="ad_plan_prefix").strip()
    phrase = c9.text_input("属地单位统称", value="各县（市、区）人民政府", key="ad_plan_phrase").strip()
    if not code or not title:
        st.info("请先填写方案代号和名称，再上传方案文件。")
        return None
    return PlanMeta(code=code, title=title, period_start=start, period_end=end, issued_on=issued,
                    short_name=code, doc_number=doc_number, issuing_office=office, notice_prefix=prefix,
                    territorial_phrase=phrase)


def _frame(csv_text: str) -> pd.DataFrame:
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    return pd.DataFrame([{COLUMNS[k]: r.get(k, "") for k in HEADER} for r in rows], columns=list(COLUMNS.values()))


def _doubts(preview) -> dict:
    clauses = preview.draft.clauses if preview.draft is not None else []
    return {"clauses": {c.code: [d.message for d in c.doubts] for c in clauses if c.doubts},
            "document": [d.message for d in preview.draft.doubts] if preview.draft else [],
            "unknown": preview.unknown_units}


def _csv(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for _, row in frame.iterrows():
        writer.writerow(["" if pd.isna(row[COLUMNS[k]]) else str(row[COLUMNS[k]]) for k in HEADER])
    return out.getvalue().encode("utf-8")


def _review(ctx: Ctx, meta: PlanMeta) -> None:
    doubts = st.session_state["ad_plan_doubts"]
    for message in doubts["document"]:
        st.warning(f"全文疑点：{message}")
    for code, messages in doubts["clauses"].items():
        st.warning(f"{code}：" + "；".join(messages))
    edited = st.data_editor(st.session_state["ad_plan_rows"], key="ad_plan_editor", num_rows="dynamic",
                            width="stretch", hide_index=True,
                            column_config={COLUMNS["clause_text"]: st.column_config.TextColumn(width="large")})
    choices: dict[str, str] = {}
    if doubts["unknown"]:
        st.markdown("**未知单位**：确认为新单位，或在上表中改为已有单位")
        for name, close in doubts["unknown"].items():
            options = [REFUSE] + [f"新增单位：{k}" for k in KINDS]
            pick = st.selectbox(f"“{name}”" + (f"（相近：{'、'.join(close)}）" if close else ""), options,
                                key=f"ad_plan_unit_{name}")
            if pick != REFUSE:
                choices[name] = pick.removeprefix("新增单位：")
    data = _csv(edited)
    with read_session() as s:
        check = attempt(lambda: preview_plan_import(s, ctx.actor, data, "方案.csv", meta, new_units=choices))
    if check is None:
        return
    if not check.ok:
        st.error(f"还有 {len(check.parsed.errors)} 处问题，不能导入：")
        widgets.plain_table(pd.DataFrame([{"行": e.row, "列": COLUMNS.get(e.column, e.column), "问题": e.reason}
                                          for e in check.parsed.errors]), key="ad_plan_errors")
        return
    st.success(f"校验通过：{len(check.parsed.rows)} 项任务。")
    territory = st.selectbox("属地责任由哪一类单位承担", [DepartmentKind.COUNTY.value, DepartmentKind.TOWN.value],
                             key="ad_plan_territory")
    actions.button("确认导入方案", key="ad_plan_commit", type="primary",
                   action=lambda s, f: import_plan(s, ctx.actor, data, "方案.csv", meta, new_units=choices,
                                                   territory=[territory]),
                   clear=[actions.nonce("ad_plan_file")], success=f"已载入方案 {meta.code}。")
