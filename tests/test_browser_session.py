"""A Streamlit session id is not a key to the app (issue 15, defect 2), against a real ``streamlit run`` server.

The victim signs in with a real browser; the attacker knows only the victim's session id (taken here from the
first message the server sends the victim's page) and resumes that session over a websocket of their own, as the
Streamlit frontend does on reconnecting — without the victim's cookie. Before the sign-in was bound to the
HttpOnly cookie, the resumed session ran as the signed-in office; now it is shown the sign-in form. The server's
log must not print the session id either.
"""

from __future__ import annotations

import pytest
from websockets.sync.client import connect

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from tests.test_browser import ARTIFACTS, TASK_TITLES, prepare_database, serving, settled, shoot

pytestmark = pytest.mark.browser


def rerun_as(base: str, session_id: str, cookie: str | None = None) -> bytes:
    """Resume ``session_id`` over a new websocket, ask for a run, and return everything the server sent."""
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Origin": base}
    if cookie:
        headers["Cookie"] = cookie
    received = b""
    with connect(url, subprotocols=["streamlit", "no-xsrf", session_id], additional_headers=headers,
                 open_timeout=30) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        ws.send(back.SerializeToString())
        while True:
            data = ws.recv(timeout=60)
            received += data if isinstance(data, bytes) else data.encode()
            msg = ForwardMsg.FromString(data)
            if msg.WhichOneof("type") == "script_finished":
                return received


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("session")
    with serving(folder, prepare_database(folder)) as base:
        yield base, folder


def test_a_stolen_session_id_does_not_resume_a_signed_in_session(served):
    from playwright.sync_api import expect, sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD

    base, folder = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        ids: list[str] = []

        def watch(ws) -> None:
            def frame(payload) -> None:
                if isinstance(payload, bytes | bytearray):
                    msg = ForwardMsg.FromString(bytes(payload))
                    if msg.WhichOneof("type") == "new_session" and msg.new_session.initialize.session_id:
                        ids.append(msg.new_session.initialize.session_id)
            ws.on("framereceived", frame)

        page.on("websocket", watch)
        page.goto(base + "/")
        expect(page.get_by_label("用户名")).to_be_visible(timeout=30_000)
        settled(page)
        shoot(page, "security-sign-in-1440")
        page.get_by_label("用户名").fill("office_b")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=30_000)
        settled(page)
        shoot(page, "security-signed-in-by-cookie")
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["ylyx_session"]["httpOnly"] and cookies["ylyx_session"]["sameSite"] == "Strict"
        assert page.evaluate("document.cookie").find("ylyx_session") == -1  # no script can read it
        victim = ids[-1]  # the session of the signed-in page (after the cookie was set)
        page.close()  # the victim closes the tab; the server keeps the session for a while

        phone = context.new_page()  # the same browser, a new tab on a phone-sized screen: still signed in
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(base + "/")
        expect(phone.get_by_role("heading", name="总览", exact=True)).to_be_visible(timeout=30_000)
        settled(phone)
        shoot(phone, "security-signed-in-by-cookie-390")
        phone.close()

        stolen = rerun_as(base, victim)
        assert "退出登录".encode() not in stolen  # (page titles are in the navigation, signed in or not)
        assert not any(title.encode() in stolen for title in TASK_TITLES)
        assert "用户名".encode() in stolen  # the resumed session ran, and asked for a sign-in

        # the same path with the victim's cookie does sign in: what is missing above is only the cookie
        with_cookie = rerun_as(base, victim, cookie=f"ylyx_session={cookies['ylyx_session']['value']}")
        assert "退出登录".encode() in with_cookie and "运政办发".encode() in with_cookie
        browser.close()
    log = (folder / "streamlit.log").read_text()
    assert all(session_id not in log for session_id in ids)
