"""The three loops of 会商协调 from a shell: ``meetings`` (schedule, pack, decide, minutes), ``instructions``
(领导批示: write, assign, note, answer, settle, again), ``recheck`` (回头看) and ``forecast`` (the lead unit's
monthly forecast). ``--as USER`` acts as that user, with their permissions; without it, as the office."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.table import Table
from sqlmodel import select

from ylyx_tasks import clock
from ylyx_tasks.cli.common import DATE, PLAN_HELP, console, resolve_plan
from ylyx_tasks.cli.supervision import as_user
from ylyx_tasks.cli.workflow import _files, _task
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.meetings import (
    DEFAULT_RECHECK_DAYS,
    MeetingKind,
    RecheckKind,
    TargetKind,
    parse_recheck_kinds,
)
from ylyx_tasks.models import Indicator, Task
from ylyx_tasks.reads import forecasts as forecast_reads
from ylyx_tasks.reads import instructions as instruction_reads
from ylyx_tasks.reads import meetings as meeting_reads
from ylyx_tasks.reads import rechecks as recheck_reads
from ylyx_tasks.reads.plans import rules_for
from ylyx_tasks.services.meetings import documents, forecasts, instructions, meetings, rechecks
from ylyx_tasks.services.meetings.matters import MatterInput

AS = click.option("--as", "username", default=None, help="以该用户身份操作（其权限生效）；默认以专班办公室身份")
TODAY = click.option("--today", type=DATE, default=None, help="按这一天办理（默认今天）")
PLAN = click.option("--plan", "plan_code", default=None, help=PLAN_HELP)


def _docx(out: Path) -> None:
    if out.suffix.lower() != ".docx":
        raise click.ClickException("输出文件的扩展名应为 .docx")


def parse_item(text: str, session, plan_id: int) -> MatterInput:
    """``事项|牵头单位|配合单位1、配合单位2|YYYY-MM-DD[|关联任务编号]`` → a MatterInput."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (4, 5):
        raise click.ClickException(f"“{text}”应写成 事项|牵头单位|配合单位（、分隔，可空）|完成时限[|关联任务编号]")
    try:
        due = dt.date.fromisoformat(parts[3])
    except ValueError:
        raise click.ClickException(f"“{parts[3]}”不是 YYYY-MM-DD 格式的日期") from None
    related = None
    if len(parts) == 5 and parts[4]:
        related = session.exec(select(Task.id).where(Task.plan_id == plan_id, Task.code == parts[4])).first()
        if related is None:
            raise click.ClickException(f"本方案没有任务 {parts[4]}")
    supporting = [s for s in parts[2].replace(",", "、").replace("，", "、").split("、") if s.strip()]
    return MatterInput(text=parts[0], lead_unit=parts[1], supporting_units=supporting, due_on=due,
                       related_task_id=related)


# --- meetings ------------------------------------------------------------------------------------------------


@click.group("meetings")
def meetings_group() -> None:
    """会商协调：联席会议和专班会议——安排、会议材料、议定事项（纳入督办）、会议纪要。"""


@meetings_group.command("list")
@PLAN
def meetings_list(plan_code) -> None:
    """列出会议和议定事项的落实情况。"""
    migrate()
    today = clock.today()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, today)
        rows = meeting_reads.meetings(session, plan.id)
        table = Table("编号", "日期", "会议", "类型", "状态", "议定事项（完成/总数）")
        for m in rows:
            ds = meeting_reads.matters(session, plan.id, today, rules_for(plan), meeting_id=m.id)
            table.add_row(str(m.id), m.held_on.isoformat(), m.title, m.kind, m.status,
                          f"{sum(d.closed for d in ds)}/{len(ds)}")
    console.print(table if rows else "还没有会议。")


