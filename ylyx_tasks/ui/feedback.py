"""Turning outcomes into messages: domain errors become ``st.error`` with their own (Chinese) message, anything
else becomes a friendly error with a reference number in the log — never a traceback on the page. Messages
about a write (see :mod:`ylyx_tasks.ui.actions`) are flashed: kept in the session and shown at the top of the
next run, which shows the new state."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TypeVar

import streamlit as st

from ylyx_tasks.errors import UserError

log = logging.getLogger("ylyx_tasks.ui")
T = TypeVar("T")


def user_message(exc: BaseException) -> str:
    """What to show for ``exc``: its own message when the user caused it (:class:`UserError`), else a reference
    to the log (a bug: the user cannot fix it by reading its text)."""
    if isinstance(exc, UserError):
        return str(exc)
    return reference(exc)


FLASH_KEY = "ylyx_flash"


def flash(kind: str, text: str) -> None:
    """A message to show at the top of the next run ('success', 'error', 'warning' or 'info')."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flashes() -> None:
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(text)


def reference(exc: BaseException) -> str:
    """Log an unexpected error under a reference number; the message to show instead of a traceback."""
    ref = uuid.uuid4().hex[:8]
    log.error("unexpected error in the web app (ref %s)", ref, exc_info=exc)
    return f"系统出现意外错误，操作未完成。请稍后重试；如仍有问题，请联系专班办公室并提供错误编号 {ref}。"


def unexpected(exc: BaseException) -> None:
    st.error(reference(exc))


RENDER_MS_KEY = "ylyx_render_ms"
START_KEY = "ylyx_render_start"


@contextlib.contextmanager
def safely() -> Iterator[None]:
    """Wrap a page's body: user errors show their message, anything else a friendly error. Streamlit's own
    control flow (st.stop, st.rerun, st.switch_page) derives from BaseException and passes through.

    Also records how long the page took since its guard started (``ylyx_render_ms``, and the debug log)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 — the last resort: never a traceback on the page
        st.error(user_message(exc))
    start = st.session_state.get(START_KEY)
    if start is not None:
        elapsed = (time.perf_counter() - start) * 1000
        st.session_state[RENDER_MS_KEY] = elapsed
        log.debug("page rendered in %.0f ms", elapsed)


def attempt(fn: Callable[[], T]) -> T | None:
    """Run a read or a side effect that is not a database write (a test mail), showing user errors."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001
        st.error(user_message(exc))
    return None


