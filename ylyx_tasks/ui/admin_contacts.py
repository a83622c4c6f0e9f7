"""管理 → 联系人与简报: who receives which mail; importing ``unit,name,email`` (every bad row named, nothing
imported then), adding and removing one contact."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.services import admin_views, recipients
from ylyx_tasks.services.taskcsv import ImportRejected
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.feedback import flash, perform
from ylyx_tasks.ui.guard import Ctx


def errors_frame(exc: ImportRejected) -> pd.DataFrame:
    return pd.DataFrame([{"行": e.row, "列": e.column, "问题": e.reason} for e in exc.errors], columns=["行", "列", "问题"])


def render(ctx: Ctx) -> None:
    with read_session() as s:
        rows = admin_views.contact_rows(s)
        units = admin_views.unit_choices(s)
    st.caption("单位联系人接收本单位的督办通知和每周简报；专班联系人接收本专班简报；“领导小组”联系人接收领导简报和全部通报。")
    widgets.plain_table(admin_views.contacts_frame(rows), key="ad_contacts_table", empty="尚未设置联系人。")
    left, right = st.columns(2)
    with left, st.form("ad_contacts_import", clear_on_submit=False):
        st.markdown("**导入联系人 CSV**（表头 `unit,name,email`；unit 为单位或县（市、区）名称、专班名称或“领导小组”）")
        upload = st.file_uploader("CSV 文件（UTF-8）", type=["csv"], key="ad_contacts_file")
        replace = st.checkbox("以文件为准：删除文件中没有的联系人", key="ad_contacts_replace")
        submitted = st.form_submit_button("导入", type="primary", key="ad_contacts_submit")
    if submitted:
        if upload is None:
            left.error("请先选择文件。")
        else:
            import_file(ctx, upload.getvalue(), replace, left)
    with right:
        with st.form("ad_contact_add", clear_on_submit=True):
            st.markdown("**新增联系人**")
            unit = st.selectbox("单位", units, key="ad_contact_unit")
            name = st.text_input("姓名", key="ad_contact_name")
            email = st.text_input("邮箱", key="ad_contact_email")
            if st.form_submit_button("新增", key="ad_contact_add_submit"):
                perform(lambda s: recipients.add_contact(s, ctx.actor, unit=unit, name=name, email=email),
                        success=f"已新增 {unit} 联系人 {email}。")
        if rows:
            by_id = {r.id: r for r in rows}
            with st.form("ad_contact_remove"):
                st.markdown("**删除联系人**")
                chosen = st.selectbox("联系人", list(by_id), key="ad_contact_pick",
                                      format_func=lambda i: f"{by_id[i].unit} · {by_id[i].name} <{by_id[i].email}>")
                if st.form_submit_button("删除", key="ad_contact_remove_submit"):
                    perform(lambda s: recipients.remove_contact(s, ctx.actor, chosen), success="已删除联系人。")


def import_file(ctx: Ctx, data: bytes, replace: bool, where) -> None:
    try:
        with write_session() as s:
            result = recipients.import_contacts(s, ctx.actor, data, replace=replace)
    except ImportRejected as exc:
        where.error(f"文件有 {len(exc.errors)} 处错误，未导入任何联系人：")
        where.dataframe(errors_frame(exc), hide_index=True, key="ad_contacts_errors")
        return
    flash("success", f"已导入联系人：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}，删除 {result.removed}。")
    st.rerun()
