"""A cheap "has anything changed?" number for caches: every write records an audit event in its transaction,
so the newest audit event id moves whenever data change.

Signing in is the exception: it records an audit event too (``登录`` / ``登录失败``, by
:func:`ylyx_tasks.services.users.authenticate`) but changes only the account's own bookkeeping (last sign-in,
failed attempts, lock-out), which no cached read shows. Counting it would make every sign-in throw away every
page's cache — on a report day, dozens of times a minute — so those events do not move the number."""

from __future__ import annotations

from sqlalchemy import func, select, union_all
from sqlmodel import Session

from ylyx_tasks.models import AuditEvent

SIGN_IN_ACTIONS = ("登录", "登录失败")


def data_version(session: Session) -> int:
    """The id of the newest audit event that is not a sign-in (0 when there is none). Read backwards along the
    primary key: it stops at the first such event, however long the audit log."""
    newest = (select(AuditEvent.id).where(AuditEvent.action.not_in(SIGN_IN_ACTIONS))
              .order_by(AuditEvent.id.desc()).limit(1))
    return session.execute(newest).scalar() or 0


# The audit entities whose events can change what the indicator pages and charts show: values entered or
# corrected (``indicator``), a plan loaded or changed (its indicators and targets), a unit renamed (county targets).
INDICATOR_ENTITIES = ("indicator", "plan", "department")


def indicator_version(session: Session) -> int:
    """Like :func:`data_version`, for the indicators alone: the newest audit event about them. A progress report
    (dozens a minute on report day) leaves it as it is, so the indicator caches survive it. Looked up along the
    index on (entity, id) (migration 0013): one seek per entity, however long the audit log."""
    each = union_all(*(select(func.max(AuditEvent.id).label("newest")).where(AuditEvent.entity == entity)
                       for entity in INDICATOR_ENTITIES)).subquery()  # one seek each along (entity, id)
    return session.execute(select(func.max(each.c.newest))).scalar() or 0
