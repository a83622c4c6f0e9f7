"""``make bench``: build each size on SQLite and on PostgreSQL (once: a marker records what built it), measure,
print a table and write ``benchmarks/results.json``.

    python -m benchmarks.run [--sizes plan,province,stress] [--dbs sqlite,postgres] [--repeat 5]
    python -m benchmarks.run --profile scan|rescan|digest|cockpit|tasks|task_detail --size stress --db sqlite

For each size and database there are two databases: the *base* (the generated history, up to the day before
TODAY) and the *scanned* one (a copy of the base after the first scan of TODAY, as it is when the digest runs
and people open the pages). Whatever changes data runs on a fresh copy (a SQLite file copy, a PostgreSQL
``CREATE DATABASE … TEMPLATE``): the first scan on a copy of the base, the digest and the pages on copies of the
scanned one. Every measurement runs in a process of its own (:mod:`benchmarks.measure`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time

from benchmarks import DATA_DIR, GENERATOR_VERSION, REPO, TODAY
from benchmarks.databases import DBS, DEFAULT_PG, Place, bench_env, place_name
from benchmarks.sizes import SIZES, size as size_named

PROFILES = ("scan", "rescan", "digest", "cockpit", "tasks", "task_detail")
# The re-scan and the floors take milliseconds and run one after another in one process: they get this many times
# the runs, so that a burst of background work (or a garbage collection) cannot decide a median of five.
IN_PROCESS = 5


class MeasureFailed(RuntimeError):
    pass


def child(module: str, *args: str, url: str, timeout: float = 7200, parse: bool = True) -> dict:
    """Run ``python -m module args`` with the app pointed at ``url``; its last output line is JSON."""
    env = bench_env(url, today=TODAY)
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run([sys.executable, "-m", module, *args], env=env, cwd=DATA_DIR, capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        raise MeasureFailed(f"{module} {' '.join(args[:1])} failed:\n{proc.stderr[-3000:]}")
    if not parse:
        return {}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(op: str, url: str, **options) -> dict:
    args = [op, "--url", url]
    for key, value in options.items():
        if value is not None:
            args += [f"--{key}", str(value)]
    return child("benchmarks.measure", *args, url=url)


def log(text: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


# --- building ----------------------------------------------------------------------------------------------------


def ensure_built(name: str, scale: float, kind: str, pg: str, rebuild: bool) -> tuple[Place, dict]:
    """The base database of a size, built unless a marker says this generator version built it already."""
    label = size_named(name, scale).label
    base = Place(kind, place_name(label), pg)
    marker = None if rebuild else base.read_marker()
    if marker and marker.get("generator_version") == GENERATOR_VERSION and marker.get("label") == label:
        migrated = measure("migrate", base.url)
        if migrated["after"] != marker.get("revision"):  # the scanned copy is then made again (ensure_scanned)
            log(f"{label}/{kind}: schema migrated {marker.get('revision')} → {migrated['after']}")
            marker["revision"] = migrated["after"]
            base.write_marker(marker)
        return base, marker
    log(f"{label}/{kind}: building …")
    base.forget_marker()
    base.create_empty()
    summary_path = DATA_DIR / f"{base.name}.{kind}.summary.json"
    started = time.perf_counter()
    child("benchmarks.generate", "--size", name, "--scale", str(scale), "--url", base.url, "--summary",
          str(summary_path), url=base.url, parse=False)
    marker = json.loads(summary_path.read_text(encoding="utf-8"))
    summary_path.unlink()
    marker["build_wall_seconds"] = round(time.perf_counter() - started, 1)
    marker["revision"] = measure("migrate", base.url)["after"]
    base.write_marker(marker)
    log(f"{label}/{kind}: built in {marker['build_wall_seconds']} s")
    return base, marker


def ensure_scanned(base: Place, marker: dict) -> tuple[Place, dict]:
    """The base after the first scan of TODAY (made once, reused while the base is the same)."""
    scanned = Place(base.kind, f"{base.name}_scanned", base.pg_admin)
    m = scanned.read_marker()
    if m and m.get("base_built_at") == marker["built_at"] and m.get("revision") == marker["revision"]:
        return scanned, m
    scanned.forget_marker()
    base.copy_to(scanned.name)
    result = measure("scan", scanned.url)
    m = {"base_built_at": marker["built_at"], "revision": marker["revision"], "first_scan": result}
    scanned.write_marker(m)
    return scanned, m


# --- measuring ---------------------------------------------------------------------------------------------------


def stats(runs: list[float | None]) -> dict:
    values = [r for r in runs if r is not None]
    if not values:
        return {"median": None, "runs": []}
    return {"median": round(statistics.median(values), 6), "runs": [round(r, 6) for r in values]}


def on_copy(place: Place, op: str, **options) -> dict:
    scratch = place.scratch()
    scratch.settle()
    try:
        return measure(op, scratch.url, **options)
    finally:
        scratch.drop()


def measure_size(name: str, scale: float, kind: str, pg: str, repeat: int, rebuild: bool, pages: bool) -> dict:
    base, marker = ensure_built(name, scale, kind, pg, rebuild)
    scanned, _ = ensure_scanned(base, marker)
    label = marker["label"]
    out: dict = {"measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 "build": {"seconds": marker.get("build_wall_seconds"), "generator_seconds": marker.get("seconds"),
                           "built_at": marker["built_at"], "counts": marker["counts"],
                           "first_scan_expected": (marker.get("expected_first_scan") or {}).get("by_level")}}
    log(f"{label}/{kind}: first scan ×{repeat}")
    first = [on_copy(base, "scan") for _ in range(repeat)]
    out["scan_first"] = stats([r["seconds"] for r in first]) | {"created": first[0]["created"]}
    log(f"{label}/{kind}: re-scan ×{repeat}")
    scanned.settle()
    out["rescan"] = stats(measure("rescan", scanned.url, repeat=repeat * IN_PROCESS)["runs"])
    log(f"{label}/{kind}: digest ×{repeat}")
    digests = [on_copy(scanned, "digest") for _ in range(repeat)]
    out["digest"] = stats([r["seconds"] for r in digests]) | {"mails": digests[0]["mails"],
                                                               "units": digests[0]["units"]}
    out["memory_mb"] = {"scan_peak": max(r["peak_mb"] for r in first),
                        "scan_baseline": min(r["baseline_mb"] for r in first),
                        "digest_peak": max(r["peak_mb"] for r in digests),
                        "digest_baseline": min(r["baseline_mb"] for r in digests)}
    log(f"{label}/{kind}: floors ×{repeat}")
    scanned.settle()
    floors = measure("floors", scanned.url, repeat=repeat * IN_PROCESS)
    out["floors"] = {k: stats(v["runs"]) | {"rows": v["rows"]} for k, v in floors.items() if isinstance(v, dict)}
    out["floors"]["department"], out["floors"]["task"] = floors["department"], floors["task"]
    if pages:
        log(f"{label}/{kind}: pages ×{repeat}")
        try:
            result = on_copy(scanned, "pages", repeat=repeat)
        except MeasureFailed as exc:
            result = {"pages": {"all": {"n/a": str(exc)[-500:]}}}
        out["pages"] = {k: v for k, v in result.items() if k != "pages"}
        for page, value in result["pages"].items():
            if "n/a" in value:
                out["pages"][page] = value
                continue
            out["pages"][page] = {mode: {"server": stats(value[mode]["server"]), "wall": stats(value[mode]["wall"])}
                                  for mode in ("cold", "warm")} | ({"shown": value["shown"]} if "shown" in value
                                                                   else {})
    from benchmarks.report import ratios

    out["ratios"] = ratios(out)
    return out


def profile(op: str, name: str, kind: str, pg: str, scale: float) -> None:
    base, marker = ensure_built(name, scale, kind, pg, False)
    scanned, _ = ensure_scanned(base, marker)
    path = DATA_DIR / f"profile-{op}-{marker['label']}-{kind}"
    log(f"profiling {op} at {marker['label']} on {kind} → {path}.html / .txt")
    if op == "scan":
        result = on_copy(base, "scan", profile=path)
    elif op == "rescan":
        result = measure("rescan", scanned.url, repeat=1, profile=path)
    elif op == "digest":
        result = on_copy(scanned, "digest", profile=path)
    else:
        result = on_copy(scanned, "pages", repeat=1, profile=path, page=op)
    print(json.dumps(result, ensure_ascii=False))
    print(open(f"{path}.txt", encoding="utf-8").read())


def _postgres_reachable(url: str) -> bool:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated: plan,province,stress")
    parser.add_argument("--dbs", default=",".join(DBS), help="comma-separated: sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (the median is reported)")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the sizes (a quick trial run)")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="a PostgreSQL URL allowed to create databases")
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if a marker matches")
    parser.add_argument("--no-pages", action="store_true", help="skip the AppTest page measurements")
    parser.add_argument("--profile", choices=PROFILES, help="profile one job with pyinstrument instead")
    parser.add_argument("--size", choices=SIZES, default="stress", help="--profile: the size")
    parser.add_argument("--db", choices=DBS, default="sqlite", help="--profile: the database")
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.profile, args.size, args.db, args.pg_url, args.scale)
        return 0
    from benchmarks.report import machine_info, print_table, write_results

    sizes = [s for s in args.sizes.split(",") if s]
    dbs = [d for d in args.dbs.split(",") if d]
    if "postgres" in dbs and not _postgres_reachable(args.pg_url):
        log(f"PostgreSQL at {args.pg_url} is not reachable: measuring SQLite only (pass --pg-url)")
        dbs.remove("postgres")
    results: dict = {}
    for name in sizes:
        for kind in dbs:
            label = size_named(name, args.scale).label
            results.setdefault(label, {})[kind] = measure_size(name, args.scale, kind, args.pg_url, args.repeat,
                                                               args.rebuild, not args.no_pages)
    document = write_results(results, machine_info(args.pg_url), repeat=args.repeat, scale=args.scale)
    print_table(document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
