"""The command line end to end: ``python -m ylyx_tasks …`` in a subprocess on a temporary SQLite file (and
once on PostgreSQL), with YLYX_ADMIN_PASSWORD unset so that ``init`` makes up the admin password and prints it
once.

Each subprocess spends ~2 s importing pandas, openpyxl and alembic, so the commands that do not depend on each
other are started together (``run_all``) in a module-scoped fixture, and each test checks its own command's
result. The other variants (every role, every error, set-password) run in-process through the console script's
own entry point (``ylyx_tasks.cli.main``, with ``sys.argv`` and the environment set), on the same database.

Personas: Carol (office), Lily (leader), Li Na (盐湖区's liaison), Mei (托育专班 member).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, make_database, point_settings_at

from tests.seedfile import seed_rows
from sqlmodel import select

from ylyx_tasks import config, db
from ylyx_tasks.models import User
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services import users

DATA = REPO / "data"
CAROL_PASSWORD = "Qingshan-Road-7788"
LILY_PASSWORD = "Fenhe-Bridge-2231"
LI_NA_PASSWORD = "Yanhu-Salt-Lake-09"
MEI_PASSWORD = "Tuoyu-Garden-5150"
EXPORT_HEADERS = {"编号", "任务", "牵头单位", "配合单位", "状态", "下一节点到期", "逾期天数"}


# --- running the command --------------------------------------------------------------------------------------


def cli_env(database_url: str, home: Path, **extra: str) -> dict[str, str]:
    """A newcomer's shell: no YLYX_* settings but the database, the data folder and an outbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YLYX_")}
    env.update(YLYX_DATABASE_URL=database_url, YLYX_DATA_DIR=str(DATA), YLYX_OUTBOX_DIR=str(home / "outbox"),
               PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def run_all(database_url: str, home: Path, commands: dict[str, tuple[list[str], dict[str, str]]],
            program: list[str] | None = None) -> dict[str, subprocess.CompletedProcess]:
    """Start every command at once, then collect them (their outputs are small: no pipe fills up)."""
    program = program or [sys.executable, "-m", "ylyx_tasks"]
    started = {
        name: (args, subprocess.Popen([*program, *args], cwd=home, env=cli_env(database_url, home, **env),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      encoding="utf-8"))
        for name, (args, env) in commands.items()
    }
    results = {}
    for name, (args, process) in started.items():
        out, err = process.communicate(timeout=180)
        results[name] = subprocess.CompletedProcess(args, process.returncode, out, err)
    return results


def run(database_url: str, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run_all(database_url, home, {"only": (list(args), env)})["only"]


def table_rows(output: str) -> list[list[str]]:
    """The body rows of a rich table printed to a pipe."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines()
            if line.startswith("│")]


def with_2022_milestone() -> set[str]:
    return {r["code"] for r in seed_rows() if r["milestone_2022"]}


# --- one database, the commands run against it ----------------------------------------------------------------


@dataclass
class Home:
    root: Path
    url: str
    runs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Home:
    root = tmp_path_factory.mktemp("cli-home")
    url = f"sqlite:///{(root / 'ylyx.db').as_posix()}"
    home = Home(root, url)
    home.runs["first init"] = run(url, root, "init")
    assert home.runs["first init"].returncode == 0, home.runs["first init"].stderr
    home.runs.update(run_all(url, root, {
        "show": (["show"], {"YLYX_TODAY": "2023-01-05"}),
        "export csv": (["export", str(root / "out.csv")], {"YLYX_TODAY": "2023-01-05"}),
        "export xlsx": (["export", str(root / "out.xlsx")], {"YLYX_TODAY": "2023-01-05"}),
        "add liaison": (["user", "add", "li.na", "--role", "liaison", "--department", "盐湖区"],
                        {"YLYX_NEW_PASSWORD": LI_NA_PASSWORD}),
    }))
    return home


@pytest.fixture
def home_settings(home, tmp_path, monkeypatch) -> Home:
    """This process's settings pointed at the CLI's database, to check what the commands wrote."""
    point_settings_at(monkeypatch, home.url, tmp_path)
    yield home
    db.dispose_engines()
    config.get_settings.cache_clear()


# --- init -----------------------------------------------------------------------------------------------------


def test_the_first_init_prints_what_it_did_and_the_admin_password_once(home_settings):
    result = home_settings.runs["first init"]
    assert result.returncode == 0, result.stderr
    for line in ("新建数据库", "方案：新增 1", "单位：新增 46", "工作专班：新增 3", "任务：新增 20", "时间节点：新增 25",
                 "指标：新增 32"):
        assert line in result.stdout
    password = re.search(r"初始密码（只显示这一次）：(\S+)", result.stdout).group(1)
    assert len(password) >= 10
    user = users.sign_in("admin", password)
    assert user.role == "专班办公室"


def test_a_second_init_says_nothing_changed_and_prints_no_password(home_settings, monkeypatch, capsys):
    monkeypatch.delenv("YLYX_ADMIN_PASSWORD")
    config.get_settings.cache_clear()

    code, out, err = main_in_process(monkeypatch, capsys, "init")

    assert code == 0, err
    assert "数据库已在版本" in out
    assert "未作改动" in out
    assert "邮件中的链接指向 http://localhost:8501" in out.replace("\n", "")  # YLYX_APP_URL not set: said at start


def test_init_says_nothing_of_mail_links_once_the_app_url_is_set(home_settings, monkeypatch, capsys):
    monkeypatch.setenv("YLYX_APP_URL", "http://10.1.2.3:8501")
    config.get_settings.cache_clear()
    code, out, err = main_in_process(monkeypatch, capsys, "init")
    assert code == 0, err
    assert "数据库已在版本" in out and "邮件中的链接" not in out
    assert "任务：新增 0，更新 0，未变 20" in out
    assert "密码" not in out


# --- show -----------------------------------------------------------------------------------------------------


def test_show_lists_the_twenty_tasks_with_lead_next_due_date_and_status(home):
    result = home.runs["show"]
    assert result.returncode == 0, result.stderr
    assert "任务清单（20 项，截至 2023-01-05）" in result.stdout
    rows = table_rows(result.stdout)
    assert len(rows) == 20
    for (code, title, lead, next_due, status, _light, _overdue), seed in zip(rows, seed_rows()):
        assert (code, title, lead) == (seed["code"], seed["title"], seed["lead_department"])
        # the 2022 milestone is still open, so it stays the next one due
        assert next_due == ("2022-12-31" if seed["milestone_2022"] else "2025-12-31"), code
        assert status == "未启动"


def test_pinning_today_changes_what_show_reports_as_overdue(home_settings, monkeypatch, capsys):
    after = {row[0]: row[6] for row in table_rows(home_settings.runs["show"].stdout)}
    monkeypatch.setenv("YLYX_TODAY", "2022-06-01")
    config.get_settings.cache_clear()
    code, out, err = main_in_process(monkeypatch, capsys, "show")
    assert code == 0, err
    assert "截至 2022-06-01" in out
    before = {row[0]: row[6] for row in table_rows(out)}

    assert len(before) == len(after) == 20
    assert {code for code, days in before.items() if days} == set()
    assert {code for code, days in after.items() if days} == with_2022_milestone()
    assert {days for days in after.values() if days} == {"5"}  # 2022-12-31 → 2023-01-05


# --- export ---------------------------------------------------------------------------------------------------


def test_export_csv_is_utf8_with_bom_and_chinese_headers(home):
    result = home.runs["export csv"]
    assert result.returncode == 0, result.stderr
    raw = (home.root / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    assert len(rows) == 20
    assert EXPORT_HEADERS <= set(reader.fieldnames)
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in reader.fieldnames)
    # codes such as 3.1 carry a leading tab, which keeps them text in a spreadsheet
    assert [r["编号"].lstrip("\t") for r in rows] == [s["code"] for s in seed_rows()]
    assert [r["牵头单位"] for r in rows] == [s["lead_department"] for s in seed_rows()]
    assert {r["编号"].lstrip("\t") for r in rows if r["逾期天数"] not in ("", "0")} == with_2022_milestone()


def test_export_xlsx_opens_in_openpyxl_with_twenty_rows(home):
    result = home.runs["export xlsx"]
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(home.root / "out.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))[2:]  # below the title and the 制表单位 / 截至 rows
    assert len(rows) == 21
    assert EXPORT_HEADERS <= set(rows[0])
    assert [r[0] for r in rows[1:]] == [s["code"] for s in seed_rows()]


def test_export_to_an_unknown_format_fails(home_settings, monkeypatch, capsys):
    target = home_settings.root / "out.txt"
    code, _out, err = main_in_process(monkeypatch, capsys, "export", str(target))
    assert code != 0
    assert ".csv" in err and ".xlsx" in err
    assert not target.exists()


# --- users ----------------------------------------------------------------------------------------------------


def main_in_process(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from ylyx_tasks.cli import main

    monkeypatch.setattr(sys, "argv", ["ylyx-tasks", *args])
    try:
        main()
        code = 0
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_user_add_in_a_subprocess_creates_a_liaison_for_a_county(home_settings):
    result = home_settings.runs["add liaison"]
    assert result.returncode == 0, result.stderr
    assert "已创建用户 li.na（单位联络员；本人首次登录时须改为自己的密码）" in result.stdout
    user = users.sign_in("li.na", LI_NA_PASSWORD)  # the password came from YLYX_NEW_PASSWORD
    assert user.role == "单位联络员"
    with db.read_session() as session:
        assert users.find_department(session, "盐湖区").id == user.department_id


@pytest.mark.parametrize(("username", "args", "role", "password"), [
    ("carol", ["--role", "office"], "专班办公室", CAROL_PASSWORD),
    ("lily", ["--role", "领导", "--name", "李丽"], "领导", LILY_PASSWORD),
    ("wang.min", ["--role", "单位联络员", "--department", "市民政局"], "单位联络员", "Minzheng-Pass-8080"),
    ("mei", ["--role", "member", "--group", "托育专班"], "专班成员", MEI_PASSWORD),
], ids=["office", "leader", "liaison", "member"])
def test_user_add_creates_each_role(home_settings, monkeypatch, capsys, username, args, role, password):
    code, out, err = main_in_process(monkeypatch, capsys, "user", "add", username, *args,
                                     "--password", password)

    assert code == 0, err
    assert f"已创建用户 {username}（{role}；本人首次登录时须改为自己的密码）" in out
    assert users.sign_in(username, password).role == role


def test_user_list_shows_roles_departments_and_groups(home_settings, monkeypatch, capsys):
    for args in (["xu.lan", "--role", "leader", "--name", "许兰"],
                 ["zhao.yu", "--role", "member", "--group", "养老专班"]):
        code, _out, err = main_in_process(monkeypatch, capsys, "user", "add", *args,
                                          "--password", "Guandi-Temple-1600")
        assert code == 0, err

    code, out, err = main_in_process(monkeypatch, capsys, "user", "list")

    assert code == 0, err
    rows = {row[0]: row for row in table_rows(out)}
    assert {"admin", "li.na", "xu.lan", "zhao.yu"} <= set(rows)
    assert rows["admin"][2] == "专班办公室"
    assert rows["xu.lan"][1:4] == ["许兰", "领导", ""]
    assert rows["li.na"][2:4] == ["单位联络员", "盐湖区人民政府"]
    assert rows["zhao.yu"][2:5] == ["专班成员", "", "养老专班"]


@pytest.mark.parametrize(("how", "username"), [("--password", "sun.li"), ("YLYX_NEW_PASSWORD", "sun.wei")])
def test_set_password_replaces_the_password(home_settings, monkeypatch, capsys, how, username):
    old, new = "Yuncheng-Old-4242", "Yuncheng-New-4343"
    added = main_in_process(monkeypatch, capsys, "user", "add", username, "--role", "office", "--password", old)
    assert added[0] == 0, added[2]
    if how == "--password":
        args = ["--password", new]
    else:
        monkeypatch.setenv("YLYX_NEW_PASSWORD", new)
        args = []

    code, out, err = main_in_process(monkeypatch, capsys, "user", "set-password", username, *args)

    assert code == 0, err
    assert f"已设置 {username} 的密码" in out
    assert users.sign_in(username, new).username == username
    with pytest.raises(users.LoginFailed):
        users.sign_in(username, old)


USER_ERRORS = [
    # (case, arguments after `user add`, what the message says)
    ("liaison without department", ["zhang", "--role", "liaison"], "须指定所属单位"),
    ("member without group", ["zhang", "--role", "member"], "须指定所属专班"),
    ("unknown role", ["zhang", "--role", "boss"], "未知角色“boss”"),
    ("unknown department", ["zhang", "--role", "liaison", "--department", "市宣传部"], "未知单位“市宣传部”"),
    ("unknown group", ["zhang", "--role", "member", "--group", "养老组"], "未知专班“养老组”"),
    ("department for an office account", ["zhang", "--role", "office", "--department", "市民政局"], "只有单位联络员"),
    ("group for a leader", ["zhang", "--role", "leader", "--group", "养老专班"], "只有专班成员"),
    ("username taken", ["admin", "--role", "office"], "用户名 admin 已存在"),
    ("password too short", ["zhang", "--role", "office", "--password", "short1"], "密码至少 12 位"),
    ("password containing the username", ["zhang", "--role", "office", "--password", "zhang-1234567890"],
     "密码不能包含用户名"),
    ("username with spaces", ["zhang san", "--role", "office"], "用户名须为"),
]


@pytest.mark.parametrize(("args", "message"), [c[1:] for c in USER_ERRORS], ids=[c[0] for c in USER_ERRORS])
def test_user_add_errors_are_clear_and_non_zero(home_settings, monkeypatch, capsys, args, message):
    if "--password" not in args:
        args = [*args, "--password", "Hedong-Pass-3141"]
    with db.read_session() as session:
        before = [u.username for u in session.exec(select(User))]

    code, _out, err = main_in_process(monkeypatch, capsys, "user", "add", *args)

    assert code != 0
    assert message in err
    with db.read_session() as session:
        assert [u.username for u in session.exec(select(User))] == before


def test_user_add_without_a_role_is_a_usage_error(home_settings, monkeypatch, capsys):
    code, _out, err = main_in_process(monkeypatch, capsys, "user", "add", "zhang",
                                      "--password", "Hedong-Pass-3141")
    assert code == 2
    assert "--role" in err


def test_set_password_for_an_unknown_user_fails(home_settings, monkeypatch, capsys):
    code, _out, err = main_in_process(monkeypatch, capsys, "user", "set-password", "nobody",
                                      "--password", "Nobody-Pass-2718")
    assert code != 0
    assert "没有用户 nobody" in err


def test_show_before_init_says_to_run_init(tmp_path, monkeypatch, capsys):
    point_settings_at(monkeypatch, f"sqlite:///{(tmp_path / 'empty.db').as_posix()}", tmp_path)
    try:
        code, _out, err = main_in_process(monkeypatch, capsys, "show")
    finally:
        db.dispose_engines()
        config.get_settings.cache_clear()
    assert code != 0
    assert "ylyx-tasks init" in err


# --- the installed console script, and PostgreSQL -------------------------------------------------------------


def test_the_console_script_is_installed():
    [entry] = entry_points(group="console_scripts", name="ylyx-tasks")
    assert entry.value == "ylyx_tasks.cli:main"
    assert Path(sys.executable).with_name("ylyx-tasks").exists()


def test_init_on_postgresql(tmp_path, monkeypatch):
    database = make_database("postgres", tmp_path)
    try:
        init = run(database.url, tmp_path, "init")
        assert init.returncode == 0, init.stderr
        assert "新建数据库" in init.stdout and "任务：新增 20" in init.stdout and "初始密码" in init.stdout
        point_settings_at(monkeypatch, database.url, tmp_path)
        with db.read_session() as session:
            views = load_task_views(session, dt.date(2023, 1, 5))
        assert [v.code for v in views] == [s["code"] for s in seed_rows()]
        assert {v.code for v in views if v.days_overdue} == with_2022_milestone()
    finally:
        db.dispose_engines()
        config.get_settings.cache_clear()
        database.close()
