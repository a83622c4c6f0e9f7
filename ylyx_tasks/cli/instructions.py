"""领导批示 from a shell: ``instructions write`` (a leader, ``--as``), ``assign`` / ``note`` (the office),
``answer`` (a unit's liaison), ``settle`` / ``again`` (the leader who wrote it)."""

from __future__ import annotations

import click
from rich.table import Table
from sqlmodel import select

from ylyx_tasks import clock
from ylyx_tasks.cli.common import console, resolve_plan
from ylyx_tasks.cli.options import AS, PLAN, TODAY, parse_item
from ylyx_tasks.cli.supervision import as_user
from ylyx_tasks.cli.workflow import _task
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.meetings import TargetKind
from ylyx_tasks.models import Indicator
from ylyx_tasks.reads.meetings import instructions as instruction_reads
from ylyx_tasks.services.meetings import instructions


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
