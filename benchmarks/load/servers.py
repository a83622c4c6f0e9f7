"""The processes under test: ``streamlit run`` on loopback (one or several, each on its own port), nginx in front
of several (the site file of ``deploy/nginx/``, with the ports of this run), and what ``/proc`` says about them:
CPU seconds (user + system, every thread) and resident memory (now and the peak)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks import REPO, TODAY
from benchmarks.databases import bench_env

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SITE = REPO / "deploy" / "nginx" / "ylyx-tasks.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"  # as Debian's nginx.conf does: scripts must be served as text/javascript
STREAMLIT_STATIC = Path(importlib.util.find_spec("streamlit").origin).parent / "static"  # type: ignore[union-attr, arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # fields 14 and 15 of proc(5), after pid and comm


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident peak) in MB, from /proc/PID/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def load_average() -> float:
    return os.getloadavg()[0]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:  # polling a health endpoint: the one wait that is not on something a page shows
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


@dataclass
class App:
    port: int
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def apps(url: str, count: int, folder: Path, *, extra_env: dict[str, str] | None = None) -> Iterator[list[App]]:
    """``count`` app processes on the database ``url``, each on a free loopback port; stopped on exit."""
    env = bench_env(url, today=TODAY) | {"PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"} | (extra_env or {})
    started: list[tuple[App, Path, object]] = []
    try:
        for i in range(count):
            port = free_port()
            log = folder / f"app-{i}.log"
            handle = open(log, "w")
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
            started.append((App(port, process), log, handle))
        for app, log, _ in started:
            wait_until_up(f"{app.base}/_stcore/health", app.process, log)
        yield [app for app, _, _ in started]
    finally:
        for app, _, handle in started:
            _stop(app.process)
            handle.close()


def nginx_config(site: str, ports: list[int], listen: int, folder: Path) -> str:
    """A whole nginx.conf for a run on loopback: the deployed site file, with this run's ports and paths."""
    upstream = "".join(f"    server 127.0.0.1:{p};\n" for p in ports)
    site = re.sub(r"(upstream ylyx_app \{\n)(?:.*\n)*?(\})", lambda m: m.group(1) + "    hash $ylyx_route consistent;\n"
                  + upstream + m.group(2), site, count=1)
    site = re.sub(r"listen [^;]+;", f"listen 127.0.0.1:{listen};", site)
    site = re.sub(r"server_name [^;]+;", "server_name localhost;", site)
    site = re.sub(r"access_log [^;]+;", f"access_log {folder}/access.log;", site)
    site = re.sub(r"error_log [^;]+;", f"error_log {folder}/error.log;", site)
    site = re.sub(r"root [^;]+/streamlit/static;", f"root {STREAMLIT_STATIC};", site)  # this venv's streamlit
    return (f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n  include {MIME_TYPES};\n  default_type application/octet-stream;\n  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
            f"  fastcgi_temp_path {folder}/fastcgi;\n  uwsgi_temp_path {folder}/uwsgi;\n  scgi_temp_path {folder}/scgi;\n"
            f"  access_log {folder}/access.log;\n{site}\n}}\n")


@dataclass
class Proxy:
    base: str
    process: subprocess.Popen

    @property
    def pids(self) -> list[int]:
        """nginx's master and its workers (their CPU counts in a run's server CPU: nginx serves the front end)."""
        found = [self.process.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found


@contextlib.contextmanager
def proxy(ports: list[int], folder: Path) -> Iterator[Proxy]:
    """nginx on a free loopback port in front of ``ports`` (sticky by a cookie; the front end's static files from
    disk); yields its base URL and processes."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    listen = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(PAGE_SITE.read_text(encoding="utf-8"), ports, listen, folder), encoding="utf-8")
    log = folder / "nginx.out"
    handle = open(log, "w")
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
                               stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{listen}/_stcore/health", process, log)
        yield Proxy(f"http://127.0.0.1:{listen}", process)
    finally:
        _stop(process)
        handle.close()
