"""The web app in a real browser: Debian's chromium through Playwright, against ``streamlit run`` started by the
test on a free port and a temporary SQLite database (the plan and the personas' accounts).

1. On the freshly started server, every page's URL opened without a login shows no task data — the first
   requests a server receives are the ones Streamlit may run in its legacy multipage mode, without the entry
   script — and then neither does the entry page.
2. The liaison of 市民政局 reports progress on task 3.1 and claims its 2022 milestone done, with evidence and a
   file; the office accepts it; the cockpit shows the change; a leader sees no write control anywhere.

Screenshots go to ``test-artifacts/``. Synchronisation is by waiting for what the page must show, never by
sleeping (except polling the server's health endpoint until it is up).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_app_support import PAGES, REPO, TODAY

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
TASK_TITLES = ("加力整体推进增供给", "完善基本养老托育服务清单制度", "优化人才培养")
TIMEOUT_MS = 30_000
PASSWORD = "Browser-Test-Pass-2025"
ACCOUNTS = {"mz_liaison": ("单位联络员", "市民政局"), "office_b": ("专班办公室", None), "leader_b": ("领导", None)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(folder: Path) -> dict[str, str]:
    """A migrated database with the plan and three accounts, made in a child process (this one's settings and
    engines stay untouched); returns the environment the server runs with."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YLYX_")}
    env.update(YLYX_DATABASE_URL=f"sqlite:///{(folder / 'browser.db').as_posix()}", YLYX_DATA_DIR=str(REPO / "data"),
               YLYX_OUTBOX_DIR=str(folder / "outbox"), YLYX_TODAY=TODAY.isoformat(),
               YLYX_ADMIN_PASSWORD="Browser-Office-Pass-1", YLYX_ARGON2_MEMORY_KIB="1024", YLYX_ARGON2_TIME_COST="1",
               PYTHONIOENCODING="utf-8")
    script = (
        "from ylyx_tasks.services.setup import initialize\n"
        "from ylyx_tasks.db import write_session\n"
        "from ylyx_tasks.domain.roles import SYSTEM, Role\n"
        "from ylyx_tasks.services.users import create_user\n"
        "initialize()\n"
        "with write_session() as s:\n"
        + "".join(f"    create_user(s, SYSTEM, username={name!r}, role=Role({role!r}), password={PASSWORD!r}, "
                  f"department={dept!r})\n" for name, (role, dept) in ACCOUNTS.items()))
    subprocess.run([sys.executable, "-c", script], env=env, cwd=folder, check=True, timeout=120)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    with serving(folder, prepare_database(folder)) as base:
        yield base


