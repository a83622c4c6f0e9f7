"""管理（专班办公室）：users, contacts and digests, importing tasks, exporting everything, digest preview, test
mail, and the scheduler's recent runs."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.ui import admin_contacts, admin_io, admin_users, guard
from ylyx_tasks.ui.feedback import safely

ctx = guard.page("admin")  # first: stops here unless signed in as the office

with safely():
    st.title("管理")
    tabs = st.tabs(["用户", "联系人与简报", "导入任务", "导出", "简报预览", "测试邮件", "运行记录"])
    with tabs[0]:
        admin_users.render(ctx)
    with tabs[1]:
        admin_contacts.render(ctx)
    with tabs[2]:
        admin_io.import_tasks(ctx)
    with tabs[3]:
        admin_io.export(ctx)
    with tabs[4]:
        admin_io.digest_preview(ctx)
    with tabs[5]:
        admin_io.test_mail(ctx)
    with tabs[6]:
        admin_io.job_runs()