@meetings_group.command("schedule")
@click.option("--kind", type=click.Choice([k.value for k in MeetingKind]), required=True, help="会议类型")
@click.option("--date", "held_on", type=DATE, required=True, help="会议日期")
@click.option("--title", default="", help="会议名称（默认：联席第N次会议）")
@click.option("--venue", default="", help="地点")
@click.option("--chair", default="", help="主持人")
@click.option("--agenda", multiple=True, help="会议议程（可多次）")
@click.option("--unit", "units", multiple=True, help="参会单位（可多次）")
@click.option("--person", "people", multiple=True, help="参会人员（可多次）")
@PLAN
@AS
def meetings_schedule(kind, held_on, title, venue, chair, agenda, units, people, plan_code, username) -> None:
    """安排会议（专班办公室）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        plan = resolve_plan(session, plan_code, clock.today())
        m = meetings.schedule(session, actor, plan_id=plan.id, kind=kind, held_on=held_on, title=title, venue=venue,
                              chair=chair, agenda=list(agenda), units=list(units), people=list(people))
        console.print(f"已安排会议 {m.id}：{m.held_on.isoformat()} {m.title}")


@meetings_group.command("pack")
@click.argument("meeting_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@TODAY
def meetings_pack(meeting_id, out, today) -> None:
    """生成会议材料（.docx）：滞后事项、待审批的延期和办结申请、未办结督办和最近通报、落后指标、以往议定事项。"""
    _docx(out)
    migrate()
    with read_session() as session:
        data = documents.pack_docx(session, as_user(None), meeting_id=meeting_id, today=today or clock.today())
    out.write_bytes(data)
    console.print(f"已写入 {out}")


@meetings_group.command("decide")
@click.argument("meeting_id", type=int)
@click.option("--item", "items", multiple=True, required=True,
              help="议定事项：事项|牵头单位|配合单位（、分隔，可空）|完成时限[|关联任务编号]（可多次）")
@click.option("--summary", default="", help="纪要正文（议定事项前的段落）")
@AS
@TODAY
def meetings_decide(meeting_id, items, summary, username, today) -> None:
    """记录会议议定事项：每项纳入督办（与方案任务同样报送、亮灯、提醒、督办、通报）。有一项错就一项都不记录。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        meeting = meetings.get_meeting(session, meeting_id)
        decisions = [parse_item(i, session, meeting.plan_id) for i in items]
        made = meetings.record_decisions(session, actor, meeting_id=meeting_id, decisions=decisions,
                                         today=today or clock.today(), summary=summary)
        console.print("已记录议定事项：" + "、".join(t.code for t in made))


@meetings_group.command("minutes")
@click.argument("meeting_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@TODAY
def meetings_minutes(meeting_id, out, today) -> None:
    """生成会议纪要（.docx），内容取自记录的议定事项。"""
    _docx(out)
    migrate()
    with read_session() as session:
        data = documents.minutes_docx(session, meeting_id=meeting_id, today=today or clock.today())
    out.write_bytes(data)
    console.print(f"已写入 {out}")


@meetings_group.command("decisions")
@click.option("--meeting", "meeting_id", type=int, default=None, help="只列这次会议的")
@PLAN
@TODAY
def meetings_decisions(meeting_id, plan_code, today) -> None:
    """列出议定事项和批示交办事项：牵头单位、时限、灯、状态。"""
    migrate()
    today = today or clock.today()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, today)
        rows = meeting_reads.matters(session, plan.id, today, rules_for(plan), meeting_id=meeting_id)
    table = Table("编号", "来源", "事项", "牵头单位", "完成时限", "灯", "状态")
    for d in rows:
        table.add_row(d.view.code, d.source, d.view.title[:30], d.lead, d.due.isoformat() if d.due else "",
                      d.light.value, d.view.status)
    console.print(table if rows else "没有议定事项或交办事项。")


# --- 领导批示 --------------------------------------------------------------------------------------------------


@click.group("instructions")
def instructions_group() -> None:
    """领导批示：领导写批示，办公室交办或阅知，单位答复，领导办结或再次批示。"""


@instructions_group.command("list")
@PLAN
@AS
def instructions_list(plan_code, username) -> None:
    """列出批示（领导看自己的，联络员看本单位要答复的）及每条的结果。"""
    actor = as_user(username)
    migrate()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, clock.today())
        rows = instruction_reads.for_actor(session, actor, plan.id)
    table = Table("编号", "领导", "批示", "对象", "状态", "交办事项", "最近答复")
    for r in rows:
        answer = r.last_answer
        table.add_row(str(r.id), r.leader, r.text[:30], r.target[:30], r.state.value, "、".join(r.matter_ids),
                      f"{answer.unit}：{answer.text[:30]}" if answer else "")
    console.print(table if rows else "没有批示。")


