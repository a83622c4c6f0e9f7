"""Every write the pages make, as a button callback bound to what the user saw.

The action (and the task or notice version in it) is captured when the button is drawn; Streamlit calls it at
the start of the next run, before the page is drawn again. So a click always acts on the object it was shown
with, with the version that was on the screen: when someone else changed that object meanwhile, the service
refuses (stale version, or a transition that no longer applies) and the user is told, then sees the new state —
even when the object has since left the list or the button would no longer be offered.

The outcome is a message shown at the top of the page (:func:`ylyx_tasks.ui.feedback.flash`). Text fields are
cleared after a success only, so a refused form keeps what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from sqlmodel import Session

from ylyx_tasks.db import write_session
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.feedback import flash, user_message

Values = dict[str, Any]
Action = Callable[[Session, Values], Any]
NONCE = "ylyx_nonce_"


def _run(action: Action, fields: tuple[str, ...], success: str | Callable[[Any], str], clear: tuple[str, ...],
         after: Callable[[Any], None] | None) -> None:
    values = {name: st.session_state.get(name) for name in fields}
    try:
        with write_session() as session:
            result = action(session, values)
    except Exception as exc:  # noqa: BLE001 — a message, never a traceback (stale: the next run shows the new state)
        flash("error", user_message(exc))
        return
    finally:
        cached.forget_version()  # what this run reads next is read as of the write
    flash("success", success(result) if callable(success) else success)
    for name in clear:
        if name.startswith(NONCE):
            st.session_state[name] = st.session_state.get(name, 0) + 1  # a fresh file uploader
        else:
            st.session_state[name] = ""
    if after is not None:
        after(result)


def submit(label: str, *, key: str, action: Action, success: str | Callable[[Any], str],
           fields: Iterable[str] = (), clear: Iterable[str] = (), after: Callable[[Any], None] | None = None,
           **kwargs: Any) -> bool:
    """A form's submit button that runs ``action(session, values)`` (values: the form's ``fields`` by key)."""
    return st.form_submit_button(label, key=key, on_click=_run,
                                 args=(action, tuple(fields), success, tuple(clear), after), **kwargs)


def button(label: str, *, key: str, action: Action, success: str | Callable[[Any], str],
           clear: Iterable[str] = (), **kwargs: Any) -> bool:
    """A plain button that runs ``action`` (no form fields)."""
    return st.button(label, key=key, on_click=_run, args=(action, (), success, tuple(clear), None), **kwargs)


def uploader_key(base: str) -> str:
    """A file uploader's key that changes after a successful submit (an uploader cannot be cleared by value);
    put ``nonce(base)`` in the submit's ``clear``."""
    return f"{base}_{st.session_state.get(nonce(base), 0)}"


def nonce(base: str) -> str:
    return f"{NONCE}{base}"
