"""``scheduler.py`` is wiring: three jobs with explicit ids, their triggers in Asia/Shanghai, their misfire
grace, kept in the app database's ``apscheduler_jobs`` table — so that a digest missed while the process was
down fires once when it comes back, and not again. It is never started from the web app.

The scheduler runs for real (a BackgroundScheduler in this process, jobs on its thread pool); the clock is
moved with time-machine, and the test waits on the scheduler's own events, never on a sleep.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import threading
from functools import cache
from zoneinfo import ZoneInfo

import time_machine
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, EVENT_JOB_SUBMITTED
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from conftest import REPO
from sqlalchemy import text
from test_mail_smtp import import_contacts

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONTACTS = """unit,name,email
市民政局,张主任,zhang@mz.example.cn
市卫健委,李科长,li@wj.example.cn
领导小组,王秘书长,wang@ld.example.cn
"""


@cache
def scheduler_module():
    """``scheduler.py`` from the repository root (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("ylyx_scheduler_under_test", REPO / "scheduler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stored_jobs() -> dict[str, dt.datetime | None]:
    """The job store's rows: job id → next run time (Asia/Shanghai)."""
    from ylyx_tasks.db import get_engine

    with get_engine().connect() as conn:
        rows = conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all()
    return {job_id: None if ts is None else dt.datetime.fromtimestamp(ts, SHANGHAI) for job_id, ts in rows}


def job_runs(job: str) -> list:
    from ylyx_tasks.db import get_engine

    with get_engine().connect() as conn:
        return conn.execute(text("SELECT ok, summary FROM job_run WHERE job = :job"), {"job": job}).all()


def digest_deliveries(monday: dt.date) -> int:
    from ylyx_tasks.db import get_engine

    with get_engine().connect() as conn:
        return conn.execute(text("SELECT count(*) FROM delivery WHERE dedup_key LIKE :key"),
                            {"key": f"digest:{monday.isoformat()}:%"}).scalar_one()


def test_it_registers_the_three_jobs_with_their_triggers_in_shanghai(plan_db):
    module = scheduler_module()
    scheduler = module.configure(BackgroundScheduler())
    scheduler.start(paused=True)  # paused: the jobs go to the job store, none runs
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        stored = stored_jobs()
    finally:
        scheduler.shutdown(wait=False)

    from ylyx_tasks import jobs as job_functions

    assert str(scheduler.timezone) == "Asia/Shanghai"
    assert set(jobs) == set(stored) == {"scan", "deliver", "digest"}
    assert [jobs[i].func for i in ("scan", "deliver", "digest")] == [
        job_functions.scan_job, job_functions.deliver_job, job_functions.digest_job]

    scan, deliver, digest = jobs["scan"].trigger, jobs["deliver"].trigger, jobs["digest"].trigger
    assert isinstance(scan, CronTrigger) and isinstance(digest, CronTrigger)
    fields = lambda t: {f.name: str(f) for f in t.fields}  # noqa: E731
    assert fields(scan) == {"year": "*", "month": "*", "day": "*", "week": "*", "day_of_week": "*",
                            "hour": "8", "minute": "0", "second": "0"}
    assert fields(digest) == {"year": "*", "month": "*", "day": "*", "week": "*", "day_of_week": "mon",
                              "hour": "9", "minute": "0", "second": "0"}
    assert isinstance(deliver, IntervalTrigger) and deliver.interval == dt.timedelta(minutes=10)
    assert {str(t.timezone) for t in (scan, deliver, digest)} == {"Asia/Shanghai"}

    grace = {"scan": module.SCAN_GRACE_S, "deliver": module.DELIVER_GRACE_S, "digest": module.DIGEST_GRACE_S}
    assert {i: j.misfire_grace_time for i, j in jobs.items()} == grace
    assert all(j.coalesce and j.max_instances == 1 for j in jobs.values())
    # long enough for a Monday digest to be caught up within its week, and a scan within its day
    assert module.DIGEST_GRACE_S >= 5 * 24 * 3600 and module.SCAN_GRACE_S >= 12 * 3600
    assert stored["digest"].weekday() == 0 and stored["digest"].time() == dt.time(9, 0)
    assert stored["scan"].time() == dt.time(8, 0)


class Watcher:
    """Collects the scheduler's job events; ``wait_for`` blocks until a job has run (or times out)."""

    def __init__(self) -> None:
        self.events: list[tuple[int, str]] = []
        self._ran: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def __call__(self, event) -> None:
        with self._lock:
            self.events.append((event.code, event.job_id))
            if event.code == EVENT_JOB_EXECUTED:
                self._ran.setdefault(event.job_id, threading.Event()).set()

    def wait_for(self, job_id: str, timeout: float = 90) -> bool:
        with self._lock:
            flag = self._ran.setdefault(job_id, threading.Event())
        return flag.wait(timeout)

    def submitted(self, job_id: str) -> int:
        with self._lock:
            return sum(1 for code, i in self.events if code == EVENT_JOB_SUBMITTED and i == job_id)


def run_scheduler_at(moment: dt.datetime, *, until: str) -> Watcher:
    """Start the configured scheduler with the clock at ``moment`` (running on), wait until job ``until`` has
    run, then shut down (waiting for the running jobs)."""
    module = scheduler_module()
    watcher = Watcher()
    with time_machine.travel(moment, tick=True):
        scheduler = module.configure(BackgroundScheduler())
        scheduler.add_listener(watcher, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_MISSED
                               | EVENT_JOB_ERROR)
        if until == "probe":
            # A job in a job store consulted after the app's: once it has run, the scheduler has been through
            # every job due at start, so anything not submitted by then was not due.
            scheduler.add_jobstore(MemoryJobStore(), alias="probe")
            scheduler.add_job(lambda: None, "date", run_date=moment, id="probe", jobstore="probe",
                              misfire_grace_time=None)
        scheduler.start()
        try:
            assert watcher.wait_for(until), f"job {until} did not run"
        finally:
            scheduler.shutdown(wait=True)
    return watcher


def test_it_fires_a_missed_digest_once_after_a_restart(plan_sqlite):
    from ylyx_tasks.services.supervision.scan import run_scan

    import_contacts(CONTACTS)
    run_scan(dt.date(2023, 1, 3))  # something for the digest to say: overdue milestones, 督办, 催报
    module = scheduler_module()
    monday = dt.date(2023, 1, 16)

    # Sunday noon: the scheduler starts once (paused) and stops; the store holds the next Monday's digest
    with time_machine.travel(dt.datetime(2023, 1, 15, 12, 0, tzinfo=SHANGHAI), tick=True):
        scheduler = module.configure(BackgroundScheduler())
        scheduler.start(paused=True)
        scheduler.shutdown()
    assert stored_jobs()["digest"] == dt.datetime(2023, 1, 16, 9, 0, tzinfo=SHANGHAI)

    # The process was down at 09:00 on Monday; it comes back at 11:30
    late = run_scheduler_at(dt.datetime(2023, 1, 16, 11, 30, tzinfo=SHANGHAI), until="digest")

    assert late.submitted("digest") == 1
    runs = job_runs("digest")
    assert len(runs) == 1 and runs[0].ok, runs
    recorded = digest_deliveries(monday)
    assert recorded == 3  # 领导小组, 市民政局, 市卫健委: one digest each
    assert stored_jobs()["digest"] == dt.datetime(2023, 1, 23, 9, 0, tzinfo=SHANGHAI)

    # Restarted again at noon: the digest is not due any more
    noon = run_scheduler_at(dt.datetime(2023, 1, 16, 12, 0, tzinfo=SHANGHAI), until="probe")

    assert noon.submitted("digest") == 0
    assert len(job_runs("digest")) == 1
    assert digest_deliveries(monday) == recorded
    assert stored_jobs()["digest"] == dt.datetime(2023, 1, 23, 9, 0, tzinfo=SHANGHAI)


# Importing the scheduler (or APScheduler), building one, or launching scheduler.py; naming it in a caption
# ("调度程序（scheduler.py）最近的运行") is fine.
SCHEDULER_USE = re.compile(
    r"^\s*(from|import)\s+(scheduler|apscheduler)\b|BlockingScheduler|BackgroundScheduler"
    r"|(Popen|subprocess\.\w+|os\.system|runpy\.\w+|import_module|spec_from_file_location)\([^)]*scheduler",
    re.MULTILINE)


def test_it_is_never_started_from_the_web_app():
    web_files = [REPO / "streamlit_app.py", *sorted((REPO / "pages").rglob("*.py"))]
    assert SCHEDULER_USE.search("import scheduler\n") and SCHEDULER_USE.search("subprocess.Popen(['python', "
                                                                                "'scheduler.py'])")
    package_files = sorted((REPO / "ylyx_tasks").rglob("*.py"))
    checked = [p for p in web_files + package_files if p.is_file()]
    assert len(checked) > 20  # the package at least
    offenders = [str(p.relative_to(REPO)) for p in checked
                 if SCHEDULER_USE.search(p.read_text(encoding="utf-8"))]
    # the migrations create APScheduler's table; nothing else in the app or the package touches the scheduler
    assert [o for o in offenders if not o.startswith("ylyx_tasks/migrations/")] == []