@instructions_group.command("write")
@click.option("--task", "task_code", default=None, help="批示的任务或议定事项编号")
@click.option("--notice", "notice_id", type=int, default=None, help="批示的督办通知编号（数据库编号）")
@click.option("--indicator", "indicator_name", default=None, help="批示的指标名称")
@click.option("--text", required=True, help="批示内容")
@AS
def instructions_write(task_code, notice_id, indicator_name, text, username) -> None:
    """写批示（仅领导账号：--as 领导用户名）。"""
    actor = as_user(username)
    if sum(x is not None for x in (task_code, notice_id, indicator_name)) != 1:
        raise click.ClickException("请用 --task、--notice、--indicator 之一指明批示对象")
    migrate()
    with write_session() as session:
        if task_code is not None:
            kind, target = TargetKind.TASK, _task(session, task_code).id
        elif notice_id is not None:
            kind, target = TargetKind.NOTICE, notice_id
        else:
            found = session.exec(select(Indicator.id).where(Indicator.name == indicator_name)).first()
            if found is None:
                raise click.ClickException(f"没有指标“{indicator_name}”")
            kind, target = TargetKind.INDICATOR, found
        made = instructions.write(session, actor, target_kind=kind, target_id=target, text=text)
        console.print(f"已记录批示 {made.id}：{made.target_label}")


@instructions_group.command("assign")
@click.argument("instruction_id", type=int)
@click.option("--item", required=True, help="交办事项：事项|牵头单位|配合单位（、分隔，可空）|完成时限[|关联任务编号]")
@AS
@TODAY
def instructions_assign(instruction_id, item, username, today) -> None:
    """交办（专班办公室）：形成督办事项，有牵头、配合单位和完成时限。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        found = instructions.get_instruction(session, instruction_id)
        task = instructions.assign(session, actor, instruction_id=instruction_id, today=today or clock.today(),
                                   matter=parse_item(item, session, found.plan_id))
        console.print(f"已交办：{task.code}")


@instructions_group.command("note")
@click.argument("instruction_id", type=int)
@click.option("--text", default="已阅知，无需交办", help="说明")
@AS
def instructions_note(instruction_id, text, username) -> None:
    """阅知（专班办公室）：记录为已阅，不交办。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        instructions.note(session, actor, instruction_id=instruction_id, text=text)
    console.print(f"批示 {instruction_id} 已阅知")


@instructions_group.command("answer")
@click.argument("instruction_id", type=int)
@click.option("--text", required=True, help="答复内容")
@AS
def instructions_answer(instruction_id, text, username) -> None:
    """答复（责任单位联络员，为本单位）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        instructions.answer(session, actor, instruction_id=instruction_id, text=text)
    console.print(f"已答复批示 {instruction_id}")


@instructions_group.command("settle")
@click.argument("instruction_id", type=int)
@click.option("--text", default="同意办结", help="办结意见")
@AS
def instructions_settle(instruction_id, text, username) -> None:
    """办结（作出批示的领导本人）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        instructions.settle(session, actor, instruction_id=instruction_id, text=text)
    console.print(f"批示 {instruction_id} 已办结")


@instructions_group.command("again")
@click.argument("instruction_id", type=int)
@click.option("--text", required=True, help="再次批示内容")
@AS
def instructions_again(instruction_id, text, username) -> None:
    """再次批示（作出批示的领导本人）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        instructions.ask_again(session, actor, instruction_id=instruction_id, text=text)
    console.print(f"已再次批示 {instruction_id}")


# --- 回头看 ---------------------------------------------------------------------------------------------------


@click.group("recheck")
def recheck_group() -> None:
    """回头看：办结事项在一定天数后复核；牵头单位确认，办公室通过或重新打开。"""


@recheck_group.command("schedule")
@click.option("--kind", "kinds", multiple=True, default=[RecheckKind.LATE.value, RecheckKind.SUPERVISED.value],
              show_default=True, help=f"范围（可多次）：{'、'.join(k.value for k in RecheckKind)}")
@click.option("--days", type=click.IntRange(min=1), default=DEFAULT_RECHECK_DAYS, show_default=True,
              help="办结后多少天回头看")
@PLAN
@AS
@TODAY
def recheck_schedule(kinds, days, plan_code, username, today) -> None:
    """安排回头看（专班办公室）：已办结、尚未安排的事项。重复运行只增加新的。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        plan = resolve_plan(session, plan_code, clock.today())
        made = rechecks.schedule(session, actor, plan_id=plan.id, kinds=parse_recheck_kinds(list(kinds)),
                                 today=today or clock.today(), days=days)
    console.print(f"新安排回头看 {len(made)} 项")


