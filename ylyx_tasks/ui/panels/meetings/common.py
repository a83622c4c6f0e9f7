"""What the meetings panels share: units and tasks of the plan to choose from, the rows of a matters form."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlmodel import select

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import Department, Task
from ylyx_tasks.reads.meetings import meeting as meeting_reads
from ylyx_tasks.reads.plans import PlanInfo, rules_for
from ylyx_tasks.services.meetings.matters import MatterInput

MATTER_COLUMNS = ["事项", "牵头单位", "配合单位", "完成时限", "关联任务"]
__all__ = ["MATTER_COLUMNS", "MatterInput", "empty_matters", "local_day", "matter_inputs", "matters_frame", "task_codes",
           "unit_names"]


def local_day(at: dt.datetime) -> str:
    """The office's date of a stored timestamp (stored in UTC)."""
    return at.astimezone(get_settings().tz).date().isoformat()


def unit_names() -> list[str]:
    with read_session() as s:
        return list(s.exec(select(Department.name).where(Department.active).order_by(Department.id)))


def task_codes(plan: PlanInfo) -> dict[str, int]:
    with read_session() as s:
        return dict(s.exec(select(Task.code, Task.id).where(Task.plan_id == plan.id).order_by(Task.position)).all())


def matters_frame(plan: PlanInfo, today: dt.date, **kw) -> pd.DataFrame:
    with read_session() as s:
        rows = meeting_reads.matters(s, plan.id, today, rules_for(plan), **kw)
    return pd.DataFrame([{"编号": d.view.code, "来源": d.source, "事项": d.view.title, "牵头单位": d.lead,
                          "配合单位": "、".join(d.supporting), "完成时限": d.due, "灯号": d.light.value,
                          "状态": d.view.status, "进度": d.view.progress, "关联任务": d.related_code}
                         for d in rows], columns=["编号", "来源", "事项", "牵头单位", "配合单位", "完成时限", "灯号",
                                                  "状态", "进度", "关联任务"])


def empty_matters(rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"事项": [""] * rows, "牵头单位": [None] * rows, "配合单位": [""] * rows,
                         "完成时限": [None] * rows, "关联任务": [None] * rows})


def matter_inputs(frame: pd.DataFrame | None, codes: dict[str, int]) -> list[MatterInput]:
    """The filled rows of a matters editor (a row without its text is left out; one half-filled is refused)."""
    out = []
    if frame is None:
        return out
    for number, row in enumerate(pd.DataFrame(frame).to_dict("records"), start=1):
        text = str(row.get("事项") or "").strip()
        if not text:
            continue
        due = row.get("完成时限")
        if due is None or (isinstance(due, float) and pd.isna(due)) or pd.isna(due):
            raise InvalidInput(f"第 {number} 行：请填写完成时限")
        if isinstance(due, str):
            due = dt.date.fromisoformat(due[:10])
        elif isinstance(due, (pd.Timestamp, dt.datetime)):
            due = due.date()
        supporting = [x for x in str(row.get("配合单位") or "").replace(",", "、").replace("，", "、").split("、")
                      if x.strip()]
        related = row.get("关联任务")
        out.append(MatterInput(text=text, lead_unit=str(row.get("牵头单位") or ""), due_on=due,
                               supporting_units=supporting,
                               related_task_id=codes.get(str(related)) if related else None))
    return out
