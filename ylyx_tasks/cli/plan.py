"""``init``, ``show``, ``import-tasks``, ``export`` (each of one plan: ``--plan``)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlmodel import select

from ylyx_tasks import clock
from ylyx_tasks.cli.common import PLAN_HELP, console, operator, resolve_plan
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.demo.loader import load_demo
from ylyx_tasks.models import Department, Plan, WorkingGroup
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services.plan.export import tasks_frame
from ylyx_tasks.services.plan.loader import apply_task_rows
from ylyx_tasks.services.plan.tables import write_table
from ylyx_tasks.services.plan.workbook import export_everything
from ylyx_tasks.services.plan.taskcsv import read_file
from ylyx_tasks.services.setup import initialize
from ylyx_tasks.services.tabular import ImportRejected

LIGHT_STYLE = {"红灯": "bold red", "黄灯": "yellow", "绿灯": "green", "已完成": "blue"}


@click.command("init")
@click.option("--demo", is_flag=True, help="再加入标注为“演示数据”的虚构进展和每个角色的演示账号")
def init_cmd(demo: bool) -> None:
    """建库（迁移到最新结构）并载入方案、单位、县（市、区）、工作专班和指标；可重复执行。"""
    report = initialize()
    settings = get_settings()
    # the URL without its password: init's output ends up in terminals, CI logs and tickets
    where = (make_url(settings.database_url).render_as_string(hide_password=True) if settings.database_url
             else str(settings.data_dir / "ylyx.db"))
    state = "新建数据库" if report.revision_before is None else f"数据库已在版本 {report.revision_before}"
    console.print(f"数据库：{where}（{state}，已迁移到最新版本）")
    for line in report.load.lines():
        console.print("  " + line)
    if not report.load.changed:
        console.print("  方案数据与文件一致，未作改动")
    if report.admin_password:
        console.print(f"已创建专班办公室账号 admin，初始密码（只显示这一次）：[bold]{report.admin_password}[/bold]")
    elif report.admin_created:
        console.print("已创建专班办公室账号 admin，密码为 YLYX_ADMIN_PASSWORD 所设")
    if demo:
        with write_session() as session:
            result = load_demo(session, today=clock.today())
        for line in result.lines():
            console.print(line)
    if settings.mail_link_warning:
        console.print(f"[yellow]注意：{settings.mail_link_warning}[/yellow]")


@click.command("show")
@click.option("--plan", "plan_code", default=None, help=PLAN_HELP)
def show_cmd(plan_code: str | None) -> None:
    """在终端列出一个方案的任务：编号、任务、牵头单位、下一节点到期、状态。"""
    migrate()
    today = clock.today()
    with read_session() as session:
        plan = resolve_plan(session, plan_code, today)
        views = load_task_views(session, today, plan_id=plan.id)
    table = Table(title=f"{escape(plan.label)} 任务清单（{len(views)} 项，截至 {today.isoformat()}）", show_lines=False)
    for column in ("编号", "任务", "牵头单位", "下一节点到期", "状态", "灯号", "逾期天数"):
        table.add_column(column, no_wrap=column != "任务", overflow="fold", min_width=14 if column == "任务" else None)
    for v in views:
        lead = "、".join(u.name for u in v.leads)
        light = v.light.value
        table.add_row(escape(v.code), escape(v.title), escape(lead), v.next_due.isoformat() if v.next_due else "—",
                      v.status, f"[{LIGHT_STYLE[light]}]{light}[/]", str(v.days_overdue or ""))
    console.print(table)


@click.command("import-tasks")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plan", "plan_code", default=None, help=PLAN_HELP)
def import_tasks_cmd(file: Path, plan_code: str | None) -> None:
    """导入任务 CSV（与 data/tasks_seed.csv 同一格式）到一个方案。先校验整个文件：有一行错误就一行都不导入。"""
    migrate()
    with write_session() as session:
        info = resolve_plan(session, plan_code, clock.today())
        plan = session.get(Plan, info.id)
        departments = [d.name for d in session.exec(select(Department))]
        groups = [g.name for g in session.exec(select(WorkingGroup))]
        parsed = read_file(file, departments, groups, plan_start=plan.period_start, plan_end=plan.period_end)
        if not parsed.ok:
            raise ImportRejected(parsed.errors)
        summary = apply_task_rows(session, plan, parsed.rows, operator())
    console.print(f"已导入 {file.name} 到 {escape(info.label)}：{len(parsed.rows)} 行")
    for line in summary.lines():
        console.print("  " + line)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan", "plan_code", default=None, help=PLAN_HELP)
@click.option("--all", "everything", is_flag=True,
              help="导出方案的全部数据（与“管理 → 导入导出”的完整导出相同的 .xlsx：任务、节点、分工、报送、申请、通知、指标……）")
def export_cmd(file: Path, plan_code: str | None, everything: bool) -> None:
    """导出一个方案的任务清单（.csv 或 .xlsx）：单位、节点、状态、灯号和逾期天数；--all 导出全部数据（.xlsx）。"""
    if file.suffix.lower() not in ((".xlsx",) if everything else (".csv", ".xlsx")):
        raise click.ClickException("完整导出请用 .xlsx 作为扩展名" if everything
                                   else "请用 .csv 或 .xlsx 作为导出文件的扩展名")
    migrate()
    today = clock.today()
    if everything:
        with read_session() as session:
            plan = resolve_plan(session, plan_code, today)
            data = export_everything(session, today, plan)
        file.write_bytes(data)
        console.print(f"已导出 {escape(plan.label)} 的全部数据到 {file}")
        return
    with read_session() as session:
        plan = resolve_plan(session, plan_code, today)
        views = load_task_views(session, today, plan_id=plan.id)
    write_table(tasks_frame(views, plan), file, unit=plan.issuing_office, as_of=today,
                title=f"{plan.short_name or plan.title}任务清单")
    console.print(f"已导出 {escape(plan.label)} 的 {len(views)} 项任务到 {file}")
