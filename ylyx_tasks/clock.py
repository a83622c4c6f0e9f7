"""The one place that reads the clock. Rules never call it: they take ``today`` as a parameter.

``YLYX_TODAY=YYYY-MM-DD`` pins the date (for demos and hand testing); the time of day still runs.
"""

from __future__ import annotations

import datetime as dt

from ylyx_tasks.config import get_settings


def now() -> dt.datetime:
    """The current instant, timezone-aware in the configured zone (Asia/Shanghai by default)."""
    settings = get_settings()
    real = dt.datetime.now(settings.tz)
    if settings.today is None:
        return real
    return dt.datetime.combine(settings.today, real.timetz())


def today() -> dt.date:
    """Today's date where the office is (Asia/Shanghai), or the pinned ``YLYX_TODAY``."""
    return now().date()


def utcnow() -> dt.datetime:
    """``now()`` in UTC, for timestamps stored in the database."""
    return now().astimezone(dt.timezone.utc)
