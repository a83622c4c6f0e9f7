"""Mail under accident (issue 15, defects 7 and 8), with a real SMTP server on loopback and real processes.

- ``deliver`` killed (SIGKILL) while the server holds a message it has not yet confirmed: the row is not lost and
  not doubled — one delivery row, taken over once its claim is stale (minutes, not a quarter of an hour), sent
  again with the same Message-ID, so that mail programs drop the copy.
- A full outbox disk (the file-size limit of the sender's process, RLIMIT_FSIZE): no crash, no row left
  ``sending``, no half-written or temporary file; the job is recorded as failed, with the reason.
- The SMTP server down: the delivery job is recorded as failed, not as a success.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections import Counter

import pytest
from sqlmodel import select

from tests.test_delivery import CONTACTS, deliveries
from tests.test_mail_smtp import Mailbox, SmtpServer, free_port, import_contacts, use_smtp
from ylyx_tasks import clock
from ylyx_tasks.db import read_session
from ylyx_tasks.models import JobRun

SCAN_DAY = dt.date(2023, 1, 3)


def queue_notices() -> None:
    from ylyx_tasks.services.supervision.scan import run_scan

    import_contacts(CONTACTS)
    run_scan(SCAN_DAY)


class KillingMailbox(Mailbox):
    """Takes the first message, then kills the sender before answering 250: the server holds the mail, the
    sender never learns it was accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.victim: int | None = None
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if self.victim is not None and not self.killed.is_set():
            self.killed.set()
            os.kill(self.victim, signal.SIGKILL)
        return answer


def test_a_killed_deliver_leaves_one_row_that_is_sent_again_promptly_with_the_same_message_id(plan_db, monkeypatch):
    from ylyx_tasks.services.mail.queue import deliver_pending, stale_claim

    queue_notices()
    server = SmtpServer()
    server.mailbox = KillingMailbox()
    server.start()
    try:
        use_smtp(monkeypatch, server.port)
        rows_before = len(deliveries())
        process = subprocess.Popen([sys.executable, "-m", "ylyx_tasks", "deliver"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        server.mailbox.victim = process.pid
        process.communicate(timeout=120)
        assert process.returncode == -signal.SIGKILL
        [first] = server.received
        [stuck] = [d for d in deliveries() if d.status == "sending"]

        report = deliver_pending()  # at once: the stuck claim is still fresh, so only the others go
        assert report.failed == 0 and [d.id for d in deliveries() if d.status == "sending"] == [stuck.id]

        report = deliver_pending(now=clock.utcnow() + stale_claim() + dt.timedelta(seconds=1))
        assert report.sent == 1 and stale_claim() <= dt.timedelta(minutes=2)
    finally:
        server.stop()
    rows = deliveries()
    assert len(rows) == rows_before and all(d.status == "sent" for d in rows)  # one row each, none lost
    copies = [r for r in server.received if r.message["Message-ID"] == first.message["Message-ID"]]
    assert len(copies) == 2  # the one duplicate SMTP allows, recognisable by its Message-ID
    assert {r.message["Message-ID"] for r in copies} == {[d for d in rows if d.id == stuck.id][0].message_id}
    assert Counter(r.message["Message-ID"] for r in server.received).most_common(2)[1][1] == 1


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))
from ylyx_tasks.jobs import deliver_job
print("ok" if deliver_job() else "failed")
"""


# On PostgreSQL only: the file-size limit stands in for a full disk, and would stop a SQLite database file too.
@pytest.mark.parametrize("plan_db", ["postgres"], indirect=True)
def test_a_full_outbox_disk_is_a_recorded_failure_with_nothing_half_written(plan_db, tmp_path):
    queue_notices()
    outbox = tmp_path / "outbox"
    result = subprocess.run([sys.executable, "-c", FULL_DISK], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr  # before: an uncaught OSError
    assert result.stdout.strip() == "failed"
    rows = deliveries()
    assert not [d for d in rows if d.status == "sending"]
    failed = [d for d in rows if d.last_error]
    assert failed and all("无法写入发件箱" in d.last_error for d in failed)
    assert not list(outbox.glob(".*.tmp")) and all(f.stat().st_size > 0 for f in outbox.glob("*.eml"))
    with read_session() as s:
        run = s.exec(select(JobRun).where(JobRun.job == "deliver")).one()
    assert run.ok is False and "无法写入发件箱" in run.summary


def test_the_delivery_job_records_a_failure_while_smtp_is_down(plan_db, monkeypatch):
    from ylyx_tasks.jobs import deliver_job

    queue_notices()
    use_smtp(monkeypatch, free_port())  # nothing listens there
    assert deliver_job() is False  # before: recorded as a success
    with read_session() as s:
        run = s.exec(select(JobRun).where(JobRun.job == "deliver")).one()
    assert run.ok is False and "无法连接邮件服务器" in run.summary
    assert all(d.status == "pending" for d in deliveries())
