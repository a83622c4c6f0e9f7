"""The 会商 page and the 批示 boxes through Streamlit's AppTest (today pinned to 2025-06-16): the office schedules a
meeting and records its decisions from the page; a leader writes a 批示 on the task page and sees it on the 总览;
the office assigns it, 市民政局 answers, the leader settles it; who sees which controls."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from tests.test_app_support import TODAY, cast, frame, ok, on_tab, open_page, successes, text_of  # noqa: F401
from ylyx_tasks.db import write_session
from ylyx_tasks.models import Instruction, Meeting, Milestone, Task
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.services.meetings import meetings
from ylyx_tasks.services.meetings.matters import MatterInput
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.services.tasks.edit import Upload


def test_the_office_schedules_a_meeting_and_records_its_decisions(cast):
    at = ok(open_page("office", "meetings"))
    assert at.title[0].value == "会商"
    at.selectbox(key="mt_kind").select("养老专班会议")
    at.date_input(key="mt_date").set_value(dt.date(2025, 6, 16))
    at.text_input(key="mt_venue").input("市民政局三楼会议室")
    at.multiselect(key="mt_units").select("市民政局").select("市卫健委")
    at.button(key="mt_schedule_submit").click().run()
    ok(at)
    assert any("已安排：养老工作专班第1次会议" in s for s in successes(at)), successes(at)
    with write_session() as s:
        meeting = s.exec(select(Meeting)).one()
    at.text_area(key=f"mt_summary_{meeting.id}").input("会议研究了养老床位建设滞后问题。")
    # the decisions editor is a data editor inside a form: its edits are its session state, as the browser sends them
    at.session_state[f"mt_items_{meeting.id}"] = {"edited_rows": {0: {
        "事项": "市民政局牵头，7月底前完成公办养老机构床位改造", "牵头单位": "市民政局", "配合单位": "市财政局",
        "完成时限": "2025-07-31"}}, "added_rows": [], "deleted_rows": []}
    at.button(key=f"mt_decide_submit_{meeting.id}").click().run()
    ok(at)
    assert any("已记录并纳入督办" in s for s in successes(at)), (successes(at), [e.value for e in at.error])
    with write_session() as s:
        [decision] = s.exec(select(Task).where(Task.meeting_id == meeting.id)).all()
    assert (decision.source, decision.code) == ("会议议定", f"议{meeting.id}-1")
    assert "公办养老机构床位改造" in text_of(at)
    assert {b.key for b in at.get("download_button")} >= {f"mt_pack_{meeting.id}", f"mt_minutes_{meeting.id}"}


def test_a_leader_writes_an_instruction_on_the_task_page_and_follows_it_to_the_end(cast):
    at = ok(open_page("leader", "task_detail", task="3.1"))
    at.text_area(key="td_instr_text").input("请市民政局抓紧推进，月底前报进展。")
    at.button(key="td_instr_submit").click().run()
    ok(at)
    assert "批示已送专班办公室办理。" in successes(at)
    with write_session() as s:
        iid = s.exec(select(Instruction.id)).one()
    office = ok(open_page("office", "meetings"))
    key = f"in_{iid}"
    office.selectbox(key=f"{key}_lead").select("市民政局")
    office.date_input(key=f"{key}_due").set_value(dt.date(2025, 6, 30))
    office.button(key=f"{key}_assign_submit").click().run()
    ok(office)
    assert any(s.startswith("已交办：批") for s in successes(office)), [e.value for e in office.error]
    unit = ok(open_page("minzheng", "meetings"))
    unit.text_area(key=f"{key}_answer_text").input("已新增床位 300 张。")
    unit.button(key=f"{key}_answer_submit").click().run()
    assert "答复已送领导。" in successes(ok(unit))
    home = ok(open_page("leader"))
    assert "我的批示" in text_of(home) and "已答复" in text_of(home) and "市民政局：已新增床位 300 张。" in text_of(home)
    leader = ok(open_page("leader", "meetings"))
    leader.button(key=f"{key}_settle").click().run()
    assert "批示已办结。" in successes(ok(leader))


def test_only_a_leader_sees_the_instruction_box_and_only_the_office_schedules(cast):
    liaison = ok(open_page("minzheng", "task_detail", task="3.1"))
    assert "td_instr_text" not in {w.key for w in liaison.text_area}
    member = ok(open_page("yanglao", "meetings"))
    assert "mt_kind" not in {w.key for w in member.selectbox}
    run_scan(TODAY)  # the 2022 milestones are overdue: 督办 for the leader to read
    leader = ok(open_page("leader", "notices"))
    assert "nt_instr_text" in {w.key for w in leader.text_area}
    indicators = ok(open_page("leader", "indicators"))
    assert "ind_instr_text" in {w.key for w in indicators.text_area}


def test_the_task_list_shows_the_plans_clauses_by_default_and_decisions_on_demand(cast):
    with write_session() as s:
        meeting = meetings.schedule(s, cast["office"], plan_id=current_plan(s).id, kind="联席会议", held_on=TODAY)
        meetings.record_decisions(s, cast["office"], meeting_id=meeting.id, today=TODAY, decisions=[
            MatterInput(text="建立养老服务设施移交台账", lead_unit="市民政局", due_on=dt.date(2025, 9, 30))])
    at = ok(open_page("office", "tasks"))
    codes = list(frame(at)["编号"])
    assert len(codes) == 20 and not any(c.startswith("议") for c in codes)  # the plan's own list, as issued
    at.selectbox(key="tl_source").select("会议议定").run()
    assert list(frame(ok(at))["编号"]) == [f"议{meeting.id}-1"]


def test_the_reviewer_is_warned_of_evidence_identical_to_another_matters(cast):
    photo = b"\xff\xd8the-same-photo"
    with write_session() as s:
        first = s.exec(select(Milestone.id).join(Task, Task.id == Milestone.task_id)
                       .where(Task.code == "3.1", Milestone.key == "2022")).one()
        second = s.exec(select(Milestone.id).join(Task, Task.id == Milestone.task_id)
                        .where(Task.code == "3.2.1")).first()
        workflow.claim_done(s, cast["minzheng"], milestone_id=first, evidence="完成", today=TODAY,
                            files=[Upload("床位.jpg", photo)])
        workflow.claim_done(s, cast["minzheng"], milestone_id=second, evidence="完成", today=TODAY,
                            files=[Upload("另一处.jpg", photo)])
    at = ok(on_tab(open_page("office", "task_detail", task="3.2.1"), "办理"))
    assert any("与任务 3.1 的“床位.jpg”内容完全相同" in w.value for w in at.warning), [w.value for w in at.warning]
