"""Workflow actions from a shell, so that a department can be simulated: ``report``, ``claim-done``,
``accept``, ``reject``, ``extend``, ``extend-decide``, ``ack``, ``answer``, ``close-notice``,
``return-notice``."""

from __future__ import annotations

from pathlib import Path

import click
from sqlmodel import select

from ylyx_tasks import clock
from ylyx_tasks.cli.common import DATE, console, resolve_plan
from ylyx_tasks.cli.supervision import as_user
from ylyx_tasks.db import migrate, write_session
from ylyx_tasks.domain.plans import milestone_label
from ylyx_tasks.models import Milestone, Task
from ylyx_tasks.reads.plans import plans_in_force
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.services.tasks import workflow

AS = click.option("--as", "username", default=None, help="以该用户身份操作（其权限生效）；默认以专班办公室身份")
TODAY = click.option("--today", type=DATE, default=None, help="按这一天办理（默认今天）")


def _task(session, code: str) -> Task:
    """A task by its code — ``3.1``, or ``方案代号:3.1`` when several plans have a task 3.1 (a plan in force
    today is preferred)."""
    plan_code, sep, task_code = code.rpartition(":")
    stmt = select(Task).where(Task.code == (task_code if sep else code))
    if sep:
        stmt = stmt.where(Task.plan_id == resolve_plan(session, plan_code, clock.today()).id)
    found = session.exec(stmt.order_by(Task.plan_id)).all()
    if len(found) > 1:
        in_force = {p.id for p in plans_in_force(session, clock.today())}
        found = [t for t in found if t.plan_id in in_force] or found
    if not found:
        raise click.ClickException(f"没有编号为 {code} 的任务")
    if len(found) > 1:
        raise click.ClickException(f"多个方案都有任务 {code}：请写成“方案代号:{code}”（ylyx-tasks plans 列出代号）")
    return found[0]


def _milestone(session, code: str, key: str | None) -> Milestone:
    task = _task(session, code)
    stmt = select(Milestone).where(Milestone.task_id == task.id)
    if key:
        stmt = stmt.where(Milestone.key == key)
    else:
        stmt = stmt.where(Milestone.status != "已完成").order_by(Milestone.due_date)
    milestone = session.exec(stmt).first()
    if milestone is None:
        raise click.ClickException(f"任务 {code} 没有{'节点 ' + key if key else '未完成的节点'}")
    return milestone


def _files(paths: tuple[Path, ...]) -> list[workflow.Upload]:
    return [workflow.Upload(filename=p.name, content=p.read_bytes()) for p in paths]


@click.command("report")
@click.argument("task_code")
@click.option("--percent", type=click.IntRange(0, 100), required=True, help="完成进度（0–100）")
@click.option("--text", required=True, help="进展情况")
@click.option("--evidence", default="", help="佐证材料说明或链接")
@click.option("--milestone", "milestone_key", default=None, help="节点（如 2022，或 2027-06-30）")
@click.option("--file", "files", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True)
@AS
@TODAY
def report_cmd(task_code, percent, text, evidence, milestone_key, files, username, today) -> None:
    """报送进展（本单位对该任务的进展；牵头单位的进度即任务进度）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        task = _task(session, task_code)
        milestone_id = _milestone(session, task_code, milestone_key).id if milestone_key else None
        report = workflow.submit_report(session, actor, task_id=task.id, percent=percent, text=text,
                                        evidence=evidence, milestone_id=milestone_id, files=_files(files),
                                        today=today or clock.today())
    console.print(f"已报送 {task_code} {report.period} 进展：{percent}%")


@click.command("claim-done")
@click.argument("task_code")
@click.argument("milestone_key", required=False)
@click.option("--evidence", required=True, help="办结情况说明")
@click.option("--link", "links", multiple=True, help="佐证链接（可多个）")
@click.option("--file", "files", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True)
@AS
@TODAY
def claim_done_cmd(task_code, milestone_key, evidence, links, files, username, today) -> None:
    """申报办结（牵头单位），须附佐证链接或文件。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        milestone = _milestone(session, task_code, milestone_key)
        workflow.claim_done(session, actor, milestone_id=milestone.id, evidence=evidence, links="\n".join(links),
                            files=_files(files), today=today or clock.today())
    console.print(f"已申报办结：{task_code} {milestone_label(milestone.key)}，待审核")


