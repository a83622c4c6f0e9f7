"""The task list as a table: tasks with their units, milestones, status, light and days overdue."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ylyx_tasks.reads.tasks import TaskView

MILESTONE_KEYS = ("2022", "2025")


def tasks_frame(views: list[TaskView]) -> pd.DataFrame:
    """One row per task, milestones side by side, with Chinese column names."""
    rows = []
    for v in views:
        lead = v.lead
        row = {
            "编号": v.code, "部分": v.section, "任务": v.title, "工作专班": v.working_group,
            "牵头单位": lead.name if lead else "", "配合单位": "、".join(u.name for u in v.supporting),
            "属地责任": "各县（市、区）人民政府、运城开发区管委会" if v.territorial else "",
            "状态": v.status, "灯号": v.light.value, "进度(%)": v.progress,
            "下一节点到期": _date(v.next_due), "逾期天数": v.days_overdue,
            "最近报送期": v.last_report_period or "", "未按时报送": "是" if v.report_late else "",
        }
        by_key = {m.key: m for m in v.milestones}
        for key in MILESTONE_KEYS:
            m = by_key.get(key)
            row[f"{key}年节点"] = (m.commitment or "完成本条任务") if m else ""
            row[f"{key}年节点原定期限"] = _date(m.original_due) if m else ""
            row[f"{key}年节点现期限"] = _date(m.due_date) if m else ""
            row[f"{key}年节点状态"] = m.status if m else ""
            row[f"{key}年节点逾期天数"] = m.days_overdue if m else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
