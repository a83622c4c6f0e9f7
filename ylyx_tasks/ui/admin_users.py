"""管理 → 用户: the accounts, adding one, resetting a password (a random one, shown once), deactivating."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.services import admin_views, users
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.feedback import perform
from ylyx_tasks.ui.guard import Ctx

NONE = "（不适用）"


def render(ctx: Ctx) -> None:
    with read_session() as s:
        table = admin_views.users_frame(s, get_settings().tz)
        departments = admin_views.department_choices(s)
        groups = admin_views.group_choices(s)
    widgets.plain_table(table, key="ad_users_table", height=min(520, 38 + 35 * max(1, len(table))))
    left, right = st.columns(2)
    with left, st.form("ad_user_add", clear_on_submit=True):
        st.markdown("**新增用户**")
        username = st.text_input("用户名（字母、数字或 _.-）", key="ad_user_name")
        display = st.text_input("姓名", key="ad_user_display")
        role = st.selectbox("角色", [r.value for r in Role], key="ad_user_role")
        department = st.selectbox("所属单位（单位联络员）", [NONE, *departments], key="ad_user_dept")
        group = st.selectbox("所属专班（专班成员）", [NONE, *groups], key="ad_user_group")
        password = st.text_input("初始密码（留空则自动生成）", type="password", key="ad_user_password")
        if st.form_submit_button("新增", type="primary", key="ad_user_add_submit"):
            chosen = password or users.generate_password()
            shown = "" if password else f"，初始密码：{chosen}（只显示这一次，请转告本人）"
            perform(lambda s: users.create_user(
                s, ctx.actor, username=username.strip(), role=Role(role), password=chosen,
                department=None if department == NONE else department, group=None if group == NONE else group,
                display_name=display.strip()), success=f"已新增用户 {username.strip()}{shown}")
    with right:
        names = list(table["用户名"]) if not table.empty else []
        with st.form("ad_user_reset"):
            st.markdown("**重置密码**（随机生成新密码并解除锁定）")
            who = st.selectbox("用户", names, key="ad_reset_user")
            if st.form_submit_button("生成新密码", key="ad_reset_submit") and who:
                new = users.generate_password()
                perform(lambda s: users.set_password(s, ctx.actor, who, new),
                        success=f"已重置 {who} 的密码，新密码：{new}（只显示这一次，请转告本人）")
        with st.form("ad_user_active"):
            st.markdown("**停用或启用账号**（停用后该账号立即退出登录）")
            who = st.selectbox("用户", names, key="ad_active_user")
            c1, c2 = st.columns(2)
            off = c1.form_submit_button("停用", key="ad_deactivate")
            on = c2.form_submit_button("启用", key="ad_activate")
            if (off or on) and who:
                perform(lambda s: users.set_active(s, ctx.actor, who, bool(on)),
                        success=f"已{'启用' if on else '停用'} {who}。")
