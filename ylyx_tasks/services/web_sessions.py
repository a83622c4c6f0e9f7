"""Signed-in browsers, held on the server (table ``web_session``).

Signing in does not make a Streamlit session "signed in". It creates a row and hands the page a one-time
*ticket*; the browser posts the ticket to the app's own route (``/ylyx-auth/claim``), which swaps it for a fresh
secret, stores only that secret's SHA-256 and sets it as an HttpOnly, SameSite=Strict cookie. Every run of every
page then looks the cookie up here. So a page is shown only to a request that carries the cookie: a websocket that
resumes a Streamlit session by its id carries no cookie and gets the sign-in form. Signing out, idle expiry, a
changed password and a disabled account revoke the row here, whatever cookies are still around.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.models import User, WebSession

TICKET_LIFETIME = dt.timedelta(minutes=2)  # from the sign-in to the browser's post of the ticket
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen is written at most this often (not on every rerun)
COOKIE = "ylyx_session"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def start(session: Session, user_id: int, now: dt.datetime) -> str:
    """A new, not yet claimed browser session for ``user_id``; returns its one-time ticket."""
    ticket = new_secret()
    session.add(WebSession(token_hash=digest(ticket), user_id=user_id, created_at=now, last_seen=now))
    session.flush()
    return ticket


def claim(session: Session, ticket: str, now: dt.datetime) -> str | None:
    """Swap a fresh ticket for the cookie's secret (returned), once; None for an unknown, used, revoked or old
    ticket. The swap is one conditional UPDATE, so two posts of the same ticket cannot both win."""
    secret = new_secret()
    done = session.execute(
        sa.update(WebSession)
        .where(WebSession.token_hash == digest(ticket), WebSession.claimed_at.is_(None),
               WebSession.revoked_at.is_(None), WebSession.created_at >= now - TICKET_LIFETIME)
        .values(token_hash=digest(secret), claimed_at=now, last_seen=now)).rowcount
    return secret if done == 1 else None


@dataclass(frozen=True)
class Resumed:
    session_id: int
    user: User | None  # None: the session ended; ``why`` says how
    why: str = ""


def look_up(session: Session, secret: str, now: dt.datetime, idle: dt.timedelta
            ) -> tuple[Resumed | None, tuple[str, int] | None]:
    """:func:`resume` without writing: what it finds, and the write it would make — ``("touch", id)`` (last_seen
    is a minute old), ``("expired" | "account", id)`` (revoke), or None. Every page run asks; nearly every answer
    needs no write, so a run takes no write lock (on SQLite, one lock for the whole database)."""
    row = session.execute(sa.select(WebSession).where(WebSession.token_hash == digest(secret))).scalar_one_or_none()
    if row is None:
        return None, None
    if row.revoked_at is not None:
        return Resumed(row.id, None, row.revoked_why), None
    if now - row.last_seen > idle:
        return Resumed(row.id, None, "expired"), ("expired", row.id)
    user = session.get(User, row.user_id)
    # a changed password revokes the user's sessions where it is set (services.users.set_password)
    if user is None or not user.active:
        return Resumed(row.id, None, "account"), ("account", row.id)
    return Resumed(row.id, user), (("touch", row.id) if now - row.last_seen >= TOUCH_EVERY else None)


def follow_up(session: Session, write: tuple[str, int], now: dt.datetime) -> None:
    """The write :func:`look_up` asked for."""
    what, session_id = write
    if what == "touch":
        session.execute(sa.update(WebSession).where(WebSession.id == session_id).values(last_seen=now))
    else:
        revoke(session, session_id, now, what)


def resume(session: Session, secret: str, now: dt.datetime, idle: dt.timedelta) -> Resumed | None:
    """The user behind a cookie's secret (in tests without a browser, the claimed secret kept by the session).
    None when no session has it; ``Resumed(user=None, why=…)`` when it has ended: ``expired`` (idle too long),
    ``password``, ``disabled``, ``account`` or ``signed out``. Writes in ``session`` what the look-up asks for."""
    found, write = look_up(session, secret, now, idle)
    if write is not None:
        follow_up(session, write, now)
    return found


def revoke(session: Session, session_id: int, now: dt.datetime, why: str) -> None:
    session.execute(sa.update(WebSession).where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
                    .values(revoked_at=now, revoked_why=why[:32]))


def revoke_all(session: Session, user_id: int, now: dt.datetime, why: str) -> int:
    """End every browser session of a user (a password set, an account disabled)."""
    return session.execute(sa.update(WebSession).where(WebSession.user_id == user_id,
                                                       WebSession.revoked_at.is_(None))
                           .values(revoked_at=now, revoked_why=why[:32])).rowcount
