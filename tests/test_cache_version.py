"""The caches' data version (:func:`ylyx_tasks.reads.cache_key.data_version`): every write moves it, a sign-in
does not (it changes nothing a cached read shows, and on a report day it would otherwise empty every cache dozens
of times a minute); and a page sees its own write at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.personas import PASSWORD, task_id
from tests.test_app_support import TODAY, cast_any, ok, on_tab, open_page, successes  # noqa: F401
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.models import AuditEvent, ProgressReport
from ylyx_tasks.reads.cache_key import data_version
from ylyx_tasks.services import users
from ylyx_tasks.services.tasks import workflow


def versions() -> tuple[int, int]:
    """(the data version, the newest audit event)."""
    with read_session() as s:
        return data_version(s), s.execute(select(func.max(AuditEvent.id))).scalar_one()


def test_a_sign_in_leaves_the_data_version_and_a_write_moves_it(cast_any):
    before, _ = versions()
    users.sign_in("minzheng", PASSWORD)
    with pytest.raises(users.LoginFailed):
        users.sign_in("minzheng", "Wrong-Pass-0000")
    with pytest.raises(users.LoginFailed):
        users.sign_in("nobody-here", "Wrong-Pass-0000")
    after_sign_ins, newest = versions()
    assert after_sign_ins == before and newest == before + 3  # three sign-in events recorded, none counted
    with write_session() as s:
        report = workflow.submit_report(s, cast_any["minzheng"], task_id=task_id("3.1"), percent=20, text="一期",
                                        today=TODAY)
        report_id = report.id
    after_write, newest = versions()
    assert after_write == newest > before
    with read_session() as s:
        reported = s.execute(select(AuditEvent.id).where(AuditEvent.action == "报送进展",
                                                         AuditEvent.entity == "report", AuditEvent.entity_id == report_id,
                                                         AuditEvent.id > before)).scalar_one()
    assert before < reported <= after_write


def test_the_page_shows_its_own_write_in_the_same_session(cast_any):
    at = ok(on_tab(open_page("minzheng", "task_detail", task="3.1"), "办理"))
    at.number_input(key="td_report_percent").set_value(35)
    at.text_area(key="td_report_text").input("新建养老床位 800 张")
    ok(at.button(key="td_report_submit").click().run())
    assert successes(at) == ["进展已报送。"]
    assert "本单位最近一次报送：2025-06 期，进度 35%" in " ".join(str(c.value) for c in at.caption)
    with read_session() as s:
        assert s.execute(select(ProgressReport.text)).scalars().all() == ["新建养老床位 800 张"]


def test_the_indicator_version_moves_with_an_indicator_value_and_not_with_a_report(cast_any):
    """The indicator caches (指标 page, the cockpit's indicator chart) are keyed on their own version: a progress
    report leaves it, entering a value moves it — and the page shows the value at once."""
    from ylyx_tasks.models import Indicator
    from ylyx_tasks.reads.cache_key import indicator_version
    from ylyx_tasks.services import indicators

    with read_session() as s:
        before = indicator_version(s)
        first = s.execute(select(Indicator.id).order_by(Indicator.id)).scalars().first()
    with write_session() as s:
        workflow.submit_report(s, cast_any["minzheng"], task_id=task_id("3.1"), percent=20, text="一期", today=TODAY)
    with read_session() as s:
        assert indicator_version(s) == before
    at = ok(open_page("office", "overview"))  # the indicator chart cached at this version
    with write_session() as s:
        indicators.record_value(s, cast_any["office"], indicator_id=first, year=2024, value=87.5, note="统计公报")
    with read_session() as s:
        assert indicator_version(s) > before
    from tests.test_app_support import go, text_of
    assert "87.5" in text_of(go(ok(at), "indicators"))
