"""Plans in the web app: the office loads the 十五五 plan from its pasted document (draft → doubts → the unknown
unit confirmed → import), everyone chooses the plan in the sidebar (kept in the URL), and the pages show that
plan's tasks only; a liaison sees the plans in force, not the archived one.

Personas as in ``tests/test_app_support.py``; today is 2026-03-02, the 十四五 plan is being closed out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_app_support import errors, frame, go, ok, open_page, pin_today, successes, text_of
from tests.test_plans import META, SAMPLE, load_second_plan
from tests.personas import make_cast
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.domain.roles import SYSTEM
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.db import read_session
from ylyx_tasks.services.plan import closeout

TODAY = dt.date(2026, 3, 2)
SEED = "运政办发〔2022〕29号"  # the 十四五 plan's code (its 文号)


@pytest.fixture
def cast26(plan_sqlite, monkeypatch):
    pin_today(monkeypatch, TODAY)
    yield make_cast()


def test_the_office_loads_a_plan_from_its_pasted_document(cast26):
    at = ok(open_page("office"))
    at.session_state["ad_tabs"] = "载入新方案"
    ok(go(at, "admin"))
    at.text_input(key="ad_plan_code").input(META.code)
    at.text_input(key="ad_plan_title").input(META.title)
    at.text_input(key="ad_plan_doc").input(META.doc_number)
    at.date_input(key="ad_plan_start").set_value(META.period_start)
    at.date_input(key="ad_plan_end").set_value(META.period_end)
    at.text_area(key="ad_plan_text").input(SAMPLE.read_text(encoding="utf-8"))
    ok(at.run())
    page = text_of(at)
    # The draft is shown, with the unknown unit to be decided; nothing can be imported yet.
    assert "市中医院" in page
    assert "ad_plan_commit" not in {b.key for b in at.button}
    assert any("不能导入" in e for e in errors(at))
    with read_session() as s:
        assert [p.code for p in all_plans(s)] == [SEED]
    at.selectbox(key="ad_plan_unit_市中医院").set_value("新增单位：其他单位")
    ok(at.run())
    assert any("校验通过：5 项任务" in m for m in successes(at))
    ok(at.button(key="ad_plan_commit").click().run())
    assert any(f"已载入方案 {META.code}" in m for m in successes(at))
    with read_session() as s:
        plans = {p.code: p for p in all_plans(s)}
    assert set(plans) == {SEED, META.code}
    assert plans[META.code].doc_number == META.doc_number


def test_the_plan_chosen_in_the_sidebar_decides_what_every_page_shows(cast26):
    load_second_plan()
    at = ok(open_page("office", "tasks"))
    # The newest plan in force is the default, and the URL carries it.
    assert at.selectbox(key="plan_pick").value == META.code
    assert at.query_params["plan"] == [META.code] or at.query_params["plan"] == META.code
    codes = set(frame(at)["编号"])
    assert codes == {"2.1", "2.2.1", "2.2.2", "2.3", "3.1"}
    at.selectbox(key="plan_pick").set_value(SEED)
    ok(at.run())
    codes = set(frame(at)["编号"])
    assert "3.1" in codes and "2.2.1" not in codes and len(codes) == 20
    # The choice holds on the next page.
    ok(go(at, "notices"))
    assert at.selectbox(key="plan_pick").value == SEED


def test_an_archived_plan_is_kept_from_liaisons_but_not_from_the_office(cast26):
    load_second_plan()
    with write_session() as s:
        plan = next(p for p in all_plans(s) if p.code == SEED)
        closeout.set_status(s, SYSTEM, plan_id=plan.id, status=PlanStatus.ARCHIVED, today=TODAY)
    liaison = ok(open_page("minzheng", "tasks"))
    assert not [w for w in liaison.selectbox if w.key == "plan_pick"]  # one plan left to see: no chooser
    # 市民政局's tasks of the 十五五 plan (it leads 2.1 and 3.1, supports 2.3), none of the archived plan's.
    assert set(frame(liaison)["编号"]) == {"2.1", "2.3", "3.1"}
    office = ok(open_page("office", "tasks"))
    assert any("十四五养老托育" in o for o in office.selectbox(key="plan_pick").options)