@click.command("accept")
@click.argument("task_code")
@click.argument("milestone_key", required=False)
@click.option("--note", default="", help="审核意见")
@AS
@TODAY
def accept_cmd(task_code, milestone_key, note, username, today) -> None:
    """审核通过（办结销号）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        milestone = _milestone(session, task_code, milestone_key)
        workflow.accept(session, actor, milestone_id=milestone.id, note=note, today=today or clock.today())
    console.print(f"已审核通过：{task_code} {milestone_label(milestone.key)}")


@click.command("reject")
@click.argument("task_code")
@click.argument("milestone_key", required=False)
@click.option("--reason", required=True, help="退回理由")
@AS
@TODAY
def reject_cmd(task_code, milestone_key, reason, username, today) -> None:
    """退回重办。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        milestone = _milestone(session, task_code, milestone_key)
        workflow.reject(session, actor, milestone_id=milestone.id, reason=reason, today=today or clock.today())
    console.print(f"已退回：{task_code} {milestone_label(milestone.key)}")


@click.command("extend")
@click.argument("task_code")
@click.argument("milestone_key", required=False)
@click.option("--to", "new_date", type=DATE, required=True, help="申请延期到的日期")
@click.option("--reason", required=True, help="延期理由")
@AS
@TODAY
def extend_cmd(task_code, milestone_key, new_date, reason, username, today) -> None:
    """申请延期（牵头单位，须在期限前）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        milestone = _milestone(session, task_code, milestone_key)
        request = workflow.apply_extension(session, actor, milestone_id=milestone.id, new_date=new_date,
                                           reason=reason, today=today or clock.today())
    console.print(f"已提交延期申请 #{request.id}：{task_code} {milestone_label(milestone.key)}延至 {new_date}")


@click.command("extend-decide")
@click.argument("request_id", type=int)
@click.option("--approve/--refuse", required=True, help="批准或不批准")
@click.option("--note", default="", help="审批意见（不批准时必填）")
@AS
@TODAY
def extend_decide_cmd(request_id, approve, note, username, today) -> None:
    """审批延期申请（专班办公室）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        workflow.decide_extension(session, actor, request_id=request_id, approve=approve, note=note,
                                  today=today or clock.today())
    console.print(f"延期申请 #{request_id}：{'已批准' if approve else '不批准'}")


@click.command("ack")
@click.argument("notice_id", type=int)
@AS
def ack_cmd(notice_id, username) -> None:
    """签收督办或通报。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        notice = notices.acknowledge(session, actor, notice_id=notice_id)
    console.print(f"已签收 {notice.number}")


@click.command("answer")
@click.argument("notice_id", type=int)
@click.option("--situation", required=True, help="办理情况")
@click.option("--reason", default="", help="未完成的原因")
@click.option("--new-date", type=DATE, default=None, help="预计完成日期")
@AS
@TODAY
def answer_cmd(notice_id, situation, reason, new_date, username, today) -> None:
    """反馈督办或通报。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        notice = notices.answer(session, actor, notice_id=notice_id, situation=situation, reason=reason,
                                new_date=new_date, today=today or clock.today())
    console.print(f"已反馈 {notice.number}")


@click.command("close-notice")
@click.argument("notice_id", type=int)
@click.option("--note", required=True, help="办结意见")
@AS
def close_notice_cmd(notice_id, note, username) -> None:
    """办结通知（专班办公室）。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        notice = notices.close(session, actor, notice_id=notice_id, note=note)
    console.print(f"已办结 {notice.number}")


@click.command("return-notice")
@click.argument("notice_id", type=int)
@click.option("--note", required=True, help="退回的理由")
@AS
def return_notice_cmd(notice_id, note, username) -> None:
    """退回重新反馈（专班办公室）：反馈不符合要求，主送单位重新反馈。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        notice = notices.send_back(session, actor, notice_id=notice_id, note=note)
    console.print(f"已退回 {notice.number}，请主送单位重新反馈")


COMMANDS = (report_cmd, claim_done_cmd, accept_cmd, reject_cmd, extend_cmd, extend_decide_cmd, ack_cmd,
            answer_cmd, close_notice_cmd, return_notice_cmd)
