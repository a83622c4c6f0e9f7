"""Turning outcomes into messages: domain errors become ``st.error`` with their own (Chinese) message, anything
else becomes a friendly error with a reference number in the log — never a traceback on the page. Writes go
through :func:`perform`, which also carries a success message across the rerun that shows the new state."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TypeVar

import streamlit as st
from sqlmodel import Session

from ylyx_tasks.db import write_session
from ylyx_tasks.domain.notices import NoticeActionNotAllowed
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.domain.status import TransitionNotAllowed
from ylyx_tasks.services.errors import NotFound, StaleTask, WorkflowError
from ylyx_tasks.services.notices import StaleNotice
from ylyx_tasks.services.taskcsv import ImportRejected
from ylyx_tasks.services.users import AccountError, LoginFailed

log = logging.getLogger("ylyx_tasks.ui")
T = TypeVar("T")

# What users can cause. The services raise plain ValueError/LookupError for bad input too (an invalid mail
# address, an unknown unit), with a message written for the user.
USER_ERRORS: tuple[type[BaseException], ...] = (
    WorkflowError, PermissionDenied, TransitionNotAllowed, NoticeActionNotAllowed, ImportRejected, AccountError,
    NotFound, LoginFailed, ValueError, LookupError,
)
STALE_ERRORS = (StaleTask, StaleNotice)
FLASH_KEY = "ylyx_flash"


def flash(kind: str, text: str) -> None:
    """A message to show at the top of the next run ('success', 'error', 'warning' or 'info')."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flashes() -> None:
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(text)


def unexpected(exc: BaseException) -> None:
    """Log the error with a reference and tell the user something useful instead of a traceback."""
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error in the web app (ref %s)", ref, exc_info=exc)
    st.error(f"系统出现意外错误，操作未完成。请稍后重试；如仍有问题，请联系专班办公室并提供错误编号 {ref}。")


RENDER_MS_KEY = "ylyx_render_ms"
START_KEY = "ylyx_render_start"


@contextlib.contextmanager
def safely() -> Iterator[None]:
    """Wrap a page's body: user errors show their message, anything else a friendly error. Streamlit's own
    control flow (st.stop, st.rerun, st.switch_page) derives from BaseException and passes through.

    Also records how long the page took since its guard started (``ylyx_render_ms``, and the debug log)."""
    try:
        yield
    except USER_ERRORS as exc:
        st.error(str(exc))
    except Exception as exc:  # noqa: BLE001 — the last resort: never a traceback on the page
        unexpected(exc)
    start = st.session_state.get(START_KEY)
    if start is not None:
        elapsed = (time.perf_counter() - start) * 1000
        st.session_state[RENDER_MS_KEY] = elapsed
        log.debug("page rendered in %.0f ms", elapsed)


def perform(fn: Callable[[Session], T], *, success: str) -> T | None:
    """Run one write in its own transaction. On success: flash ``success`` and rerun (the page then shows the
    new state). A stale version: flash the message and rerun, so the user sees what changed. Other user errors:
    show the message here and keep the form as it was (returns None)."""
    try:
        with write_session() as session:
            result = fn(session)
    except STALE_ERRORS as exc:
        flash("error", str(exc))
        st.rerun()
    except USER_ERRORS as exc:
        st.error(str(exc))
        return None
    except Exception as exc:  # noqa: BLE001
        unexpected(exc)
        return None
    flash("success", success)
    st.rerun()
    return result  # pragma: no cover — st.rerun() does not return


def attempt(fn: Callable[[], T]) -> T | None:
    """Run a read or a side effect that is not a database write (a test mail), showing user errors."""
    try:
        return fn()
    except USER_ERRORS as exc:
        st.error(str(exc))
    except Exception as exc:  # noqa: BLE001
        unexpected(exc)
    return None


