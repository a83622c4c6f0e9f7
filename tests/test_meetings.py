"""会商协调, 领导批示, 回头看 and forecasts on a real database (SQLite and PostgreSQL): the three loops end to end,
and who may do what.

Personas (tests/personas.py): minzheng (市民政局) leads 3.1, weijian (市卫健委) supports it, tongji (市统计局) is
unrelated; office, leader, yanglao (养老专班 member)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.personas import make_cast, milestone_id, task_id
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.meetings import Forecast, InstructionState, RecheckKind, TargetKind, TaskSource
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import AuditEvent, BulletinMatter, EvidenceMatch, Instruction, Milestone, Notice, Task
from ylyx_tasks.reads.meetings import forecasts as forecast_reads
from ylyx_tasks.reads.meetings import instructions as instruction_reads
from ylyx_tasks.reads.meetings import meeting as meeting_reads
from ylyx_tasks.reads.meetings import rechecks as recheck_reads
from ylyx_tasks.reads.plans import current_plan, info, rules_for
from ylyx_tasks.services.meetings import documents, forecasts, instructions, meetings, rechecks
from ylyx_tasks.services.meetings.matters import MatterInput
from ylyx_tasks.services.setup import initialize
from ylyx_tasks.services.supervision.digest import preview_digest
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.services.tasks.edit import Upload

D = dt.date
MEETING_DAY = D(2026, 3, 10)


@pytest.fixture
def cast(plan_db):
    return make_cast()


def _plan_info(s):
    return info(current_plan(s))


def _plan():
    with write_session() as s:
        return info(current_plan(s))


def _schedule(actor, held_on=MEETING_DAY, **kw):
    plan_id = _plan().id
    with write_session() as s:
        return meetings.schedule(s, actor, plan_id=plan_id, kind="联席会议", held_on=held_on,
                                 venue="市政府第二会议室", chair="张明", units=["市民政局", "市卫健委"],
                                 people=["张明（副市长）", "陈红（市民政局）"], **kw).id


def _decide(actor, meeting_id, today=MEETING_DAY, due=D(2026, 4, 30)):
    related = task_id("3.1")
    with write_session() as s:
        made = meetings.record_decisions(s, actor, meeting_id=meeting_id, today=today, decisions=[
            MatterInput(text="市民政局牵头制定社区养老服务设施移交办法", lead_unit="市民政局", due_on=due,
                        supporting_units=["市住建局"], related_task_id=related)])
        return [t.id for t in made]


def _pack_lines(meeting_id, actor, today):
    plan = _plan()
    with write_session() as s:
        return meeting_reads.pack(s, actor, meeting_id, plan, today, rules_for(plan))


def test_it_runs_a_meeting_whose_decisions_are_supervised_like_plan_tasks(cast):
    t31 = task_id("3.1")
    office = cast["office"]
    first = _schedule(office)
    [decision] = _decide(office, first)
    with write_session() as s:
        t = s.get(Task, decision)
        assert (t.source, t.meeting_id, t.related_task_id) == (TaskSource.DECISION, first, t31)
        assert t.code == f"议{first}-1"
    # reminded before its deadline, by the same scan
    run_scan(D(2026, 4, 23))
    with write_session() as s:
        levels = [n.level for n in s.exec(select(Notice).where(Notice.task_id == decision))]
    assert "提醒" in levels
    # late: 督办 the day after, and listed in the next periodic 通报 (drafted on June 1st for May) when unanswered
    run_scan(D(2026, 5, 1))
    run_scan(D(2026, 5, 12))
    with write_session() as s:
        levels = sorted({n.level for n in s.exec(select(Notice).where(Notice.task_id == decision))})
    assert "督办" in levels
    run_scan(D(2026, 6, 1))
    with write_session() as s:
        listed = s.exec(select(BulletinMatter).where(BulletinMatter.task_id == decision)).all()
    assert len(listed) == 1 and listed[0].reason
    # and it is in the weekly digest to the leading group, as a plan task would be
    with write_session() as s:
        mail = preview_digest(s, "leadership", D(2026, 5, 12), _plan_info(s))
    assert mail is not None and f"议{first}-1" in mail.text
    # and shown, still open, in the next meeting's pack
    second = _schedule(office, held_on=D(2026, 5, 20))
    pack = _pack_lines(second, office, D(2026, 5, 15))
    assert any(f.decision.startswith(f"议{first}-1") and "逾期" in f.status for f in pack.follow_ups)
    assert any(m.task_code == f"议{first}-1" for m in pack.lagging)
    # the minutes are produced from what was recorded; the pack as a document too
    with write_session() as s:
        minutes = documents.minutes_docx(s, meeting_id=first, today=D(2026, 3, 12))
        pack_doc = documents.pack_docx(s, office, meeting_id=second, today=D(2026, 5, 15))
    assert minutes[:2] == b"PK" and pack_doc[:2] == b"PK"
    # once closed it leaves the next pack
    with write_session() as s:
        m = s.exec(select(Milestone).where(Milestone.task_id == decision)).one()
        workflow.claim_done(s, cast["minzheng"], milestone_id=m.id, evidence="办法已印发", links="https://x.cn/1",
                            today=D(2026, 5, 15))
        workflow.accept(s, office, milestone_id=m.id, today=D(2026, 5, 16))
    pack = _pack_lines(second, office, D(2026, 5, 17))
    assert not any(f.decision.startswith(f"议{first}-1") for f in pack.follow_ups)


def test_it_does_not_chase_a_decision_for_reports_due_before_it_existed(cast):
    day = D(2023, 3, 10)  # the plan asks for monthly reports until its end (2025)
    [decision] = _decide(cast["office"], _schedule(cast["office"], held_on=day), today=day, due=D(2023, 9, 30))
    run_scan(day)
    with write_session() as s:
        assert not s.exec(select(Notice).where(Notice.task_id == decision, Notice.level == "催报")).all()
    run_scan(D(2023, 3, 26))  # March's report was due on the 25th, after the meeting: chased
    with write_session() as s:
        assert [n.period for n in s.exec(select(Notice).where(Notice.task_id == decision,
                                                              Notice.level == "催报"))] == ["2023-03"]


def test_it_refuses_a_wrong_decision_and_writes_none(cast):
    meeting = _schedule(cast["office"])
    with write_session() as s, pytest.raises(InvalidInput, match="第 2 项议定事项：没有单位“市不存在局”"):
        meetings.record_decisions(s, cast["office"], meeting_id=meeting, today=MEETING_DAY, decisions=[
            MatterInput(text="甲", lead_unit="市民政局", due_on=D(2026, 4, 30)),
            MatterInput(text="乙", lead_unit="市不存在局", due_on=D(2026, 4, 30))])
    with write_session() as s:
        assert not s.exec(select(Task).where(Task.meeting_id == meeting)).all()


def test_it_takes_a_leaders_instruction_to_an_answer_the_leader_settles(cast):
    t31 = task_id("3.1")
    leader, office, minzheng = cast["leader"], cast["office"], cast["minzheng"]
    with write_session() as s:
        found = instructions.write(s, leader, target_kind=TargetKind.TASK, target_id=t31,
                                   text="请市民政局抓紧推进，月底前报进展。")
        iid = found.id
    with write_session() as s:
        matter = instructions.assign(s, office, instruction_id=iid, today=D(2026, 3, 1), matter=MatterInput(
            text="落实领导批示：加快公办养老床位建设", lead_unit="市民政局", due_on=D(2026, 3, 31)))
        assert (matter.source, matter.instruction_id, matter.related_task_id) == ("领导批示", iid, t31)
    with write_session() as s:
        instructions.answer(s, minzheng, instruction_id=iid, text="已新增床位 300 张，月底前完成。")
    plan_id = _plan().id
    with write_session() as s:
        [row] = instruction_reads.for_actor(s, leader, plan_id)
        assert row.state == InstructionState.ANSWERED and row.last_answer.unit == "市民政局"
        instructions.ask_again(s, leader, instruction_id=iid, text="请附照片和验收单。")
    with write_session() as s:
        instructions.answer(s, minzheng, instruction_id=iid, text="已补充验收单。")
        instructions.settle(s, leader, instruction_id=iid)
    with write_session() as s:
        [row] = instruction_reads.for_actor(s, leader, plan_id)
        assert [st.kind for st in row.steps] == ["交办", "答复", "再次批示", "答复", "办结"]
        assert row.state == InstructionState.SETTLED
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "instruction"))]
    assert actions == ["领导批示", "批示交办", "批示答复", "批示再次批示", "批示答复", "批示办结"]


def test_an_instruction_is_never_edited_or_deleted(cast):
    t31 = task_id("3.1")
    with write_session() as s:
        iid = instructions.write(s, cast["leader"], target_kind="任务", target_id=t31, text="阅").id
    with pytest.raises(Exception, match="append-only"), write_session() as s:
        s.get(Instruction, iid).text = "改过的批示"
        s.flush()
    with pytest.raises(Exception, match="append-only"), write_session() as s:
        s.delete(s.get(Instruction, iid))
        s.flush()


@pytest.mark.parametrize("who, call", [
    ("office", lambda s, a, t: instructions.write(s, a, target_kind="任务", target_id=t, text="批示")),
    ("minzheng", lambda s, a, t: instructions.write(s, a, target_kind="任务", target_id=t, text="批示")),
    ("leader", lambda s, a, t: meetings.schedule(s, a, plan_id=1, kind="联席会议", held_on=MEETING_DAY)),
    ("minzheng", lambda s, a, t: meetings.schedule(s, a, plan_id=1, kind="联席会议", held_on=MEETING_DAY)),
    ("yanglao", lambda s, a, t: meetings.schedule(s, a, plan_id=1, kind="养老专班", held_on=MEETING_DAY)),
    ("leader", lambda s, a, t: forecasts.give(s, a, task_id=t, forecast="有风险", today=MEETING_DAY)),
    ("weijian", lambda s, a, t: forecasts.give(s, a, task_id=t, forecast="有风险", today=MEETING_DAY)),
    ("minzheng", lambda s, a, t: rechecks.schedule(s, a, plan_id=1, kinds=[RecheckKind.ALL], today=MEETING_DAY)),
])
def test_each_role_may_do_only_its_own_part(cast, who, call):
    target = task_id("3.1")
    with write_session() as s, pytest.raises(PermissionDenied):
        call(s, cast[who], target)


def test_only_a_responsible_unit_answers_and_only_its_author_settles(cast):
    t31 = task_id("3.1")
    with write_session() as s:
        iid = instructions.write(s, cast["leader"], target_kind="任务", target_id=t31, text="请推进").id
        instructions.note(s, cast["office"], instruction_id=iid)
    with write_session() as s, pytest.raises(PermissionDenied, match="不是该批示所涉事项的责任单位"):
        instructions.answer(s, cast["tongji"], instruction_id=iid, text="答复")
    with write_session() as s:
        other = instructions.write(s, cast["leader"], target_kind="任务", target_id=t31, text="另一条").id
    assert other != iid
    with write_session() as s, pytest.raises(InvalidInput, match="不能“交办”"):
        instructions.settle(s, cast["leader"], instruction_id=iid)
        instructions.assign(s, cast["office"], instruction_id=iid, today=MEETING_DAY, matter=MatterInput(
            text="x", lead_unit="市民政局", due_on=D(2026, 4, 1)))


def _close_31(cast, when, files=None, code="3.1", key="2022"):
    mid = milestone_id(code, key)
    with write_session() as s:
        workflow.claim_done(s, cast["minzheng"], milestone_id=mid, evidence="已完成", today=when,
                            links="" if files else "https://x.cn", files=files)
        workflow.accept(s, cast["office"], milestone_id=mid, today=when)
    return mid


def test_a_recheck_reopens_a_matter_closed_on_paper(cast):
    mid = _close_31(cast, D(2023, 3, 1))  # 2022 milestone closed late
    plan_id = _plan().id
    with write_session() as s:
        made = rechecks.schedule(s, cast["office"], plan_id=plan_id, kinds=[RecheckKind.LATE],
                                 today=D(2023, 3, 2), days=60)
        assert [(r.milestone_id, r.due_on) for r in made] == [(mid, D(2023, 4, 30))]
        again = rechecks.schedule(s, cast["office"], plan_id=plan_id, kinds=[RecheckKind.LATE], today=D(2023, 3, 2))
        assert again == []
        rid = made[0].id
    with write_session() as s, pytest.raises(Exception, match="起办理"):
        rechecks.confirm(s, cast["minzheng"], recheck_id=rid, result="仍在运行", evidence="照片", today=D(2023, 4, 1))
    with write_session() as s, pytest.raises(PermissionDenied):
        rechecks.confirm(s, cast["weijian"], recheck_id=rid, result="仍在运行", evidence="照片", today=D(2023, 5, 1))
    with write_session() as s:
        rechecks.confirm(s, cast["minzheng"], recheck_id=rid, result="床位在用", evidence="照片", today=D(2023, 5, 1))
        rechecks.decide(s, cast["office"], recheck_id=rid, reopen=True, note="现场核查：床位未投入使用",
                        today=D(2023, 5, 2))
    with write_session() as s:
        assert s.get(Milestone, mid).status == "推进中"
        [row] = recheck_reads.rechecks(s, plan_id)
        assert row.reopened and row.status == "已重新打开"


def test_it_flags_evidence_identical_to_another_matters(cast):
    photo = Upload("床位照片.jpg", b"\xff\xd8same-photo-bytes")
    _close_31(cast, D(2022, 12, 1), files=[photo])
    with write_session() as s:
        lead_32 = s.exec(select(Task).where(Task.code == "3.2.1")).one()
    # the office claims for the other task's lead with the same file under another name
    with write_session() as s:
        mid = s.exec(select(Milestone.id).where(Milestone.task_id == lead_32.id)).first()
        req = workflow.claim_done(s, cast["office"], milestone_id=mid, evidence="已完成", today=D(2022, 12, 2),
                                  files=[Upload("另一个名字.jpg", photo.content)])
        [match] = s.exec(select(EvidenceMatch).where(EvidenceMatch.request_id == req.id)).all()
    assert (match.filename, match.other_filename) == ("另一个名字.jpg", "床位照片.jpg")
    with write_session() as s:
        notes = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.task_id == lead_32.id))]
    assert "佐证材料与其他事项相同" in notes


def test_a_forecast_beside_the_light_and_a_wrong_one_afterwards(cast):
    t31 = task_id("3.1")
    minzheng = cast["minzheng"]
    with write_session() as s:
        forecasts.give(s, minzheng, task_id=t31, forecast=Forecast.ON_TIME, today=D(2023, 1, 10))
    with write_session() as s, pytest.raises(Exception, match="已报送预判"):
        forecasts.give(s, minzheng, task_id=t31, forecast="有风险", today=D(2023, 1, 20))
    plan = _plan()
    with write_session() as s:
        rows = forecast_reads.forecast_rows(s, plan.id, D(2023, 1, 15), rules_for(plan))
        # the 2022 milestone is past due: red, yet the unit says it will be on time
        assert [r.code for r in forecast_reads.disagreements(rows, D(2023, 1, 15))] == ["3.1"]
        assert [r.code for r in forecast_reads.wrong(rows)] == ["3.1"]  # its due date had passed already


def test_a_sample_of_completions_is_rechecked_the_same_however_often_asked(cast):
    closed = [_close_31(cast, D(2023, 1, 5)), _close_31(cast, D(2023, 1, 6), code="3.2.2"),
              _close_31(cast, D(2023, 1, 7), code="3.3.2")]
    plan_id = _plan().id
    with write_session() as s:
        made = rechecks.schedule(s, cast["office"], plan_id=plan_id, kinds=[RecheckKind.SAMPLE], today=D(2023, 1, 8),
                                 sample_every=2)
        assert [r.milestone_id for r in made] == [closed[0], closed[2]]  # the 1st and the 3rd completion
        assert rechecks.schedule(s, cast["office"], plan_id=plan_id, kinds=[RecheckKind.SAMPLE],
                                 today=D(2023, 1, 9), sample_every=2) == []
    with write_session() as s, pytest.raises(InvalidInput, match="抽查比例"):
        rechecks.schedule(s, cast["office"], plan_id=plan_id, kinds=[RecheckKind.SAMPLE], today=D(2023, 1, 9),
                          sample_every=0)


def test_reloading_the_plan_keeps_decisions_and_leaves_them_out_of_the_clauses(cast):
    meeting = _schedule(cast["office"])
    [decision] = _decide(cast["office"], meeting)
    report = initialize()  # the seed loaded again: the plan's clauses as issued
    assert not any("文件中没有的任务" in note for note in report.load.notes)
    with write_session() as s:
        clauses = s.exec(select(Task.position).where(Task.source == TaskSource.CLAUSE.value)
                         .order_by(Task.position)).all()
        kept = s.get(Task, decision)
    assert clauses == list(range(20)) and kept.source == TaskSource.DECISION and kept.position > 19
