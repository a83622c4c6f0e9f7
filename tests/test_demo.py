"""The demo (``ylyx-tasks init --demo``): clearly labelled fictional progress made through the real services, a
believable mix for the day, one account per role — and idempotent, and refused on a database with real data."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.test_app_support import REPO
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.demo.loader import load_demo
from ylyx_tasks.demo.story import DEMO_MARK
from ylyx_tasks.domain.bulletins import BulletinStatus
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.models import (
    AuditEvent,
    IndicatorValue,
    Milestone,
    Notice,
    ProgressReport,
    ReviewRequest,
    User,
)
from ylyx_tasks.reads.admin import has_demo_data
from ylyx_tasks.reads.supervision.bulletins import bulletins
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services import users
from ylyx_tasks.services.tasks import workflow

AFTER_THE_PLAN = dt.date(2026, 11, 23)  # every milestone is past due: a plan being wound up
DURING_THE_PLAN = dt.date(2023, 6, 12)  # the 2022 commitments are past, the 2025 ones ahead


def counts() -> Counter:
    with read_session() as s:
        return Counter({model.__name__: s.exec(select(func.count()).select_from(model)).one()
                        for model in (ProgressReport, ReviewRequest, Notice, IndicatorValue, User, AuditEvent)})


def demo(today: dt.date):
    with write_session() as s:
        return load_demo(s, today)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def after_the_plan(request, _templates, tmp_path_factory):
    """One demo database per backend for the tests that read it (the story takes seconds to play)."""
    from conftest import _teardown, copy_of_template, point_settings_at

    folder = tmp_path_factory.mktemp(f"demo-{request.param}")
    database = copy_of_template(request.param, _templates(request.param), folder)
    with pytest.MonkeyPatch.context() as mp:
        point_settings_at(mp, database.url, folder)
        result = demo(AFTER_THE_PLAN)
        yield result
        _teardown(database)


@pytest.fixture
def on_the_demo(after_the_plan, monkeypatch):
    """Each test sees the module's demo database (other tests in between point the settings elsewhere)."""
    from ylyx_tasks import config, db

    config.get_settings.cache_clear()
    db.dispose_engines()
    yield after_the_plan


def test_the_demo_is_labelled_as_such_everywhere(on_the_demo):
    with read_session() as s:
        reports = s.exec(select(ProgressReport)).all()
        values = s.exec(select(IndicatorValue)).all()
        assert has_demo_data(s)
    assert reports and all(r.is_demo and r.text.startswith(DEMO_MARK) for r in reports)
    assert values and all(v.is_demo and v.note.startswith(DEMO_MARK) for v in values)
    with read_session() as s:
        requests = s.exec(select(ReviewRequest)).all()
        answers = [n.answer_situation for n in s.exec(select(Notice)) if n.answered_at]
    assert all(r.text.startswith(DEMO_MARK) for r in requests)
    assert answers and all(a.startswith(DEMO_MARK) for a in answers)


def test_one_demo_account_per_role_each_with_a_working_password(on_the_demo):
    accounts = on_the_demo.accounts
    assert {a.role for a in accounts} == {r.value for r in Role}
    units = {a.username: a.unit for a in accounts}
    assert units["demo_mzj"].startswith("市民政局") and units["demo_yanhu"].startswith("盐湖区")
    assert units["demo_member"] == "养老专班"
    for account in accounts:
        with write_session() as s:
            user, reason = users.authenticate(s, account.username, account.password)
        assert user is not None and user.is_demo, (account.username, reason)
    lines = "\n".join(on_the_demo.lines())
    assert "演示账号（密码只显示这一次）" in lines and all(a.password in lines for a in accounts)


