"""How much the periodic 通报 adds to the daily scan, on the seed plan (January 2023: 督办 for the 2022 milestones,
left unanswered): the scan on the draft day (2023-02-01), the scan on the ten days after it, and the drafting step
alone once the period is drafted (what every later scan pays).

    YLYX_DATABASE_URL=sqlite:////tmp/m.db YLYX_ADMIN_PASSWORD=Measure-Pass-12345 .venv/bin/python scripts/bulletin_scan_timing.py
"""

import datetime as dt
import statistics
import time

from ylyx_tasks.db import write_session
from ylyx_tasks.reads.plans import rules_from_settings
from ylyx_tasks.services.setup import initialize
from ylyx_tasks.services.supervision import bulletins
from ylyx_tasks.services.supervision.scan import run_scan

initialize()
run_scan(dt.date(2023, 1, 3))
for day in range(4, 31):
    run_scan(dt.date(2023, 1, day))
t0 = time.perf_counter(); run_scan(dt.date(2023, 2, 1)); draft_day = time.perf_counter() - t0
plain = []
for day in range(2, 12):
    t0 = time.perf_counter(); run_scan(dt.date(2023, 2, day)); plain.append(time.perf_counter() - t0)
again = []
rules = rules_from_settings().bulletin
for _ in range(20):
    t0 = time.perf_counter()
    with write_session() as s:
        bulletins.draft_due(s, dt.date(2023, 2, 5), rules)
    again.append(time.perf_counter() - t0)
print(f"scan on the draft day: {draft_day*1000:.1f} ms; other days median {statistics.median(plain)*1000:.1f} ms;"
      f" drafting step when already drafted: median {statistics.median(again)*1000:.2f} ms")
