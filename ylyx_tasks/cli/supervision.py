"""What the scheduler does, by hand: ``scan``, ``deliver``, ``digest``; and ``notices``, ``notice-docx``,
``contacts``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from sqlmodel import select

from ylyx_tasks import clock
from ylyx_tasks.cli.common import DATE, console, err_console, operator, resolve_plan
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.models import User
from ylyx_tasks.reads.contacts import contacts_by_unit, unit_label
from ylyx_tasks.reads.supervision.notice_document import notice_docx_bytes
from ylyx_tasks.reads.notices import notice_briefs
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.services.mail.queue import deliver_pending
from ylyx_tasks.services.mail.recipients import import_contacts
from ylyx_tasks.services.supervision.digest import run_digest
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.users import actor_for


@click.command("scan")
@click.option("--today", type=DATE, default=None, help="按这一天扫描（默认今天，Asia/Shanghai）")
def scan_cmd(today) -> None:
    """扫描一次：生成今天应发的提醒、催报和督办，到起草日时起草上一期通报（重复运行不会重复生成）。"""
    migrate()
    result = run_scan(today or clock.today())
    console.print(result.summary())


@click.command("deliver")
@click.option("--due-only", is_flag=True, help="只发已到重试时间的邮件（调度器的做法）；默认全部立即尝试")
def deliver_cmd(due_only: bool) -> None:
    """发送待发邮件。有邮件未能发出时退出码非零。"""
    migrate()
    report = deliver_pending(due_only=due_only)
    console.print(f"已发送 {report.sent} 封；失败 {report.failed} 封；仍待发送 {report.pending} 封")
    for line in report.errors[:20]:
        err_console.print(f"  {line}", markup=False)
    if report.failed:
        err_console.print("有邮件未能发出，已保留在队列中，稍后自动重试（或再次运行 ylyx-tasks deliver）。")
        sys.exit(3)


@click.command("digest")
@click.option("--today", type=DATE, default=None, help="按这一天所在的周生成（默认今天）")
@click.option("--dry-run", is_flag=True, help="只列出会发给谁，不记录、不发送")
@click.option("--plan", "plan_code", default=None, help="只生成这一个方案的简报（默认：每个督办中的方案）")
def digest_cmd(today, dry_run: bool, plan_code: str | None) -> None:
    """生成本周督办简报（每个方案、每个收件单位一份；无内容的不发）。"""
    migrate()
    today = today or clock.today()
    plan = None
    if plan_code:
        with read_session() as session:
            plan = resolve_plan(session, plan_code, today)
    run = run_digest(today, dry_run=dry_run, plan=plan)
    console.print(run.summary())
    for unit, email, subject in run.previews:
        console.print(f"  {unit} → {email}：{subject}", markup=False)


@click.command("notices")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--open", "open_only", is_flag=True, help="只列未办结的")
@click.option("--level", type=click.Choice([lv.value for lv in NoticeLevel]), default=None)
@click.option("--plan", "plan_code", default=None, help="只列这一个方案的通知（默认：全部方案）")
def notices_cmd(as_json: bool, open_only: bool, level: str | None, plan_code: str | None) -> None:
    """列出通知（提醒、催报、督办；以及改为定期通报前的逐项通报）。通报（第N期）见 ylyx-tasks bulletins。"""
    migrate()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, clock.today()) if plan_code else None
        rows = notice_briefs(session, operator(), open_only=open_only, levels=[level] if level else None,
                             plan_id=plan.id if plan else None)
        codes = {p.id: p.code for p in all_plans(session)}
    if as_json:
        out = [{
            "id": b.id, "number": b.number or None, "level": b.level, "task_code": b.task_code,
            "task_title": b.task_title, "milestone_id": b.milestone_id,
            "milestone_due": b.milestone_due.isoformat() if b.milestone_due else None,
            "period": b.period, "department": b.department, "reason": b.reason,
            "created_on": b.created_on.isoformat(), "status": b.status,
            "response_due": b.response_due.isoformat() if b.response_due else None,
            "parent_id": b.parent_id, "plan": codes.get(b.plan_id),
            "calendar_fallback": b.calendar_fallback,
        } for b in rows]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"通知（{len(rows)}）")
    for column in ("ID", "文号", "类别", "任务", "单位", "事由", "发出日期", "反馈期限", "状态"):
        table.add_column(column)
    for b in rows:
        table.add_row(*map(escape, (str(b.id), b.number, b.level, b.task_code, b.department, b.reason,
                                    b.created_on.isoformat(), b.response_due.isoformat() if b.response_due else "",
                                    b.status)))
    console.print(table)


@click.command("notice-docx")
@click.argument("notice_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def notice_docx_cmd(notice_id: int, out: Path) -> None:
    """把督办通知单（或通报）写成 Word 文档。"""
    if out.suffix.lower() != ".docx":
        raise click.ClickException("输出文件的扩展名应为 .docx")
    migrate()
    with read_session() as session:
        data = notice_docx_bytes(session, notice_id)
    out.write_bytes(data)
    console.print(f"已写入 {out}")


@click.group("contacts")
def contacts_group() -> None:
    """邮件联系人：单位、县（市、区）、工作专班或领导小组的收件人。"""


@contacts_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="同时删除文件中没有的联系人")
def contacts_import(file: Path, replace: bool) -> None:
    """导入联系人 CSV（列：unit,name,email）。有一行错误就一行都不导入。"""
    migrate()
    with write_session() as session:
        result = import_contacts(session, operator(), file.read_bytes(), replace=replace)
    console.print(f"联系人：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}，删除 {result.removed}")


@contacts_group.command("list")
def contacts_list() -> None:
    """列出联系人及其收到的简报。"""
    migrate()
    with read_session() as session:
        groups = contacts_by_unit(session)
        labels = {key: unit_label(session, key) for key in groups}
    table = Table(title="联系人")
    for column in ("单位", "姓名", "邮箱"):
        table.add_column(column)
    for key in sorted(groups, key=lambda k: labels[k]):
        for r in groups[key]:
            table.add_row(escape(labels[key]), escape(r.name), escape(r.email))
    console.print(table)


def as_user(username: str | None) -> Actor:
    """The actor a workflow command runs as: a user of the system (so its permissions apply), or the office."""
    if not username:
        return operator()


    with read_session() as session:
        user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        raise click.ClickException(f"没有可用的用户 {username}")
    return actor_for(user)


__all__ = ["Role", "as_user", "contacts_group", "deliver_cmd", "digest_cmd", "notice_docx_cmd", "notices_cmd",
           "scan_cmd"]
