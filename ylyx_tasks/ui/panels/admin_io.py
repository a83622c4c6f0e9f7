"""管理 → 导入任务, 导出, 简报预览, 测试邮件, 运行记录."""

from __future__ import annotations

import base64

import streamlit as st

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.reads import admin as admin_views
from ylyx_tasks.services.mail.queue import send_test_mail
from ylyx_tasks.services.plan import task_import, workbook
from ylyx_tasks.services.plan.taskcsv import CHINESE_HEADER
from ylyx_tasks.services.supervision import digest
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.feedback import attempt
from ylyx_tasks.ui.guard import Ctx
from ylyx_tasks.ui.fmt import iso


def import_tasks(ctx: Ctx) -> None:
    plan = ctx.plan
    if plan is None:
        st.info("还没有载入方案。")
        return
    st.caption(f"导入到当前方案“{plan.label}”。UTF-8 或 GBK 编码的 CSV，或 .xlsx 的第一个工作表；表头依次为 "
               f"{'、'.join(CHINESE_HEADER)}（也接受 data/tasks_seed.csv 的英文表头）。牵头、配合单位用“、”分隔；"
               "属地责任填“是”或留空；时间节点每行一个“日期 承诺”，如“2027-06-30 建成示范中心”。先校验全部行并预览，"
               "确认后导入；有一行错误则一行都不导入。已有任务只更新文本、责任单位和节点承诺，状态和记录不变。")
    upload = st.file_uploader("任务文件（CSV 或 .xlsx）", type=["csv", "xlsx"], key=actions.uploader_key("ad_tasks_file"))
    if upload is None:
        return
    data = upload.getvalue()
    with read_session() as s:
        preview = attempt(lambda: task_import.preview_tasks_csv(s, ctx.actor, data, plan.id))
    if preview is None:
        return
    if not preview.ok:
        st.error(f"校验未通过：{len(preview.parsed.errors)} 处错误，不能导入。")
        widgets.plain_table(preview.errors_frame(), key="ad_tasks_errors")
        return
    changes = list(preview.change.values())
    counts = {k: changes.count(k) for k in (task_import.NEW, task_import.CHANGED, task_import.SAME)}
    st.success(f"校验通过：{len(preview.parsed.rows)} 行 — 新增 {counts[task_import.NEW]}，"
               f"更新 {counts[task_import.CHANGED]}，不变 {counts[task_import.SAME]}。")
    if preview.missing:
        st.caption(f"数据库中有、文件中没有的任务将保留：{'、'.join(preview.missing)}")
    widgets.plain_table(preview.rows_frame(), key="ad_tasks_preview")
    actions.button("确认导入", key="ad_tasks_commit", type="primary",
                   action=lambda s, f: task_import.commit_tasks_csv(s, ctx.actor, data, plan.id),
                   clear=[actions.nonce("ad_tasks_file")],
                   success=f"已导入 {upload.name}：{len(preview.parsed.rows)} 行。")


def export(ctx: Ctx) -> None:
    st.caption("任务清单、时间节点、责任分工、进展报送、申请、督办通知、指标及数值、单位评分和县区进展矩阵，各为一个工作表。")

    def build() -> bytes:
        with read_session() as s:
            return workbook.export_everything(s, ctx.today, ctx.plan)

    name = ctx.plan.short_name or ctx.plan.code
    st.download_button(f"导出“{name}”全部数据（Excel）", data=build,
                       file_name=f"{name}-全部数据-{ctx.today.isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="ad_export",
                       type="primary", icon=":material/download:")


def digest_preview(ctx: Ctx) -> None:

    with read_session() as s:
        units = digest.digest_units(s)
    labels = dict(units)
    unit = st.selectbox("收件单位", list(labels), format_func=labels.get, key="ad_digest_unit")
    with read_session() as s:
        mail = attempt(lambda: digest.preview_digest(s, unit, ctx.today, ctx.plan))
    if mail is None:
        st.info(f"本周（截至 {iso(ctx.today)}）{labels[unit]} 没有需要阅读的内容，不发送简报。")
        return
    st.markdown(f"**主题**：{mail.subject}")
    html, text = st.tabs(["邮件（HTML）", "纯文本"])
    with html:
        # The mail's HTML (from autoescaping templates) goes into a frame of its own: its styles stay out of the
        # app, and as a data: URL the frame has an opaque origin — no access to the app even if markup slipped in.
        encoded = base64.b64encode(mail.html.encode("utf-8")).decode("ascii")
        st.iframe(f"data:text/html;charset=utf-8;base64,{encoded}", height=640)
    with text:
        st.text(mail.text)


def test_mail(ctx: Ctx) -> None:
    settings = get_settings()
    where = f"SMTP 服务器 {settings.smtp_host}:{settings.effective_smtp_port}" if settings.smtp_host else \
        f"发件箱文件夹 {settings.outbox_dir}（未设置 SMTP 服务器）"
    st.caption(f"通过与通知相同的队列立即发送一封测试邮件：{where}。")
    if settings.mail_link_warning:
        st.warning(settings.mail_link_warning, icon=":material/link_off:")
    with st.form("ad_test_mail"):
        email = st.text_input("收件地址", key="ad_test_email")
        submitted = st.form_submit_button("发送测试邮件", key="ad_test_submit")
    if submitted:

        report = attempt(lambda: send_test_mail(ctx.actor, email))
        if report is None:
            return
        if report.sent:
            st.success(f"测试邮件已发送到 {email}。")
        else:
            st.error("测试邮件未能发送：" + "；".join(report.errors or ["原因不明"]))


def job_runs() -> None:
    with read_session() as s:
        df = admin_views.job_runs_frame(s, get_settings().tz)
    st.caption("调度程序（scheduler.py）最近的运行：每日扫描、邮件投递、每周简报。")
    widgets.plain_table(df, key="ad_job_runs", empty="调度程序尚未运行过（用 make scheduler 启动）。")
