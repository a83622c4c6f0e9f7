"""One's own password: set at the first sign-in when the office gave it, and changed at any time."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.db import write_session
from ylyx_tasks.errors import UserError
from ylyx_tasks.services import users
from ylyx_tasks.ui import auth

FIELDS = ("acct_old", "acct_new", "acct_again")


def password_form(user: auth.SessionUser, *, first: bool) -> None:
    """The form; on success the user is signed out everywhere and signs in with the new password."""
    with st.form("acct_password", clear_on_submit=True):
        if first:
            st.subheader("请设置自己的密码")
            st.caption("当前密码由专班办公室设定。继续使用前，请设置只有你自己知道的新密码"
                       "（至少 12 位，不能是常见密码，不能包含用户名）。")
        old = st.text_input("当前密码", type="password", key="acct_old", autocomplete="current-password")
        new = st.text_input("新密码", type="password", key="acct_new", autocomplete="new-password")
        again = st.text_input("再输入一次新密码", type="password", key="acct_again", autocomplete="new-password")
        submitted = st.form_submit_button("设置新密码", type="primary", key="acct_submit")
    if not submitted:
        return
    if new != again:
        st.error("两次输入的新密码不一致。")
        return
    if new == old:
        st.error("新密码不能与当前密码相同。")
        return
    try:
        users.sign_in(user.username, old, source=auth.source())
        with write_session() as s:
            users.set_password(s, user.actor, user.username, new)
    except users.LoginFailed:
        st.error("当前密码不正确。")
        return
    except UserError as exc:
        st.error(str(exc))
        return
    auth.sign_out("密码已设置。请用新密码登录。")
    st.rerun()


def first_sign_in(user: auth.SessionUser) -> None:
    """Before any page: a user whose password the office gave sets their own (nothing else is shown)."""
    if user.must_change_password:
        password_form(user, first=True)
        st.stop()
