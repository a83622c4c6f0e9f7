"""The mail queue: a delivery is recorded first and marked sent only when the server accepted it. SMTP down →
everything stays pending and ``ylyx-tasks deliver`` says so with a non-zero exit; the server back → each mail
arrives exactly once, however often and however concurrently the sender runs; a failure waits for its backoff;
without an SMTP host the mail lands in the outbox folder as ``.eml`` files.

Personas: 张主任 (市民政局, lead of most tasks), 李科长 (市卫健委, lead of 3.4.2 and supporting elsewhere) and
王秘书长 (领导小组).
"""

from __future__ import annotations

import datetime as dt
import email
import subprocess
import sys
import threading
from collections import Counter
from email import policy

import pytest
from sqlmodel import select
from test_mail_smtp import Mailbox, SmtpServer, free_port, import_contacts, office, use_smtp

CONTACTS = """unit,name,email
市民政局,张主任,zhang@mz.example.cn
市卫健委,李科长,li@wj.example.cn
领导小组,王秘书长,wang@ld.example.cn
"""
SCAN_DAY = dt.date(2023, 1, 3)


def deliver_cli() -> subprocess.CompletedProcess:
    """``ylyx-tasks deliver`` in a process of its own, with the test's environment."""
    return subprocess.run([sys.executable, "-m", "ylyx_tasks", "deliver"], capture_output=True, text=True,
                          timeout=120)


def deliveries():
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Delivery

    with read_session() as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))


def queue_notices() -> int:
    """Contacts, then the scan of 2023-01-03 (催报 for every task, 督办 for the five 2022 milestones)."""
    from ylyx_tasks.services.supervision.scan import run_scan

    import_contacts(CONTACTS)
    run_scan(SCAN_DAY)
    queued = deliveries()
    assert queued and all(d.status == "pending" for d in queued)
    return len(queued)


def envelopes(server: SmtpServer) -> Counter[tuple[str, str]]:
    """How often each (recipient, subject) arrived."""
    return Counter((r.rcpt_tos[0], r.message["Subject"]) for r in server.received)


def test_it_keeps_mail_pending_while_smtp_is_down_and_sends_each_once_when_it_is_back(
        plan_sqlite, monkeypatch):
    port = free_port()  # nothing listens here yet
    use_smtp(monkeypatch, port)
    total = queue_notices()

    down = deliver_cli()

    assert down.returncode != 0
    assert "已发送 0 封" in down.stdout
    assert "未能发出" in down.stderr and "无法连接邮件服务器" in down.stderr
    after_failure = deliveries()
    assert all(d.status == "pending" and d.sent_at is None and not d.message_id for d in after_failure)
    tried = [d for d in after_failure if d.attempts]
    # (the sender gives up the batch at the first unreachable connection: the rest wait for the next run)
    assert tried and all(d.attempts == 1 and "无法连接邮件服务器" in d.last_error for d in tried)
    assert all(d.next_attempt_at > d.created_at for d in tried)

    server = SmtpServer(port=port).start()
    try:
        back = deliver_cli()
        first = envelopes(server)
        from ylyx_tasks.services.mail.queue import deliver_pending

        again = deliver_pending(due_only=False)
        second = envelopes(server)
    finally:
        server.stop()

    assert back.returncode == 0, back.stderr
    assert f"已发送 {total} 封" in back.stdout and "仍待发送 0 封" in back.stdout
    assert sum(first.values()) == total and set(first.values()) == {1}
    assert again.sent == 0 and again.failed == 0 and second == first
    assert all(d.status == "sent" and d.sent_at and d.message_id for d in deliveries())


def test_it_retries_a_failed_delivery_only_after_its_backoff(plan_sqlite, monkeypatch):
    from ylyx_tasks import clock
    from ylyx_tasks.services.mail.queue import deliver_pending

    port = free_port()
    use_smtp(monkeypatch, port)
    total = queue_notices()
    t0 = clock.utcnow() + dt.timedelta(seconds=1)  # every delivery is due from its creation
    minutes = lambda n: t0 + dt.timedelta(minutes=n)  # noqa: E731

    assert deliver_pending(now=t0).failed == 1
    failed = deliveries()[0]
    assert failed.attempts == 1 and failed.next_attempt_at == minutes(5)
    assert deliver_pending(now=minutes(5)).failed == 1  # due again, still down: the backoff doubles
    failed = deliveries()[0]
    assert failed.attempts == 2 and failed.next_attempt_at == minutes(15)

    server = SmtpServer(port=port).start()
    try:
        during_backoff = deliver_pending(now=minutes(6))
        still_waiting = deliver_pending(now=minutes(14))
        state_before = {d.id: d.status for d in deliveries()}
        after_backoff = deliver_pending(now=minutes(15))
        received = envelopes(server)
    finally:
        server.stop()

    assert during_backoff.sent == total - 1 and during_backoff.failed == 0
    assert still_waiting.sent == 0
    assert state_before[failed.id] == "pending"
    assert after_backoff.sent == 1
    assert sum(received.values()) == total and set(received.values()) == {1}
    assert (failed.recipient_email, failed.subject) in received


