"""The browsers: ``count`` people at once, each in a context of its own in one chromium, through the day's mix.

    nice -n 19 python -m benchmarks.load.drive --base URL --accounts FILE --tag RUN-ID [--first 0 --count N]

Each person: opens the app (``open``), signs in and lands on the cockpit (``login``), the task list (filtered to
the person's unit, as it opens for a liaison: ``tasks``), the task page (the unit's first task: ``task``),
submits a progress report (``report``), the notices page (``notices``) and the cockpit again, after everyone's
reports (``cockpit``). The time of a step runs from the action (a navigation, a click) until what the step must
show is there and the script run has finished (``[data-test-script-state=notRunning]``). Prints one JSON line:
``{"sessions": [{"username", "steps": {step: seconds}, "error", "reported"}], "wall": seconds}``.

Bounded: every step gives up after ``--step-timeout`` seconds, the whole run after ``--deadline``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import os
import time
from pathlib import Path

from benchmarks.load import LOAD_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling"]
STEPS = ("open", "login", "tasks", "task", "report", "notices", "cockpit")
CONFLICT = "刚被其他人修改过"  # the task's optimistic lock (services.tasks.edit.claim_version): no lost update
CONFLICT_RETRIES = 10


class StepFailed(Exception):
    pass


async def settled(page) -> None:
    await page.locator('[data-test-script-state="notRunning"]').wait_for()


def server_cpu(pids: list[int] | None) -> float:
    """The server's CPU seconds so far (its processes together; 0 without pids): per-step figures when one
    person runs alone."""
    total = 0
    for pid in pids or []:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


async def person(browser, base: str, number: int, account: dict, tag: str, timeout_ms: float,
                 shots: Path | None, server_pids: list[int] | None = None) -> dict:
    from playwright.async_api import expect

    out: dict = {"number": number, "username": account["username"], "department": account["department"], "steps": {},
                 "error": None, "reported": False, "conflicts": 0, "server_cpu": {}}
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    sidebar = page.locator('[data-testid="stSidebar"]')
    step = "open"
    last_cpu: float | None = None

    async def timed(name: str, action, *ready) -> None:
        nonlocal step, last_cpu
        step = name
        started, cpu = time.perf_counter(), server_cpu(server_pids)
        if server_pids and last_cpu is not None:  # what the server did since the last step (tabs, typing)
            out["server_cpu"][f"before {name}"] = round(cpu - last_cpu, 3)
        await action()
        for locator in ready:
            await expect(locator).to_be_visible(timeout=timeout_ms)
        await settled(page)
        out["steps"][name] = round(time.perf_counter() - started, 4)
        if server_pids:
            await asyncio.sleep(0.3)  # the run's last messages and the websocket's own work after the page settled
            out["server_cpu"][name] = round(server_cpu(server_pids) - cpu, 3)
            last_cpu = server_cpu(server_pids)

    def link(title: str):
        return lambda: sidebar.get_by_role("link", name=title, exact=True).click()

    try:
        await timed("open", lambda: page.goto(base + "/"), page.get_by_label("用户名"))
        await page.get_by_label("用户名").fill(account["username"])
        await page.get_by_label("密码").fill(LOAD_PASSWORD)
        await timed("login", lambda: page.get_by_role("button", name="登录").click(),
                    page.get_by_role("button", name="退出登录"), page.get_by_role("heading", name="总览", exact=True))
        await timed("tasks", link("任务清单"), page.get_by_role("heading", name="任务清单", exact=True),
                    page.get_by_text("符合条件").first)
        await timed("task", link("任务详情"), page.get_by_role("tab", name="办理", exact=True))
        await page.get_by_role("tab", name="办理", exact=True).click()
        form = page.locator('[data-testid="stForm"]').filter(has_text="报送进展")
        done = page.get_by_text("进展已报送。")
        failed = page.locator('[data-testid="stAlertContentError"]')
        for attempt in range(1 + CONFLICT_RETRIES):
            await form.get_by_label("完成进度（%）").fill("50")
            await form.get_by_label("进展情况").fill(f"{tag} 会话 {number}：本月推进情况正常，按计划实施。")
            await timed("report" if attempt == 0 else f"report#{attempt + 1}",
                        lambda: form.get_by_role("button", name="提交报送").click(), done.or_(failed.first))
            if await done.count():
                out["reported"] = True
                break
            message = await failed.first.inner_text()
            if CONFLICT not in message:
                raise StepFailed(message)
            out["conflicts"] += 1  # someone changed the task meanwhile: the page now shows it; submit again
            # (after another tab and back: a run that shows no stale message, so that the next wait is for the
            # next answer)
            await page.get_by_role("tab", name="概况", exact=True).click()
            await expect(failed).to_have_count(0)
            await settled(page)
            await page.get_by_role("tab", name="办理", exact=True).click()
            await settled(page)
        else:
            raise StepFailed(f"{1 + CONFLICT_RETRIES} conflicts in a row")
        await timed("notices", link("督办"), page.get_by_role("heading", name="督办", exact=True))
        await timed("cockpit", link("总览"), page.get_by_role("heading", name="总览", exact=True))
        if shots is not None:
            await page.screenshot(path=str(shots), full_page=True)
    except Exception as exc:  # noqa: BLE001 — one person's failure is a figure of the run, not the end of it
        out["error"] = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    finally:
        out["context"] = context
    return out


async def drive(base: str, accounts: list[dict], tag: str, first: int, timeout_ms: float, deadline: float,
                shots: Path | None, server_pids: list[int] | None = None) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        try:
            runs = [asyncio.ensure_future(person(browser, base, first + i, a, tag, timeout_ms,
                                                 shots if i == 0 else None,
                                                 server_pids if len(accounts) == 1 else None))
                    for i, a in enumerate(accounts)]
            await asyncio.wait(runs, timeout=deadline)
            wall = time.perf_counter() - started
            sessions = []
            for i, run in enumerate(runs):  # past the deadline: the unfinished are errors of the run, not its end
                if run.done():
                    sessions.append(run.result())
                else:
                    run.cancel()
                    sessions.append({"number": first + i, "username": accounts[i]["username"],
                                     "department": accounts[i]["department"], "steps": {}, "reported": False,
                                     "conflicts": 0, "error": f"not done within the run's deadline ({deadline:g} s)"})
            for s in sessions:  # every context stays open until all are done: the server holds every session
                if "context" in s:
                    before = server_cpu(server_pids if len(accounts) == 1 else None)
                    await s.pop("context").close()
                    if server_pids and len(accounts) == 1:  # the server ending the session
                        await asyncio.sleep(1.0)
                        s["server_cpu"]["close"] = round(server_cpu(server_pids) - before, 3)
        finally:
            await browser.close()
    return {"sessions": sessions, "wall": round(wall, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load.drive")
    parser.add_argument("--base", required=True)
    parser.add_argument("--accounts", type=Path, required=True, help="JSON from benchmarks.load.accounts prepare")
    parser.add_argument("--tag", required=True, help="written into every report (to find them afterwards)")
    parser.add_argument("--first", type=int, default=0, help="the first account to use")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--step-timeout", type=float, default=120)
    parser.add_argument("--deadline", type=float, default=540)
    parser.add_argument("--screenshot", type=Path, help="the first person's last page")
    parser.add_argument("--server-pids", help="one person alone: the server's CPU per step (its pids, comma-separated)")
    args = parser.parse_args(argv)
    accounts = json.loads(args.accounts.read_text(encoding="utf-8"))[args.first:args.first + args.count]
    if len(accounts) < args.count:
        raise SystemExit(f"only {len(accounts)} accounts from {args.first}")
    result = asyncio.run(drive(args.base, accounts, args.tag, args.first, args.step_timeout * 1000, args.deadline,
                               args.screenshot,
                               [int(p) for p in args.server_pids.split(",")] if args.server_pids else None))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
