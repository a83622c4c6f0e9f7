"""Options and argument forms the 会商协调 commands share."""

from __future__ import annotations

import datetime as dt

import click
from sqlmodel import select

from ylyx_tasks.cli.common import DATE, PLAN_HELP
from ylyx_tasks.models import Task
from ylyx_tasks.services.meetings.matters import MatterInput

AS = click.option("--as", "username", default=None, help="以该用户身份操作（其权限生效）；默认以专班办公室身份")
TODAY = click.option("--today", type=DATE, default=None, help="按这一天办理（默认今天）")
PLAN = click.option("--plan", "plan_code", default=None, help=PLAN_HELP)


def parse_item(text: str, session, plan_id: int) -> MatterInput:
    """``事项|牵头单位|配合单位1、配合单位2|YYYY-MM-DD[|关联任务编号]`` → a MatterInput."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (4, 5):
        raise click.ClickException(f"“{text}”应写成 事项|牵头单位|配合单位（、分隔，可空）|完成时限[|关联任务编号]")
    try:
        due = dt.date.fromisoformat(parts[3])
    except ValueError:
        raise click.ClickException(f"“{parts[3]}”不是 YYYY-MM-DD 格式的日期") from None
    related = None
    if len(parts) == 5 and parts[4]:
        related = session.exec(select(Task.id).where(Task.plan_id == plan_id, Task.code == parts[4])).first()
        if related is None:
            raise click.ClickException(f"本方案没有任务 {parts[4]}")
    supporting = [s for s in parts[2].replace(",", "、").replace("，", "、").split("、") if s.strip()]
    return MatterInput(text=parts[0], lead_unit=parts[1], supporting_units=supporting, due_on=due,
                       related_task_id=related)
