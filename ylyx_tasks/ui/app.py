"""What the entry script does: ``st.navigation`` over the pages of the signed-in user's role (every page when
signed out, so that a deep link reaches its page's guard and sign-in), and a last-resort error boundary."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.ui import auth, feedback
from ylyx_tasks.ui.navigation import DEFAULT_PAGE, pages_for


def navigation():
    user = auth.current_user()
    # No icon here: a page's icon becomes the favicon, and a material icon as favicon is fetched from an internet
    # font host (the app must work on an intranet); the sidebar's links carry the icons, the page config the favicon.
    pages = [st.Page(spec.file, title=spec.title, url_path=spec.key,
                     default=spec.key == DEFAULT_PAGE) for spec in pages_for(user.role if user else None)]
    # Hidden: the sidebar (drawn by the guard) links the role's pages, in legacy mode as well.
    return st.navigation(pages, position="hidden")


def run() -> None:
    page = navigation()
    with feedback.safely():
        page.run()
