"""The synthetic data generator: ``python -m benchmarks.generate --size plan|province|stress --url URL``.

Builds the schema with the app's own migrations (``ylyx_tasks.db.migrate``), then writes a deterministic, seeded
history up to the day before :data:`benchmarks.TODAY` into an empty database:

- ``plan``: ``initialize()`` as ``ylyx-tasks init`` runs it, plus one mail contact per unit;
- ``province`` and ``stress``: see :mod:`benchmarks.sizes`. Tasks are simulated one by one through the workflow's
  rules (:mod:`benchmarks.timeline`), the notices a daily scan would have made are derived from the notice rules
  (:mod:`benchmarks.noticesim`), and everything is bulk-loaded (:mod:`benchmarks.bulk`): COPY on PostgreSQL,
  ``executemany`` on SQLite, in chunks, so memory stays bounded (the notices, about 150,000 small records at
  ``stress``, are the only thing held in full: their ids follow the order they were made in).

It prints a JSON summary: row counts, seconds, and the notices the first scan on TODAY must make.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import time
from collections import Counter as Tally
from pathlib import Path

from sqlalchemy import inspect

from benchmarks import BENCH_PASSWORD, GENERATOR_VERSION, LAST, TODAY
from benchmarks.sizes import SIZES, Size, size as size_named

TASK_COLUMNS = ["id", "plan_id", "code", "position", "section", "title", "clause_text", "working_group_id",
                "county_responsible", "status", "progress", "last_report_period", "last_report_on", "version",
                "created_at", "updated_at"]
MILESTONE_COLUMNS = ["id", "task_id", "key", "commitment", "start_date", "original_due", "due_date", "status",
                     "completed_on", "created_at", "updated_at"]
REPORT_COLUMNS = ["id", "task_id", "milestone_id", "department_id", "duty", "period", "reported_on", "percent",
                  "text", "evidence", "is_demo", "created_by", "created_at"]
REQUEST_COLUMNS = ["id", "kind", "status", "task_id", "milestone_id", "department_id", "text", "links",
                   "new_due_date", "requested_by", "requested_at", "decided_by", "decided_at", "decision_note"]
RESPONSIBILITY_COLUMNS = ["id", "task_id", "department_id", "duty", "position"]
TASKS_PER_CHUNK = 250
# Sign-ins per account per week, so that the audit log has the proportions of a busy system.
SIGN_INS_PER_WEEK = {"province": 2, "stress": 1}
TARGETS = {"task": 10_000, "milestone": 30_000, "department": 150, "app_user": 500, "progress_report": 500_000,
           "notice": 100_000, "delivery": 100_000, "audit_event": 1_000_000}


def build(size: Size) -> dict:
    """Build ``size`` into the (empty) database the settings point at. Returns the summary."""
    from ylyx_tasks.db import get_engine, migrate

    started = time.perf_counter()
    engine = get_engine()
    if inspect(engine).get_table_names():
        raise SystemExit("the database is not empty: the generator writes into an empty database only")
    migrate()
    summary = _build_plan() if size.name == "plan" else _build_synthetic(size)
    summary.update(size=size.name, scale=size.scale, label=size.label, generator_version=GENERATOR_VERSION,
                   today=TODAY.isoformat(), seconds=round(time.perf_counter() - started, 1),
                   built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    return summary


def _build_plan() -> dict:
    """The seed as ``ylyx-tasks init`` loads it (the admin password is :data:`BENCH_PASSWORD`), and contacts."""
    from sqlmodel import select

    from ylyx_tasks import clock
    from ylyx_tasks.db import write_session
    from ylyx_tasks.models import Contact, Department, WorkingGroup
    from ylyx_tasks.services.setup import initialize

    from benchmarks.base import CONTACT_DOMAIN

    initialize()
    now = clock.utcnow()
    with write_session() as s:
        s.add(Contact(unit_key="leadership", name="领导小组秘书一", email=f"leaders1@{CONTACT_DOMAIN}", created_at=now))
        s.add(Contact(unit_key="leadership", name="领导小组秘书二", email=f"leaders2@{CONTACT_DOMAIN}", created_at=now))
        for g in s.exec(select(WorkingGroup)):
            s.add(Contact(unit_key=f"group:{g.id}", working_group_id=g.id, name=f"{g.name}联络人",
                          email=f"group{g.id}@{CONTACT_DOMAIN}", created_at=now))
        for d in s.exec(select(Department)):
            s.add(Contact(unit_key=f"department:{d.id}", department_id=d.id, name=f"{d.short_name}联络员",
                          email=f"dept{d.id}@{CONTACT_DOMAIN}", created_at=now))
    return {"counts": _counts(), "expected_first_scan": None}


def _counts() -> dict[str, int]:
    from sqlalchemy import func, select

    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import (AuditEvent, Delivery, Department, Milestone, Notice, ProgressReport, Task,
                                   User)

    out = {}
    with read_session() as s:
        for name, model in (("task", Task), ("milestone", Milestone), ("department", Department), ("app_user", User),
                            ("progress_report", ProgressReport), ("notice", Notice), ("delivery", Delivery),
                            ("audit_event", AuditEvent)):
            out[name] = s.execute(select(func.count()).select_from(model)).scalar_one()
    return out


def _build_synthetic(size: Size) -> dict:
    from ylyx_tasks.config import get_settings
    from ylyx_tasks.db import get_engine
    from ylyx_tasks.domain import periods
    from ylyx_tasks.reads.holidays import file_overrides
    from ylyx_tasks.reads.plans import rules_from_settings
    from ylyx_tasks.services.plan.loader import read_plan_meta
    from ylyx_tasks.services.users import hash_password

    from benchmarks.base import write_base
    from benchmarks.bulk import BulkWriter
    from benchmarks.model import Context, Ids
    from benchmarks.noticesim import task_notices
    from benchmarks.records import (AUDIT_COLUMNS, DELIVERY_COLUMNS, NOTICE_COLUMNS, deliveries,
                                    job_runs, notice_audit, notice_rows, number_notices, sign_ins)
    from benchmarks.tasks import responsibility_rows, seed_rows, task_plans
    from benchmarks.timeline import simulate

    settings = get_settings()
    rules = rules_from_settings()
    engine = get_engine()
    w = BulkWriter(engine)
    ids = Ids()
    early_audit: list[tuple] = []
    base = write_base(w, size, settings.data_dir, hash_password(BENCH_PASSWORD), ids, early_audit)
    ctx = Context(seed=size.seed, plan_id=base.plan_id, issued_on=base.issued_on,
                  first_period=periods.first_period(base.issued_on), first_scan=base.issued_on + dt.timedelta(days=1),
                  last=LAST, today=TODAY, rules=rules, office=base.office, liaisons=base.liaisons,
                  county_fraction=size.county_fraction, county_every=size.county_every,
                  overrides=dict(file_overrides()))

    def audit_rows(rows):
        return ((ids.take("audit_event"), *row) for row in rows)

    w.insert("audit_event", AUDIT_COLUMNS, audit_rows(early_audit))
    meta = read_plan_meta(settings.data_dir)
    plans = task_plans(size, base, seed_rows(settings.data_dir, base, meta["period_start"], meta["period_end"]),
                       meta["period_end"], ids)
    drafts = []
    task_info: dict[int, tuple[str, str, list[int]]] = {}
    while chunk := list(itertools.islice(plans, TASKS_PER_CHUNK)):
        histories = [simulate(p, ctx, ids) for p in chunk]
        w.insert("task", TASK_COLUMNS, [h.task_row for h in histories])
        w.insert("responsibility", RESPONSIBILITY_COLUMNS, [r for p in chunk for r in responsibility_rows(p, ids)])
        w.insert("milestone", MILESTONE_COLUMNS, [r for h in histories for r in h.milestone_rows])
        w.insert("progress_report", REPORT_COLUMNS, (r for h in histories for r in h.report_rows))
        w.insert("review_request", REQUEST_COLUMNS, [r for h in histories for r in h.request_rows])
        w.insert("audit_event", AUDIT_COLUMNS, audit_rows(a for h in histories for a in h.audit_rows))
        for p, h in zip(chunk, histories):
            drafts.extend(task_notices(p, h, ctx))
            task_info[p.id] = (p.code, p.title, p.supports)
        del histories

    history = [n for n in drafts if n.created_on <= LAST]
    first_scan = [n for n in drafts if n.created_on == TODAY]
    del drafts
    counters = number_notices(history, meta.get("notice_prefix") or rules.notice_prefix)
    w.insert("notice", NOTICE_COLUMNS, notice_rows(history, ctx))
    w.insert("counter", ["name", "value"], sorted(counters.items()))
    w.insert("delivery", DELIVERY_COLUMNS, deliveries(history, base, task_info, ctx, settings.issuing_office, ids))
    w.insert("audit_event", AUDIT_COLUMNS, audit_rows(notice_audit(history, ctx)))
    last_login: dict[int, dt.datetime] = {}
    w.insert("audit_event", AUDIT_COLUMNS, audit_rows(sign_ins(base, ctx, SIGN_INS_PER_WEEK[size.name], last_login)))
    w.insert("job_run", ["id", "job", "started_at", "finished_at", "ok", "summary"], job_runs(history, ctx, ids))
    w.update_many('UPDATE app_user SET last_login_at = ? WHERE id = ?',
                  [(when, uid) for uid, when in sorted(last_login.items())])
    w.finish()
    counts = dict(w.counts)
    counts["department"] = len(base.departments)
    return {"counts": counts,
            "expected_first_scan": {"by_level": dict(Tally(n.level.value for n in first_scan)),
                                    "keys": sorted(n.key for n in first_scan)},
            "targets_met": _targets(size, counts)}


def _targets(size: Size, counts: dict[str, int]) -> dict[str, bool] | None:
    if size.name != "stress" or size.scale != 1.0:
        return None
    return {name: counts.get(name, 0) >= minimum for name, minimum in TARGETS.items()}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.databases import bench_env, use_env

    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of an empty database (a new SQLite file is fine)")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the size (tests: 0.1 or less)")
    parser.add_argument("--summary", help="also write the JSON summary to this file")
    args = parser.parse_args(argv)
    url = args.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{Path(url[len('sqlite:///'):]).resolve().as_posix()}"
    summary_path = Path(args.summary).resolve() if args.summary else None
    use_env(bench_env(url))
    summary = build(size_named(args.size, args.scale))
    text = json.dumps({k: v for k, v in summary.items() if k != "expected_first_scan"} | {
        "expected_first_scan": (summary["expected_first_scan"] or {}).get("by_level")}, ensure_ascii=False, indent=1)
    print(text)
    if summary_path:
        with open(summary_path, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
