"""Who is signed in to this browser: sign-in through the account service (Argon2, throttling, audit), a
server-side session bound to an HttpOnly cookie, sign-out, expiry after ``session_minutes`` without activity, and
the session re-checked on every run (signing out, a changed password or a disabled account end it at once).

Streamlit's session state is *not* what makes a browser signed in: a websocket may resume a Streamlit session
by its id alone, so every run reads the cookie the browser sent (``st.context.cookies``) and looks it up in
``web_session`` (see :mod:`ylyx_tasks.services.web_sessions`). Signing in hands the page a one-time ticket that
the browser posts to ``/ylyx-auth/claim`` (:mod:`ylyx_tasks.ui.session_routes`), which sets the cookie and sends
the browser back to the page it was on.

Under AppTest there is no browser and no cookie (its runtime is a stand-in): there the ticket is claimed at once
and its secret kept in the session state, checked against ``web_session`` on every run all the same.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import streamlit as st
from streamlit import runtime
from streamlit.runtime.runtime import Runtime

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.models import User
from ylyx_tasks.reads.plans import unit_names
from ylyx_tasks.services import users, web_sessions
from ylyx_tasks.services.web_sessions import COOKIE

STATE_KEY = "ylyx_auth"
NOTICE_KEY = "ylyx_auth_notice"  # why the user was signed out, shown above the sign-in form
TICKET_KEY = "ylyx_auth_ticket"  # a ticket the browser has yet to post (served), or the secret (AppTest)
CLAIM_PATH = "ylyx-auth/claim"


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
    session_id: int  # the web_session row
    must_change_password: bool = False  # the office gave the password: set one's own before anything else

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, username=self.username, role=self.role,
                     department_id=self.department_id, working_group_id=self.working_group_id)

    @property
    def unit(self) -> str:
        return self.department or self.group


def _session_user(user: User, session_id: int) -> SessionUser:
    with read_session() as s:
        department, group = unit_names(s, user.department_id, user.working_group_id)
    return SessionUser(user.id, user.username, user.display_name or user.username, Role(user.role),
                       user.department_id, department, user.working_group_id, group, session_id,
                       user.must_change_password)


def served() -> bool:
    """True when a real Streamlit server runs this script; False under AppTest (whose runtime is a stand-in)."""
    return type(runtime.get_instance()) is Runtime if runtime.exists() else False


def source() -> str:
    """The browser's address, for throttling failed sign-ins per account and source."""
    address = st.context.ip_address if served() else None
    return address if isinstance(address, str) and address else "local"


def sign_in(username: str, password: str) -> None:
    """Check the password (raises :class:`~ylyx_tasks.services.users.LoginFailed`) and start a session row;
    the browser still has to claim it (:func:`claim_pending`) before any page is shown."""
    user = users.sign_in(username, password, source=source())
    now = clock.utcnow()
    with write_session() as s:
        ticket = web_sessions.start(s, user.id, now)
        if not served():
            ticket = web_sessions.claim(s, ticket, now) or ""
    st.session_state.pop(STATE_KEY, None)
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state[TICKET_KEY] = ticket


def claim_pending() -> bool:
    """Draw the step that turns a ticket into the cookie: the browser posts the ticket to the app's route and
    comes back signed in. True when there was a ticket to post (the caller then stops the run)."""
    ticket = st.session_state.pop(TICKET_KEY, None) if served() else None
    if not ticket:
        return False
    st.info("正在登录……")
    # The ticket goes in a POST body (never in a URL or a log); the form is submitted from the page itself.
    st.iframe(f"""<script>
      const d = window.parent.document, f = d.createElement('form');
      f.method = 'POST'; f.action = new URL('{CLAIM_PATH}', window.parent.location.href.replace(/[^/]*$/, ''));
      for (const [k, v] of [['ticket', {json.dumps(ticket)}],
                            ['next', window.parent.location.pathname + window.parent.location.search]]) {{
        const i = d.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
      }}
      d.body.appendChild(f); f.submit();
    </script>""", height=1)
    return True


def _secret() -> str | None:
    if served():
        return st.context.cookies.get(COOKIE)
    return st.session_state.get(TICKET_KEY)


def sign_out(reason: str | None = None) -> None:
    """End the session: revoke it on the server, forget the user and everything the pages kept for it."""
    info: SessionUser | None = st.session_state.get(STATE_KEY)
    if info is not None:
        with write_session() as s:
            web_sessions.revoke(s, info.session_id, clock.utcnow(), "signed out")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if reason:
        st.session_state[NOTICE_KEY] = reason


def current_user() -> SessionUser | None:
    """The signed-in user, or None: no cookie naming a live session (never signed in, signed out, a resumed
    websocket without the cookie), idle for longer than ``session_minutes``, or the account was disabled or its
    password changed since the sign-in."""
    secret = _secret()
    info: SessionUser | None = st.session_state.get(STATE_KEY)
    if not secret:
        if info is not None:  # signed in, but this connection does not carry the browser's cookie
            st.session_state.pop(STATE_KEY, None)
        return None
    minutes = get_settings().session_minutes
    now = clock.utcnow()
    with read_session() as s:  # a read on every run; a write only when the look-up asks for one (once a minute)
        found, write = web_sessions.look_up(s, secret, now, dt.timedelta(minutes=minutes))
    if write is not None:
        with write_session() as s:
            web_sessions.follow_up(s, write, now)
    if found is None or found.user is None:
        st.session_state.pop(STATE_KEY, None)
        if not served():
            st.session_state.pop(TICKET_KEY, None)
        why = found.why if found is not None else ""
        if why == "expired":
            st.session_state[NOTICE_KEY] = f"超过 {minutes} 分钟未操作，已自动退出，请重新登录。"
        elif why in ("password", "disabled", "account"):
            st.session_state[NOTICE_KEY] = "账号密码已修改或账号已停用，请重新登录。"
        return None
    if info is None or info.session_id != found.session_id:
        info = _session_user(found.user, found.session_id)
        st.session_state[STATE_KEY] = info
    return info


def signed_out_reason() -> str | None:
    return st.session_state.get(NOTICE_KEY)
