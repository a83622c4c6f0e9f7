"""One measurement in a process of its own: ``python -m benchmarks.measure OP --url URL [--repeat N]``.

The parent (:mod:`benchmarks.run`) starts a fresh process per measurement, with the app's settings pointed at
the database to measure and today pinned to :data:`benchmarks.TODAY`, and reads one JSON line from its output.

- ``scan``: the daily scan once (the first scan of the day on a fresh copy, or a re-scan);
- ``rescan``: the scan ``repeat`` times after an untimed one, in one process (as the scheduler runs it);
- ``digest``: the weekly digest for every recipient, once;
- ``floors``: each floor ``repeat`` times after an untimed one;
- ``pages``: the three pages through AppTest (see :mod:`benchmarks.pages`);
- ``migrate``: bring the schema to the newest migration (an older build reused by a newer app).

Memory: the peak resident set of this process (``getrusage(RUSAGE_SELF).ru_maxrss``, read at the end; the same
number the parent would read for this child with ``RUSAGE_CHILDREN``), and the peak before the measured call
(imports, settings, a connection), so the job's own share is the difference.

With ``--profile FILE``, the measured call runs under pyinstrument, and FILE.html, FILE.txt and FILE.pyisession
(for ``pyinstrument --load FILE.pyisession --show-all``) are written.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import sys
import time
from pathlib import Path

from benchmarks import TODAY


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # kilobytes on Linux


def _warm_up() -> None:
    """Imports done, settings read, one connection open: what a running scheduler already has."""
    from sqlalchemy import text

    from ylyx_tasks.db import get_engine

    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


@contextlib.contextmanager
def _profiled(path: str | None):
    if not path:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        Path(f"{path}.html").write_text(profiler.output_html(), encoding="utf-8")
        Path(f"{path}.txt").write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
        # every frame, for a closer look: pyinstrument --load FILE.pyisession --show-all
        profiler.last_session.save(f"{path}.pyisession")


def scan(profile: str | None) -> dict:
    from ylyx_tasks.services.supervision.scan import run_scan

    _warm_up()
    baseline = peak_mb()
    with _profiled(profile):
        started = time.perf_counter()
        result = run_scan(TODAY)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "created": dict(result.created), "closed": result.closed, "mails": result.mails,
            "peak_mb": peak_mb(), "baseline_mb": baseline}


def rescan(repeat: int, profile: str | None) -> dict:
    from ylyx_tasks.services.supervision.scan import run_scan

    _warm_up()
    run_scan(TODAY)
    runs = []
    with _profiled(profile):
        for _ in range(repeat):
            started = time.perf_counter()
            result = run_scan(TODAY)
            runs.append(time.perf_counter() - started)
            if result.created:
                raise SystemExit(f"the re-scan made notices: {dict(result.created)}")
    return {"runs": runs, "peak_mb": peak_mb()}


def digest(profile: str | None) -> dict:
    from ylyx_tasks.services.supervision.digest import run_digest

    _warm_up()
    baseline = peak_mb()
    with _profiled(profile):
        started = time.perf_counter()
        run = run_digest(TODAY)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "units": run.units, "empty": run.empty, "mails": run.mails, "peak_mb": peak_mb(),
            "baseline_mb": baseline}


def floors(repeat: int) -> dict:
    from benchmarks import floors as f
    from ylyx_tasks.db import get_engine
    from ylyx_tasks.reads.plans import rules_from_settings

    rules = rules_from_settings()
    out = {}
    with get_engine().connect() as conn:
        department_id, department = f.busiest_department(conn)
        task_id, task_code = f.busiest_task(conn)
        for name in ("scan", "cockpit", "digest", "tasks", "task_detail"):
            call = f.floor_call(name, conn, TODAY, rules, department_id=department_id, task_id=task_id)
            result = call()
            out[name] = {"runs": f.time_call(call, repeat), "rows": len(result)}
    out["department"], out["task"] = department, task_code
    return out


def migrate() -> dict:
    from ylyx_tasks.db import current_revision, migrate as upgrade

    before = upgrade()
    return {"before": before, "after": current_revision()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    parser.add_argument("op", choices=["scan", "rescan", "digest", "floors", "pages", "migrate"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", help="write a pyinstrument profile to this path (.html and .txt)")
    parser.add_argument("--page", help="pages: only this page (cockpit, tasks, task_detail)")
    args = parser.parse_args(argv)

    from benchmarks.databases import bench_env, use_env

    use_env(bench_env(args.url, today=TODAY))
    if args.op == "scan":
        out = scan(args.profile)
    elif args.op == "rescan":
        out = rescan(args.repeat, args.profile)
    elif args.op == "digest":
        out = digest(args.profile)
    elif args.op == "floors":
        out = floors(args.repeat)
    elif args.op == "pages":
        from benchmarks.pages import measure_pages

        out = measure_pages(args.repeat, profile=args.profile, only=args.page)
    else:
        out = migrate()
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
