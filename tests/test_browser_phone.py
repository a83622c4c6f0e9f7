"""The leader's phone and the intranet, in a real browser (Debian's chromium at 390×844 as a phone):

- 总览 puts what is overdue — its figures and the list — on the first screen, the filters folded away;
- nothing the browser loads leaves the machine: every request of a whole session goes to the app's own host
  (the favicon included — Streamlit's material icons as a favicon come from an internet font host);
- Streamlit's own widget strings read in Chinese (the upload button and its hint);
- the sidebar folds away on a phone once a page is chosen from it.

Screenshots: test-artifacts/16-overview-phone.png, 16-upload-chinese.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.test_browser import (  # browser: the shared fixture, on this module's own server
    ARTIFACTS,
    PASSWORD,
    TIMEOUT_MS,
    browser,
    go,
    prepare_database,
    serving,
    settled,
    shoot,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-phone")
    with serving(folder, prepare_database(folder)) as base:
        yield base


def phone(browser, requests: list[str]):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def sign_in(page, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="总览", exact=True)).to_be_visible()
    settled(page)


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_the_leader_sees_what_is_overdue_first_and_nothing_leaves_the_machine(server, browser):
    from playwright.sync_api import expect

    requests: list[str] = []
    page = phone(browser, requests)
    sign_in(page, server, "leader_b")
    overdue = page.locator('[data-testid="stMetric"]').filter(has_text="逾期任务")
    expect(overdue).to_be_visible()
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    assert on_first_screen(overdue) and on_first_screen(page.locator('[data-testid="stMetric"]').filter(
        has_text="未办结通知"))
    assert table.bounding_box()["y"] < PHONE["height"] - 150  # the overdue list starts on the first screen
    filters = page.locator('[data-testid="stExpander"]').filter(has_text="筛选")
    expect(filters).to_be_visible()
    expect(page.get_by_role("combobox", name="工作专班")).to_be_hidden()  # folded away
    shoot(page, "16-overview-phone")
    page.get_by_test_id("stExpandSidebarButton").or_(page.get_by_test_id("stSidebarCollapsedControl")).first.click()
    go(page, "指标")
    expect(page.get_by_role("heading", name="指标", exact=True)).to_be_visible()
    settled(page)
    # the sidebar folds away once a page is chosen from it (on a phone it would cover the page)
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("link", name="总览")).not_to_be_in_viewport()
    app = urlsplit(server).netloc
    outside = sorted({urlsplit(u).netloc for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                      and urlsplit(u).netloc != app})
    assert requests and outside == [], [u for u in requests if urlsplit(u).netloc != app]
    page.context.close()


def test_the_upload_control_reads_in_chinese(server, browser):
    from playwright.sync_api import expect

    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server + "/task_detail?task=3.1")
    page.get_by_label("用户名").fill("mz_liaison")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("tab", name="办理", exact=True).click()
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    expect(dropzone).to_be_visible()
    settled(page)
    button_text = dropzone.locator("button p").evaluate("e => getComputedStyle(e, '::after').content")
    hint = page.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').first.evaluate(
        "e => getComputedStyle(e, '::after').content")
    assert "选择文件" in button_text and "拖放" in hint
    dropzone.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "16-upload-chinese.png"))
    assert {urlsplit(u).netloc for u in requests} == {urlsplit(server).netloc}
    context.close()
