"""管理（专班办公室）：users, contacts and digests, importing tasks, exporting everything, digest preview, test
mail, and the scheduler's recent runs."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.ui import guard
from ylyx_tasks.ui.feedback import safely
from ylyx_tasks.ui.panels import admin_calendar, admin_contacts, admin_io, admin_plans, admin_users

ctx = guard.page("admin")  # first: stops here unless signed in as the office

SECTIONS = {
    "方案": lambda: admin_plans.plans_table(ctx),
    "载入新方案": lambda: admin_plans.load_new(ctx),
    "用户": lambda: admin_users.render(ctx),
    "联系人与简报": lambda: admin_contacts.render(ctx),
    "导入任务": lambda: admin_io.import_tasks(ctx),
    "节假日": lambda: admin_calendar.render(ctx),
    "导出": lambda: admin_io.export(ctx),
    "简报预览": lambda: admin_io.digest_preview(ctx),
    "测试邮件": lambda: admin_io.test_mail(ctx),
    "运行记录": lambda: admin_io.job_runs(),
}

with safely():
    st.title("管理")
    # Tracked tabs: only the open one is drawn (a digest preview reads a great deal), and after a form is sent
    # the page comes back on the same tab.
    for tab, draw in zip(st.tabs(list(SECTIONS), key="ad_tabs", on_change="rerun"), SECTIONS.values()):
        if tab.open is not False:
            with tab:
                draw()
