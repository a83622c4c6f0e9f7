"""Signing in and out: Argon2 passwords, the lock-out, the audit log, sessions that expire, and sessions that end
when the password changes or the account is disabled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import select

from tests.personas import PASSWORD
from tests.test_app_support import cast, errors, keys, login, new_app, ok, open_page, text_of  # noqa: F401
from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.models import AuditEvent, WebSession
from ylyx_tasks.services import users


def audit(action: str, actor: str) -> list[AuditEvent]:
    with read_session() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.actor == actor)))


def test_a_wrong_password_is_refused_and_recorded(cast):
    at = ok(login(new_app().run(), "minzheng", "not-the-password"))
    assert errors(at) == [users.FAILED]
    assert keys(at, "text_input") == {"login_username", "login_password"} and not at.metric
    assert len(audit("登录失败", "minzheng")) == 1


def test_an_unknown_user_gets_the_same_answer(cast):
    at = ok(login(new_app().run(), "nobody", "whatever-1234"))
    assert errors(at) == [users.FAILED]


def test_a_correct_password_signs_in_and_is_recorded(cast):
    at = ok(login(new_app().run(), "minzheng"))
    assert at.title[0].value == "总览"
    assert "单位联络员 · 市民政局" in text_of(at)
    assert len(audit("登录", "minzheng")) == 1


def test_repeated_failures_lock_the_account(cast):
    at = new_app().run()
    for _ in range(get_settings().max_failed_logins):
        login(at, "minzheng", "wrong-password-x")
    login(at, "minzheng", PASSWORD)  # even the right password, while this source is blocked
    assert errors(at) == [users.FAILED]
    assert not at.metric


def test_logout_ends_the_session(cast):
    at = ok(open_page("office", "tasks"))
    ok(at.sidebar.button(key="logout").click().run())
    assert "已退出登录。" in text_of(at) and not at.dataframe
    assert "ylyx_auth" not in at.session_state
    with read_session() as s:
        assert s.exec(select(WebSession.revoked_why)).all() == ["signed out"]  # revoked on the server


def test_a_session_expires_after_its_idle_minutes(cast):
    at = ok(open_page("office", "tasks"))
    limit = get_settings().session_minutes
    with write_session() as s:
        s.execute(update(WebSession).values(last_seen=clock.utcnow() - dt.timedelta(minutes=limit + 1)))
    ok(at.run())
    assert f"超过 {limit} 分钟未操作，已自动退出" in text_of(at)
    assert not at.dataframe and keys(at, "text_input") == {"login_username", "login_password"}


def test_a_changed_password_ends_the_open_session(cast):
    at = ok(open_page("minzheng", "tasks"))
    with write_session() as s:
        users.set_password(s, cast["office"], "minzheng", "A-New-Password-99")
    ok(at.run())
    assert "账号密码已修改或账号已停用，请重新登录。" in text_of(at) and not at.dataframe
    ok(login(at, "minzheng", "A-New-Password-99"))
    assert at.title[0].value == "任务清单"  # back where the user was


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(cast):
    at = ok(open_page("tongji", "overview"))
    with write_session() as s:
        users.set_active(s, cast["office"], "tongji", False)
    ok(at.run())
    assert not at.metric
    assert "账号密码已修改或账号已停用，请重新登录。" in text_of(at)
    ok(login(at, "tongji"))
    assert errors(at) == [users.FAILED]  # the same answer as a wrong password: no hint that the account exists
    assert audit("登录失败", "tongji")[-1].note.startswith("账号已停用")
