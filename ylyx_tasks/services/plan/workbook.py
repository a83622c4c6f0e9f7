"""Everything in one Excel workbook (管理 → 导出全部): tasks, milestones, responsibilities, reports, requests,
notices, indicators and their values, scorecards and the county matrix — one sheet each."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.roles import SYSTEM
from ylyx_tasks.models import Department, ProgressReport, ReviewRequest, Task
from ylyx_tasks.reads.cockpit.charts import milestone_timeline
from ylyx_tasks.reads.indicators import list_indicators
from ylyx_tasks.reads.matrix import county_matrix
from ylyx_tasks.reads.notices import notice_briefs, notices_frame
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.scorecards import scorecards
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services.plan.export import tasks_frame
from ylyx_tasks.services.plan.tables import to_xlsx_bytes


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """The local time of an instant, without its zone (an .xlsx date-time cell); None leaves the cell empty."""
    return value.astimezone(get_settings().tz).replace(tzinfo=None) if value else None


def scorecards_frame(cards) -> pd.DataFrame:
    """Ranked units numbered 1, 2, 3…; a unit with nothing measurable yet has no rank (listed after them)."""
    rows = []
    ranked = [c for c in cards if c.measurable]
    for rank, c in enumerate(ranked + [c for c in cards if not c.measurable], start=1):
        rate = c.on_time_rate
        rows.append({"排名": rank if c.measurable else None, "单位": c.department, "类别": c.kind, "牵头任务": c.led, "配合任务": c.supported,
                     "属地任务": c.territorial, "到期节点": c.milestones_due, "按时完成": c.completed_on_time,
                     "按时完成率(%)": None if rate is None else round(100 * rate, 1), "逾期节点": c.overdue,
                     "未按时报送": c.missing_reports, "催报": c.chased, "督办": c.supervise, "通报": c.circulate,
                     "重复通报": c.repeat_circulate, "得分": c.score, "扣分": c.deductions})
    return pd.DataFrame(rows, columns=["排名", "单位", "得分", "扣分", "类别", "牵头任务", "配合任务", "属地任务", "到期节点",
                                       "按时完成", "按时完成率(%)", "逾期节点", "未按时报送", "催报", "督办", "通报",
                                       "重复通报"])


def indicators_frame(rows) -> pd.DataFrame:
    """One row per indicator; base and target each with their own year (a plan's period is its own)."""
    out = []
    for row in rows:
        ind, latest = row.indicator, row.latest
        out.append({"类别": ind.group, "序号": ind.no, "指标": ind.name, "单位": ind.unit, "基期年份": row.base_year,
                    "基期值": ind.baseline_text, "目标年份": row.target_year, "目标值": ind.target_text,
                    "比较": ind.comparator, "属性": ind.nature, "来源": ind.source,
                    "最新值": latest.value if latest else None, "最新年份": latest.year if latest else None,
                    "是否达标": {True: "已达标", False: "未达标", None: "无数据"}[row.met], "说明": ind.note})
    return pd.DataFrame(out, columns=["类别", "序号", "指标", "单位", "基期年份", "基期值", "目标年份", "目标值", "比较", "属性",
                                      "来源", "最新值", "最新年份", "是否达标", "说明"])


def indicator_values_frame(rows) -> pd.DataFrame:
    out = [{"指标": row.label, "年份": v.year, "数值": v.value, "数据来源": v.note, "演示数据": "是" if v.is_demo else ""}
           for row in rows for v in row.values]
    return pd.DataFrame(out, columns=["指标", "年份", "数值", "数据来源", "演示数据"])


def _reports(session: Session, plan_id: int) -> pd.DataFrame:
    rows = session.execute(select(ProgressReport, Task.code, Department.name)
                           .join(Task, Task.id == ProgressReport.task_id)
                           .join(Department, Department.id == ProgressReport.department_id)
                           .where(Task.plan_id == plan_id).order_by(ProgressReport.id)).all()
    return pd.DataFrame([{"任务编号": code, "单位": dept, "责任": r.duty, "报送期": r.period,
                          "报送日期": r.reported_on, "进度(%)": r.percent, "进展情况": r.text,
                          "佐证材料": r.evidence, "演示数据": "是" if r.is_demo else ""} for r, code, dept in rows],
                        columns=["任务编号", "单位", "责任", "报送期", "报送日期", "进度(%)", "进展情况", "佐证材料", "演示数据"])


def _requests(session: Session, plan_id: int) -> pd.DataFrame:
    rows = session.execute(select(ReviewRequest, Task.code, Department.name)
                           .join(Task, Task.id == ReviewRequest.task_id)
                           .join(Department, Department.id == ReviewRequest.department_id)
                           .where(Task.plan_id == plan_id).order_by(ReviewRequest.id)).all()
    return pd.DataFrame([{"任务编号": code, "类型": r.kind, "状态": r.status, "单位": dept, "说明": r.text,
                          "链接": r.links, "申请期限": r.new_due_date,
                          "申请时间": _local(r.requested_at), "决定时间": _local(r.decided_at), "意见": r.decision_note}
                         for r, code, dept in rows],
                        columns=["任务编号", "类型", "状态", "单位", "说明", "链接", "申请期限", "申请时间", "决定时间", "意见"])


def _responsibilities(views) -> pd.DataFrame:
    return pd.DataFrame([{"任务编号": v.code, "任务": v.title, "单位": u.name, "单位类别": u.kind, "责任": u.duty}
                         for v in views for u in v.units], columns=["任务编号", "任务", "单位", "单位类别", "责任"])


def export_everything(session: Session, today: dt.date, plan: PlanInfo) -> bytes:
    """One plan's whole state as .xlsx (what an office files, or sends to the leading group)."""
    settings = get_settings()
    views = load_task_views(session, today, plan_id=plan.id)
    indicators = list_indicators(session, plan.id)
    notices = notice_briefs(session, SYSTEM, plan_id=plan.id)
    matrix = county_matrix(session, plan.id).frame().reset_index()
    sheets = {
        "任务清单": tasks_frame(views, plan),
        "时间节点": milestone_timeline(views).assign(原定期限=lambda d: d["原定期限"].dt.date,
                                                      现期限=lambda d: d["现期限"].dt.date),
        "责任分工": _responsibilities(views),
        "进展报送": _reports(session, plan.id),
        "办结与延期申请": _requests(session, plan.id),
        "督办通知": notices_frame(notices, today),
        "主要指标": indicators_frame(indicators),
        "指标数值": indicator_values_frame(indicators),
        "单位评分": scorecards_frame(scorecards(session, today, report_due_day=settings.report_due_day, plan=plan)),
        "县区进展矩阵": matrix,
    }
    name = plan.short_name or plan.title
    return to_xlsx_bytes(sheets, unit=plan.issuing_office, as_of=today,
                         sheet_titles={sheet: f"{name}{sheet}" for sheet in sheets})
