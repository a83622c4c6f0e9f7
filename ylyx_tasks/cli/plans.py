"""``plans`` and ``plan draft | import | close | reopen | archive | carry | report``: several plans at once, each
drafted from its own document; and ``calendar enter | show`` for the official holiday calendar."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func
from sqlmodel import select

from ylyx_tasks import clock
from ylyx_tasks.cli.common import DATE, PERIOD, console, err_console, operator, resolve_plan
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.drafting import draft_plan, read_source
from ylyx_tasks.models import Department, Task, WorkingGroup
from ylyx_tasks.reads.holidays import entered_days, holiday_calendar, unknown_years
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.services.holidays import enter_year
from ylyx_tasks.services.plan import closeout
from ylyx_tasks.services.plan.plan_import import PlanMeta, import_plan, preview_plan_import, records_to_csv


@click.command("plans")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def plans_cmd(as_json: bool) -> None:
    """列出已载入的方案：代号、简称、文号、期限、状态、任务数，是否在实施。"""
    migrate()
    today = clock.today()
    with read_session() as session:
        counts = dict(session.exec(select(Task.plan_id, func.count()).group_by(Task.plan_id)).all())
        plans = all_plans(session)
    rows = [{"code": p.code, "short_name": p.short_name, "doc_number": p.doc_number, "title": p.title,
             "period_start": p.period_start.isoformat(), "period_end": p.period_end.isoformat(), "status": p.status,
             "in_force": p.in_force(today), "tasks": counts.get(p.id, 0)} for p in plans]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"方案（{len(rows)}，截至 {today.isoformat()}）")
    for column in ("代号", "简称", "文号", "期限", "状态", "任务数", "今天在实施"):
        table.add_column(column)
    for r in rows:
        table.add_row(escape(r["code"]), escape(r["short_name"]), escape(r["doc_number"]),
                      f"{r['period_start']} 至 {r['period_end']}", r["status"], str(r["tasks"]),
                      "是" if r["in_force"] else "")
    console.print(table)


@click.group("plan")
def plan_group() -> None:
    """载入新方案（从原文起草、导入）、终期评估、结转未完成任务、终期评估报告。"""


@plan_group.command("draft")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（可编辑后用 plan import 导入）")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="另存为任务表 CSV（可在 Excel 中修改后用 plan import 导入）")
@click.option("--period", type=PERIOD, default=None, help="方案期限，如 2026-01-01:2030-12-31（用于检查节点日期）")
def draft_cmd(source: Path, as_json: bool, csv_out: Path | None, period) -> None:
    """从方案原文（.txt/.docx）或任务分工表（.xlsx/.docx 表格）起草任务清单，只显示，不写入任何东西。"""
    migrate()
    with read_session() as session:
        known = [d.name for d in session.exec(select(Department))]
        groups = [g.name for g in session.exec(select(WorkingGroup))]
    start, end = period or (None, None)
    draft = draft_plan(read_source(source.read_bytes(), source.name), known_units=known, plan_start=start,
                       plan_end=end)
    if csv_out is not None:
        csv_out.write_text(records_to_csv(draft.to_records(), groups), encoding="utf-8-sig")
        err_console.print(f"已写出 {csv_out}（{len(draft.clauses)} 条）")
    if as_json:
        click.echo(draft.to_json())
        return
    table = Table(title=f"{source.name}：起草出 {len(draft.clauses)} 条任务", show_lines=True)
    for column in ("编号", "任务", "牵头", "配合", "属地", "时间节点", "疑点"):
        table.add_column(column, overflow="fold")
    for c in draft.clauses:
        table.add_row(escape(c.code), escape(c.title), escape("、".join(c.lead)), escape("、".join(c.supporting)),
                      "是" if c.county else "",
                      escape("\n".join(f"{m.due.isoformat()} {m.text[:40]}" for m in c.milestones)),
                      "[yellow]" + escape("\n".join(d.message for d in c.doubts)) + "[/]" if c.doubts else "")
    console.print(table)
    for d in draft.doubts:
        console.print(f"[yellow]疑点：{escape(d.message)}[/]")
    for name, close in draft.unknown_units.items():
        console.print(f"[yellow]未知单位“{escape(name)}”[/]" + (f"，相近：{escape('、'.join(close))}" if close else ""))


@plan_group.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code", required=True, help="方案代号（以后 --plan 用它），如 十五五养老托育")
@click.option("--title", required=True, help="方案名称")
@click.option("--period", type=PERIOD, required=True, help="方案期限，如 2026-01-01:2030-12-31")
@click.option("--issued-on", type=DATE, default=None, help="印发日期（默认为期限开始日）")
@click.option("--short-name", default="", help="简称（方案选择框里显示；默认同代号）")
@click.option("--doc-number", default="", help="文号")
@click.option("--office", "issuing_office", default="", help="发出督办通知的机关（默认 YLYX_ISSUING_OFFICE）")
@click.option("--prefix", "notice_prefix", default="", help="督办文号前缀（默认 YLYX_NOTICE_PREFIX）")
@click.option("--territorial-phrase", default="", help="属地单位的统称，如 各县（市、区）人民政府")
@click.option("--territory", default="", help="属地责任单位：单位类别（县级政府、街道/乡镇）或以、分隔的单位名")
@click.option("--group", "default_group", default=None, help="条文未说明时归入的工作专班")
@click.option("--new-units", default="", help="确认为新增单位的名称（以、或逗号分隔；all = 全部未知单位）")
@click.option("--new-unit-kind", default="市直部门", help="新增单位的类别（市直部门、区直部门、街道/乡镇、其他单位…）")
def import_cmd(source: Path, code: str, title: str, period, issued_on, short_name: str, doc_number: str,
               issuing_office: str, notice_prefix: str, territorial_phrase: str, territory: str,
               default_group: str | None, new_units: str, new_unit_kind: str) -> None:
    """导入方案：原文、分工表、plan draft 的 JSON 或任务表 CSV。有一处错误（或未确认的未知单位）就什么也不导入；
    同一代号再次导入则更新方案，报送、督办和历史都保留。"""
    migrate()
    meta = PlanMeta(code=code, title=title, period_start=period[0], period_end=period[1], issued_on=issued_on,
                    short_name=short_name or code, doc_number=doc_number, issuing_office=issuing_office,
                    notice_prefix=notice_prefix, territorial_phrase=territorial_phrase)
    data = source.read_bytes()
    confirmed = _confirmed_units(new_units, data, source.name, meta, default_group, new_unit_kind)
    with write_session() as session:
        plan, summary = import_plan(session, operator(), data, source.name, meta, new_units=confirmed,
                                    territory=[t for t in territory.replace("，", "、").split("、") if t.strip()],
                                    default_group=default_group)
        label = plan.short_name or plan.code
    console.print(f"已载入方案 {escape(label)}（{period[0]} 至 {period[1]}）")
    for line in summary.lines():
        console.print("  " + line)


def _confirmed_units(new_units: str, data: bytes, name: str, meta: PlanMeta, default_group: str | None,
                     kind: str) -> dict[str, str]:
    """The units the office confirms as new: named, or all the source names that are unknown (``all``)."""
    if new_units.strip().lower() != "all":
        return {n.strip(): kind for n in new_units.replace("，", "、").replace(",", "、").split("、") if n.strip()}
    with read_session() as session:
        preview = preview_plan_import(session, operator(), data, name, meta, default_group=default_group)
    return {unit: kind for unit in preview.unknown_units}


@plan_group.command("close")
@click.argument("code")
def close_cmd(code: str) -> None:
    """终期评估：方案不再要求月度报送，未办结的事项继续督办到办结。"""
    _set_status(code, PlanStatus.CLOSING)


@plan_group.command("reopen")
@click.argument("code")
def reopen_cmd(code: str) -> None:
    """撤销终期评估或归档，方案恢复为在实施。"""
    _set_status(code, PlanStatus.ACTIVE)


@plan_group.command("archive")
@click.argument("code")
def archive_cmd(code: str) -> None:
    """归档：方案只读，不再督办。"""
    _set_status(code, PlanStatus.ARCHIVED)


def _set_status(code: str, status: PlanStatus) -> None:
    migrate()
    today = clock.today()
    with write_session() as session:
        plan = resolve_plan(session, code, today)
        closeout.set_status(session, operator(), plan_id=plan.id, status=status, today=today)
    console.print(f"方案 {escape(plan.short_name or plan.code)}：{status.value}")


@plan_group.command("report")
@click.argument("code")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def report_cmd(code: str, out: Path) -> None:
    """写出方案的终期评估报告（Word，GB/T 9704）：每项任务和节点按期、逾期或未完成，指标与目标，各单位情况。"""
    migrate()
    today = clock.today()
    with read_session() as session:
        plan = resolve_plan(session, code, today)
        out.write_bytes(closeout.closeout_report(session, plan, today))
    console.print(f"已写出 {out}")


@plan_group.command("carry")
@click.option("--from", "from_code", required=True, help="结转自哪个方案")
@click.option("--to", "to_code", required=True, help="结转到哪个方案")
@click.option("--tasks", default="", help="只结转这些任务（编号以、或逗号分隔；默认全部未完成的任务）")
@click.option("--prefix", default="结转", help="结转任务编号的前缀（默认“结转”：结转3.1）")
def carry_cmd(from_code: str, to_code: str, tasks: str, prefix: str) -> None:
    """把一个方案未完成的任务结转到另一个方案，并注明来源。"""
    migrate()
    today = clock.today()
    codes = [c.strip() for c in tasks.replace("，", "、").replace(",", "、").split("、") if c.strip()]
    with write_session() as session:
        source, target = resolve_plan(session, from_code, today), resolve_plan(session, to_code, today)
        made = closeout.carry_over(session, operator(), from_plan=source.id, to_plan=target.id,
                                   codes=codes or None, prefix=prefix, today=today)
        made_codes = [t.code for t in made]
    console.print(f"已结转 {len(made_codes)} 项任务到 {escape(target.short_name or target.code)}：" +
                  escape("、".join(made_codes) or "（无：都已结转过或都已完成）"))


@click.group("calendar")
def calendar_group() -> None:
    """法定节假日：录入国务院办公厅公布的放假安排（软件包尚未收录的年份）。"""


@calendar_group.command("enter")
@click.argument("year", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="通知文号或标题，如 国办发明电〔2026〕12号")
def calendar_enter_cmd(year: int, file: Path, source: str) -> None:
    """录入一年的放假安排：每行“2027-02-05至2027-02-11 放假 春节”或“2027-02-14 上班 春节调休”（或 date,workday,note）。"""
    migrate()
    with write_session() as session:
        n = enter_year(session, operator(), year=year, text=file.read_text(encoding="utf-8-sig"), source=source)
    console.print(f"已录入 {year} 年放假安排：{n} 天（{escape(source)}）")


@calendar_group.command("show")
@click.argument("year", type=int, required=False)
def calendar_show_cmd(year: int | None) -> None:
    """查看某年录入的放假安排，以及哪些年份尚未录入（期限将按周一至周五推算）。"""
    migrate()
    today = clock.today()
    with read_session() as session:
        missing = unknown_years(session, today)
        if year is not None:
            days = entered_days(session, year)
            known = holiday_calendar(session).known(year)
    if missing:
        console.print(f"[yellow]{'、'.join(map(str, missing))} 年的放假安排尚未录入：期限暂按周一至周五推算[/]")
    if year is not None:
        console.print(f"{year} 年：{'已知' if known else '未知（按周一至周五推算）'}，录入 {len(days)} 天")
        for d in days:
            console.print(f"  {d.day.isoformat()} {'上班' if d.workday else '放假'} {escape(d.note)}")


