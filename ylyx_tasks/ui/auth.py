"""Who is signed in to this browser session: sign-in through the account service (Argon2, lock-out, audit),
sign-out, expiry after ``session_minutes`` without activity, and re-checking the account on every run (a
changed password or a disabled account ends the session at once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.models import User
from ylyx_tasks.reads.plans import unit_names
from ylyx_tasks.services import users

STATE_KEY = "ylyx_auth"
NOTICE_KEY = "ylyx_auth_notice"  # why the user was signed out, shown above the sign-in form


@dataclass
class SessionUser:
    user_id: int
    username: str
    display_name: str
    role: Role
    department_id: int | None
    department: str
    working_group_id: int | None
    group: str
    signed_in_at: dt.datetime
    last_seen: dt.datetime

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, username=self.username, role=self.role,
                     department_id=self.department_id, working_group_id=self.working_group_id)

    @property
    def unit(self) -> str:
        return self.department or self.group


def _session_user(user: User, now: dt.datetime) -> SessionUser:
    with read_session() as s:
        department, group = unit_names(s, user.department_id, user.working_group_id)
    # Signing in proves the current password: the session is valid as of that password, even when the
    # clock is pinned (YLYX_TODAY) to a day before the password was set.
    signed_in_at = max(now, user.password_changed_at)
    return SessionUser(user.id, user.username, user.display_name or user.username, Role(user.role),
                       user.department_id, department, user.working_group_id,
                       group, signed_in_at, now)


def sign_in(username: str, password: str) -> SessionUser:
    """Check the password (raises :class:`~ylyx_tasks.services.users.LoginFailed`) and start the session."""
    user = users.sign_in(username, password)
    info = _session_user(user, clock.utcnow())
    st.session_state[STATE_KEY] = info
    st.session_state.pop(NOTICE_KEY, None)
    return info


def sign_out(reason: str | None = None) -> None:
    """End the session: forget the user and everything the pages kept for it."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if reason:
        st.session_state[NOTICE_KEY] = reason


def current_user() -> SessionUser | None:
    """The signed-in user, or None: never signed in, idle for longer than ``session_minutes``, or the account
    was disabled or its password changed since the sign-in."""
    info: SessionUser | None = st.session_state.get(STATE_KEY)
    if info is None:
        return None
    now = clock.utcnow()
    limit = dt.timedelta(minutes=get_settings().session_minutes)
    if now - info.last_seen > limit:
        sign_out(f"超过 {get_settings().session_minutes} 分钟未操作，已自动退出，请重新登录。")
        return None
    with read_session() as s:
        user = users.session_user(s, info.user_id, info.signed_in_at)
    if user is None:
        sign_out("账号密码已修改或账号已停用，请重新登录。")
        return None
    info.last_seen = now
    return info


def signed_out_reason() -> str | None:
    return st.session_state.get(NOTICE_KEY)
