"""``make loadtest``: many people at once against the real server (``streamlit run``), driven by real browser
sessions (Playwright, Debian's chromium: one browser, one context per person). See ``benchmarks/README.md``
(section "Load test") and ``docs/load-and-deploy.md``.

- :mod:`benchmarks.load.accounts` — the load test's accounts (one liaison per unit) on a copy of a benchmark
  database, and the check of the database afterwards (every report there, exactly once);
- :mod:`benchmarks.load.drive` — the browsers (run at the lowest CPU priority, so that they disturb the server
  as little as possible); prints each session's step times as JSON;
- :mod:`benchmarks.load.servers` — the app processes (and nginx in front of several), and what ``/proc`` says
  about their CPU time and memory;
- :mod:`benchmarks.load.run` — the whole run: sizes × databases × N, the table, ``benchmarks/load.json``.
"""

# The password of the load test's accounts (made by the account service, with the app's Argon2 parameters).
LOAD_PASSWORD = "Load-Test-Pass-2026!"
