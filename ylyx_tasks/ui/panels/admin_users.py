"""管理 → 用户: the accounts, adding one, resetting a password (a random one, shown once), deactivating."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads import admin as admin_views
from ylyx_tasks.services import users
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.guard import Ctx

NONE = "（不适用）"
ADD_FIELDS = ["ad_user_name", "ad_user_display", "ad_user_role", "ad_user_dept", "ad_user_group", "ad_user_password"]


def _add(ctx: Ctx):
    def add(s, f) -> tuple[str, str]:
        username = (f["ad_user_name"] or "").strip()
        password = f["ad_user_password"] or users.generate_password()
        users.create_user(s, ctx.actor, username=username, role=Role(f["ad_user_role"]), password=password,
                          department=None if f["ad_user_dept"] in (None, NONE) else f["ad_user_dept"],
                          group=None if f["ad_user_group"] in (None, NONE) else f["ad_user_group"],
                          display_name=(f["ad_user_display"] or "").strip(), temporary=True)
        return username, "" if f["ad_user_password"] else password
    return add


def _added(result: tuple[str, str]) -> str:
    username, generated = result
    return f"已新增用户 {username}" + (f"，初始密码：{generated}（只显示这一次，请转告本人）" if generated else "。")


def _reset(ctx: Ctx):
    def reset(s, f) -> tuple[str, str]:
        password = users.generate_password()
        users.set_password(s, ctx.actor, f["ad_reset_user"], password, temporary=True)
        return f["ad_reset_user"], password
    return reset


def render(ctx: Ctx) -> None:
    with read_session() as s:
        table = admin_views.users_frame(s, get_settings().tz)
        departments = admin_views.department_choices(s)
        groups = admin_views.group_choices(s)
    widgets.plain_table(table, key="ad_users_table", height=min(520, 38 + 35 * max(1, len(table))))
    left, right = st.columns(2)
    with left, st.form("ad_user_add"):
        st.markdown("**新增用户**")
        st.text_input("用户名（字母、数字或 _.-）", key="ad_user_name")
        st.text_input("姓名", key="ad_user_display")
        st.selectbox("角色", [r.value for r in Role], key="ad_user_role")
        st.selectbox("所属单位（单位联络员）", [NONE, *departments], key="ad_user_dept")
        st.selectbox("所属专班（专班成员）", [NONE, *groups], key="ad_user_group")
        st.text_input("初始密码（留空则自动生成）", type="password", key="ad_user_password")
        actions.submit("新增", key="ad_user_add_submit", type="primary", fields=ADD_FIELDS, action=_add(ctx),
                       success=_added, clear=["ad_user_name", "ad_user_display", "ad_user_password"])
    names = list(table["用户名"]) if not table.empty else []
    with right:
        with st.form("ad_user_reset"):
            st.markdown("**重置密码**（随机生成新密码并解除锁定）")
            st.selectbox("用户", names, key="ad_reset_user")
            actions.submit("生成新密码", key="ad_reset_submit", fields=["ad_reset_user"], action=_reset(ctx),
                           success=lambda r: f"已重置 {r[0]} 的密码，新密码：{r[1]}（只显示这一次，请转告本人）")
        with st.form("ad_user_active"):
            st.markdown("**停用或启用账号**（停用后该账号立即退出登录）")
            st.selectbox("用户", names, key="ad_active_user")
            c1, c2 = st.columns(2)
            for column, active, label, key in ((c1, False, "停用", "ad_deactivate"), (c2, True, "启用", "ad_activate")):
                with column:
                    actions.submit(label, key=key, fields=["ad_active_user"],
                                   success=lambda who, label=label: f"已{label} {who}。",
                                   action=lambda s, f, active=active: _set_active(s, ctx, f["ad_active_user"], active))


def _set_active(s, ctx: Ctx, username: str, active: bool) -> str:
    users.set_active(s, ctx.actor, username, active)
    return username
