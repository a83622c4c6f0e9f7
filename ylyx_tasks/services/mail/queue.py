"""The mail queue. A delivery row is written first (with the message already rendered); the sender claims it
with a conditional UPDATE, sends it, and marks it sent in the next statement after the server's 250. A failure is
retried later with backoff; an accepted and marked delivery is never sent again, however many senders run.

What SMTP cannot give: if the sender dies between the server's 250 and that mark (milliseconds), the row stays
``sending`` and is taken over once its claim is stale (:func:`stale_claim`, minutes, not a quarter of an hour):
the mail then arrives twice, with the same Message-ID (derived from the delivery, never random), which mail
programs use to drop the copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import Permission, require
from ylyx_tasks.models import Delivery
from ylyx_tasks.services import audit
from ylyx_tasks.services.mail.extras import attachments_for, headers_for
from ylyx_tasks.services.mail.recipients import normalise_email
from ylyx_tasks.services.mail.transport import (
    Transport,
    TransportError,
    TransportUnavailable,
    build_message,
    transport_from_settings,
)

log = logging.getLogger(__name__)

PENDING, SENDING, SENT = "pending", "sending", "sent"
UNSENT = (PENDING, SENDING)  # every status but SENT, named so that an index serves "how many are unsent?"
# A claim older than this belongs to a sender that died mid-send; another may take the delivery over.
STALE_CLAIM_MIN = dt.timedelta(minutes=2)
BACKOFF_FIRST = dt.timedelta(minutes=5)
BACKOFF_MAX = dt.timedelta(hours=6)


@dataclass
class OutgoingMail:
    dedup_key: str
    kind: str
    recipient_email: str
    recipient_name: str
    subject: str
    body_text: str
    body_html: str
    notice_id: int | None = None


def enqueue(session: Session, mails: list[OutgoingMail], *, now: dt.datetime | None = None) -> int:
    """Record deliveries; one already recorded (same key and recipient) is left alone. Returns how many new."""
    if not mails:
        return 0
    now = now or clock.utcnow()
    rows = [dict(dedup_key=m.dedup_key, kind=m.kind, notice_id=m.notice_id, recipient_email=m.recipient_email,
                 recipient_name=m.recipient_name[:64], subject=m.subject[:200], body_text=m.body_text,
                 body_html=m.body_html, status=PENDING, attempts=0, next_attempt_at=now, last_error="",
                 message_id="", created_at=now) for m in mails]
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Delivery)
    created = 0
    for start in range(0, len(rows), 500):
        stmt = insert.values(rows[start:start + 500]).on_conflict_do_nothing(
            index_elements=["dedup_key", "recipient_email"]).returning(Delivery.id)
        created += len(session.execute(stmt).all())
    return created


def backoff(attempts: int) -> dt.timedelta:
    """5 min, 10, 20, 40 … capped at 6 hours."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * (2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    pending: int = 0  # still waiting after this run
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def stale_claim() -> dt.timedelta:
    """How long a claim holds: one message's send is bounded by the SMTP timeout (connect, then each command);
    four timeouts, and never less than two minutes."""
    return max(STALE_CLAIM_MIN, dt.timedelta(seconds=4 * get_settings().smtp_timeout_s))


def _claimable(now: dt.datetime, due_only: bool):
    pending = Delivery.status == PENDING
    if due_only:
        pending = and_(pending, Delivery.next_attempt_at <= now)
    return or_(pending, and_(Delivery.status == SENDING, Delivery.claimed_at < now - stale_claim()))


def message_id_for(delivery: Delivery) -> str:
    digest = hashlib.sha1(f"{delivery.dedup_key}|{delivery.recipient_email}".encode()).hexdigest()[:16]
    domain = get_settings().mail_from.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<ylyx.{delivery.id}.{digest}@{domain}>"


