"""The supervision scheduler — a separate long-running process (never started from inside Streamlit).

Only wiring: APScheduler 3's BlockingScheduler in Asia/Shanghai, jobs with explicit ids, persisted in the app's
database so that a digest missed while this process was down is sent once when it comes back (coalesced, within
the misfire grace), never twice (the digest itself is also keyed by its week).

    python scheduler.py            # or: make scheduler
"""

from __future__ import annotations

import logging
import pickle

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text

from ylyx_tasks import jobs
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import get_engine, migrate

# A digest or scan missed while the process was down still runs when it comes back within this window.
DIGEST_GRACE_S = 6 * 24 * 3600  # until Sunday: a week's digest is still worth sending
SCAN_GRACE_S = 20 * 3600  # the same day
DELIVER_GRACE_S = 10 * 60

JOBS = {
    "scan": dict(func=jobs.scan_job, grace=SCAN_GRACE_S, trigger=lambda tz: CronTrigger(hour=8, minute=0, timezone=tz)),
    "deliver": dict(func=jobs.deliver_job, grace=DELIVER_GRACE_S,
                    trigger=lambda tz: IntervalTrigger(minutes=10, timezone=tz)),
    "digest": dict(func=jobs.digest_job, grace=DIGEST_GRACE_S,
                   trigger=lambda tz: CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=tz)),
}


def _trigger_key(trigger) -> str:
    # str() names the schedule (cron fields, interval length) without an interval's start date
    return f"{trigger}@{trigger.timezone}"


def _stored_jobs() -> dict[str, tuple[str, int | None]]:
    """The jobs already in the job store: id → (trigger, misfire grace)."""
    with get_engine().connect() as conn:
        rows = conn.execute(text("SELECT id, job_state FROM apscheduler_jobs")).all()
    out = {}
    for job_id, state in rows:
        job = pickle.loads(state)  # written by APScheduler's own job store into our database
        out[job_id] = (_trigger_key(job["trigger"]), job["misfire_grace_time"])
    return out


def configure(scheduler: BaseScheduler) -> BaseScheduler:
    """Register the jobs on ``scheduler`` (any APScheduler 3 scheduler: tests use a background one).

    A job already stored with the same trigger is left alone, so its stored next run time survives a restart:
    a run missed while the process was down then fires once on start (coalesced, within the grace time).
    Re-adding it with ``replace_existing`` would recompute the next run time from now and lose that run.
    """
    tz = get_settings().tz
    scheduler.configure(
        jobstores={"default": SQLAlchemyJobStore(engine=get_engine(), tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=tz,
    )
    stored = _stored_jobs()
    for job_id, spec in JOBS.items():
        trigger = spec["trigger"](tz)
        if stored.get(job_id) == (_trigger_key(trigger), spec["grace"]):
            continue
        scheduler.add_job(spec["func"], trigger, id=job_id, name=job_id, replace_existing=True,
                          misfire_grace_time=spec["grace"], coalesce=True, max_instances=1)
    return scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    migrate()
    scheduler = configure(BlockingScheduler())
    logging.getLogger("scheduler").info("scheduler starting (%s); jobs: %s", get_settings().timezone,
                                        ", ".join(JOBS))
    if get_settings().mail_link_warning:
        logging.getLogger("scheduler").warning(get_settings().mail_link_warning)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


if __name__ == "__main__":
    main()