def test_the_story_is_a_believable_mix_for_the_day(on_the_demo):
    with read_session() as s:
        statuses = Counter(s.exec(select(Milestone.status)).all())
        views = load_task_views(s, AFTER_THE_PLAN)
        levels = Counter(s.exec(select(Notice.level)).all())
        open_levels = Counter(n.level for n in s.exec(select(Notice).where(Notice.status != "已办结")))
        duties = Counter(s.exec(select(ProgressReport.duty)).all())
        kinds = Counter((r.kind, r.status) for r in s.exec(select(ReviewRequest)))
    assert statuses["已完成"] >= 10 and statuses["待审核"] >= 1 and statuses["推进中"] >= 3
    overdue = [v for v in views if v.days_overdue > 0]
    assert 3 <= len(overdue) <= 15 and any(v.status == "已完成" for v in views)
    assert levels["督办"] >= 3 and levels["通报"] == 0 and open_levels["督办"] >= 1  # 通报: the periodic bulletin
    with read_session() as s:
        issued = bulletins(s, current_plan(s).id, status=BulletinStatus.ISSUED)
        drafts = bulletins(s, current_plan(s).id, status=BulletinStatus.DRAFT)
    # a few numbered issues, each unit named at most once per matter; the latest draft awaits the office
    assert 1 <= len(issued) <= 14 and all(b.matters and b.number for b in issued)
    assert sorted(b.issue_no for b in issued if b.issued_on and b.issued_on.year == 2026) == list(
        range(1, 1 + sum(1 for b in issued if b.issued_on and b.issued_on.year == 2026)))
    assert drafts and max(drafts, key=lambda b: b.period).drafted_on == AFTER_THE_PLAN
    assert duties["牵头"] and duties["配合"] and duties["属地"]
    assert kinds[("办结", "已通过")] >= 10 and kinds[("延期", "已通过")] >= 1
    assert kinds[("办结", "已退回")] >= 1  # a claim sent back, so that the history shows it


def test_the_history_looks_real(on_the_demo):
    with read_session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.actor.in_(["demo_mzj", "demo_office", "demo_member"]))
                        ).all()
    days = {e.at.date() for e in events}
    assert {"报送进展", "申报办结", "审核通过"} <= {e.action for e in events}
    assert min(days) < dt.date(2023, 1, 1) and len(days) > 20  # dated by the story, not all today


def test_a_second_run_adds_nothing(on_the_demo):
    """(Last of the tests on the shared demo database: it gives the demo accounts new passwords.)"""
    before = counts()
    again = demo(AFTER_THE_PLAN)
    assert again.already and "演示数据已存在" in again.lines()[0]
    after = counts()
    assert after["AuditEvent"] == before["AuditEvent"] + len(again.accounts)  # only the new passwords
    del after["AuditEvent"], before["AuditEvent"]
    assert after == before


def test_the_demo_refuses_a_database_with_real_reports(plan_db):
    from tests.personas import make_cast, task_id

    cast = make_cast()
    t = task_id("3.1")
    with write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=t, percent=10, text="真实报送", today=AFTER_THE_PLAN)
    with pytest.raises(WorkflowError, match="真实进展报送"):
        demo(AFTER_THE_PLAN)


def test_during_the_plan_extensions_are_pending_and_milestones_ahead(plan_sqlite):
    demo(DURING_THE_PLAN)
    with read_session() as s:
        views = load_task_views(s, DURING_THE_PLAN)
        kinds = Counter((r.kind, r.status) for r in s.exec(select(ReviewRequest)))
    assert kinds[("延期", "待审核")] >= 1 and kinds[("延期", "已通过")] >= 1
    assert any(m.key == "2025" and m.status == "推进中" and m.days_overdue == 0 for v in views for m in v.milestones)
    assert any(v.light.value == "绿灯" for v in views) and any(v.light.value == "红灯" for v in views)


def test_init_demo_from_the_command_line(tmp_path):
    """``ylyx-tasks init --demo`` twice, as a newcomer would run it (``make demo``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YLYX_")}
    env.update(YLYX_DATABASE_URL=f"sqlite:///{(tmp_path / 'demo.db').as_posix()}", YLYX_DATA_DIR=str(REPO / "data"),
               YLYX_OUTBOX_DIR=str(tmp_path / "outbox"), YLYX_TODAY=AFTER_THE_PLAN.isoformat(),
               YLYX_ARGON2_MEMORY_KIB="1024", YLYX_ARGON2_TIME_COST="1", PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "ylyx_tasks", "init", "--demo"]
    first = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "已加入演示数据" in first.stdout and "demo_leader" in first.stdout and "demo_yanhu" in first.stdout
    second = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "演示数据已存在，未重复加入" in second.stdout
