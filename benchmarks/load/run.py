"""``make loadtest``: N people at once against the real server, on copies of the benchmark databases.

    python -m benchmarks.load [--sizes plan,stress] [--dbs sqlite,postgres] [--n 1,10,30] [--with-60]
                              [--single 3] [--scale-out] [--no-readme]

For each size and database: the benchmark database after the day's first scan (built by ``make bench``'s code if
missing), with the load test's accounts added once (:mod:`benchmarks.load.accounts`); then for each N a fresh copy
of it, a freshly started ``streamlit run`` on loopback, one warm-up person (not counted), and N people at once
(:mod:`benchmarks.load.drive`, at the lowest CPU priority). N = 1 is measured ``--single`` times one after another
on the same server: **c**, the server's CPU seconds for one person's mix, is their minimum and median.
``--scale-out`` adds N = 60 (or the N given) through nginx in front of two app processes on PostgreSQL at plan
size (``--scale-out-size``), and the same N on one process, for the comparison. Afterwards the database is checked: every report a browser saw confirmed is there
exactly once. Writes ``benchmarks/load.json`` and the table in the README's 性能 section.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from benchmarks import DATA_DIR, REPO, TODAY
from benchmarks.databases import DBS, DEFAULT_PG, Place
from benchmarks.load import drive as drive_module
from benchmarks.load.servers import apps, cpu_seconds, load_average, memory_mb, proxy
from benchmarks.run import _postgres_reachable, child, ensure_built, ensure_scanned, log
from benchmarks.sizes import size as size_named
from ylyx_tasks.config import Settings

RESULTS = REPO / "benchmarks" / "load.json"
README = REPO / "README.md"
WARM_UPS = 3  # accounts kept for the warm-up person of each app process
TARGET_C = {"plan": 0.3, "stress": 0.6}
README_BEGIN, README_END = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"
IDLE = ["chrt", "--idle", "0", "nice", "-n", "19"] if shutil.which("chrt") else ["nice", "-n", "19"]


# --- the database ------------------------------------------------------------------------------------------------


def load_template(scanned: Place, scanned_marker: dict, people: int) -> tuple[Place, list[dict]]:
    """The scanned database with the load test's accounts (made once per scanned database)."""
    template = Place(scanned.kind, f"{scanned.name}_load", scanned.pg_admin)
    marker = template.read_marker()
    fields = Settings.model_fields  # the accounts' password hashes are made at the default Argon2 parameters
    key = {"base_built_at": scanned_marker["base_built_at"], "revision": scanned_marker["revision"],
           "argon2": [fields[f"argon2_{k}"].default for k in ("time_cost", "memory_kib", "parallelism")]}
    if marker and all(marker.get(k) == v for k, v in key.items()) and len(marker.get("accounts", [])) >= people:
        return template, marker["accounts"]
    template.forget_marker()
    scanned.copy_to(template.name)
    log(f"{template.name}: adding {people} accounts")
    accounts = child("benchmarks.load.accounts", "prepare", "--count", str(people), url=template.url)
    template.write_marker(key | {"accounts": accounts})
    return template, accounts


# --- one run -----------------------------------------------------------------------------------------------------


def browsers(base: str, accounts_file: Path, tag: str, first: int, count: int, deadline: float,
             screenshot: Path | None = None, server_pids: list[int] | None = None) -> dict:
    """The browsers in a process of their own at the lowest CPU priority (they share the 2 cores with the server)."""
    # SCHED_IDLE (chrt --idle): the browsers run only when the server does not want the CPU. `nice 19` alone is not
    # enough: chromium sets its renderers' priority itself (as root it can raise them back to 0).
    cmd = [*IDLE, sys.executable, "-m", drive_module.__name__, "--base", base, "--accounts",
           str(accounts_file), "--tag", tag, "--first", str(first), "--count", str(count), "--deadline", str(deadline)]
    if screenshot:
        cmd += ["--screenshot", str(screenshot)]
    if server_pids:
        cmd += ["--server-pids", ",".join(map(str, server_pids))]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    before = machine_busy()
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=deadline + 120)
    after = machine_busy()
    if proc.returncode != 0:
        raise RuntimeError(f"the browsers failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    # the whole machine's busy CPU seconds meanwhile: less the server's, the browsers' (chromium's renderers are
    # not all children that this process could count: some are reaped by others)
    result["machine_cpu"] = round(after - before, 3)
    return result


def machine_busy() -> float:
    """CPU seconds the machine has been busy (every core, every process: /proc/stat, all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float | None:
    """Nearest rank (no interpolation: with 10 values p95 is the largest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * q) - 1)]


