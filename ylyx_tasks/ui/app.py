"""What the entry script does: ``st.navigation`` over the pages of the signed-in user's role (every page when
signed out, so that a deep link reaches its page's guard and sign-in), and a last-resort error boundary."""

from __future__ import annotations

import gc
import sys

import streamlit as st

from ylyx_tasks.ui import auth, feedback
from ylyx_tasks.ui.navigation import DEFAULT_PAGE, pages_for

_modules_frozen = 0  # how many modules were loaded when the heap was last frozen


def navigation():
    user = auth.current_user()
    # No icon here: a page's icon becomes the favicon, and a material icon as favicon is fetched from an internet
    # font host (the app must work on an intranet); the sidebar's links carry the icons, the page config the favicon.
    pages = [st.Page(spec.file, title=spec.title, url_path=spec.key,
                     default=spec.key == DEFAULT_PAGE) for spec in pages_for(user.role if user else None)]
    # Hidden: the sidebar (drawn by the guard) links the role's pages, in legacy mode as well.
    return st.navigation(pages, position="hidden")


def freeze_loaded_code() -> None:
    """After a run that loaded new modules: collect, then move everything alive into the collector's permanent
    generation (``gc.freeze``). The libraries' millions of objects (pandas, altair, streamlit, SQLAlchemy) are
    then no longer traversed by every full collection, which otherwise falls on some unlucky session's run and
    costs a third of a second. Runs a handful of times per process (until every page has been loaded)."""
    global _modules_frozen
    if len(sys.modules) > _modules_frozen:
        gc.collect()
        gc.freeze()
        _modules_frozen = len(sys.modules)


def run() -> None:
    page = navigation()
    with feedback.safely():
        page.run()
    freeze_loaded_code()
