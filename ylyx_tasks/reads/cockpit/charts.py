"""Chart data from the full read model: every milestone on a time line, and the indicators on one scale."""

from __future__ import annotations

import pandas as pd

from ylyx_tasks.reads.indicators import IndicatorRow
from ylyx_tasks.reads.tasks import TaskView


def milestone_timeline(views: list[TaskView]) -> pd.DataFrame:
    """Every milestone (the 2022 and 2025 commitments) with its dates, status and light."""
    rows = []
    for v in views:
        for m in v.milestones:
            rows.append({"编号": v.code, "任务": v.title, "节点": m.label.removesuffix("节点"), "承诺": m.commitment or "完成本条任务",
                         "原定期限": pd.Timestamp(m.original_due), "现期限": pd.Timestamp(m.due_date),
                         "状态": m.status, "灯号": m.light.value, "逾期天数": m.days_overdue,
                         "已延期": "是" if m.extended else ""})
    return pd.DataFrame(rows, columns=["编号", "任务", "节点", "承诺", "原定期限", "现期限", "状态", "灯号", "逾期天数",
                                       "已延期"])


def indicator_progress(rows: list[IndicatorRow]) -> pd.DataFrame:
    """Indicators with a numeric target: baseline → latest → target, each also as a share of the target (so
    that beds, percentages and years fit on one axis). For a "reduce to" (≤) target, 100 is reached from above."""
    out = []
    for row in rows:
        ind = row.indicator
        if ind.target_value in (None, 0):
            continue
        latest = row.latest
        def rel(x: float | None) -> float | None:
            return None if x is None else round(100 * x / ind.target_value, 1)
        out.append({"指标": row.label, "类别": ind.group, "来源": ind.source, "比较": ind.comparator,
                    "基期值": ind.baseline_value, "最新值": latest.value if latest else None,
                    "最新年份": latest.year if latest else None, "目标值": ind.target_value,
                    "基期(相对目标%)": rel(ind.baseline_value), "最新(相对目标%)": rel(latest.value if latest else None),
                    "达标": {True: "已达标", False: "未达标", None: "无数据"}[row.met]})
    return pd.DataFrame(out, columns=["指标", "类别", "来源", "比较", "基期值", "最新值", "最新年份", "目标值",
                                      "基期(相对目标%)", "最新(相对目标%)", "达标"])
