"""Accounts: creating users, passwords (Argon2id), signing in with lock-out, and the first office account."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.security.passwords import MIN_LENGTH, password_problem
from ylyx_tasks.domain.roles import SYSTEM, Actor, Permission, Role, require
from ylyx_tasks.errors import InvalidInput, UserError
from ylyx_tasks.models import Department, SignInThrottle, User, WorkingGroup
from ylyx_tasks.models.types import TZDateTime
from ylyx_tasks.services import audit, web_sessions


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int = 1) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    """Argon2id at the configured parameters (default: OWASP's baseline); other hashes are re-hashed at sign-in."""
    s = get_settings()
    return _hasher_for(s.argon2_time_cost, s.argon2_memory_kib, s.argon2_parallelism)

_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,32}$")
MIN_PASSWORD = MIN_LENGTH
ADMIN_USERNAME = "admin"


class AccountError(InvalidInput):
    """A user-facing problem with an account request (shown as it is)."""


class LoginFailed(UserError):
    """Wrong username or password, or the account is locked or disabled. The message does not say which of
    username or password was wrong."""


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_policy(password: str, username: str = "") -> None:
    """The policy of :func:`ylyx_tasks.domain.security.passwords.password_problem` (≥ 12, not common, not the name)."""
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)


def generate_password() -> str:
    """A random password that is easy to read out (no 0/O, 1/l confusion)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:  # a random draw could (very rarely) be a keyboard run: draw again
        password = "".join(secrets.choice(alphabet) for _ in range(14))
        if password_problem(password, ADMIN_USERNAME) is None:
            return password


def actor_for(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=Role(user.role), department_id=user.department_id,
                 working_group_id=user.working_group_id)


def create_user(session: Session, actor: Actor, *, username: str, role: Role, password: str,
                department: str | None = None, group: str | None = None, display_name: str = "",
                is_demo: bool = False, temporary: bool = False) -> User:
    """Add a user. A liaison needs a department (or county); a working-group member needs a group.
    ``temporary``: the office gives the password; its owner must set their own at the first sign-in."""
    require(actor, Permission.ADMINISTER)
    if not _USERNAME.match(username):
        raise AccountError("用户名须为 3–32 位字母、数字或 _.-")
    if session.exec(select(User).where(User.username == username)).first():
        raise AccountError(f"用户名 {username} 已存在")
    check_password_policy(password, username)
    department_id = group_id = None
    if role == Role.LIAISON:
        if not department:
            raise AccountError("单位联络员须指定所属单位")
        dept = find_department(session, department)
        department_id = dept.id
    elif department:
        raise AccountError("只有单位联络员属于某个单位")
    if role == Role.MEMBER:
        if not group:
            raise AccountError("专班成员须指定所属专班")
        wg = session.exec(select(WorkingGroup).where(WorkingGroup.name == group)).first()
        if wg is None:
            raise AccountError(f"未知专班“{group}”")
        group_id = wg.id
    elif group:
        raise AccountError("只有专班成员属于某个专班")
    now = clock.utcnow()
    user = User(username=username, display_name=display_name or username, role=role.value,
                department_id=department_id, working_group_id=group_id, password_hash=hash_password(password),
                is_demo=is_demo, password_changed_at=now, created_at=now, must_change_password=temporary)
    session.add(user)
    session.flush()
    audit.record(session, actor, "新增用户", "user", user.id,
                 after={"username": username, "role": role.value, "department": department, "group": group})
    return user


def find_department(session: Session, name: str) -> Department:
    """A department or county by full or short name (``盐湖区`` finds 盐湖区人民政府)."""
    name = name.strip()
    dept = session.exec(select(Department).where(Department.name == name)).first()
    if dept is None:
        matches = session.exec(select(Department).where(Department.short_name == name)).all()
        if len(matches) == 1:
            dept = matches[0]
    if dept is None:
        raise AccountError(f"未知单位“{name}”")
    return dept


def set_password(session: Session, actor: Actor, username: str, password: str, *, temporary: bool = False) -> None:
    """Office staff set anyone's password; everyone may set their own. Unlocks the account. ``temporary``: one
    the office gives, changed by its owner at the next sign-in."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise AccountError(f"没有用户 {username}")
    if actor.user_id != user.id:
        require(actor, Permission.ADMINISTER)
    check_password_policy(password, username)
    user.password_hash = hash_password(password)
    user.password_changed_at = clock.utcnow()
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = temporary and actor.user_id != user.id
    session.add(user)
    web_sessions.revoke_all(session, user.id, clock.utcnow(), "password")
    audit.record(session, actor, "设置密码", "user", user.id, note=username)


def set_active(session: Session, actor: Actor, username: str, active: bool) -> None:
    require(actor, Permission.ADMINISTER)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise AccountError(f"没有用户 {username}")
    if user.id == actor.user_id and not active:
        raise AccountError("不能停用自己的账号")
    before, after = audit.changes(user, {"active": active})
    if not active:
        web_sessions.revoke_all(session, user.id, clock.utcnow(), "disabled")
    if before:
        audit.record(session, actor, "启用用户" if active else "停用用户", "user", user.id, before=before,
                     after=after)


def ensure_admin(session: Session) -> str | None:
    """Create the first office account ``admin`` if there is no office account yet.

    Returns the password when one was generated (to print once); None when ``YLYX_ADMIN_PASSWORD`` was used or
    an office account already exists.
    """
    exists = session.exec(select(User).where(User.role == Role.OFFICE.value)).first()
    if exists:
        return None
    configured = get_settings().admin_password
    password = configured or generate_password()
    try:
        create_user(session, SYSTEM, username=ADMIN_USERNAME, role=Role.OFFICE, password=password,
                    display_name="系统管理员", temporary=not configured)
    except AccountError as exc:
        raise AccountError(f"YLYX_ADMIN_PASSWORD 不符合密码要求：{exc}") from None
    return None if configured else password


