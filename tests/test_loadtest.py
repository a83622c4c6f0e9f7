"""``make loadtest``'s harness, as a smoke test: two people at once on the plan-size database, on SQLite and on
PostgreSQL, through the real server (``streamlit run``) and real browsers — every step done, both reports in the
database exactly once, the server's CPU and memory read. Timing decides nothing here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import require_postgres

from benchmarks import REPO
from benchmarks.load.drive import STEPS

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_two_people_at_once_on_plan_size(kind, tmp_path):
    args = ["--sizes", "plan", "--dbs", kind, "--n", "2", "--out", str(tmp_path / "load.json"), "--no-readme"]
    if kind == "postgres":
        args += ["--pg-url", require_postgres()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("YLYX_")}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.load", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    run = json.loads((tmp_path / "load.json").read_text(encoding="utf-8"))["sizes"]["plan"][kind]["runs"]["2"]
    assert run["errors"] == []
    assert {name: s["count"] for name, s in run["steps"].items()} == {name: 2 for name in STEPS}
    assert run["session"]["complete"] == 2 and run["session"]["p95"] >= run["session"]["p50"] > 0
    # both reports confirmed in the browser, each in the database once, each audited
    assert run["check"] == {"confirmed": 2, "rows": 2, "duplicates": 0, "audited": 2, "lost": 0}
    assert run["cpu_per_session"] > 0 and run["rss_mb"]["peak"] >= run["rss_mb"]["baseline"] > 0
    # behind nginx (which serves the front end from disk): its processes' CPU counted with the app's
    assert run["front"] == "nginx" and len(run["cpu_by_process"]) >= 2 and run["browser_cpu_per_session"] > 0
    assert (REPO / "test-artifacts" / f"loadtest-plan-{kind}-n2.png").stat().st_size > 10_000
