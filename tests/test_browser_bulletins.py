"""The 通报 tab and the ranking in a real browser, at 1440 px and on a 390 px phone: the office reviews the May
2025 bulletin the scan drafted (督办 of 2025-05-02, unanswered), takes one matter out and issues it; a leader
downloads it; the units page ranks by the score with its rule beside it. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.test_browser import (
    ARTIFACTS,
    PASSWORD,
    browser,  # noqa: F401  (fixture)
    go,
    prepare_database,
    serving,
    settled,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-bulletins")
    env = prepare_database(folder)
    script = ("import datetime as dt\n"
              "from ylyx_tasks.services.supervision.scan import run_scan\n"
              "run_scan(dt.date(2025, 5, 2))\n"
              "run_scan(dt.date(2025, 6, 1))\n")
    subprocess.run([sys.executable, "-c", script], env=env, cwd=folder, check=True, timeout=120)
    with serving(folder, env) as base:
        yield base


def shoot(page, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    settled(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_the_office_reviews_and_issues_the_bulletin_and_a_leader_downloads_it(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    assert PASSWORD
    office = sign_in(browser, server, "office_b")
    go(office, "督办")
    office.get_by_role("tab", name="通报（第N期）").click()
    expect(office.get_by_text("2025年5月通报（草稿，5 项）")).to_be_visible()
    shoot(office, "bulletin-draft", 1440)
    shoot(office, "bulletin-draft", 390)
    office.set_viewport_size({"width": 1440, "height": 900})
    remove = office.locator('[data-testid="stForm"]').filter(has_text="删去一项")
    remove.get_by_label("理由").fill("已约谈，本期暂不通报")
    remove.get_by_role("button", name="删去").click()
    expect(office.get_by_text("已从通报草稿中删去。")).to_be_visible()
    office.get_by_role("tab", name="通报（第N期）").click()
    office.get_by_role("button", name="印发本期通报").click()
    expect(office.get_by_text("已印发第1期通报 运养托通〔2025〕1号，邮件已排队发送。")).to_be_visible()
    office.get_by_role("tab", name="通报（第N期）").click()
    expect(office.get_by_role("button", name="下载通报（Word）")).to_be_visible()
    shoot(office, "bulletin-issued", 1440)

    leader = sign_in(browser, server, "leader_b")
    go(leader, "督办")
    leader.get_by_role("tab", name="通报（第N期）").click()
    expect(leader.get_by_text("已印发的通报（1 期）")).to_be_visible()
    assert leader.get_by_role("button", name="印发本期通报").count() == 0
    with leader.expect_download() as download:
        leader.get_by_role("button", name="下载通报（Word）").click()
    assert download.value.suggested_filename == "运养托通〔2025〕1号.docx"
    shoot(leader, "bulletin-leader", 390)

    leader.set_viewport_size({"width": 1440, "height": 900})  # the sidebar folds away on a phone
    go(leader, "单位")
    expect(leader.get_by_text("红榜（得分最高）").first).to_be_visible()
    expect(leader.get_by_text("按得分由高到低排名").first).to_be_visible()
    shoot(leader, "units-ranking", 1440)
    shoot(leader, "units-ranking", 390)
    for context in {office.context, leader.context}:
        context.close()
