"""终期评估报告: the plan's close-out — each task's milestones on time, late or unfinished, the indicators
against their targets, and each department's record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document

from ylyx_tasks.documents import blocks as b
from ylyx_tasks.documents.kinds.base import OfficialContext


@dataclass(frozen=True, kw_only=True)
class MilestoneOutcome:
    """One milestone: ``task_code``, ``task_title``, ``commitment``, ``lead_unit``, ``due_on`` and
    ``completed_on`` (None when unfinished); ``as_of`` is taken from the report for unfinished ones."""

    task_code: str
    task_title: str
    commitment: str
    lead_unit: str
    due_on: dt.date
    completed_on: dt.date | None = None

    def status(self, as_of: dt.date) -> str:
        """按期完成 / 逾期N天完成 / 未完成（逾期N天）/ 未完成 (not yet due on ``as_of``)."""
        if self.completed_on is not None:
            late = (self.completed_on - self.due_on).days
            return "按期完成" if late <= 0 else f"逾期{late}天完成"
        late = (as_of - self.due_on).days
        return f"未完成（逾期{late}天）" if late > 0 else "未完成"


@dataclass(frozen=True, kw_only=True)
class IndicatorOutcome:
    """One indicator: ``group`` (养老/托育), ``name``, ``unit``, ``baseline`` and ``target`` as written in the plan
    ("≥95"), ``actual`` (text, "" when no data), ``nature`` (约束性/预期性) and ``met`` (True/False/None)."""

    group: str
    name: str
    unit: str
    baseline: str
    target: str
    actual: str
    nature: str
    met: bool | None

    @property
    def met_text(self) -> str:
        return {True: "已达标", False: "未达标", None: "无数据"}[self.met]


@dataclass(frozen=True, kw_only=True)
class DepartmentRecord:
    """A department's record: ``unit``, tasks ``led`` and ``supported``, milestones ``due``, ``on_time``,
    ``late`` (done after the date) and ``unfinished``."""

    unit: str
    led: int
    supported: int
    due: int
    on_time: int
    late: int
    unfinished: int

    @property
    def on_time_rate(self) -> str:
        return f"{100 * self.on_time / self.due:.1f}%" if self.due else "—"


@dataclass(frozen=True, kw_only=True)
class FinalEvaluation(OfficialContext):
    """Context of 终期评估报告 (besides issuing_office, issued_on, number, cc, printer, printed_on):

    - ``plan_title``, ``plan_number``: the plan evaluated; ``period``: its period, "2021—2025年".
    - ``recipients``: 主送, usually the leading group.
    - ``as_of``: the date the evaluation counts to.
    - ``summary``: paragraphs of 总体情况 after the computed figures (may be empty).
    - ``milestones``: MilestoneOutcome rows; ``indicators``: IndicatorOutcome rows;
      ``departments``: DepartmentRecord rows — three tables, each repeating its header on every page.
    - ``problems``, ``suggestions``: paragraphs of 存在问题 and 下一步建议.

    Derived for the template: ``milestone_rows`` (each outcome with its ``status``), ``on_time_count``,
    ``late_count``, ``unfinished_count``, ``task_count`` and ``indicators_met``.
    """

    KIND = "终期评估报告"

    plan_title: str
    plan_number: str
    period: str
    recipients: Sequence[str]
    as_of: dt.date
    milestones: Sequence[MilestoneOutcome]
    indicators: Sequence[IndicatorOutcome]
    departments: Sequence[DepartmentRecord]
    summary: Sequence[str] = ()
    problems: Sequence[str] = ()
    suggestions: Sequence[str] = ()

    @property
    def title(self) -> str:
        return f"《{self.plan_title}》终期评估报告"

    @property
    def milestone_rows(self) -> list[dict[str, object]]:
        return [{"m": m, "status": m.status(self.as_of)} for m in self.milestones]

    @property
    def on_time_count(self) -> int:
        return sum(1 for r in self.milestone_rows if r["status"] == "按期完成")

    @property
    def late_count(self) -> int:
        return sum(1 for m in self.milestones if m.completed_on is not None and m.completed_on > m.due_on)

    @property
    def unfinished_count(self) -> int:
        return sum(1 for m in self.milestones if m.completed_on is None)

    @property
    def task_count(self) -> int:
        return len({m.task_code for m in self.milestones})

    @property
    def indicators_met(self) -> int:
        return sum(1 for i in self.indicators if i.met)


CONTEXT = FinalEvaluation

MILESTONE_COLUMNS = [
    b.Column("任务", "r.m.task_code ~ ' ' ~ r.m.task_title", 1.6),
    b.Column("节点承诺", "r.m.commitment", 1.9),
    b.Column("牵头单位", "r.m.lead_unit", 1.1),
    b.Column("完成时限", "r.m.due_on", 2.3, centre=True),
    b.Column("完成日期", "r.m.completed_on", 2.3, centre=True),
    b.Column("完成情况", "r.status", 1.5, centre=True),
]
INDICATOR_COLUMNS = [
    b.Column("类别", "r.group", 0.7, centre=True),
    b.Column("指标", "r.name", 2.8),
    b.Column("单位", "r.unit", 0.8, centre=True),
    b.Column("2020年", "r.baseline", 0.9, centre=True),
    b.Column("目标值", "r.target", 0.9, centre=True),
    b.Column("实际值", "r.actual", 0.9, centre=True),
    b.Column("属性", "r.nature", 0.9, centre=True),
    b.Column("是否达标", "r.met_text", 0.9, centre=True),
]
DEPARTMENT_COLUMNS = [
    b.Column("单位", "r.unit", 2.2),
    b.Column("牵头任务", "r.led", 1, centre=True),
    b.Column("配合任务", "r.supported", 1, centre=True),
    b.Column("到期节点", "r.due", 1, centre=True),
    b.Column("按期完成", "r.on_time", 1, centre=True),
    b.Column("逾期完成", "r.late", 1, centre=True),
    b.Column("未完成", "r.unfinished", 1, centre=True),
    b.Column("按期完成率", "r.on_time_rate", 1.2, centre=True),
]


def _paragraphs(doc: Document, name: str) -> None:
    b.tag(doc, f"for item in {name}")
    b.paragraph(doc, "{{ item }}")
    b.tag(doc, "endfor")


def build(doc: Document) -> None:
    """版头, 标题, 主送, 一、总体情况, 二、任务和节点完成情况, 三、主要指标完成情况, 四、部门履职情况, 五、存在问题,
    六、下一步建议, 落款, 版记."""
    b.header(doc, "{{ issuing_office }}", "{{ number }}")
    b.paragraph(doc, "{{ title|title_lines }}", "Title")
    b.paragraph(doc, "{{ recipients|join('，') }}：", "Addressee")
    b.paragraph(doc, "根据《{{ plan_title }}》（{{ plan_number }}）“调度评估”工作机制，我办对方案实施期"
                     "（{{ period }}）各项任务、时间节点和主要指标完成情况进行了终期评估。现将有关情况报告如下。")
    b.heading(doc, "一、总体情况")
    b.paragraph(doc, "截至{{ as_of }}，方案确定的{{ task_count }}项任务、{{ milestones|length }}个时间节点中，"
                     "按期完成{{ on_time_count }}个，逾期完成{{ late_count }}个，未完成{{ unfinished_count }}个；"
                     "{{ indicators|length }}项主要指标中，已达到目标值{{ indicators_met }}项。")
    _paragraphs(doc, "summary")
    b.heading(doc, "二、任务和节点完成情况")
    b.list_table(doc, MILESTONE_COLUMNS, "milestone_rows", small=True)
    b.heading(doc, "三、主要指标完成情况")
    b.list_table(doc, INDICATOR_COLUMNS, "indicators", small=True)
    b.heading(doc, "四、部门履职情况")
    b.list_table(doc, DEPARTMENT_COLUMNS, "departments", small=True)
    b.heading(doc, "五、存在问题")
    _paragraphs(doc, "problems")
    b.heading(doc, "六、下一步建议")
    b.tag(doc, "for item in suggestions")
    b.paragraph(doc, "{{ item }}", keep_next=True)
    b.tag(doc, "endfor")
    b.signature(doc, "{{ issuing_office }}", "{{ issued_on }}")
    b.colophon(doc)
