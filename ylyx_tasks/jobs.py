"""The scheduled jobs, callable from the scheduler, the CLI and tests alike. Each run is logged and recorded in
``job_run``; a failing run is recorded as failed and never takes the scheduler down."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ylyx_tasks import clock
from ylyx_tasks.db import write_session
from ylyx_tasks.models import JobRun
from ylyx_tasks.services.mail.queue import DeliveryReport, deliver_pending
from ylyx_tasks.services.supervision.digest import run_digest
from ylyx_tasks.services.supervision.scan import run_scan

log = logging.getLogger("ylyx_tasks.jobs")


class JobFailed(Exception):
    """The job ran but did not do all it should (mail not sent): recorded as a failure with this summary."""


def _mail_outcome(summary: str, report: DeliveryReport) -> str:
    """``summary``, or :class:`JobFailed` when a delivery failed (server down, outbox disk full): the office sees
    the job in red on the admin page, with the first error, rather than a success."""
    if report.failed:
        raise JobFailed(f"{summary}；首个错误：{report.errors[0] if report.errors else '—'}")
    return summary


def _recorded(job: str, work: Callable[[], str]) -> bool:
    with write_session() as session:
        run = JobRun(job=job, started_at=clock.utcnow())
        session.add(run)
        session.flush()
        run_id = run.id
    ok, summary = True, ""
    try:
        summary = work()
        log.info("%s: %s", job, summary)
    except JobFailed as exc:
        ok, summary = False, str(exc)
        log.error("%s failed: %s", job, summary)
    except Exception as exc:  # noqa: BLE001  (recorded and logged; the next run tries again)
        ok, summary = False, f"{exc.__class__.__name__}: {exc}"
        log.exception("%s failed", job)
    with write_session() as session:
        run = session.get(JobRun, run_id)
        run.finished_at, run.ok, run.summary = clock.utcnow(), ok, summary[:2000]
    return ok


def scan_job() -> bool:
    """Daily 08:00: close what is settled, make the notices due today, then try to send their mail."""

    def work() -> str:
        result = run_scan(clock.today())
        sent = deliver_pending()
        return _mail_outcome(f"{result.summary()}；发送 {sent.sent}，失败 {sent.failed}", sent)

    return _recorded("scan", work)


def deliver_job() -> bool:
    """Every 10 minutes: send what is due (failed deliveries come back after their backoff)."""

    def work() -> str:
        r = deliver_pending()
        return _mail_outcome(f"发送 {r.sent}，失败 {r.failed}，待发 {r.pending}", r)

    return _recorded("deliver", work)


def digest_job() -> bool:
    """Mondays 09:00 (or on catching up a missed Monday): record this week's digests, then send them."""

    def work() -> str:
        run = run_digest(clock.today())
        sent = deliver_pending()
        return _mail_outcome(f"{run.summary()}；发送 {sent.sent}，失败 {sent.failed}", sent)

    return _recorded("digest", work)
