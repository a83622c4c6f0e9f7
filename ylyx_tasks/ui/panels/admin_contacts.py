"""管理 → 联系人与简报: who receives which mail; importing ``unit,name,email`` (every bad row named, nothing
imported then), adding and removing one contact."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.errors import InvalidInput, WorkflowError
from ylyx_tasks.reads import admin as admin_views
from ylyx_tasks.services.mail import recipients
from ylyx_tasks.services.tabular import ImportRejected
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.guard import Ctx

ERRORS_KEY = "ad_contacts_errors"


def errors_frame(exc: ImportRejected) -> pd.DataFrame:
    return pd.DataFrame([{"行": e.row, "列": e.column, "问题": e.reason} for e in exc.errors], columns=["行", "列", "问题"])


def _import(ctx: Ctx, file_key: str):
    def run(s, f):
        upload = f[file_key]
        if upload is None:
            raise InvalidInput("请先选择文件。")
        st.session_state.pop(ERRORS_KEY, None)
        try:
            return recipients.import_contacts(s, ctx.actor, upload.getvalue(), replace=bool(f["ad_contacts_replace"]))
        except ImportRejected as exc:
            st.session_state[ERRORS_KEY] = errors_frame(exc)  # every bad row, shown under the form
            raise WorkflowError(f"文件有 {len(exc.errors)} 处错误，未导入任何联系人（见导入表单下方的错误清单）") from None
    return run


def render(ctx: Ctx) -> None:
    with read_session() as s:
        rows = admin_views.contact_rows(s)
        units = admin_views.unit_choices(s)
    st.caption("单位联系人接收本单位的督办通知、点名本单位的通报和每周简报；专班联系人接收本专班简报；“领导小组”联系人接收领导简报和每一期通报。")
    widgets.plain_table(admin_views.contacts_frame(rows), key="ad_contacts_table", empty="尚未设置联系人。")
    left, right = st.columns(2)
    file_key = actions.uploader_key("ad_contacts_file")
    with left:
        with st.form("ad_contacts_import"):
            st.markdown("**导入联系人 CSV 或 .xlsx**（表头 `unit,name,email`；unit 为单位或县（市、区）名称、专班名称或“领导小组”）")
            st.file_uploader("CSV（UTF-8 或 GBK）或 .xlsx 文件", type=["csv", "xlsx"], key=file_key)
            st.checkbox("以文件为准：删除文件中没有的联系人", key="ad_contacts_replace")
            actions.submit("导入", key="ad_contacts_submit", type="primary", action=_import(ctx, file_key),
                           fields=[file_key, "ad_contacts_replace"], clear=[actions.nonce("ad_contacts_file")],
                           success=lambda r: f"已导入联系人：新增 {r.created}，更新 {r.updated}，未变 {r.unchanged}，删除 {r.removed}。")
        errors = st.session_state.get(ERRORS_KEY)
        if errors is not None:
            st.markdown("**未导入：以下各行有错误**")
            widgets.plain_table(errors, key="ad_contacts_error_table")
    with right:
        with st.form("ad_contact_add"):
            st.markdown("**新增联系人**")
            st.selectbox("单位", units, key="ad_contact_unit")
            st.text_input("姓名", key="ad_contact_name")
            st.text_input("邮箱", key="ad_contact_email")
            actions.submit("新增", key="ad_contact_add_submit", fields=["ad_contact_unit", "ad_contact_name",
                                                                    "ad_contact_email"],
                           clear=["ad_contact_name", "ad_contact_email"], success=lambda c: f"已新增联系人 {c.email}。",
                           action=lambda s, f: recipients.add_contact(
                               s, ctx.actor, unit=f["ad_contact_unit"], name=f["ad_contact_name"] or "",
                               email=f["ad_contact_email"] or ""))
        if rows:
            by_id = {r.id: r for r in rows}
            with st.form("ad_contact_remove"):
                st.markdown("**删除联系人**")
                st.selectbox("联系人", list(by_id), key="ad_contact_pick",
                             format_func=widgets.labels(by_id, lambda r: f"{r.unit} · {r.name} <{r.email}>"))
                actions.submit("删除", key="ad_contact_remove_submit", fields=["ad_contact_pick"],
                               success="已删除联系人。",
                               action=lambda s, f: recipients.remove_contact(s, ctx.actor, f["ad_contact_pick"]))
