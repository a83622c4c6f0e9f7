"""Users and the append-only audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Text
import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ylyx_tasks.models.types import TZDateTime


class User(SQLModel, table=True):
    """A person who signs in. Passwords are Argon2 hashes; ``locked_until`` is set after repeated failures."""

    __tablename__ = "app_user"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=64)
    role: str = Field(max_length=8)  # Role value
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    working_group_id: int | None = Field(default=None, foreign_key="working_group.id")
    password_hash: str = Field(max_length=200)
    active: bool = True
    is_demo: bool = False
    failed_logins: int = 0
    locked_until: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    last_login_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    password_changed_at: dt.datetime = Field(sa_type=TZDateTime)
    created_at: dt.datetime = Field(sa_type=TZDateTime)
    # set when the office gives (or resets) the password: its owner sets their own at the next sign-in
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class AuditEvent(SQLModel, table=True):
    """Who did what, when, and the values before and after (JSON). Never updated or deleted: the database's
    triggers refuse it (see the migration)."""

    __tablename__ = "audit_event"  # type: ignore[assignment]

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"), Index("ix_audit_task_at", "task_id", "at"),
                      Index("ix_audit_entity_newest", "entity", "id"))  # reads.cache_key.indicator_version

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_type=TZDateTime)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor: str = Field(max_length=64)  # username, or "system" for the scheduler and the seed loader
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    task_id: int | None = Field(default=None, foreign_key="task.id")
    before: str | None = Field(default=None, sa_type=Text)  # JSON
    after: str | None = Field(default=None, sa_type=Text)  # JSON
    note: str = Field(default="", sa_type=Text)


class WebSession(SQLModel, table=True):
    """A signed-in browser: the SHA-256 of the secret its HttpOnly cookie carries (the secret itself is never
    stored), whose it is, and when it ends. Signing out, expiry, a changed password or a disabled account revoke
    it here, on the server; a page is shown only to a browser whose cookie names a live row."""

    __tablename__ = "web_session"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: dt.datetime = Field(sa_type=TZDateTime)
    last_seen: dt.datetime = Field(sa_type=TZDateTime)
    claimed_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)  # when the cookie was set
    revoked_at: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    revoked_why: str = Field(default="", max_length=32)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per account *and source* (the browser's address): ``key`` is the SHA-256 of both, so an
    attacker elsewhere slows only themselves and never locks the real user out. Counted by one atomic UPDATE."""

    __tablename__ = "sign_in_throttle"  # type: ignore[assignment]

    key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    blocked_until: dt.datetime | None = Field(default=None, sa_type=TZDateTime)
    updated_at: dt.datetime = Field(sa_type=TZDateTime, index=True)
