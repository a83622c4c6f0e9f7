"""Every page for every role (and signed out): it renders without an error, shows what the role may read, and
refuses what it may not — including when the page file is run directly, as Streamlit's legacy multipage mode
does on a freshly started server."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.test_app_support import PAGES, REPO, ROLES, TITLES, cast, frame, go, keys, ok, open_page, text_of  # noqa: F401

TASK_TITLE = "加力整体推进增供给"  # the title of task 3.1: "task data" when it appears on a page
# The task page opens on a task of the user's own: the first its unit leads, or shares, or its group's.
DEFAULT_TASK = {"weijian": "3.4.2", "tongji": "3.5.4", "yanglao": "3.3.2"}


@pytest.mark.parametrize("page", PAGES)
def test_it_shows_no_data_without_a_login(cast, page):
    at = ok(open_page(None, page))
    body = text_of(at)
    assert "登录" in body
    assert TASK_TITLE not in body and "运政办发" not in body
    assert not at.dataframe and not at.metric
    assert keys(at, "text_input") == {"login_username", "login_password"}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_every_role(cast, role):
    at = ok(open_page(role))
    for page in PAGES:
        ok(go(at, page))
        body = text_of(at)
        if page == "admin" and role != "office":
            assert "无权查看“管理”页面" in body
            assert not at.dataframe and not at.tabs
            continue
        if page == "task_detail":
            code = at.selectbox(key="td_task").value
            assert code == DEFAULT_TASK.get(role, "3.1") and at.title[0].value.startswith(code + " ")
        else:
            assert at.title[0].value == TITLES[page], page
        assert not at.error, (page, [e.value for e in at.error])
        # every page renders in well under a second once its data are cached
        at.run()
        assert at.session_state["ylyx_render_ms"] < 1000, page


@pytest.mark.parametrize("role,expected", [
    ("office", ["总览", "任务清单", "任务详情", "督办", "会商", "指标", "单位", "管理"]),
    ("leader", ["总览", "任务清单", "任务详情", "督办", "会商", "指标", "单位"]),
    ("yanglao", ["总览", "任务清单", "任务详情", "督办", "会商", "指标", "单位"]),
    ("minzheng", ["总览", "任务清单", "任务详情", "督办", "会商", "指标", "单位"]),
])
def test_the_navigation_shows_only_the_pages_of_the_role(cast, role, expected):
    at = ok(open_page(role))
    assert [link.label for link in at.sidebar.get("page_link")] == expected


def test_the_entry_script_opens_the_cockpit_after_login(cast):
    at = ok(open_page("leader"))
    assert at.title[0].value == "总览"
    assert frame(at) is not None


# --- the rules of the codebase, for the files of the web app ------------------------------------------------

# every module of the app and the package: only config.py reads the environment and only clock.py the clock
APP_FILES = [REPO / "streamlit_app.py", REPO / "scheduler.py", *sorted((REPO / "pages").glob("*.py")),
             *sorted(p for p in (REPO / "ylyx_tasks").rglob("*.py")
                     if "migrations" not in p.parts and p.name not in ("config.py", "clock.py")
                     # hands the process environment on to LibreOffice (with its font settings), reads none of it
                     and p.relative_to(REPO).as_posix() != "ylyx_tasks/documents/pdf.py")]


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_app_reads_no_environment_and_no_clock_of_its_own(path: Path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"os\.environ|os\.getenv|date\.today\(\)|datetime\.now\(|\.utcnow\(\)(?<!clock\.utcnow\(\))",
                         source.replace("clock.utcnow()", ""))
    assert len(source.splitlines()) <= 300, "split the module"


@pytest.mark.parametrize("path", sorted((REPO / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_calls_its_guard_before_anything_else(path: Path):
    """After the docstring and the imports, the first statement is ``ctx = guard.page("<its key>")``."""
    body = [node for node in ast.parse(path.read_text(encoding="utf-8")).body
            if not isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    first = body[0]
    assert isinstance(first, ast.Assign) and ast.unparse(first) == f"ctx = guard.page('{path.stem}')"


def test_no_page_runs_sql_or_business_rules():
    for path in (REPO / "pages").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "select(" not in source and "session" not in source.lower().replace("session_state", ""), path.name
        assert "unsafe_allow_html" not in source


def test_streamlit_config_is_headless_private_and_hides_tracebacks():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableCORS"] is True and config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["showSidebarNavigation"] is False
