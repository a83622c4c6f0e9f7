"""通报（第N期） by hand and for scripts: ``bulletins`` lists the issued ones; ``bulletin draft / show / add /
remove / issue / docx`` do what the office does on the 通报 tab."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ylyx_tasks import clock
from ylyx_tasks.cli.common import DATE, console, operator, resolve_plan
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain import bulletins as rules_b
from ylyx_tasks.domain.bulletins import BulletinStatus
from ylyx_tasks.reads.supervision import bulletins as reads
from ylyx_tasks.reads.plans import all_plans, rules_from_settings
from ylyx_tasks.services.supervision import bulletins as service
from ylyx_tasks.services.supervision.bulletin_docx import bulletin_docx_bytes


def _as_json(b: reads.BulletinView, plan_code: str) -> dict:
    return {"id": b.id, "plan": plan_code, "number": b.number or None, "issue_no": b.issue_no,
            "period": b.period, "period_label": b.period_label, "status": b.status,
            "issued_on": b.issued_on.isoformat() if b.issued_on else None,
            "rectify_by": b.rectify_by.isoformat() if b.rectify_by else None, "legacy": b.legacy,
            "matters": [m.as_json() for m in b.matters]}


@click.command("bulletins")
@click.option("--plan", "plan_code", default=None, help="只列这一个方案的通报（默认：全部方案）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--drafts", is_flag=True, help="同时列出尚未印发的草稿")
def bulletins_cmd(plan_code: str | None, as_json: bool, drafts: bool) -> None:
    """列出已印发的通报（第N期）及其所列事项。"""
    migrate()
    with read_session() as session:
        plans = [resolve_plan(session, plan_code, clock.today())] if plan_code else all_plans(session)
        rows = [(p.code, b) for p in plans
                for b in reads.bulletins(session, p.id, status=None if drafts else BulletinStatus.ISSUED)]
    if as_json:
        click.echo(json.dumps([_as_json(b, code) for code, b in rows], ensure_ascii=False, indent=1))
        return
    table = Table(title=f"通报（{len(rows)}）")
    for column in ("ID", "方案", "期次", "文号", "周期", "状态", "印发日期", "事项", "被通报单位"):
        table.add_column(column)
    for code, b in rows:
        table.add_row(*map(escape, (str(b.id), code, f"第{b.issue_no}期" if b.issue_no else "", b.number,
                                    b.period_label, b.status, b.issued_on.isoformat() if b.issued_on else "",
                                    str(len(b.matters)), "、".join(b.units))))
    console.print(table)


@click.group("bulletin")
def bulletin_group() -> None:
    """一期通报：起草、查看、增删事项、印发、导出 Word。"""


@bulletin_group.command("draft")
@click.option("--today", type=DATE, default=None, help="按这一天起草（默认今天）：起草上一期的通报")
@click.option("--plan", "plan_code", default=None, help="只起草这一个方案的（默认：每个督办中的方案）")
def bulletin_draft(today, plan_code: str | None) -> None:
    """起草到期的通报（与调度器相同；已起草的不会重复起草）。"""
    migrate()
    today = today or clock.today()
    rules = rules_from_settings().bulletin
    with write_session() as session:
        plans = [resolve_plan(session, plan_code, today)] if plan_code else None
        made = service.draft_due(session, today, rules, plans)
        lines = [f"已起草 {rules_b.period_label(b.period, b.months)} 的通报（ID {b.id}）" for b in made]
    period = rules_b.period_to_draft(today, rules)
    console.print("\n".join(lines) if lines else f"没有需要起草的通报（{'本期尚未到起草日' if period is None else '已起草过'}）")


@bulletin_group.command("show")
@click.argument("bulletin_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def bulletin_show(bulletin_id: int, as_json: bool) -> None:
    """一期通报的事项（草稿也可看）。"""
    migrate()
    with read_session() as session:
        b = reads.bulletin(session, bulletin_id)
        code = next(p.code for p in all_plans(session) if p.id == b.plan_id)
    if as_json:
        out = _as_json(b, code)
        out["matters"] = [dict(m.as_json(), id=m.id) for m in b.matters]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{b.label}（{b.status}）")
    for column in ("事项ID", "任务", "到期日", "责任单位", "事由", "督办文号"):
        table.add_column(column)
    for m in b.matters:
        table.add_row(*map(escape, (str(m.id), f"{m.task_code} {m.task_title}", m.milestone_due.isoformat(),
                                    m.department, m.reason, m.notice_number)))
    console.print(table)


@bulletin_group.command("add")
@click.argument("bulletin_id", type=int)
@click.argument("notice_id", type=int)
@click.option("--reason", required=True, help="列入通报的事由")
def bulletin_add(bulletin_id: int, notice_id: int, reason: str) -> None:
    """把一件未办结的督办增列入通报草稿。"""
    migrate()
    with write_session() as session:
        service.add_matter(session, operator(), bulletin_id=bulletin_id, notice_id=notice_id, reason=reason)
    console.print("已增列")


@bulletin_group.command("remove")
@click.argument("bulletin_id", type=int)
@click.argument("matter_id", type=int)
@click.option("--note", required=True, help="不列入通报的理由")
def bulletin_remove(bulletin_id: int, matter_id: int, note: str) -> None:
    """从通报草稿中删去一项。"""
    migrate()
    with write_session() as session:
        service.remove_matter(session, operator(), bulletin_id=bulletin_id, matter_id=matter_id, note=note)
    console.print("已删去")


@bulletin_group.command("issue")
@click.argument("bulletin_id", type=int)
@click.option("--today", type=DATE, default=None, help="印发日期（默认今天）")
def bulletin_issue(bulletin_id: int, today) -> None:
    """印发通报：编期次和文号，给领导小组和被通报单位各发一封邮件。"""
    migrate()
    today = today or clock.today()
    with write_session() as session:
        issued = service.issue(session, operator(), bulletin_id=bulletin_id, today=today,
                               rules=rules_from_settings().bulletin)
        number, issue_no = issued.number, issued.issue_no
    console.print(f"已印发第{issue_no}期通报 {number}")


@bulletin_group.command("docx")
@click.argument("bulletin_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def bulletin_docx(bulletin_id: int, out: Path) -> None:
    """把已印发的通报写成 Word 文档。"""
    if out.suffix.lower() != ".docx":
        raise click.ClickException("输出文件的扩展名应为 .docx")
    migrate()
    with read_session() as session:
        data = bulletin_docx_bytes(session, bulletin_id)
    out.write_bytes(data)
    console.print(f"已写入 {out}")
