"""Figures the office can trust, in the app (AppTest): each figure says whose data it counts, a to-do row names
its matter and opens it, a late completion stays visible after acceptance, a task without news is flagged 久未更新,
and a county liaison reads only the notices addressed to it.

Personas (tests/personas.py): 市民政局's liaison (minzheng), 盐湖区's liaison (yanhu), the office, a leader.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd

from tests.personas import milestone_id, task_id
from tests.test_app_support import TODAY, cast, frame_with, ok, open_page, text_of  # noqa: F401
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.reads.digest import build_scope, load_facts
from ylyx_tasks.reads.notices import notice_briefs
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.services.plan import workbook
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow


def metric_labels(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_each_notice_figure_says_it_counts_only_what_the_role_may_see(cast):
    run_scan(TODAY)
    leader, liaison = ok(open_page("leader", "overview")), ok(open_page("minzheng", "overview"))
    assert "未办结通知" in metric_labels(leader) and "未办结通知（本单位）" in metric_labels(liaison)
    with read_session() as s:
        own = [n for n in notice_briefs(s, cast["minzheng"], open_only=True) if n.level != "提醒"]
    assert metric_labels(liaison)["未办结通知（本单位）"] == str(len(own))
    assert "任务总数" in metric_labels(liaison)  # the plan's tasks: the same for everyone, so no mark


def test_each_figure_is_the_same_number_wherever_it_is_shown(cast):
    """One definition per figure: 未办结通知 on the cockpit and the 督办 page (each role its own part), 逾期任务
    against the task list's 红灯 rows, the leadership digest's 红灯 and the full export's task sheet."""
    run_scan(TODAY)
    with write_session() as s:  # one task reported on: its light differs from the unreported ones
        workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=30, text="推进", today=TODAY)
    for who, scope in (("leader", ""), ("office", ""), ("minzheng", "（本单位）"), ("yanglao", "（本专班）")):
        cockpit = metric_labels(ok(open_page(who, "overview")))
        desk = metric_labels(ok(open_page(who, "notices")))
        assert cockpit[f"未办结通知{scope}"] == desk[f"未办结通知{scope}"], who
    cockpit = metric_labels(ok(open_page("leader", "overview")))
    listed = frame_with(ok(open_page("leader", "tasks")), "灯号")
    with read_session() as s:
        plan = all_plans(s)[0]
        facts = load_facts(s, TODAY, plan)
        leadership = build_scope(s, facts, TODAY, kind="leadership", label="领导小组", task_ids=None)
        sheet = pd.read_excel(io.BytesIO(workbook.export_everything(s, TODAY, plan)), sheet_name="任务清单",
                              header=None, dtype=str)
    red = int(cockpit["逾期任务"])
    assert red == int(cockpit["红灯"]) == int((listed["灯号"] == "红灯").sum()) == leadership.totals_light["红灯"]
    assert red == int((sheet == "红灯").sum().sum())  # the export: one 灯号 cell per task


def test_a_to_do_row_names_its_matter_and_the_notices_page_opens_it(cast):
    run_scan(TODAY)
    at = ok(open_page("minzheng", "overview"))
    todo = frame_with(at, "事项")
    assert len(todo) and all(re.search(r"\d+\.\d", text) for text in todo["内容"])  # a task code, never a bare id
    with read_session() as s:
        awaiting = [n for n in notice_briefs(s, cast["minzheng"], open_only=True)
                    if n.level == "督办" and n.department == "市民政局"]
    target = awaiting[-1]
    at = ok(open_page("minzheng", "notices", notice=str(target.id)))
    assert at.selectbox(key="nt_pick").value == target.id
    assert target.number in text_of(at)


def test_a_late_completion_stays_visible_after_it_is_accepted(cast):
    for key in ("2022", "2025"):
        with write_session() as s:
            workflow.claim_done(s, cast["minzheng"], milestone_id=milestone_id("3.1", key), evidence="已完成",
                                links="https://example.cn/a", today=TODAY)
        with write_session() as s:
            workflow.accept(s, cast["office"], milestone_id=milestone_id("3.1", key), today=TODAY)
    late = (TODAY - dt.date(2022, 12, 31)).days
    page = ok(open_page("leader", "task_detail", task="3.1"))
    assert f"逾期 {late} 天完成" in text_of(page) and "按期完成" in text_of(page)  # 2022 late, 2025 early
    listed = frame_with(ok(open_page("leader", "tasks")), "完成情况").set_index("编号")
    assert listed.loc["3.1", "完成情况"] == f"逾期 {late} 天完成" and listed.loc["3.1", "逾期天数"] == 0
    assert listed.loc["3.2.1", "完成情况"] == ""


def test_a_task_without_news_is_flagged_apart_from_lateness(cast):
    with write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=40, text="推进", today=TODAY)
    listed = frame_with(ok(open_page("leader", "tasks")), "久未更新").set_index("编号")
    assert listed.loc["3.1", "久未更新"] == ""
    never = (TODAY - dt.date(2021, 1, 1)).days  # never reported: since the plan began
    assert listed.loc["3.2.1", "久未更新"] == f"{never} 天未更新"
    page = ok(open_page("leader", "task_detail", task="3.2.1"))
    assert f"久未更新：牵头单位已 {never} 天没有报送进展" in text_of(page)


def test_a_county_reads_only_the_notices_addressed_to_it(cast):
    run_scan(TODAY)
    at = ok(open_page("yanhu", "notices"))
    with read_session() as s:
        seen = notice_briefs(s, cast["yanhu"])
        everyone = notice_briefs(s, cast["office"])
    assert everyone and all(n.department == "盐湖区人民政府" for n in seen)
    assert all(n.number not in text_of(at) for n in everyone if n.department != "盐湖区人民政府" and n.number)
