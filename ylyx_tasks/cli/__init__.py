"""The ``ylyx-tasks`` command line (also ``python -m ylyx_tasks``)."""

from __future__ import annotations

import click

from ylyx_tasks.cli.bulletins import bulletin_group, bulletins_cmd
from ylyx_tasks.cli.common import run_main
from ylyx_tasks.cli.meetings import COMMANDS as MEETING_COMMANDS
from ylyx_tasks.cli.plan import export_cmd, import_tasks_cmd, init_cmd, show_cmd
from ylyx_tasks.cli.plans import calendar_group, plan_group, plans_cmd
from ylyx_tasks.cli.supervision import (
    contacts_group,
    deliver_cmd,
    digest_cmd,
    notice_docx_cmd,
    notices_cmd,
    scan_cmd,
)
from ylyx_tasks.cli.users import user_group
from ylyx_tasks.cli.workflow import COMMANDS as WORKFLOW_COMMANDS


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="ylyx-tasks")
def cli() -> None:
    """“一老一小”方案任务清单与督查督办：多个方案同时督办（ylyx-tasks plans 列出已载入的方案）。"""


for command in (init_cmd, show_cmd, import_tasks_cmd, export_cmd, plans_cmd, plan_group, calendar_group, user_group, scan_cmd, deliver_cmd, digest_cmd,
                notices_cmd, notice_docx_cmd, bulletins_cmd, bulletin_group, contacts_group, *WORKFLOW_COMMANDS,
                *MEETING_COMMANDS):
    cli.add_command(command)


def main() -> None:
    run_main(cli)