@recheck_group.command("list")
@PLAN
def recheck_list(plan_code) -> None:
    """列出回头看。"""
    migrate()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, clock.today())
        rows = recheck_reads.rechecks(session, plan.id)
    table = Table("编号", "任务", "牵头单位", "办结日期", "范围", "回头看日期", "状态", "复核情况")
    for r in rows:
        table.add_row(str(r.id), f"{r.code} {r.title[:20]}", r.lead, r.completed_on.isoformat(), r.kind,
                      r.due_on.isoformat(), r.status, r.result[:30])
    console.print(table if rows else "没有回头看事项。")


@recheck_group.command("confirm")
@click.argument("recheck_id", type=int)
@click.option("--result", required=True, help="复核情况")
@click.option("--evidence", default="", help="佐证说明或链接")
@click.option("--file", "files", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True)
@AS
@TODAY
def recheck_confirm(recheck_id, result, evidence, files, username, today) -> None:
    """确认（牵头单位）：成果仍然有效，附佐证。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        rechecks.confirm(session, actor, recheck_id=recheck_id, result=result, evidence=evidence,
                         files=_files(files), today=today or clock.today())
    console.print(f"回头看 {recheck_id} 已确认")


@recheck_group.command("pass")
@click.argument("recheck_id", type=int)
@click.option("--note", default="", help="意见")
@AS
@TODAY
def recheck_pass(recheck_id, note, username, today) -> None:
    """通过（专班办公室）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        rechecks.decide(session, actor, recheck_id=recheck_id, reopen=False, note=note, today=today or clock.today())
    console.print(f"回头看 {recheck_id} 已通过")


@recheck_group.command("reopen")
@click.argument("recheck_id", type=int)
@click.option("--note", required=True, help="重新打开的理由")
@AS
@TODAY
def recheck_reopen(recheck_id, note, username, today) -> None:
    """重新打开（专班办公室）：撤销办结，事项重新纳入督办。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        rechecks.decide(session, actor, recheck_id=recheck_id, reopen=True, note=note, today=today or clock.today())
    console.print(f"回头看 {recheck_id}：事项已重新打开")


# --- forecasts ------------------------------------------------------------------------------------------------


@click.group("forecast")
def forecast_group() -> None:
    """牵头单位每月预判（能按期完成 / 有风险 / 不能按期完成），与红黄绿灯对照。"""


@forecast_group.command("give")
@click.argument("task_code")
@click.argument("value", type=click.Choice(["能按期完成", "有风险", "不能按期完成"]))
@click.option("--note", default="", help="说明")
@AS
@TODAY
def forecast_give(task_code, value, note, username, today) -> None:
    """报送本月预判（牵头单位；每月一次）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        row = forecasts.give(session, actor, task_id=_task(session, task_code).id, forecast=value, note=note,
                             today=today or clock.today())
    console.print(f"已报送 {task_code} {row.period} 预判：{value}（当时{row.light or '无节点'}）")


@forecast_group.command("list")
@PLAN
@TODAY
def forecast_list(plan_code, today) -> None:
    """预判与灯不一致的、事后证明预判错误的。"""
    migrate()
    today = today or clock.today()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, today)
        rows = forecast_reads.forecast_rows(session, plan.id, today, rules_for(plan))
    table = Table("任务", "单位", "期次", "预判", "当时", "现在", "结果")
    for r in rows:
        outcome = {True: "预判准确", False: "预判错误", None: ""}[r.came_true]
        if forecast_reads.disagrees_now(r, today):
            outcome = (outcome + " 与灯不一致").strip()
        table.add_row(f"{r.code} {r.title[:20]}", r.unit, r.period, r.forecast, r.light_then, r.light_now, outcome)
    console.print(table if rows else "还没有预判。")


COMMANDS = (meetings_group, instructions_group, recheck_group, forecast_group)
