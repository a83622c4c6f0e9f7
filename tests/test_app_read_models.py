"""The web app's pure pieces, as tables: who may act on a notice, notice ages, how the history reads, text
escaping, and chart specifications that Vega-Lite accepts."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import pytest

from tests import oracles
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.errors import InvalidInput, NotFound, WorkflowError
from ylyx_tasks.reads import history
from ylyx_tasks.reads.notices import NoticeBrief, actions_for, age_bucket
from ylyx_tasks.ui.charts import templates as charts
from ylyx_tasks.ui.feedback import user_message
from ylyx_tasks.ui.fmt import md_escape

LEAD, OTHER = 2, 3
OFFICE = Actor(1, "office", Role.OFFICE)
LEADER = Actor(2, "leader", Role.LEADER)
MEMBER = Actor(3, "member", Role.MEMBER, working_group_id=1)
LIAISON = Actor(4, "minzheng", Role.LIAISON, department_id=LEAD)
STRANGER = Actor(5, "tongji", Role.LIAISON, department_id=OTHER)


def brief(level: str, status: str) -> NoticeBrief:
    return NoticeBrief(id=1, number="运养托督〔2025〕1号", level=level, status=status, task_id=1, task_code="3.1",
                       task_title="加力整体推进增供给", department_id=LEAD, department="市民政局",
                       milestone_commitment="", milestone_due=dt.date(2022, 12, 31), created_on=dt.date(2025, 6, 1),
                       response_due=dt.date(2025, 6, 9), reason="节点逾期未完成", answer_situation="", answer_reason="",
                       answer_new_date=None, answered=False, close_note="", version=1)


@pytest.mark.parametrize("actor,level,status,expected", [
    (LIAISON, "督办", "待签收", ["签收", "反馈"]),
    (LIAISON, "督办", "已签收", ["反馈"]),
    (LIAISON, "督办", "已反馈", ["反馈"]),  # a corrected answer
    (LIAISON, "督办", "已办结", []),
    (LIAISON, "催报", "待报送", []),  # a report settles it, not an answer
    (LIAISON, "提醒", "已发出", []),
    (LIAISON, "通报", "待签收", ["签收", "反馈"]),
    (STRANGER, "督办", "待签收", []),
    (LEADER, "督办", "待签收", []),
    (MEMBER, "通报", "已反馈", []),
    (OFFICE, "督办", "待签收", ["签收", "反馈", "办结"]),  # no 升级通报: matters go into the periodic 通报
    (OFFICE, "督办", "已反馈", ["反馈", "办结", "退回重新反馈"]),
    (OFFICE, "督办", "已办结", ["重新打开"]),
    (OFFICE, "催报", "待报送", ["办结"]),
    (OFFICE, "提醒", "已发出", []),
])
def test_who_may_do_what_with_a_notice(actor, level, status, expected):
    assert actions_for(actor, brief(level, status)) == expected


@pytest.mark.parametrize("days,bucket", [(0, "7 天内"), (7, "7 天内"), (8, "8–30 天"), (30, "8–30 天"),
                                         (31, "31–90 天"), (90, "31–90 天"), (91, "90 天以上")])
def test_notice_age_buckets(days, bucket):
    assert age_bucket(days) == bucket


def test_an_answer_is_overdue_only_while_the_department_owes_it():
    assert brief("督办", "待签收").answer_overdue(dt.date(2025, 6, 10))
    assert not brief("督办", "待签收").answer_overdue(dt.date(2025, 6, 9))
    assert not brief("督办", "已反馈").answer_overdue(dt.date(2025, 7, 1))


@pytest.mark.parametrize("before,after,expected", [
    ({"status": "未启动"}, {"status": "推进中"}, ("状态：未启动", "状态：推进中")),
    ({"progress": 20}, {"period": "2025-06", "percent": 40}, ("进度：20", "报送期：2025-06\n进度(%)：40")),
    (None, {"due_date": "2026-06-30", "original_due": "2025-12-31"}, ("", "期限：2026-06-30\n原定期限：2025-12-31")),
    (None, None, ("", "")),
    ({"active": True}, {"active": False}, ("active：是", "active：否")),
])
def test_the_history_reads_in_chinese(before, after, expected):
    assert history.describe_change(before, after) == expected


@pytest.mark.parametrize("text,shown", [
    ("**粗体**", "\\*\\*粗体\\*\\*"),
    ("<script>x</script>", "\\<script\\>x\\</script\\>"),
    ("[链接](javascript:x)", "\\[链接\\]\\(javascript:x\\)"),
    ("第一行\n第二行", "第一行  \n第二行"),
    ("普通文字，没有符号", "普通文字，没有符号"),
])
def test_user_text_is_escaped_for_markdown(text, shown):
    assert md_escape(text) == shown


SAMPLES = {
    "status_by_group": {"main": pd.DataFrame({"工作专班": ["养老专班"], "状态": ["推进中"], "任务数": [2]})},
    "overdue_by_lead": {"main": pd.DataFrame({"牵头单位": ["市民政局"], "逾期节点数": [3]})},
    "milestone_timeline": {"main": pd.DataFrame({
        "编号": ["3.1"], "任务": ["加力整体推进增供给"], "节点": ["2022年"], "承诺": ["床位"],
        "原定期限": [pd.Timestamp("2022-12-31")], "现期限": [pd.Timestamp("2023-06-30")], "状态": ["推进中"],
        "灯号": ["红灯"], "逾期天数": [10], "已延期": ["是"]}), "today": charts.today_frame(dt.date(2025, 6, 16))},
    "milestone_months": {"main": pd.DataFrame({"月份": [pd.Timestamp("2025-12-01")], "灯号": ["黄灯"], "节点数": [4]}),
                         "today": charts.today_frame(dt.date(2025, 6, 16))},
    "indicators": {"main": pd.DataFrame({"指标": ["参保率"], "比较": ["≥"], "达标": ["未达标"], "基期值": [95.0],
                                         "最新值": [None], "目标值": [98.0], "最新年份": [None], "数值": ["2020年基期"],
                                         "相对目标": [96.9]}), "target": pd.DataFrame({"x": [100]})},
    "indicator_trend": {"main": pd.DataFrame({"年份": [2020, 2024], "数值": [95.0, 96.5], "类型": ["基期值", "年度值"],
                                              "来源": ["方案", "统计公报"]}),
                        "target": pd.DataFrame({"目标": [98.0], "标注": ["2025年目标 ≥98"]})},
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_chart_template_filled_with_rows_is_valid_vega_lite(kind):
    spec = charts.fill(kind, 200, **SAMPLES[kind])
    assert spec["height"] == 200 and set(spec["datasets"]) == set(SAMPLES[kind])
    (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec, validate=True)
    assert all("序" in row for row in spec["datasets"]["main"])


def test_a_large_plan_gets_a_time_line_by_month(plan_sqlite):
    from ylyx_tasks.db import read_session
    from ylyx_tasks.reads.tasks import load_task_views

    with read_session() as s:
        views = load_task_views(s, dt.date(2025, 6, 16))
    months = oracles.milestones_by_month(views)
    assert months["节点数"].sum() == 25
    assert set(months["月份"].dt.strftime("%Y-%m")) == {"2022-12", "2025-12"}


@pytest.mark.parametrize("exc,shown_as_is", [
    (WorkflowError("请填写进展情况"), True),
    (NotFound("没有编号为 7 的联系人"), True),
    (InvalidInput("邮箱地址“x”无效"), True),
        (ValueError("invalid literal for int() with base 10: 'x'"), False),  # a bug: a plain ValueError
    (KeyError("td_task"), False),  # a bug, not the user's doing: logged, with a reference
    (IndexError("list index out of range"), False),
    (RuntimeError("disk on fire"), False),
])
def test_what_users_are_told_about_an_error(exc, shown_as_is, caplog):
    message = user_message(exc)
    if shown_as_is:
        assert message == str(exc)
    else:
        assert "系统出现意外错误" in message and str(exc) not in message and "错误编号" in message
        assert str(exc) in caplog.text
