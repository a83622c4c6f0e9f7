"""回头看 and the lead units' forecasts from a shell: ``recheck schedule|list|confirm|pass|reopen`` and
``forecast give|list``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from ylyx_tasks import clock
from ylyx_tasks.cli.common import console, resolve_plan
from ylyx_tasks.cli.options import AS, PLAN, TODAY
from ylyx_tasks.cli.supervision import as_user
from ylyx_tasks.cli.workflow import _files, _task
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.meetings import DEFAULT_RECHECK_DAYS, RecheckKind, parse_recheck_kinds
from ylyx_tasks.reads.meetings import forecasts as forecast_reads
from ylyx_tasks.reads.meetings import rechecks as recheck_reads
from ylyx_tasks.reads.plans import rules_for
from ylyx_tasks.services.meetings import forecasts, rechecks


# --- 回头看 ---------------------------------------------------------------------------------------------------


@click.group("recheck")
def recheck_group() -> None:
    """回头看：办结事项在一定天数后复核；牵头单位确认，办公室通过或重新打开。"""


@recheck_group.command("schedule")
@click.option("--kind", "kinds", multiple=True, default=[RecheckKind.LATE.value, RecheckKind.SUPERVISED.value],
              show_default=True, help=f"范围（可多次）：{'、'.join(k.value for k in RecheckKind)}")
@click.option("--days", type=click.IntRange(min=1), default=DEFAULT_RECHECK_DAYS, show_default=True,
              help="办结后多少天回头看")
@click.option("--sample-every", type=click.IntRange(min=1), default=5, show_default=True,
              help="抽查：按办结先后每 N 项抽 1 项")
@PLAN
@AS
@TODAY
def recheck_schedule(kinds, days, sample_every, plan_code, username, today) -> None:
    """安排回头看（专班办公室）：已办结、尚未安排的事项。重复运行只增加新的。"""
    actor = as_user(username)
    migrate()
    with write_session() as session:
        plan = resolve_plan(session, plan_code, clock.today())
        made = rechecks.schedule(session, actor, plan_id=plan.id, kinds=parse_recheck_kinds(list(kinds)),
                                 today=today or clock.today(), days=days, sample_every=sample_every)
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
