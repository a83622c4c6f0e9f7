"""The figures: ratios, machine information, ``benchmarks/results.json`` and the printed table."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3

from benchmarks import GENERATOR_VERSION, RESULTS, TODAY

PAGE_NAMES = {"cockpit": "总览", "tasks": "任务清单(单位)", "task_detail": "任务详情"}


def _median(d: dict | None, *path: str):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d if isinstance(d, (int, float)) else None


def _ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def ratios(m: dict) -> dict:
    """Each job over its floor (re-scan ÷ floor and cockpit ÷ floor are the issue's; the others for context)."""
    out = {
        "rescan_over_floor": _ratio(_median(m, "rescan", "median"), _median(m, "floors", "scan", "median")),
        "scan_first_over_floor": _ratio(_median(m, "scan_first", "median"), _median(m, "floors", "scan", "median")),
        "digest_over_floor": _ratio(_median(m, "digest", "median"), _median(m, "floors", "digest", "median")),
    }
    for page in PAGE_NAMES:
        floor = _median(m, "floors", page, "median")
        out[f"{page}_cold_over_floor"] = _ratio(_median(m, "pages", page, "cold", "server", "median"), floor)
    return out


def stress_over_plan(results: dict) -> dict:
    """For each database and page: the stress time over the plan time (cold and warm, server and wall)."""
    out: dict = {}
    plan, stress = results.get("plan", {}), results.get("stress", {})
    for kind in sorted(set(plan) & set(stress)):
        for page in PAGE_NAMES:
            for mode in ("cold", "warm"):
                for clock in ("server", "wall"):
                    key = f"{page}_{mode}_{clock}"
                    out.setdefault(kind, {})[key] = _ratio(
                        _median(stress[kind], "pages", page, mode, clock, "median"),
                        _median(plan[kind], "pages", page, mode, clock, "median"))
    return out


def machine_info(pg_url: str) -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            info["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
        with open("/proc/meminfo", encoding="utf-8") as f:
            info["memory_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(pg_url)
        with engine.connect() as c:
            for name in ("server_version", "shared_buffers", "work_mem", "effective_cache_size"):
                info[f"postgres_{name}" if name != "server_version" else "postgres"] = c.exec_driver_sql(
                    f"SHOW {name}").scalar_one()
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 — machine info is informative only
        info["postgres"] = f"unavailable: {exc.__class__.__name__}"
    return info


def write_results(results: dict, machine: dict, *, repeat: int, scale: float) -> dict:
    """Merge this run's figures into ``results.json`` (figures of sizes and databases not measured this time
    stay, each with its own ``measured_at``)."""
    document = {}
    if scale == 1.0 and RESULTS.exists():
        try:
            document = json.loads(RESULTS.read_text(encoding="utf-8"))
        except ValueError:
            document = {}
    document.update({
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "today": TODAY.isoformat(),
        "generator_version": GENERATOR_VERSION,
        "repeat": repeat,
        "command": "make bench  (= .venv/bin/python -m benchmarks.run)",
        "machine": machine,
        "notes": {
            "seconds": "median of `repeat` runs, each job in a fresh process (the re-scan and the floors: 5 × "
                       "`repeat` runs in one process, after an untimed one); all runs listed; before each timed "
                       "job the machine settles (sync, PostgreSQL CHECKPOINT)",
            "memory": "peak RSS of the child process that ran only that job (getrusage(RUSAGE_SELF).ru_maxrss "
                      "read by the child at exit); baseline = peak after imports and connecting, before the job",
            "pages": "server = the app's own ylyx_render_ms (guard to end of page); wall = AppTest.run(); cold = "
                     "st.cache_data cleared before the run; signed in as admin (office)",
            "floors": "one SQL statement each, rows fetched, timed in one process after an untimed run",
        },
    })
    sizes = document.setdefault("sizes", {})
    for label, by_db in results.items():
        sizes.setdefault(label, {}).update(by_db)
    document["stress_over_plan"] = stress_over_plan(sizes)
    if scale == 1.0:
        RESULTS.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
                           encoding="utf-8")
    return document


def _s(value) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value * 1000:.1f}ms"


def _r(value) -> str:
    return "—" if value is None else f"{value:.1f}×"


def print_table(document: dict) -> None:
    jobs = ["size/db", "build", "scan 1st", "re-scan", "floor", "re÷floor", "digest", "floor", "scan MB",
            "digest MB"]
    rows = [jobs]
    pages = ["size/db", "总览 cold", "warm", "floor", "cold÷floor", "任务清单 cold", "warm", "任务详情 cold", "warm"]
    prows = [pages]
    for label, by_db in document.get("sizes", {}).items():
        for kind, m in by_db.items():
            mem = m.get("memory_mb", {})
            rows.append([f"{label}/{kind}", _s(_median(m, "build", "seconds")), _s(_median(m, "scan_first", "median")),
                         _s(_median(m, "rescan", "median")), _s(_median(m, "floors", "scan", "median")),
                         _r(m.get("ratios", {}).get("rescan_over_floor")), _s(_median(m, "digest", "median")),
                         _s(_median(m, "floors", "digest", "median")), f"{mem.get('scan_peak', '—')}",
                         f"{mem.get('digest_peak', '—')}"])

            def page(name: str, mode: str) -> str:
                value = m.get("pages", {}).get(name, {})
                return "n/a" if "n/a" in value else _s(_median(value, mode, "server", "median"))

            prows.append([f"{label}/{kind}", page("cockpit", "cold"), page("cockpit", "warm"),
                          _s(_median(m, "floors", "cockpit", "median")),
                          _r(m.get("ratios", {}).get("cockpit_cold_over_floor")), page("tasks", "cold"),
                          page("tasks", "warm"), page("task_detail", "cold"), page("task_detail", "warm")])
    for table in (rows, prows):
        widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]))]
        for r in table:
            print("  ".join(str(v).rjust(w) for v, w in zip(r, widths)))
        print()
    for kind, values in document.get("stress_over_plan", {}).items():
        shown = ", ".join(f"{k.replace('_server', '')} {_r(v)}" for k, v in values.items()
                          if k.endswith("_server") and v is not None)
        print(f"stress ÷ plan ({kind}, server time): {shown}")
    for label, by_db in document.get("sizes", {}).items():
        for kind, m in by_db.items():
            for name, value in m.get("pages", {}).items():
                if isinstance(value, dict) and "n/a" in value:
                    print(f"{label}/{kind} {name}: n/a — {value['n/a']}")
