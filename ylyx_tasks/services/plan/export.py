"""The task list as a table: tasks with their units, milestones, status, light and days overdue."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.tasks import TaskView


def tasks_frame(views: list[TaskView], plan: PlanInfo | None = None) -> pd.DataFrame:
    """One row per task, milestones side by side, with Chinese column names; the territorial duty as the plan
    words it (各县（市、区）人民政府…)."""
    rows = []
    territorial = plan.territorial_phrase if plan else "是"
    for v in views:
        row = {
            "编号": v.code, "部分": v.section, "任务": v.title, "工作专班": v.working_group,
            "牵头单位": "、".join(u.name for u in v.leads), "配合单位": "、".join(u.name for u in v.supporting),
            "属地责任": territorial if v.territorial else "",
            "状态": v.status, "灯号": v.light.value, "进度(%)": v.progress,
            "下一节点到期": _date(v.next_due), "逾期天数": v.days_overdue,
            "最近报送期": v.last_report_period or "", "未按时报送": "是" if v.report_late else "",
        }
        for i, m in enumerate(v.milestones, start=1):  # a plan's clauses have as many dated commitments as they say
            row[f"节点{i}"] = f"{m.label}：{m.commitment or '完成本条任务'}"
            row[f"节点{i}原定期限"] = _date(m.original_due)
            row[f"节点{i}现期限"] = _date(m.due_date)
            row[f"节点{i}状态"] = m.status
            row[f"节点{i}逾期天数"] = m.days_overdue
        rows.append(row)
    return pd.DataFrame(rows)


def _date(day: dt.date | None) -> dt.date | None:
    """A real date (an .xlsx date cell, ISO in CSV); None leaves the cell empty."""
    return day
