"""Secrets and stored text at the command line (issue 15, defects 6 and 12): ``init`` prints the database URL
without its password, an error's traceback never carries a password hash (the engine hides parameters), an
unexpected error prints a reference and writes the details to the log file, and text from the database reaches
the terminal without ESC or NUL. ``export --all`` is the admin page's full export."""

from __future__ import annotations

import io
import traceback

import openpyxl
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import select

from tests.conftest import require_postgres
from tests.test_cli import run
from ylyx_tasks import clock
from ylyx_tasks.db import write_session
from ylyx_tasks.models import Task, User


def test_init_prints_the_database_url_without_its_password(tmp_path):
    base = make_url(require_postgres())
    name = "ylyx_secret_init"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        # the test server trusts local connections, so any password works — and must not be printed
        url = base.set(database=name, password="Very-Secret-Pw-77").render_as_string(hide_password=False)
        result = run(url, tmp_path, "init")
        assert result.returncode == 0, result.stderr
        assert "Very-Secret-Pw-77" not in result.stdout + result.stderr  # before: the whole URL was printed
        assert f"postgres:***@{base.host}" in result.stdout
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_a_database_error_never_carries_the_password_hash(plan_db):
    with write_session() as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
        hash_ = admin.password_hash
    with pytest.raises(sa.exc.IntegrityError) as caught, write_session() as s:
        s.add(User(username="admin", display_name="x", role="领导", password_hash=hash_,
                   password_changed_at=clock.utcnow(), created_at=clock.utcnow()))
    text = "".join(traceback.format_exception(caught.value))
    assert hash_ not in text and "$argon2" not in text
    assert "hidden due to hide_parameters" in text


def test_stored_control_characters_never_reach_the_terminal_and_export_all_writes_everything(tmp_path):
    url = f"sqlite:///{(tmp_path / 'ylyx.db').as_posix()}"
    assert run(url, tmp_path, "init").returncode == 0
    out = tmp_path / "全部.xlsx"
    exported = run(url, tmp_path, "export", "--all", str(out), YLYX_TODAY="2023-01-05")
    assert exported.returncode == 0, exported.stderr
    sheets = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).sheetnames
    assert {"任务清单", "时间节点", "进展报送"} <= set(sheets)
    refused = run(url, tmp_path, "export", "--all", str(tmp_path / "x.csv"))
    assert refused.returncode != 0 and "完整导出请用 .xlsx" in refused.stderr
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # text stored before the input gate existed
        conn.execute(sa.update(Task.__table__).where(Task.__table__.c.code == "3.1")
                     .values(title="加力\x1b[2J整体\x00推进=cmd|' /C calc'!A0"))
    engine.dispose()
    shown = run(url, tmp_path, "show")
    assert shown.returncode == 0, shown.stderr
    assert "加力[2J整体推进" in shown.stdout and "\x1b" not in shown.stdout and "\x00" not in shown.stdout


def test_an_unexpected_error_prints_a_reference_and_logs_the_details(tmp_path):
    (tmp_path / "data").mkdir()
    url = "postgresql+psycopg://nobody:Another-Secret-9@127.0.0.1:1/none"  # nothing listens on port 1
    result = run(url, tmp_path, "show", YLYX_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 70
    assert "错误编号" in result.stderr and "Traceback" not in result.stderr
    assert "Another-Secret-9" not in result.stdout + result.stderr
    assert "Traceback" in (tmp_path / "data" / "ylyx-errors.log").read_text()


def test_the_upgrade_cleans_the_text_stored_before_the_gate(any_db):
    from alembic import command

    from ylyx_tasks import db

    cfg = db.alembic_config()
    with db.get_engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.execute(sa.text("INSERT INTO contact (unit_key, name, email, created_at) VALUES "
                             "('leadership', :name, 'li@example.cn', '2023-01-01 00:00:00+00:00')"),
                     {"name": "李\x1b[31m组长\u202e"})
        conn.execute(sa.text("INSERT INTO app_user (username, display_name, role, password_hash, active, is_demo, "
                             "failed_logins, password_changed_at, created_at) VALUES ('li', :name, '领导', 'x', "
                             "true, false, 0, '2023-01-01 00:00:00+00:00', '2023-01-01 00:00:00+00:00')"),
                     {"name": "李\x0b四"})
    assert db.migrate() == "0008"
    with db.get_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM contact")).scalar_one() == "李[31m组长"
        assert conn.execute(sa.text("SELECT display_name FROM app_user")).scalar_one() == "李 四"