FAILED = "用户名或密码错误，或尝试过于频繁，请稍后再试"  # the one answer to every failed sign-in
THROTTLE_MEMORY = dt.timedelta(days=1)  # a count untouched this long is forgotten (longer than any block)


def _throttle_key(username: str, source: str) -> str:
    return hashlib.sha256(f"{username.lower()}\0{source}".encode()).hexdigest()


def _delays(max_failed: int, lockout_minutes: int, now: dt.datetime) -> sa.Case:
    """``blocked_until`` after the n-th failure in a row, as SQL: nothing before ``max_failed``, then 30 s,
    doubling with each further failure up to ``lockout_minutes``."""
    cap = dt.timedelta(minutes=lockout_minutes)
    whens = []
    delay = dt.timedelta(seconds=30)
    n = max_failed
    while delay < cap:
        whens.append((SignInThrottle.failures + 1 == n, sa.literal(now + delay, TZDateTime)))
        delay, n = delay * 2, n + 1
    return sa.case(*whens, (SignInThrottle.failures + 1 < max_failed, SignInThrottle.blocked_until),
                   else_=sa.literal(now + cap, TZDateTime))


def _reserve_attempt(session: Session, key: str, now: dt.datetime) -> bool:
    """Count this attempt as a failure *before* the password is checked, in one atomic UPDATE that succeeds only
    while the account+source is not blocked (and blocks it when this is one failure too many). Committed at once,
    so that parallel attempts see each other: at most ``max_failed_logins`` of them are ever checked in a row.
    A correct password then clears the count. False when the attempt must not be checked at all."""
    settings = get_settings()
    # forget counts nobody has added to for a day (made-up user names would otherwise pile up for ever)
    session.execute(sa.delete(SignInThrottle).where(SignInThrottle.updated_at < now - THROTTLE_MEMORY))
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SignInThrottle)
    session.execute(insert.values(key=key, failures=0, blocked_until=None, updated_at=now)
                    .on_conflict_do_nothing(index_elements=["key"]))
    row = session.execute(
        sa.update(SignInThrottle)
        .where(SignInThrottle.key == key,
               sa.or_(SignInThrottle.blocked_until.is_(None), SignInThrottle.blocked_until <= now))
        .values(failures=SignInThrottle.failures + 1, updated_at=now,
                blocked_until=_delays(settings.max_failed_logins, settings.lockout_minutes, now))
        .returning(SignInThrottle.failures)).first()
    session.commit()
    return row is not None


def authenticate(session: Session, username: str, password: str, *, source: str = "",
                 now: dt.datetime | None = None) -> tuple[User | None, str]:
    """Check a password: (user, "") on success, (None, :data:`FAILED`) otherwise — the same answer, after the
    same work (one Argon2 verification), whether the name is unknown, the account disabled, blocked, or the
    password wrong; only the audit log says which.

    Failures are counted per account *and* ``source`` (the browser's address): after ``max_failed_logins`` in
    a row, that source waits 30 s, then twice as long after each further failure, up to ``lockout_minutes``.
    The real user elsewhere is never blocked by someone else's guesses. The count is reserved before the check
    (committed at once in ``session``); the caller commits the rest either way: use :func:`sign_in`.
    """
    now = now or clock.utcnow()
    username = username[:64]
    allowed = _reserve_attempt(session, _throttle_key(username, source), now)
    user = session.exec(select(User).where(User.username == username)).first()
    session.commit()  # the slow Argon2 check outside any write transaction (SQLite: one write lock for everyone)
    actor = actor_for(user) if user is not None else Actor(user_id=None, username=username or "?", role=Role.LEADER)
    checked = False
    if allowed and user is not None:
        try:
            checked = _hasher().verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            checked = False
    else:
        _hasher_dummy_verify(password)  # same work as a real check: no timing hint
    if not checked or user is None or not user.active:
        why = ("尝试过于频繁，暂不核对密码" if not allowed else "用户名不存在" if user is None
               else "账号已停用" if not user.active else "密码错误")
        if user is not None and allowed and not checked:
            # counted by the database itself: parallel failures all add up
            session.execute(sa.update(User).where(User.id == user.id)
                            .values(failed_logins=User.failed_logins + 1))
        audit.record(session, actor, "登录失败", "user", user.id if user else None,
                     note=f"{why}（来源 {source or '本机'}）")
        return None, FAILED
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    session.execute(sa.update(SignInThrottle).where(SignInThrottle.key == _throttle_key(username, source))
                    .values(failures=0, blocked_until=None, updated_at=now))
    audit.record(session, actor, "登录", "user", user.id)
    return user, ""


def sign_in(username: str, password: str, *, source: str = "") -> User:
    """Authenticate in a transaction of its own, committed whatever the outcome. Raises :class:`LoginFailed`."""

    with write_session() as session:
        user, reason = authenticate(session, username.strip(), password, source=source)
    if user is None:
        raise LoginFailed(reason)
    return user


def _hasher_dummy_verify(password: str) -> None:
    """As much work as checking a real password, so that an unknown user name answers no faster."""
    hasher = _hasher()
    try:
        hasher.verify(_dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism), password)
    except VerificationError:
        pass


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_kib, parallelism).hash("not-a-real-password-only-for-timing")


def is_county(department: Department | None) -> bool:
    return department is not None and department.kind == DepartmentKind.COUNTY
