"""The three loops of 会商协调 from a shell: ``meetings`` (schedule, pack, decide, minutes), ``instructions``
(领导批示: write, assign, note, answer, settle, again), ``recheck`` (回头看) and ``forecast`` (the lead unit's
monthly forecast). ``--as USER`` acts as that user, with their permissions; without it, as the office."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from ylyx_tasks import clock
from ylyx_tasks.cli.common import DATE, console, resolve_plan
from ylyx_tasks.cli.instructions import instructions_group
from ylyx_tasks.cli.options import AS, PLAN, TODAY, parse_item
from ylyx_tasks.cli.rechecks import forecast_group, recheck_group
from ylyx_tasks.cli.supervision import as_user
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.meetings import MeetingKind
from ylyx_tasks.reads.meetings import meeting as meeting_reads
from ylyx_tasks.reads.plans import rules_for
from ylyx_tasks.services.meetings import documents, meetings


def _docx(out: Path) -> None:
    if out.suffix.lower() != ".docx":
        raise click.ClickException("输出文件的扩展名应为 .docx")


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



COMMANDS = (meetings_group, instructions_group, recheck_group, forecast_group)