def deliver_pending(*, now: dt.datetime | None = None, due_only: bool = True, limit: int = 1000,
                    transport: Transport | None = None, only_ids: list[int] | None = None) -> DeliveryReport:
    """Send what is waiting. ``due_only`` respects each delivery's backoff (the scheduler); without it, every
    pending delivery is tried now (a person retrying by hand). Stops early when the server is unreachable."""
    now = now or clock.utcnow()
    started = time.monotonic()
    transport = transport or transport_from_settings()
    report = DeliveryReport()
    with write_session() as session:
        stmt = select(Delivery.id).where(_claimable(now, due_only))
        if only_ids is not None:
            stmt = stmt.where(Delivery.id.in_(only_ids))
        ids = list(session.execute(stmt.order_by(Delivery.id).limit(limit)).scalars())
    try:
        for delivery_id in ids:
            token = str(uuid.uuid4())
            # the claim's time moves on with the batch: a long batch's later claims are not born stale
            at = now + dt.timedelta(seconds=time.monotonic() - started)
            with write_session() as session:
                claimed = session.execute(
                    update(Delivery).where(Delivery.id == delivery_id, _claimable(at, due_only))
                    .values(status=SENDING, claim_token=token, claimed_at=at, attempts=Delivery.attempts + 1)
                ).rowcount
                if claimed != 1:
                    continue  # another sender took it, or it was sent meanwhile
                delivery = session.get(Delivery, delivery_id)
                session.expunge(delivery)
            try:
                message_id = message_id_for(delivery)
                message = build_message(to_email=delivery.recipient_email, to_name=delivery.recipient_name,
                                        subject=delivery.subject, text=delivery.body_text, html=delivery.body_html,
                                        message_id=message_id, date=now.astimezone(get_settings().tz),
                                        extra_headers=headers_for(delivery))
                for a in attachments_for(delivery):
                    message.add_attachment(a.data, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
                transport.send(message, name=f"{delivery.id:08d}-{delivery.kind}")
            except (TransportError, ValueError) as exc:
                _release(delivery_id, token, now, delivery.attempts, str(exc))
                report.failed += 1
                report.errors.append(f"#{delivery_id} {delivery.recipient_email}: {exc}")
                if isinstance(exc, TransportUnavailable):
                    break  # the server is down (or the outbox disk full): leave the rest for the next run
                continue
            except BaseException as exc:
                # a bug or an interrupt: give the row back at once rather than leave it "sending"
                _release(delivery_id, token, now, delivery.attempts, f"{exc.__class__.__name__}: {exc}")
                raise
            _mark_sent(delivery_id, token, message_id)
            report.sent += 1
    finally:
        transport.close()
    with write_session() as session:
        report.pending = session.execute(select(func.count()).select_from(Delivery)
                                         .where(Delivery.status.in_(UNSENT))).scalar_one()
    if report.sent or report.failed:
        log.info("deliver: sent %s, failed %s, pending %s", report.sent, report.failed, report.pending)
    return report


def _mark_sent(delivery_id: int, token: str, message_id: str) -> None:
    """The server said 250: record it before anything else happens (the one window SMTP leaves open)."""
    with write_session() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.claim_token == token)
                        .values(status=SENT, sent_at=clock.utcnow(), message_id=message_id, last_error=""))


def _release(delivery_id: int, token: str, now: dt.datetime, attempts: int, error: str) -> None:
    """Give a failed delivery back to the queue, to be retried after its backoff."""
    with write_session() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.claim_token == token)
                        .values(status=PENDING, claim_token=None, last_error=error[:1000],
                                next_attempt_at=now + backoff(attempts)))


def send_test_mail(actor, email: str) -> DeliveryReport:
    """Send one test message now (office only), through the same queue as everything else."""

    require(actor, Permission.ADMINISTER)
    email = normalise_email(email)
    settings = get_settings()
    key = f"test:{uuid.uuid4().hex[:12]}"
    now = clock.now()
    text = (f"这是一封测试邮件，发送于 {now:%Y-%m-%d %H:%M}（{settings.timezone}）。\n"
            f"收到即说明督查督办系统的邮件设置正确。\n\n{settings.issuing_office}\n")
    html = (f"<p>这是一封测试邮件，发送于 {now:%Y-%m-%d %H:%M}（{settings.timezone}）。</p>"
            f"<p>收到即说明督查督办系统的邮件设置正确。</p><p>{settings.issuing_office}</p>")
    with write_session() as session:
        enqueue(session, [OutgoingMail(dedup_key=key, kind="test", recipient_email=email, recipient_name="",
                                       subject="【测试】督查督办系统测试邮件", body_text=text, body_html=html)])
        audit.record(session, actor, "发送测试邮件", "delivery", None, after={"email": email})
        ids = list(session.execute(select(Delivery.id).where(Delivery.dedup_key == key)).scalars())
    return deliver_pending(due_only=False, only_ids=ids)
