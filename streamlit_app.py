"""The web app's entry point: registers the pages the signed-in role may open and runs the chosen one.

``streamlit run streamlit_app.py`` imports this file to find ``app`` — Streamlit's ASGI server plus the route
that sets the sign-in cookie (``ylyx_tasks/ui/session_routes.py``) — and then runs it as the page script for
every view, where ``__name__`` is ``"__main__"``.

Each page guards itself as well (``ylyx_tasks.ui.guard.page``): Streamlit may run a page file without this
script (see that module).
"""

from __future__ import annotations

from streamlit.starlette import App

from ylyx_tasks.ui.app import run
from ylyx_tasks.ui.session_routes import ROUTES, redact_session_ids

if __name__ == "__main__":
    run()
else:
    redact_session_ids()
    app = App(__file__, routes=ROUTES)
