"""The rest of issue 15: two first entries of an indicator's value at once (defect 11) and Markdown in names and
links (defect 12)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests.personas import PASSWORD
from tests.test_app_support import cast, login, new_app, ok  # noqa: F401
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.roles import SYSTEM, Role
from ylyx_tasks.models import Indicator, IndicatorValue
from ylyx_tasks.services import indicators, users
from ylyx_tasks.services.indicators import StaleValue
from ylyx_tasks.ui.fmt import md_escape


def test_the_second_of_two_first_entries_is_told_someone_else_was_first(plan_db):
    office = users.actor_for(_office())
    with read_session() as s:
        indicator_id = s.exec(select(Indicator.id)).first()

    def enter(value: float) -> None:
        with write_session() as s:
            indicators.record_value(s, office, indicator_id=indicator_id, year=2024, value=value, note="年报",
                                    seen_value=None)

    with pytest.raises(StaleValue, match="2024 年的数值刚被其他人修改过（现为 11）"), write_session() as s:
        if plan_db.kind == "postgres":
            # the other entry commits between this one's read (no row yet) and its insert: the unique key decides
            # (before: IntegrityError, shown as 意外错误). SQLite serialises writers, so it cannot interleave there.
            def first(session, _context, _instances) -> None:
                other = threading.Thread(target=enter, args=(11.0,))
                other.start()
                other.join()
            event.listen(s, "before_flush", first, once=True)
        else:
            enter(11.0)
        indicators.record_value(s, office, indicator_id=indicator_id, year=2024, value=22.0, note="年报",
                                seen_value=None)
    with read_session() as s:
        assert s.exec(select(IndicatorValue.value)).all() == [11.0]


def _office():
    with read_session() as s:
        return s.exec(select(users.User).where(users.User.username == "admin")).one()


@pytest.mark.parametrize("text, shown", [
    ("见 https://example.cn/a-b_c.html?x=1&y=2，已完成", "见 <https://example.cn/a-b_c.html?x=1&y=2>，已完成"),
    ("**粗** [x](javascript:alert(1))", r"\*\*粗\*\* \[x\]\(javascript:alert\(1\)\)"),
    ("<b>王</b>", r"\<b\>王\</b\>"),
])
def test_user_text_is_literal_and_its_links_still_work(text, shown):
    assert md_escape(text) == shown


def test_a_display_name_is_not_markdown_in_the_sidebar(cast):  # noqa: F811
    with write_session() as s:
        users.create_user(s, SYSTEM, username="wang.wu", role=Role.LEADER, password=PASSWORD,
                          display_name="**王五** [点我](https://evil.example)")
    at = ok(login(new_app().run(), "wang.wu"))
    sidebar = [m.value for m in at.sidebar.markdown]
    assert r"**\*\*王五\*\* \[点我\]\(<https://evil.example>\)（wang\.wu）**" in sidebar