def summarize(sessions: list[dict]) -> dict:
    steps = {}
    for name in drive_module.STEPS:
        values = [s["steps"][name] for s in sessions if name in s["steps"]]
        steps[name] = {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
                       "max": max(values) if values else None, "count": len(values)}
    totals = [sum(s["steps"].values()) for s in sessions
              if not s["error"] and all(name in s["steps"] for name in drive_module.STEPS)]
    return {"steps": steps, "session": {"p50": percentile(totals, 0.5), "p95": percentile(totals, 0.95),
                                        "max": max(totals) if totals else None, "complete": len(totals)},
            "errors": [f"{s['username']}: {s['error']}" for s in sessions if s["error"]],
            "conflicts": sum(s["conflicts"] for s in sessions)}


@contextlib.contextmanager
def sampling(pid: int, path: Path | None) -> Iterator[None]:
    """py-spy samples the server while the people work (only the thread holding the GIL: what costs CPU in
    Python, not what waits for it — argon2, in C without the GIL, is left out): collapsed stacks
    into ``path`` (one line a stack, with its count), for :func:`hot_spots`."""
    if path is None:
        yield
        return
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        raise RuntimeError("py-spy is not installed in this venv: .venv/bin/pip install py-spy")
    process = subprocess.Popen([str(spy), "record", "--pid", str(pid), "--rate", "200", "--format", "raw",
                                "--nonblocking", "--gil", "--output", str(path)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def hot_spots(path: Path, *, top: int = 40, within: str = "/ylyx_tasks/") -> list[tuple[float, str]]:
    """The share of samples in which each function of ``within`` is on the stack (inclusive)."""
    counts: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        total += int(n)
        for frame in {f for f in stack.split(";") if within in f or "site-packages" not in f}:
            counts[frame] = counts.get(frame, 0) + int(n)
    return sorted(((c / total, f) for f, c in counts.items()), reverse=True)[:top]


def one_run(template: Place, accounts_file: Path, n: int, processes: int, folder: Path, *, singles: int = 0,
            deadline: float = 540, screenshot: Path | None = None, profile: Path | None = None,
            behind_nginx: bool = True) -> dict:
    """A fresh copy, ``processes`` fresh app processes behind nginx (the deployment of ``deploy/``: nginx serves
    the front end's static files, the app processes the rest; ``behind_nginx=False``: the browsers talk to one
    bare ``streamlit run``), a warm-up person per process, then ``n`` people at once (or ``singles`` people one
    after another when ``singles``). The server's CPU is that of the app processes and nginx together."""
    if processes > 1 and not behind_nginx:
        raise ValueError("several app processes need nginx in front")
    folder.mkdir(parents=True, exist_ok=True)
    copy = template.scratch()
    copy.settle()
    tag = f"压测{uuid.uuid4().hex[:8]}"
    total_accounts = len(json.loads(accounts_file.read_text(encoding="utf-8")))
    try:
        with apps(copy.url, processes, folder) as servers, \
                (proxy([a.port for a in servers], folder) if behind_nginx else contextlib.nullcontext()) as front:
            for i, app in enumerate(servers):  # each process imports the pages and fills its caches once
                warm = browsers(app.base, accounts_file, f"预热{uuid.uuid4().hex[:8]}", total_accounts - 1 - i, 1, deadline)
                if warm["sessions"][0]["error"]:
                    raise RuntimeError(f"warm-up failed: {warm['sessions'][0]['error']}")
            base = front.base if front else servers[0].base
            pids = [a.pid for a in servers] + (front.pids if front else [])
            baseline = {a.pid: (cpu_seconds(a.pid), memory_mb(a.pid)[0]) for a in servers}
            out: dict = {"n": n, "processes": processes, "front": "nginx" if front else "direct",
                         "load_before": round(load_average(), 2)}
            by_process: list[float] = [0.0] * len(pids)
            browser_cpu = 0.0

            def run(first: int, count: int) -> tuple[dict, float]:
                nonlocal browser_cpu
                before = [cpu_seconds(p) for p in pids]
                with sampling(servers[0].pid, profile):
                    result = browsers(base, accounts_file, tag, first, count, deadline, screenshot,
                                      pids if singles else None)
                spent = [cpu_seconds(p) - b for p, b in zip(pids, before)]
                for i, x in enumerate(spent):
                    by_process[i] += x
                browser_cpu += max(0.0, result["machine_cpu"] - sum(spent))
                return result, sum(spent)

            if singles:
                cs, sessions = [], []
                for k in range(singles):
                    result, cpu = run(k, 1)
                    cs.append(round(cpu, 3))
                    sessions += result["sessions"]
                out |= {"c_runs": cs, "c_min": min(cs), "c_median": round(statistics.median(cs), 3)}
                by_step = [s["server_cpu"] for s in sessions if s.get("server_cpu")]  # the server's CPU per step
                names = list(dict.fromkeys(k for x in by_step for k in x))  # the steps and what came between
                out["c_by_step"] = {name: round(min(x.get(name, 0.0) for x in by_step), 3) for name in names}
            else:
                result, cpu = run(0, n)
                sessions = result["sessions"]
                out |= {"wall": result["wall"], "cpu_seconds": round(cpu, 3), "cpu_per_session": round(cpu / n, 3)}
            reported = sum(s["reported"] for s in sessions)
            # the browsers' CPU for one person (chromium on the same 2 cores: what the wall-clock figures also pay)
            out["browser_cpu_per_session"] = round(browser_cpu / max(1, len(sessions)), 3)
            out["load_after"] = round(load_average(), 2)
            # how the work was spread: each app process, then nginx's master and workers
            out["cpu_by_process"] = [round(x, 3) for x in by_process]
            memory = {a.pid: memory_mb(a.pid) for a in servers}
            out["rss_mb"] = {"baseline": round(sum(baseline[p][1] for p in memory), 1),
                             "peak": round(sum(m[1] for m in memory.values()), 1),
                             "per_session": round(sum(m[1] - baseline[p][1] for p, m in memory.items())
                                                  / max(1, len(sessions)), 2)}
            out |= summarize(sessions)
        check = child("benchmarks.load.accounts", "check", "--tag", tag, url=copy.url)
        confirmed = {s["number"] for s in sessions if s["reported"]}
        out["check"] = {"confirmed": reported, "rows": check["rows"], "duplicates": check["duplicates"],
                        "audited": check["audited"], "lost": len(confirmed - set(check["sessions"]))}
        return out
    finally:
        copy.drop()


# --- the whole run -----------------------------------------------------------------------------------------------


def measure(name: str, kind: str, pg: str, ns: list[int], singles: int, scale_out: int | None,
            work: Path, profile: bool = False) -> dict:
    base, marker = ensure_built(name, 1.0, kind, pg, False)
    scanned, scanned_marker = ensure_scanned(base, marker)
    people = max([*ns, scale_out or 0, singles]) + WARM_UPS
    template, accounts = load_template(scanned, scanned_marker, people)
    accounts_file = work / f"{template.name}.accounts.json"
    accounts_file.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    out: dict = {"measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "runs": {}}
    for n in ns:
        log(f"{name}/{kind}: N = {n}" + (f" (×{singles}, one after another)" if n == 1 else ""))
        shot = REPO / "test-artifacts" / f"loadtest-{name}-{kind}-n{n}.png" if n == max(ns) else None
        if shot:
            shot.parent.mkdir(exist_ok=True)
        sampled = DATA_DIR / f"profile-load-{name}-{kind}-n{n}.raw" if profile else None
        try:
            out["runs"][str(n)] = one_run(template, accounts_file, n, 1, work / f"{name}-{kind}-n{n}",
                                          singles=singles if n == 1 else 0, screenshot=shot, profile=sampled)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:  # one failed run is a result, not the end
            log(f"{name}/{kind}: N = {n} failed: {str(exc)[-500:]}")
            out["runs"][str(n)] = {"n": n, "processes": 1, "failed": str(exc)[-2000:]}
            continue
        if sampled:
            print(f"--- {sampled} (share of the server's samples with the function on the stack)")
            for share, frame in hot_spots(sampled):
                print(f"{share:6.1%}  {frame}")
        log(f"{name}/{kind}: N = {n}: {brief(out['runs'][str(n)])}")
        if n == 1:  # the same person on a bare `streamlit run` (no nginx): what serving the front end costs the app
            log(f"{name}/{kind}: N = 1 on a bare streamlit run (×{singles})")
            try:
                out["runs"]["1-direct"] = r = one_run(template, accounts_file, 1, 1, work / f"{name}-{kind}-n1-direct",
                                                      singles=singles, behind_nginx=False)
                log(f"{name}/{kind}: N = 1 direct: {brief(r)}")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                log(f"{name}/{kind}: N = 1 direct failed: {str(exc)[-500:]}")
    if scale_out:
        for processes in (1, 2):
            log(f"{name}/{kind}: N = {scale_out} on {processes} process(es)" + (" behind nginx" if processes > 1 else ""))
            try:
                out["runs"][f"{scale_out}x{processes}"] = r = one_run(
                    template, accounts_file, scale_out, processes, work / f"{name}-{kind}-n{scale_out}-p{processes}")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                log(f"{name}/{kind}: N = {scale_out} on {processes} failed: {str(exc)[-500:]}")
                out["runs"][f"{scale_out}x{processes}"] = {"n": scale_out, "processes": processes,
                                                           "failed": str(exc)[-2000:]}
                continue
            log(f"{name}/{kind}: {brief(r)}")
    add_bounds(out, name)
    return out


def add_bounds(out: dict, name: str) -> None:
    """c from the N = 1 runs, and each run's p95 against the bounds (N·c/P, and the machine's N·(c + b)/cores)."""
    single = out["runs"].get("1")
    if single and "failed" not in single:
        c, b = single["c_min"], single["browser_cpu_per_session"]
        out["c"] = {"min": c, "median": single["c_median"], "runs": single["c_runs"], "target": TARGET_C.get(name),
                    "browser_cpu_per_session": b}
        direct = out["runs"].get("1-direct")
        if direct and "failed" not in direct:
            out["c"]["direct_min"] = direct["c_min"]
        cores = os.cpu_count() or 1
        for key, r in out["runs"].items():
            if key not in ("1", "1-direct") and "failed" not in r and r["session"]["p95"] is not None:
                # the bound: N sessions on P processes need at least N·c/P of the server's time ...
                r["bound_seconds"] = round(r["n"] * c / r["processes"], 2)
                r["p95_over_bound"] = round(r["session"]["p95"] / r["bound_seconds"], 2) if c else None
                # ... and, with the browsers on the same cores, at least N·(c + b)/cores of the machine's (b as this
                # run measured it: under load a browser costs more than alone)
                b_run = r.get("browser_cpu_per_session", b)
                r["machine_bound_seconds"] = round(max(r["bound_seconds"], r["n"] * (c + b_run) / cores), 2)
                r["p95_over_machine_bound"] = round(r["session"]["p95"] / r["machine_bound_seconds"], 2)



def brief(r: dict) -> str:
    s = r["session"]
    cpu = f"c = {r['c_min']}/{r['c_median']} s (min/median)" if "c_runs" in r else f"CPU/session {r['cpu_per_session']} s"
    if r.get("c_by_step"):
        cpu += " [" + ", ".join(f"{k} {v}" for k, v in r["c_by_step"].items()) + "]"
    def f(x: float | None) -> str:
        return "—" if x is None else f"{x:.1f}"

    return (f"{cpu}, session p50 {f(s['p50'])} s p95 {f(s['p95'])} s, RSS peak {r['rss_mb']['peak']} MB "
            f"({r['rss_mb']['per_session']} MB/session), errors {len(r['errors'])}, lost {r['check']['lost']}, "
            f"load {r['load_before']}→{r['load_after']}")


def table(document: dict) -> str:
    """The README's table (Markdown)."""
    lines = ["| 规模/数据库 | N | 进程 | 每会话服务端 CPU | 登录→总览 p50/p95 | 任务清单 p50/p95 | 报送 p50/p95 | 整个会话 p50/p95/最大 "
             "| 下限 N·c/P | p95÷下限 | 本机下限 | p95÷本机下限 | 浏览器等 CPU/人 | 内存峰值（每会话） | 错误/丢失 | 负载 |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    label = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    for size, by_db in document["sizes"].items():
        for kind, m in by_db.items():
            for key, r in m["runs"].items():
                if "failed" in r:
                    lines.append(f"| {size}/{label[kind]} | {r['n']} | {r['processes']} | 未完成："
                                 f"{r['failed'].splitlines()[-1][:120]} |" + " |" * 12)
                    continue
                st, s = r["steps"], r["session"]
                cpu = (f"c = {r['c_min']:.2f} s（中位 {r['c_median']:.2f}）" if "c_runs" in r
                       else f"{r['cpu_per_session']:.2f} s")
                f = lambda x: "—" if x is None else f"{x:.1f}"  # noqa: E731
                front = "（直连）" if r.get("front") == "direct" else ""
                lines.append(
                    f"| {size}/{label[kind]} | {r['n']} | {r['processes']}{front} | {cpu} "
                    f"| {f(st['login']['p50'])} / {f(st['login']['p95'])} s | {f(st['tasks']['p50'])} / {f(st['tasks']['p95'])} s "
                    f"| {f(st['report']['p50'])} / {f(st['report']['p95'])} s | {f(s['p50'])} / {f(s['p95'])} / {f(s['max'])} s "
                    f"| {r.get('bound_seconds', '—')} s | {r.get('p95_over_bound', '—')} "
                    f"| {r.get('machine_bound_seconds', '—')} s | {r.get('p95_over_machine_bound', '—')} "
                    f"| {r.get('browser_cpu_per_session', 0):.1f} s "
                    f"| {r['rss_mb']['peak']:.0f} MB（{'—' if 'c_runs' in r else format(r['rss_mb']['per_session'], '.1f')}） "
                    f"| {len(r['errors'])}/{r['check']['lost']} | {r['load_before']:.1f}→{r['load_after']:.1f} |")
    return "\n".join(lines)


def write_readme(document: dict) -> None:
    text = README.read_text(encoding="utf-8")
    if README_BEGIN not in text:
        return
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    block = (f"{README_BEGIN}\n{document['date']} 测得（`{document['command']}`；负载 = 1 分钟平均负载，测前→测后）：\n\n"
             f"{table(document)}\n{README_END}")
    README.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="plan,stress")
    parser.add_argument("--dbs", default=",".join(DBS))
    parser.add_argument("--n", default="1,10,30", help="comma-separated numbers of people at once")
    parser.add_argument("--with-60", action="store_true", help="add N = 60")
    parser.add_argument("--single", type=int, default=3, help="N = 1 is measured this many times (c: min, median)")
    parser.add_argument("--scale-out", type=int, nargs="?", const=60, default=None,
                        help="N people on one process and on two behind nginx (PostgreSQL only; default N = 60)")
    parser.add_argument("--scale-out-size", default="plan", help="the size the --scale-out comparison runs on")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README's table")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sizes and databases already in --out (replace only those measured now)")
    parser.add_argument("--profile", action="store_true",
                        help="sample the server with py-spy during each run (benchmarks/data/profile-load-*.raw)")
    args = parser.parse_args(argv)
    ns = sorted({int(x) for x in args.n.split(",") if x} | ({60} if args.with_60 else set()))
    dbs = [d for d in args.dbs.split(",") if d]
    if "postgres" in dbs and not _postgres_reachable(args.pg_url):
        log(f"PostgreSQL at {args.pg_url} is not reachable: SQLite only (pass --pg-url)")
        dbs.remove("postgres")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    document: dict = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                      "today": TODAY.isoformat(), "command": "python -m benchmarks.load " + " ".join(argv or sys.argv[1:]),
                      "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                  "processor": platform.processor() or platform.machine()},
                      "sizes": {}}
    if args.merge and args.out.exists():  # keep what earlier runs measured of the other sizes and databases
        document["sizes"] = json.loads(args.out.read_text(encoding="utf-8")).get("sizes", {})
    with tempfile.TemporaryDirectory(prefix="ylyx-load-", dir=DATA_DIR) as tmp:
        for name in [s for s in args.sizes.split(",") if s]:
            for kind in dbs:
                label = size_named(name).label
                scale_out = args.scale_out if kind == "postgres" and name == args.scale_out_size else None
                document["sizes"].setdefault(label, {})[kind] = measure(name, kind, args.pg_url, ns, args.single,
                                                                        scale_out, Path(tmp), args.profile)
                # written after each size and database: a run stopped half-way keeps what it measured
                args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    document["seconds"] = round(time.monotonic() - started)
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(document))
    if not args.no_readme and args.out == RESULTS and not args.profile:
        write_readme(document)
    log(f"done in {document['seconds']} s → {args.out}")
    return 0
