"""The task list (任务清单) and the cockpit (总览): filters, the figures and the lists behind them, exports of
exactly what is shown; and the read models behind them."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests import oracles
from tests.personas import add_province_tasks, milestone_id, task_id
from tests.test_app_support import TODAY, cast, frame, frame_with, keyed_frame, keys, ok, open_page, text_of  # noqa: F401
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.reads import plans, tasklist
from ylyx_tasks.reads.cockpit import figures as cockpit_reads
from ylyx_tasks.reads.notices import notice_briefs
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services.plan.tables import to_csv_bytes, to_xlsx_bytes
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow


def views():
    with read_session() as s:
        return load_task_views(s, TODAY)


def shown_codes(at, index: int = 0) -> list[str]:
    return list(frame(at, index)["编号"])


def test_the_list_shows_every_task_in_document_order(cast):
    at = ok(open_page("leader", "tasks"))
    assert shown_codes(at) == [v.code for v in views()]
    assert len(shown_codes(at)) == 20
    assert {"tl_download_xlsx", "tl_download_csv"} <= keys(at, "download_button")


@pytest.mark.parametrize("widget,value,expected", [
    ("tl_group", "养老专班", lambda v: v.working_group == "养老专班"),
    ("tl_status", "未启动", lambda v: v.status == "未启动"),
    ("tl_light", "红灯", lambda v: v.light.value == "红灯"),
    ("tl_year", "2022 年", lambda v: any(m.due_date.year == 2022 for m in v.milestones)),
])
def test_each_filter_keeps_exactly_the_matching_tasks(cast, widget, value, expected):
    at = ok(open_page("office", "tasks"))
    ok(at.selectbox(key=widget).set_value(value).run())
    want = [v.code for v in views() if expected(v)]
    assert want and shown_codes(at) == want


def test_department_and_duty_filter_together(cast):
    at = ok(open_page("office", "tasks"))
    at.selectbox(key="tl_dept").set_value("市卫健委")
    ok(at.selectbox(key="tl_duty").set_value("牵头").run())
    assert shown_codes(at) == ["3.4.2"]  # 市卫健委 leads one task and supports many
    ok(at.selectbox(key="tl_duty").set_value("配合").run())
    assert len(shown_codes(at)) == 17


def test_free_text_searches_titles_clauses_units_and_commitments(cast):
    at = ok(open_page("office", "tasks"))
    ok(at.text_input(key="tl_text").input("金融").run())
    assert "4.4" in shown_codes(at)
    ok(at.text_input(key="tl_text").input("不存在的关键词").run())
    assert not at.dataframe and "没有符合条件的任务" in text_of(at)


def test_a_liaison_starts_with_its_own_units_tasks(cast):
    at = ok(open_page("minzheng", "tasks"))
    assert at.selectbox(key="tl_dept").value == "市民政局"
    mine = [v.code for v in views() if v.duty_of(next(u.id for u in v.units if u.name == "市民政局")
                                                   if any(u.name == "市民政局" for u in v.units) else -1)]
    assert shown_codes(at) == mine
    ok(at.selectbox(key="tl_dept").set_value("全部").run())
    assert len(shown_codes(at)) == 20


def test_the_exports_contain_exactly_what_is_shown(cast):
    at = ok(open_page("office", "tasks"))
    ok(at.selectbox(key="tl_group").set_value("托育专班").run())
    shown = frame(at)
    chosen = tasklist.filter_tasks(views(), tasklist.TaskFilter(group="托育专班"))
    expected = tasklist.list_frame(chosen)
    from ylyx_tasks.ui.widgets import for_display  # the table writes dates 2025年6月16日; the export keeps ISO text

    pd.testing.assert_frame_equal(shown.reset_index(drop=True), for_display(expected)[0])
    back = pd.read_csv(io.BytesIO(to_csv_bytes(expected)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    # codes such as 3.1 carry a leading tab, so that a spreadsheet keeps them as text
    assert list(back.columns) == list(shown.columns) and [c.lstrip("\t") for c in back["编号"]] == list(shown["编号"])
    xlsx = pd.read_excel(io.BytesIO(to_xlsx_bytes(expected, unit="专班办公室", as_of=TODAY)), dtype=str, header=2)
    assert list(xlsx["编号"]) == list(shown["编号"])


# --- the cockpit --------------------------------------------------------------------------------------------


def test_each_figure_leads_to_exactly_the_tasks_it_counts(cast):
    t31, m2022 = task_id("3.1"), milestone_id("3.1", "2022")  # (helpers with sessions of their own: first)
    with write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=t31, percent=50, text="推进", today=TODAY)
        workflow.claim_done(s, cast["minzheng"], milestone_id=m2022, evidence="完成", links="https://example.cn",
                            today=TODAY)
    run_scan(TODAY)
    at = ok(open_page("leader", "overview"))
    metrics = {m.label: m.value for m in at.metric}
    all_views = views()
    assert metrics["任务总数"] == "20"
    assert metrics["红灯"] == str(sum(1 for v in all_views if v.light.value == "红灯"))
    for key in ("overdue", "red", "pending", "in_progress", "all"):
        ok(at.pills(key="ov_figure").set_value(key).run())
        figure = next(f for f in oracles.figures(all_views, []) if f.key == key)
        listed = list(keyed_frame(at, "ov_figure_table")["编号"]) if figure.ids else []
        assert sorted(listed) == sorted(v.code for v in all_views if v.id in set(figure.ids)), key
        assert str(len(listed)) == {m.label: m.value for m in at.metric}[figure.label]
    ok(at.pills(key="ov_figure").set_value("notices").run())
    with read_session() as s:
        open_notices = [n for n in notice_briefs(s, cast["leader"], open_only=True) if n.level != "提醒"]
    assert len(frame_with(at, "事由")) == len(open_notices) \
        == int({m.label: m.value for m in at.metric}["未办结通知"])


def test_the_cockpit_filters_by_group_department_and_county(cast):
    at = ok(open_page("leader", "overview"))
    ok(at.selectbox(key="ov_group").set_value("托育专班").run())
    assert {m.label: m.value for m in at.metric}["任务总数"] == str(sum(1 for v in views()
                                                                   if v.working_group == "托育专班"))
    ok(at.selectbox(key="ov_group").set_value("全部").run())
    ok(at.selectbox(key="ov_dept").set_value("市民政局").run())
    assert {m.label: m.value for m in at.metric}["任务总数"] == "18"  # 7 led + 11 supported
    ok(at.selectbox(key="ov_dept").set_value("全部").run())
    ok(at.selectbox(key="ov_county").set_value("盐湖区人民政府").run())
    assert {m.label: m.value for m in at.metric}["任务总数"] == "20"  # every clause names the counties


def test_the_overdue_list_is_ordered_by_days_overdue(cast):
    at = ok(open_page("leader", "overview"))
    overdue = frame(at, len(at.dataframe) - 1)
    days = list(overdue["逾期天数"])
    assert days == sorted(days, reverse=True) and days[0] == (TODAY - pd.Timestamp("2022-12-31").date()).days


def test_the_to_do_list_tells_each_role_what_waits_for_it(cast):
    run_scan(TODAY)
    with write_session() as s:
        workflow.claim_done(s, cast["minzheng"], milestone_id=milestone_id("3.1", "2025"), evidence="完成",
                            links="https://example.cn", today=TODAY)
    liaison = ok(open_page("minzheng", "overview"))
    todo = frame_with(liaison, "事项")
    assert "督办待反馈" in set(todo["事项"]) and "进展未按时报送" in set(todo["事项"])
    office = ok(open_page("office", "overview"))
    assert "办结申请待审核" in set(frame_with(office, "事项")["事项"])
    zonghe = ok(open_page("zonghe", "overview"))  # 3.1 is 综合专班's
    assert "办结申请待审核" in set(frame_with(zonghe, "事项")["事项"])
    yanglao = ok(open_page("yanglao", "overview"))
    assert "办结申请待审核" not in text_of(yanglao)
    leader = ok(open_page("leader", "overview"))
    assert "我的待办" not in text_of(leader)


def test_scoped_views_and_figures_are_consistent(cast):
    all_views = views()
    county = next(u.id for u in all_views[0].units if u.name == "盐湖区人民政府")
    scoped = oracles.scope_views(all_views, cockpit_reads.CockpitFilter(county_id=county))
    assert len(scoped) == 20
    figures = {f.key: f for f in oracles.figures(scoped, [])}
    assert figures["done"].value + figures["in_progress"].value + figures["pending"].value \
        + figures["not_started"].value == figures["all"].value
    assert figures["red"].value + figures["yellow"].value + figures["green"].value <= figures["all"].value


def test_a_long_list_is_shown_a_page_at_a_time_and_downloaded_whole(cast):
    """A province's plans: more tasks than one page. The table pages; the downloads hold every matching task."""
    from ylyx_tasks.ui.cached import tasks as reads

    add_province_tasks(100)
    at = ok(open_page("office", "tasks"))
    everything = [v.code for v in views()]
    assert len(everything) == 120 and reads.PAGE_ROWS == 50
    assert shown_codes(at) == everything[:50]
    assert "共 120 项任务，符合条件 120 项" in text_of(at)
    ok(at.number_input(key="tl_page").set_value(3).run())
    assert shown_codes(at) == everything[100:]
    with read_session() as s:
        plan = plans.all_plans(s)[0]
    assert list(reads.task_list_all(TODAY, plan, tasklist.TaskFilter())["编号"]) == everything
    ok(at.text_input(key="tl_text").input("省级任务 99").run())  # a new filter starts again on its first page
    assert shown_codes(at) == ["X099"] and not [w for w in at.number_input if w.key == "tl_page"]