@contextlib.contextmanager
def serving(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """``streamlit run`` on a free port with ``env``; yields its base URL once it answers."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is not installed (make system-deps)")
    port = free_port()
    log = open(folder / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # polling the server's readiness: the one wait that is not on something the page shows
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {(folder / 'streamlit.log').read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def settled(page) -> None:
    """The script run that the last action started has finished."""
    page.locator('[data-test-script-state="notRunning"]').wait_for()


def shoot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(browser, base: str, username: str):
    from playwright.sync_api import expect

    page = new_page(browser)
    page.goto(base + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    expect(page.get_by_role("heading", name="总览", exact=True)).to_be_visible()
    settled(page)
    return page


def go(page, title: str) -> None:
    """Follow the sidebar link to a page."""
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True).click()


def test_a_freshly_started_server_shows_no_page_without_login(server, browser):
    """Must run first in this module: the server has received no request yet."""
    from playwright.sync_api import expect

    page = new_page(browser)
    for key in [*PAGES, ""]:  # every page's URL first (legacy mode), the entry page last; each load a new session
        page.goto(f"{server}/{key}")
        expect(page.get_by_label("用户名")).to_be_visible()
        settled(page)
        body = page.locator("body").inner_text()
        assert not any(title in body for title in TASK_TITLES), key
        assert "运政办发" not in body and page.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 0
        shoot(page, f"01-signed-out-{key or 'entry'}")
    page.context.close()


def test_liaison_reports_and_claims_office_accepts_cockpit_shows_it(server, browser):
    from playwright.sync_api import expect

    office = sign_in(browser, server, "office_b")
    in_progress = office.locator('[data-testid="stMetric"]').filter(has_text="推进中")
    expect(in_progress).to_contain_text("0")

    liaison = sign_in(browser, server, "mz_liaison")
    go(liaison, "任务详情")
    expect(liaison.get_by_role("heading", name="3.1 加力整体推进增供给", exact=True)).to_be_visible()
    liaison.get_by_role("tab", name="办理", exact=True).click()
    report = liaison.locator('[data-testid="stForm"]').filter(has_text="报送进展")
    report.get_by_label("完成进度（%）").fill("60")
    report.get_by_label("进展情况").fill("全市养老床位已达 1.8 万张，剩余项目年底前完工")
    report.get_by_label("佐证材料（链接或说明）").fill("https://example.cn/yanglao/beds")
    report.get_by_role("button", name="提交报送").click()
    expect(liaison.get_by_text("进展已报送。")).to_be_visible()
    settled(liaison)
    shoot(liaison, "02-liaison-reported")

    claim = liaison.locator('[data-testid="stForm"]').filter(has_text="申报办结（须附佐证材料")  # same tab still
    expect(claim.get_by_role("combobox", name="节点")).to_have_value(re.compile("^2022年节点"))
    claim.get_by_label("办结情况说明").fill("2022 年底全市养老床位达到 1.9 万余张，千人托位数 2.5 个")
    claim.get_by_label("佐证链接").fill("https://example.cn/yanglao/2022")
    claim.locator('input[type="file"]').set_input_files(
        files=[{"name": "验收报告.txt", "mimeType": "text/plain", "buffer": "验收合格".encode()}])
    expect(claim).to_contain_text("验收报告.txt")
    claim.get_by_role("button", name="申报办结").click()
    expect(liaison.get_by_text("已申报办结，等待专班审核。")).to_be_visible()
    settled(liaison)
    shoot(liaison, "03-liaison-claimed")

    office.reload()  # a reload is a new Streamlit session, still signed in by the browser's cookie
    expect(office.get_by_role("button", name="退出登录")).to_be_visible()
    settled(office)
    go(office, "任务详情")
    expect(office.get_by_role("heading", name="3.1 加力整体推进增供给", exact=True)).to_be_visible()
    office.get_by_role("tab", name="办理", exact=True).click()
    expect(office.get_by_role("button", name=re.compile("^验收报告.txt")).first).to_be_visible()
    office.get_by_role("button", name="审核通过（办结销号）").click()
    expect(office.get_by_text("已审核通过，节点办结销号。")).to_be_visible()
    settled(office)
    shoot(office, "04-office-accepted")

    go(office, "总览")
    expect(office.get_by_role("heading", name="总览", exact=True)).to_be_visible()
    in_progress = office.locator('[data-testid="stMetric"]').filter(has_text="推进中")
    expect(in_progress).to_contain_text("1")
    settled(office)
    shoot(office, "05-cockpit-after")


def test_a_leader_sees_no_write_control(server, browser):
    from playwright.sync_api import expect

    leader = sign_in(browser, server, "leader_b")
    links = leader.locator('[data-testid="stSidebar"]').get_by_role("link")
    expect(links).to_have_count(7)  # no 管理
    for title, ready in (("总览", "总览"), ("任务清单", "任务清单"), ("任务详情", "3.1 加力整体推进增供给"), ("督办", "督办"),
                         ("会商", "会商"), ("指标", "指标"), ("单位", "单位")):
        go(leader, title)
        expect(leader.get_by_role("heading", name=ready, exact=True)).to_be_visible()
        settled(leader)
        if title == "任务详情":
            leader.get_by_role("tab", name="办理", exact=True).click()
            expect(leader.get_by_text("领导账号可查看全部情况，不办理具体事项。")).to_be_visible()
        # a leader's one write is a 批示 (on the task, the notice, the indicator being read); and, in the
        # sidebar, their own password
        submits = leader.locator('[data-testid="stMain"] [data-testid="stFormSubmitButton"]')
        assert submits.count() == submits.filter(has_text="提交批示").count(), title
        assert leader.locator('input[type="file"]').count() == 0, title
        for label in ("签收", "提交报送", "申报办结", "审核通过（办结销号）", "保存"):
            assert leader.get_by_role("button", name=label, exact=True).count() == 0, (title, label)
        shoot(leader, f"06-leader-{title}")
    # a row of a list opens its task: the third row of the task list is 3.2.2
    go(leader, "任务清单")
    expect(leader.get_by_role("heading", name="任务清单", exact=True)).to_be_visible()
    grid = leader.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    box = grid.bounding_box()
    leader.mouse.click(box["x"] + 15, box["y"] + 35 * 3 + 18)  # the row's selection box (the grid is a canvas)
    expect(leader.get_by_role("heading", name="3.2.2 增强城乡公办养老托育服务能力", exact=True)).to_be_visible()
    url = urlsplit(leader.url)
    assert url.path == "/task_detail" and parse_qs(url.query)["task"] == ["3.2.2"]  # (and the plan chosen)
    leader.goto(f"{server}/admin")  # the office's page by URL: still signed in (the cookie), never shown it
    expect(leader.get_by_role("heading", name="总览", exact=True)).to_be_visible()
    settled(leader)
    assert leader.get_by_role("heading", name="管理", exact=True).count() == 0
