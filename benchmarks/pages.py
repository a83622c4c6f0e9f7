"""The pages, rendered through Streamlit's AppTest, signed in as the office (``admin``): the cockpit (总览), the
task list filtered to the unit with the most duties, and the task page of the task with the longest history.

Each page is opened once (untimed), then rendered ``repeat`` times from a cold cache (``st.cache_data.clear()``
before each run: what the first visitor after a write sees, since every write invalidates the caches) and
``repeat`` times from a warm one. Two times per run: ``wall``, the whole ``AppTest.run()``, and ``server``, the
app's own ``ylyx_render_ms`` (from the page guard to the end of the page body: what a browser waits for, without
AppTest's own unpacking of the result).

A page that does not exist yet, or fails, is reported as ``{"n/a": reason}``: the pages are being written
alongside this suite.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from benchmarks import BENCH_PASSWORD, REPO

PAGES = {"cockpit": "overview", "tasks": "tasks", "task_detail": "task_detail"}
RENDER_MS_KEY = "ylyx_render_ms"  # ylyx_tasks.ui.feedback.RENDER_MS_KEY


class PageUnavailable(Exception):
    pass


def _missing() -> str | None:
    for rel in ["streamlit_app.py", *(f"pages/{p}.py" for p in PAGES.values())]:
        if not (REPO / rel).exists():
            return f"{rel} does not exist yet"
    return None


def _check(at, what: str) -> None:
    if at.exception:
        raise PageUnavailable(f"{what}: exception on the page: {at.exception[0].value}"[:500])
    errors = [e.value for e in at.error]
    if errors:
        raise PageUnavailable(f"{what}: error on the page: {errors[0]}"[:500])


def _sign_in(at) -> None:
    at.run()
    try:
        at.text_input(key="login_username").input("admin")
        at.text_input(key="login_password").input(BENCH_PASSWORD)
        at.button(key="login_submit").click().run()
    except (KeyError, IndexError) as exc:
        raise PageUnavailable(f"no sign-in form with the keys login_username/login_password/login_submit: {exc}")
    _check(at, "sign-in")
    if any(w.key == "login_username" for w in at.text_input):
        raise PageUnavailable("signing in as admin did not work")


def _open(at, name: str, department: str, task_code: str) -> None:
    at.switch_page(f"pages/{PAGES[name]}.py")
    if name == "task_detail":
        at.query_params["task"] = task_code
    at.run()
    _check(at, name)
    if name == "tasks":
        try:
            at.selectbox(key="tl_dept").select(department).run()
        except (KeyError, IndexError, ValueError) as exc:
            raise PageUnavailable(f"the task list has no unit filter tl_dept with {department}: {exc}")
        _check(at, name)


def _run(at) -> tuple[float, float | None]:
    at.session_state[RENDER_MS_KEY] = None
    started = time.perf_counter()
    at.run()
    wall = time.perf_counter() - started
    try:
        server = at.session_state[RENDER_MS_KEY]
    except KeyError:
        server = None
    return wall, (server / 1000 if server is not None else None)


def _clear() -> None:
    import streamlit as st

    st.cache_data.clear()


@contextlib.contextmanager
def _profile_script_thread(path: str | None):
    """Profile what runs in AppTest's script thread (pyinstrument samples the thread that starts it)."""
    if not path:
        yield
        return
    from pyinstrument import Profiler
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler = Profiler(interval=0.001)
    original = LocalScriptRunner._run_script_thread

    def profiled(self):
        profiler.start()
        try:
            return original(self)
        finally:
            profiler.stop()

    LocalScriptRunner._run_script_thread = profiled
    try:
        yield
    finally:
        LocalScriptRunner._run_script_thread = original
        Path(f"{path}.html").write_text(profiler.output_html(), encoding="utf-8")
        Path(f"{path}.txt").write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
        # every frame, for a closer look: pyinstrument --load FILE.pyisession --show-all
        profiler.last_session.save(f"{path}.pyisession")


def measure_pages(repeat: int, *, profile: str | None = None, only: str | None = None) -> dict:
    """{"department", "task", "pages": {name: {"cold": {...}, "warm": {...}} or {"n/a": reason}}}."""
    reason = _missing()
    if reason:
        return {"pages": {name: {"n/a": reason} for name in PAGES}}
    from streamlit.testing.v1 import AppTest

    from benchmarks.floors import busiest_department, busiest_task
    from ylyx_tasks.db import get_engine

    with get_engine().connect() as conn:
        _, department = busiest_department(conn)
        _, task_code = busiest_task(conn)
    out: dict = {"department": department, "task": task_code, "pages": {}}
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=1800)
    try:
        _sign_in(at)
    except Exception as exc:  # noqa: BLE001 — reported, not raised: the pages are work in progress
        return out | {"pages": {name: {"n/a": str(exc)} for name in PAGES}}
    for name in [only] if only else PAGES:
        try:
            _open(at, name, department, task_code)
            if profile:
                _clear()
                with _profile_script_thread(f"{profile}"):
                    wall, server = _run(at)
                out["pages"][name] = {"profiled": {"wall": wall, "server": server}}
                continue
            cold, warm = [], []
            for _ in range(repeat):
                _clear()
                cold.append(_run(at))
                _check(at, name)
            for _ in range(repeat):
                warm.append(_run(at))
                _check(at, name)
            out["pages"][name] = {
                "cold": {"wall": [w for w, _ in cold], "server": [s for _, s in cold]},
                "warm": {"wall": [w for w, _ in warm], "server": [s for _, s in warm]},
            }
            if name == "tasks":
                out["pages"][name]["shown"] = next((c.value for c in at.caption if "符合条件" in str(c.value)), "")
        except Exception as exc:  # noqa: BLE001
            out["pages"][name] = {"n/a": f"{type(exc).__name__}: {exc}"[:500]}
    return out