def test_it_gives_every_delivery_a_due_time_that_the_scheduler_respects(plan_sqlite, monkeypatch):
    """Without due_only (a person retrying by hand) a delivery in its backoff is tried at once."""
    from ylyx_tasks import clock
    from ylyx_tasks.services.mail.queue import deliver_pending

    port = free_port()
    use_smtp(monkeypatch, port)
    queue_notices()
    t0 = clock.utcnow() + dt.timedelta(seconds=1)
    deliver_pending(now=t0)
    failed = deliveries()[0]

    server = SmtpServer(port=port).start()
    try:
        scheduled = deliver_pending(now=t0 + dt.timedelta(minutes=1), only_ids=[failed.id])
        by_hand = deliver_pending(now=t0 + dt.timedelta(minutes=1), due_only=False, only_ids=[failed.id])
        received = envelopes(server)
    finally:
        server.stop()
    assert scheduled.sent == 0 and by_hand.sent == 1
    assert received == Counter({(failed.recipient_email, failed.subject): 1})


def test_it_sends_each_mail_once_when_two_senders_race(plan_db, monkeypatch):
    from ylyx_tasks.services.mail.queue import deliver_pending

    server = SmtpServer().start()
    try:
        use_smtp(monkeypatch, server.port)
        total = queue_notices()
        start = threading.Barrier(2, timeout=30)
        reports, errors = [], []

        def sender() -> None:
            try:
                start.wait()
                reports.append(deliver_pending(due_only=False))
            except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
                errors.append(exc)

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        received = envelopes(server)
    finally:
        server.stop()

    assert not errors and not any(t.is_alive() for t in threads)
    assert sum(r.sent for r in reports) == total and sum(r.failed for r in reports) == 0
    assert sum(received.values()) == total and set(received.values()) == {1}
    assert all(d.status == "sent" for d in deliveries())


class RefusingMailbox(Mailbox):
    """A server that does not know one address."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address == "li@wj.example.cn":
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_it_sends_the_rest_when_one_address_is_refused(plan_sqlite, monkeypatch):
    from ylyx_tasks.services.mail.queue import deliver_pending

    server = SmtpServer()
    server.mailbox = RefusingMailbox()
    server.start()
    try:
        use_smtp(monkeypatch, server.port)
        total = queue_notices()
        report = deliver_pending(due_only=False)
        received = envelopes(server)
    finally:
        server.stop()
    refused = [d for d in deliveries() if d.recipient_email == "li@wj.example.cn"]
    assert refused and report.failed == len(refused) and report.sent == total - len(refused)
    assert all(d.status == "pending" and d.attempts == 1 and "拒绝" in d.last_error for d in refused)
    assert sum(received.values()) == total - len(refused)
    assert not any(rcpt == "li@wj.example.cn" for rcpt, _ in received)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_it_writes_one_eml_file_per_delivery_to_the_outbox_without_smtp(plan_sqlite, tmp_path):
    from ylyx_tasks.config import get_settings
    from ylyx_tasks.services.mail.queue import deliver_pending

    assert not get_settings().smtp_host
    outbox = get_settings().outbox_dir
    assert outbox == tmp_path / "outbox"
    total = queue_notices()

    report = deliver_pending(due_only=False)

    files = sorted(outbox.iterdir())
    assert report.sent == total == len(files)
    assert all(f.suffix == ".eml" for f in files)  # no half-written temporary file left behind
    by_message_id = {d.message_id: d for d in deliveries()}
    for f in files:
        message = email.message_from_bytes(f.read_bytes(), policy=policy.default)
        delivery = by_message_id[message["Message-ID"]]
        assert message["To"].addresses[0].addr_spec == delivery.recipient_email
        assert message["To"].addresses[0].display_name == delivery.recipient_name
        assert message["Subject"] == delivery.subject
        content_types = {p.get_content_type() for p in message.walk() if not p.is_multipart()}
        # a 督办 or 通报 carries its formal document as well
        formal = delivery.subject.startswith(("【督办】", "【通报】"))
        assert content_types == {"text/plain", "text/html"} | ({DOCX} if formal else set())
    stamps = {f.name: f.stat().st_mtime_ns for f in files}

    again = deliver_pending(due_only=False)

    assert again.sent == 0
    assert {f.name: f.stat().st_mtime_ns for f in outbox.iterdir()} == stamps


def test_it_sends_a_test_mail_for_the_office(plan_sqlite, monkeypatch):
    from ylyx_tasks.services.mail.queue import send_test_mail

    server = SmtpServer().start()
    try:
        use_smtp(monkeypatch, server.port)
        report = send_test_mail(office(), "zhang@mz.example.cn")
        received = server.received
    finally:
        server.stop()
    assert report.sent == 1 and report.failed == 0
    assert [r.rcpt_tos for r in received] == [["zhang@mz.example.cn"]]
    assert received[0].message["Subject"] == "【测试】督查督办系统测试邮件"
    [delivery] = deliveries()
    assert delivery.kind == "test" and delivery.status == "sent"


@pytest.mark.parametrize("role", ["领导", "专班成员", "单位联络员"])
def test_it_refuses_a_test_mail_to_anyone_but_the_office(plan_sqlite, monkeypatch, role):
    from ylyx_tasks.domain.roles import Actor, PermissionDenied, Role
    from ylyx_tasks.services.mail.queue import send_test_mail

    actor = Actor(user_id=7, username="someone", role=Role(role), department_id=2, working_group_id=1)
    server = SmtpServer().start()
    try:
        use_smtp(monkeypatch, server.port)
        with pytest.raises(PermissionDenied):
            send_test_mail(actor, "zhang@mz.example.cn")
        received = server.received
    finally:
        server.stop()
    assert received == [] and deliveries() == []
