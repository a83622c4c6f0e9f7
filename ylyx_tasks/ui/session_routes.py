"""The web server's one route of its own, next to Streamlit's: ``POST /ylyx-auth/claim`` turns the one-time ticket
of a sign-in into the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and sends the browser back to
the page it came from. A page script cannot set an HttpOnly cookie; an HTTP response can.

``streamlit_app.py`` mounts it through ``st.App`` (Streamlit's ASGI app), which ``streamlit run`` picks up.
"""

from __future__ import annotations

import logging
import re

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ylyx_tasks import clock
from ylyx_tasks.db import write_session
from ylyx_tasks.services import web_sessions
from ylyx_tasks.services.web_sessions import COOKIE


def _safe_next(value: str) -> str:
    """Only a path on this server (never ``//elsewhere`` or a full URL): no open redirect."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


async def claim(request: Request) -> Response:
    form = await request.form()
    ticket = str(form.get("ticket") or "")
    target = _safe_next(str(form.get("next") or "/"))
    with write_session() as s:
        secret = web_sessions.claim(s, ticket, clock.utcnow()) if ticket else None
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if secret:
        https = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
        # a browser-session cookie: idle expiry is the server's (web_session.last_seen)
        response.set_cookie(COOKIE, secret, path="/",
                            httponly=True, samesite="strict", secure=https)
    return response


ROUTES = [Route("/ylyx-auth/claim", claim, methods=["POST"])]


_SESSION_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def redact_session_ids() -> None:
    """Streamlit's own log lines name live session ids ("Session with id … is already connected"), and a session
    id resumes a Streamlit session: write them as ``<session>``. Installed once, for the whole process."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_sessions", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.startswith("streamlit"):
            record.msg = _SESSION_ID.sub("<session>", record.getMessage())
            record.args = None
        return record

    factory.redacts_sessions = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
