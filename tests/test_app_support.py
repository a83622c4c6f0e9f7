"""Helpers for the web app's AppTest tests (collected by pytest, but holds no tests of its own).

The personas are those of ``tests/personas.py``: ``minzheng`` (市民政局) leads task 3.1, ``weijian`` (市卫健委)
supports it, ``yanhu`` (盐湖区) is territorially responsible, ``tongji`` (市统计局) has nothing to do with it;
``office``, ``leader``, ``yanglao`` (a member of 养老专班) and ``zonghe`` (综合专班, the group of 3.1).
Today is pinned to a Monday in 2025: the 2022 milestones are overdue, the 2025 ones still ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.personas import PASSWORD, Cast, make_cast

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "streamlit_app.py"
TODAY = dt.date(2025, 6, 16)
PAGES = ("overview", "tasks", "task_detail", "notices", "meetings", "indicators", "units", "admin")
TITLES = {"overview": "总览", "tasks": "任务清单", "notices": "督办", "meetings": "会商", "indicators": "指标",
          "units": "单位", "admin": "管理"}
ROLES = ("office", "leader", "yanglao", "zonghe", "minzheng", "weijian", "yanhu", "tongji")


def pin_today(monkeypatch: pytest.MonkeyPatch, day: dt.date = TODAY) -> None:
    from ylyx_tasks import config

    monkeypatch.setenv("YLYX_TODAY", day.isoformat())
    config.get_settings.cache_clear()


@pytest.fixture
def cast(plan_sqlite, monkeypatch) -> Iterator[Cast]:
    """The plan on a SQLite file, today pinned, and the personas' accounts."""
    pin_today(monkeypatch)
    yield make_cast()


@pytest.fixture
def cast_any(plan_db, monkeypatch) -> Iterator[Cast]:
    """The same on SQLite and on PostgreSQL."""
    pin_today(monkeypatch)
    yield make_cast()


def new_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60)


def login(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    return at


def open_page(username: str | None, page: str | None = None, **query: str) -> AppTest:
    """A fresh browser session: signed in as ``username`` (None: not signed in), on ``page``."""
    at = new_app().run()
    if username:
        login(at, username)
        assert not at.exception, at.exception
    if page:
        go(at, page, **query)
    return at


def on_tab(at: AppTest, tab: str, key: str = "td_tabs") -> AppTest:
    """Open a tab of a page whose tabs are drawn only when open (the task page: 概况, 办理, 督办通知, 办理记录)."""
    at.session_state[key] = tab
    return at.run()


def go(at: AppTest, page: str, **query: str) -> AppTest:
    at.switch_page(f"pages/{page}.py")
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def text_of(at: AppTest) -> str:
    """Everything readable on the page, as one string to search."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for df in at.dataframe:
        parts.append(_read(df.value).to_string())
    return "\n".join(parts)


def _read(value):
    """A table's data as a reader takes it: a light or status shown as a coloured label (a one-label list in a
    read-only multiselect column) reads as its text."""
    data = getattr(value, "data", value).copy()  # (a Styler keeps its frame in .data)
    for column in data.columns:
        if data[column].map(lambda v: isinstance(v, (list, tuple)) or hasattr(v, "tolist")).all() and len(data):
            data[column] = [("".join(map(str, list(v))) if len(v) else "") for v in data[column]]
    return data


def frame(at: AppTest, index: int = 0):
    return _read(at.dataframe[index].value)


def keyed_frame(at: AppTest, key: str):
    """The data of the table drawn with ``key`` (a page may show several tables; their order is layout)."""
    found = [d for d in at.dataframe if str(d.proto.id).endswith(f"-{key}")]
    assert found, f"no table {key!r} on the page"
    return _read(found[0].value)


def frame_with(at: AppTest, column: str):
    """The data of the first table with ``column`` (tables that cannot be selected carry no key)."""
    for d in at.dataframe:
        value = _read(d.value)
        if column in value.columns:
            return value
    raise AssertionError(f"no table with a column {column!r} on the page")


def keys(at: AppTest, kind: str = "button") -> set[str]:
    return {w.key for w in getattr(at, kind) if w.key}


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def successes(at: AppTest) -> list[str]:
    return [e.value for e in at.success]


def ok(at: AppTest) -> AppTest:
    """No traceback on the page, and no friendly "unexpected error" either."""
    assert not at.exception, [e.value for e in at.exception]
    assert not any("意外错误" in e for e in errors(at)), errors(at)
    return at
