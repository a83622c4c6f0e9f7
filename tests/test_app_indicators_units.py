"""指标 (the indicators with their targets and latest values, entry by the office) and 单位 (scorecards, the
ranking, the county × task matrix)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.personas import task_id
from tests.test_app_support import TODAY, cast, errors, frame, keys, ok, open_page, successes, text_of  # noqa: F401
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.models import Indicator
from ylyx_tasks.reads.matrix import county_matrix
from ylyx_tasks.services import indicators
from ylyx_tasks.services.tasks import workflow


def indicator_id(group: str, no: str) -> int:
    with read_session() as s:
        return s.exec(select(Indicator.id).where(Indicator.group == group, Indicator.no == no)).one()


def test_the_indicator_tables_hold_the_25_table_rows_and_the_section_two_goals(cast):
    at = ok(open_page("leader", "indicators"))
    table, extra = frame(at, 0), frame(at, 1)
    assert len(table) == 25 and len(extra) == 7
    reduce_to = table[table["指标"] == "高端市场化托育服务部分占比率"].iloc[0]
    assert (reduce_to["基期"], reduce_to["目标"], reduce_to["比较"]) == ("2020年 29", "2025年 20", "≤ 压减至")
    assert set(table["是否达标"]) == {"无数据"}
    assert "ind_entry_submit" not in keys(at)


def test_the_office_enters_a_value_and_the_table_says_whether_it_is_met(cast):
    at = ok(open_page("office", "indicators"))
    target = indicator_id("托育服务指标", "10")  # 高端市场化托育: reduce from 29 to 20
    at.selectbox(key="ind_entry_indicator").set_value(target)
    at.number_input(key="ind_entry_year").set_value(2024)
    at.number_input(key="ind_entry_value").set_value(19.5)
    at.text_input(key="ind_entry_note").input("2024 年托育机构年报")
    ok(at.button(key="ind_entry_submit").click().run())
    assert successes(at) == ["已保存 高端市场化托育服务部分占比率（%） 2024 年数值。"]
    row = frame(at, 0).set_index("指标").loc["高端市场化托育服务部分占比率"]
    assert (row["最新值"], row["最新年份"], row["是否达标"]) == ("19.5", "2024", "已达标")  # 19.5 ≤ 20
    ok(at.selectbox(key="ind_pick").set_value(target).run())
    assert "2024 年托育机构年报" in text_of(at)


def test_a_value_without_its_source_is_refused(cast):
    at = ok(open_page("office", "indicators"))
    at.number_input(key="ind_entry_value").set_value(96.0)
    ok(at.button(key="ind_entry_submit").click().run())
    assert errors(at) == ["请注明数据来源（如统计公报、部门报表）"]


@pytest.mark.parametrize("who", ["leader", "zonghe", "minzheng"])
def test_only_the_office_enters_values(cast, who):
    assert "ind_entry_submit" not in keys(ok(open_page(who, "indicators")))
    with write_session() as s, pytest.raises(PermissionDenied):
        indicators.record_value(s, cast[who], indicator_id=indicator_id("养老服务指标", "1"), year=2024,
                                value=96, note="x")


def test_the_scorecards_rank_departments_and_counties(cast):
    at = ok(open_page("leader", "units"))
    departments, counties = frame(at, 0), frame(at, 1)
    assert "市民政局" in set(departments["单位"]) and "盐湖区人民政府" not in set(departments["单位"])
    assert len(counties) == 14 and set(counties["属地任务"]) == {20} and set(counties["已报送属地任务"]) == {0}
    assert "牵头任务" not in counties.columns and "属地任务" not in departments.columns
    mz = departments.set_index("单位").loc["市民政局"]
    assert (mz["牵头任务"], mz["配合任务"]) == (7, 11)
    assert list(departments["排名"]) == list(range(1, len(departments) + 1))
    assert "红榜" in text_of(at) and "评分规则" not in text_of(at)  # the rules are a tab of their own


def test_the_county_matrix_shows_each_countys_latest_share(cast):
    t = task_id("3.1")
    with write_session() as s:
        workflow.submit_report(s, cast["yanhu"], task_id=t, percent=30, text="一期", today=TODAY)
    with write_session() as s:
        workflow.submit_report(s, cast["yanhu"], task_id=t, percent=45, text="二期", today=TODAY)
    at = ok(open_page("office", "units"))
    matrix = frame(at, 2)
    assert matrix.loc["3.1", "盐湖区"] == 45 and matrix.loc["3.1", "任务"] == "加力整体推进增供给"
    assert matrix.drop(columns="任务").isna().sum().sum() == 14 * 20 - 1
    with read_session() as s:
        assert county_matrix(s).coverage() == pytest.approx(1 / 280)
