"""Shared pieces of the command line: the console, the operator identity, error handling."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import sys
import traceback
import uuid

import click
from rich.console import Console
from rich.markup import escape
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.security.inputs import strip_controls
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.errors import UserError
from ylyx_tasks.reads.plans import PlanInfo, all_plans, default_plan, find_plan
from ylyx_tasks.services.tabular import ImportRejected

class SafeConsole(Console):
    """A console that never writes a control character from the text it is given (stored text could hold ESC or
    NUL from before the input gate): every string, table cells included, passes ``render_str``. Rich's own
    colours are added after, so they still work."""

    def render_str(self, text: str, **kwargs):  # type: ignore[override]
        return super().render_str(strip_controls(text), **kwargs)


# Piped output (tests, ``| less``) gets a wide table rather than rich's 80-column default.
console = SafeConsole(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err_console = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
log = logging.getLogger("ylyx_tasks.cli")


def operator() -> Actor:
    """Whoever runs the command on the server acts for the office (they hold the database already)."""
    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001  (no user name in some containers)
        name = "?"
    return Actor(user_id=None, username=f"cli:{name}"[:64], role=Role.OFFICE)


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}”不是 YYYY-MM-DD 格式的日期", param, ctx)


DATE = DateParam()


class PeriodParam(click.ParamType):
    """``2026-01-01:2030-12-31``: a plan's period."""

    name = "YYYY-MM-DD:YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        start, sep, end = str(value).partition(":")
        try:
            period = (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        except ValueError:
            period = None
        if not sep or period is None or period[1] < period[0]:
            self.fail(f"“{value}”应为 开始日期:结束日期，如 2026-01-01:2030-12-31", param, ctx)
        return period


PERIOD = PeriodParam()
PLAN_HELP = "方案（代号、简称或文号；默认：今天在实施的方案）"


def resolve_plan(session: Session, code: str | None, today: dt.date) -> PlanInfo:
    """The plan ``--plan`` names, or the one in force today; a clear error when there is none."""
    if code:
        plan = find_plan(session, code)
        if plan is None:
            names = "、".join(p.short_name or p.code for p in all_plans(session)) or "（无）"
            raise click.ClickException(f"没有方案“{code}”；已载入的方案：{names}")
        return plan
    plan = default_plan(all_plans(session), today)
    if plan is None:
        raise click.ClickException("还没有载入方案：请先运行 ylyx-tasks init")
    return plan


def run_main(cli: click.Group) -> None:
    """Run the CLI; turn the errors users can cause into one clear line and a non-zero exit status."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        err_console.print("已取消")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ImportRejected as exc:
        err_console.print(f"[red]{escape(str(exc))}[/red]", markup=True)
        sys.exit(2)
    except UserError as exc:
        err_console.print(f"错误：{exc}", markup=False)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 — a bug: a reference for the user, the details for the log file
        ref = uuid.uuid4().hex[:8]
        path = get_settings().data_dir / "ylyx-errors.log"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(f"--- {clock.utcnow().isoformat()} ref {ref}\n")
                f.write("".join(traceback.format_exception(exc)))
            where = str(path)
        except OSError:
            log.error("unexpected error (ref %s)", ref, exc_info=exc)
            where = "日志"
        err_console.print(f"系统出现意外错误，操作未完成。错误编号 {ref}，详情已写入 {where}。", markup=False)
        sys.exit(70)
