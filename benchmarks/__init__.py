"""The benchmark suite: synthetic data at three sizes (``generate``), the measurements and their floors (``run``,
``floors``, ``pages``), and profiling. See ``benchmarks/README.md``.

Everything here is reproducible: the data come from a seeded generator, and "today" is a fixed date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

# Bump whenever the generated data change shape or content: databases built by an older version are rebuilt.
GENERATOR_VERSION = 2

PACKAGE_DIR = Path(__file__).resolve().parent
REPO = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"  # gitignored: databases, markers, profiles
RESULTS = PACKAGE_DIR / "results.json"

# Today for every measurement: a Monday (the digest's day) that is also the first day the month's progress
# reports are late (the 25th is the default due day), so that the first scan has real work at every size.
TODAY = dt.date(2026, 10, 26)
# The generated history ends the day before: the daily scan ran every day up to and including this one.
LAST = TODAY - dt.timedelta(days=1)

# The password of every generated account (one Argon2 hash, computed once per build).
BENCH_PASSWORD = "Bench-Pass-2026!"
