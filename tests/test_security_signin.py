"""Signing in under attack (issue 15, defects 1, 5 and 9): the failure count holds under parallel guesses on
SQLite and PostgreSQL, guesses from elsewhere never lock the real user out, every failure gets the same answer
after the same work, and weak passwords are refused — for ``user add`` too."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from tests.personas import PASSWORD, make_cast
from ylyx_tasks import clock, config
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.security.passwords import password_problem
from ylyx_tasks.domain.roles import SYSTEM, Role
from ylyx_tasks.models import AuditEvent, SignInThrottle
from ylyx_tasks.services import users
from ylyx_tasks.services.users import FAILED, AccountError, LoginFailed


def checked_passwords(username: str) -> int:
    """How many wrong passwords were really verified (the audit note says 密码错误 only for those)."""
    with read_session() as s:
        notes = s.exec(select(AuditEvent.note).where(AuditEvent.action == "登录失败",
                                                     AuditEvent.actor == username)).all()
    return sum(note.startswith("密码错误") for note in notes)


def attempt(username: str, password: str, source: str) -> str:
    try:
        users.sign_in(username, password, source=source)
    except LoginFailed as exc:
        return str(exc)
    return "ok"


def test_it_checks_at_most_the_limit_of_thirty_parallel_guesses(plan_db):
    make_cast()
    limit = get_settings().max_failed_logins
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda i: attempt("minzheng", f"wrong-guess-{i:04d}x", "203.0.113.9"), range(30)))
    assert answers == [FAILED] * 30
    assert checked_passwords("minzheng") == limit  # before: all 30 were checked on PostgreSQL
    # the attacker's source is now blocked, even for the right password …
    assert attempt("minzheng", PASSWORD, "203.0.113.9") == FAILED
    # … but the real user, elsewhere, signs in at once
    assert attempt("minzheng", PASSWORD, "10.0.0.5") == "ok"


def test_the_block_grows_and_ends_without_anyone_unlocking(plan_db):
    make_cast()
    limit = get_settings().max_failed_logins
    t0 = clock.utcnow()
    with write_session() as s:
        for _ in range(limit):
            users.authenticate(s, "minzheng", "wrong-guess-aaaa", source="x", now=t0)
    with write_session() as s:
        assert users.authenticate(s, "minzheng", PASSWORD, source="x", now=t0)[0] is None  # blocked
    later = t0 + dt.timedelta(seconds=31)
    with write_session() as s:
        assert users.authenticate(s, "minzheng", PASSWORD, source="x", now=later)[0] is not None


def test_every_failure_gets_one_answer_after_the_same_work(plan_db, monkeypatch):
    # a real Argon2 cost, so that a shortcut would show against the noise
    monkeypatch.setenv("YLYX_ARGON2_MEMORY_KIB", "16384")
    monkeypatch.setenv("YLYX_ARGON2_TIME_COST", "2")
    config.get_settings.cache_clear()
    make_cast()
    with write_session() as s:
        users.set_active(s, actor_for_office(s), "tongji", False)
    for _ in range(get_settings().max_failed_logins):
        attempt("weijian", "wrong-guess-bbbb", "s")

    def timed(username: str, password: str) -> tuple[str, float]:
        start = time.perf_counter()
        answer = attempt(username, password, "s")
        return answer, time.perf_counter() - start

    cases = {"unknown": ("nobody-here", "whatever-123456"), "disabled": ("tongji", PASSWORD),
             "blocked": ("weijian", PASSWORD), "wrong": ("yanhu", "wrong-guess-cccc")}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(7):  # round-robin, so that load on a shared machine falls on every case alike
        for name, (username, password) in cases.items():
            answer, took = timed(username, password)
            assert answer == FAILED, name
            times[name].append(took)
    best = {name: min(ts) for name, ts in times.items()}  # the least disturbed run of each
    assert max(best.values()) < 3 * min(best.values()), best  # before: a locked account answered ~200× faster


def actor_for_office(s):
    return users.actor_for(s.exec(select(users.User).where(users.User.username == "office")).one())


@pytest.mark.parametrize("weak", ["1234567890", "password12", "qwertyuiop", "Password1!", "yuncheng2022",
                                  "Password1234!", "qwertyuiop12", "123456789012", "li.na-secret-99"])
def test_it_refuses_weak_passwords(weak):
    assert password_problem(weak, "li.na") is not None


@pytest.mark.parametrize("good", ["Qingshan-Road-7788", "Tuoyu-Garden-5150", "晋南盐湖-春风-2231"])
def test_it_accepts_passphrases(good):
    assert password_problem(good, "li.na") is None


def test_user_add_applies_the_policy(plan_sqlite):
    with write_session() as s, pytest.raises(AccountError, match="过于常见"):
        users.create_user(s, SYSTEM, username="li.na", role=Role.LEADER, password="yuncheng2022")


def test_counts_for_made_up_names_do_not_pile_up(plan_sqlite):
    t0 = clock.utcnow()
    with write_session() as s:
        for i in range(20):
            users.authenticate(s, f"made-up-{i}", "whatever-123456", source="x", now=t0)
    with write_session() as s:
        users.authenticate(s, "another", "whatever-123456", source="x", now=t0 + dt.timedelta(days=1, seconds=1))
    with read_session() as s:
        assert s.exec(select(SignInThrottle.key)).all() == [users._throttle_key("another", "x")]


def test_the_password_is_checked_outside_any_write_transaction(plan_db, monkeypatch):
    """Argon2 takes a good part of a second of CPU under load; on SQLite a write transaction holds the one write
    lock, so a check inside it made thirty people signing in at once queue (and time out) behind each other.
    While the password is being checked, another writer gets through at once."""
    make_cast()
    real = users._hasher()
    seen: list[bool] = []

    class Watching:
        def verify(self, hashed: str, password: str) -> bool:
            with write_session() as s:  # would wait (and fail on SQLite's busy timeout) if the lock were held
                s.add(AuditEvent(at=clock.utcnow(), actor="test", action="probe", entity="user"))
            seen.append(True)
            return real.verify(hashed, password)

        def check_needs_rehash(self, hashed: str) -> bool:
            return real.check_needs_rehash(hashed)

    monkeypatch.setattr(users, "_hasher", lambda: Watching())
    assert users.sign_in("minzheng", PASSWORD).username == "minzheng" and seen == [True]


def test_default_hash_is_owasp_baseline_and_old_hashes_are_rehashed_at_sign_in(plan_db, monkeypatch):
    """Argon2id at OWASP's baseline by default (19 MiB, 2 passes, 1 lane); a password stored with other parameters
    (argon2-cffi's default, which the app used before) still signs in and is stored anew with the current ones."""
    from argon2 import PasswordHasher
    from argon2 import extract_parameters

    for key in ("YLYX_ARGON2_MEMORY_KIB", "YLYX_ARGON2_TIME_COST", "YLYX_ARGON2_PARALLELISM"):
        monkeypatch.delenv(key, raising=False)
    config.get_settings.cache_clear()
    settings = get_settings()
    assert (settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism) == (19456, 2, 1)
    make_cast()
    from ylyx_tasks.models import User

    with write_session() as s:
        user = s.exec(select(User).where(User.username == "weijian")).one()
        user.password_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
        s.add(user)
    assert attempt("weijian", PASSWORD, "s") == "ok"
    with read_session() as s:
        stored = s.exec(select(User.password_hash).where(User.username == "weijian")).one()
    p = extract_parameters(stored)
    assert (p.memory_cost, p.time_cost, p.parallelism) == (19456, 2, 1)
    assert attempt("weijian", PASSWORD, "s") == "ok"  # and the new hash verifies
