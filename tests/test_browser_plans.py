"""Two plans in a real browser (Debian's chromium): the 十五五 plan imported by the CLI beside the 十四五 seed, today
2026-03-02. The office switches plans in the sidebar; the choice holds when another page is opened from the
sidebar and is carried in the URL; a liaison on a phone (390 px) sees the same chooser.

Screenshots: ``test-artifacts/07-plans-*.png``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_browser import (  # browser: the shared fixture, on this module's own server
    PASSWORD,
    TIMEOUT_MS,
    browser,
    go,
    new_page,
    prepare_database,
    serving,
    settled,
    shoot,
)

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parent / "data" / "十五五一老一小示例方案.txt"
TODAY = "2026-03-02"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-plans")
    env = prepare_database(folder)
    env["YLYX_TODAY"] = TODAY
    subprocess.run([sys.executable, "-m", "ylyx_tasks", "plan", "import", str(SAMPLE), "--code", "十五五养老托育",
                    "--title", "十五五一老一小实施方案", "--period", "2026-01-01:2030-12-31", "--prefix", "运十五",
                    "--new-units", "all"], env=env, cwd=folder, check=True, timeout=300, capture_output=True)
    with serving(folder, env) as base:
        yield base


def sign_in(page, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="总览", exact=True)).to_be_visible()
    settled(page)


def choose(page, label: str) -> None:
    """Pick a plan in the sidebar's chooser."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="方案").click()
    page.get_by_role("option", name=label).click()
    settled(page)


def test_the_office_switches_plans_and_the_choice_holds_across_pages(server, browser):
    from playwright.sync_api import expect

    page = new_page(browser)
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, "office_b")
    chooser = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="方案")
    expect(chooser).to_have_value("十五五养老托育（2026–2030）")  # the newest plan in force
    go(page, "任务清单")
    expect(page.get_by_text("共 5 项任务")).to_be_visible()
    settled(page)
    expect(page.locator('[data-testid="stDataFrame"] canvas').first).to_be_visible()
    shoot(page, "07-plans-office-tasks-十五五")
    choose(page, "十四五养老托育（2021–2025）")
    expect(page.get_by_text("共 20 项任务")).to_be_visible()
    assert "plan=" in page.url
    go(page, "督办")
    expect(page.get_by_role("heading", name="督办", exact=True)).to_be_visible()
    settled(page)
    expect(chooser).to_have_value("十四五养老托育（2021–2025）")
    go(page, "任务清单")
    expect(page.get_by_text("共 20 项任务")).to_be_visible()
    page.context.close()


def test_a_liaison_chooses_the_plan_on_a_phone(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, server, "mz_liaison")
    page.get_by_test_id("stExpandSidebarButton").or_(page.get_by_test_id("stSidebarCollapsedControl")).first.click()
    chooser = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="方案")
    expect(chooser).to_be_visible()
    shoot(page, "07-plans-phone-chooser")
    expect(chooser).to_have_value("十五五养老托育（2026–2030）")
    context.close()


def test_the_office_sees_the_draft_of_a_pasted_plan(server, browser):
    from playwright.sync_api import expect

    page = new_page(browser)
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, "office_b")
    go(page, "管理")
    page.get_by_role("tab", name="载入新方案", exact=True).click()
    settled(page)
    page.get_by_label("方案代号（以后用它选择方案，如 十五五养老托育）").fill("十五五示例")
    page.get_by_label("方案名称").fill("十五五一老一小实施方案（第二稿）")
    page.get_by_label("方案名称").press("Tab")
    settled(page)
    text = page.get_by_label("或粘贴方案原文")
    text.fill(SAMPLE.read_text(encoding="utf-8"))
    text.press("Control+Enter")
    # 市中医院 was confirmed as a new unit when the CLI imported the same text: the draft now passes.
    expect(page.get_by_text("校验通过：5 项任务", exact=False)).to_be_visible()
    settled(page)
    expect(page.locator('[data-testid="stDataFrame"] canvas').first).to_be_visible()
    expect(page.get_by_role("button", name="确认导入方案")).to_be_visible()
    shoot(page, "07-plans-admin-draft")
    page.context.close()
