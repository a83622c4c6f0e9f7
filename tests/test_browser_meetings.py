"""A leader writes a 批示 at phone width (390 px) in a real browser (Debian's chromium through Playwright, against
``streamlit run`` on a temporary SQLite database): on the task they are reading, then sees it on their 总览; the
office turns it into a 交办 on the 会商 page. Screenshots in ``test-artifacts/`` (390 px and 1440 px)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.test_browser import (  # browser: the shared fixture, on this module's own server
    ARTIFACTS,
    PASSWORD,
    TIMEOUT_MS,
    browser,
    prepare_database,
    serving,
    settled,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-meetings")
    with serving(folder, prepare_database(folder)) as base:
        yield base


def signed_in(browser, base: str, username: str, width: int, path: str = ""):
    from playwright.sync_api import expect  # here: collecting the suite must not need Playwright

    context = browser.new_context(viewport={"width": width, "height": 1800 if width > 500 else 844}, locale="zh-CN",
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/{path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_attached()
    settled(page)
    return page


def test_a_leader_writes_an_instruction_on_a_phone(server, browser):
    from playwright.sync_api import expect  # here: collecting the suite must not need Playwright

    phone = signed_in(browser, server, "leader_b", 390, "task_detail?task=3.1")
    expect(phone.get_by_role("heading", name="3.1 加力整体推进增供给", exact=True)).to_be_visible()
    box = phone.locator('[data-testid="stForm"]').filter(has_text="批示内容")
    box.get_by_label("批示内容").fill("请市民政局抓紧推进公办养老床位建设，月底前报进展。")
    submit = box.get_by_role("button", name="提交批示")
    assert submit.bounding_box()["width"] > 250  # a full-width button a thumb can hit
    submit.click()
    expect(phone.get_by_text("批示已送专班办公室办理。")).to_be_visible()
    settled(phone)
    expect(phone.get_by_text("请市民政局抓紧推进公办养老床位建设，月底前报进展。").first).to_be_visible()
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, page_width  # nothing forces sideways scrolling at phone width
    phone.screenshot(path=str(ARTIFACTS / "meetings-01-leader-instruction-390.png"), full_page=True)

    phone.goto(f"{server}/")  # back to 总览 (still signed in: the browser's session cookie)
    expect(phone.get_by_role("heading", name="我的批示")).to_be_visible()
    settled(phone)
    mine = phone.get_by_role("heading", name="我的批示").locator("xpath=following::*[@data-testid='stDataFrame'][1]")
    expect(mine).to_be_visible()  # the leader's 批示 and their state (the grid is a canvas: its cells are not text)
    mine.scroll_into_view_if_needed()
    phone.screenshot(path=str(ARTIFACTS / "meetings-02-leader-overview-390.png"), full_page=True)
    phone.context.close()

    office = signed_in(browser, server, "office_b", 1440, "meetings")
    expect(office.get_by_role("heading", name="会商", exact=True)).to_be_visible()
    office.get_by_role("tab", name="领导批示", exact=True).click()
    form = office.locator('[data-testid="stForm"]').filter(has_text="交办（形成督办事项")
    expect(form).to_be_visible()
    office.screenshot(path=str(ARTIFACTS / "meetings-03-office-instruction-1440.png"), full_page=True)
    office.get_by_role("tab", name="会议", exact=True).click()
    office.get_by_text("安排会议").first.click()
    office.screenshot(path=str(ARTIFACTS / "meetings-04-office-meetings-1440.png"), full_page=True)
    office.goto(f"{server}/tasks")
    office.close()

    lists = signed_in(browser, server, "office_b", 1440, "tasks")
    expect(lists.get_by_role("heading", name="任务清单", exact=True)).to_be_visible()
    expect(lists.get_by_label("来源")).to_be_visible()
    settled(lists)
    lists.screenshot(path=str(ARTIFACTS / "meetings-05-task-list-source-1440.png"), full_page=True)
    lists.context.close()

    small = signed_in(browser, server, "office_b", 390, "meetings")
    expect(small.get_by_role("heading", name="会商", exact=True)).to_be_visible()
    settled(small)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=str(ARTIFACTS / "meetings-06-office-meetings-390.png"), full_page=True)
    small.context.close()
