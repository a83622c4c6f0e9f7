"""通报（第N期）: the periodic bulletin on progress — figures, the matters and units behind schedule, good
examples, and the deadline to put things right (限期整改)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document

from ylyx_tasks.documents import blocks as b
from ylyx_tasks.documents.kinds.base import OfficialContext


@dataclass(frozen=True, kw_only=True)
class ProgressFigures:
    """总体进展 in numbers: ``tasks_total`` / ``tasks_done`` tasks; of the milestones due so far
    (``milestones_due``), ``on_time``, ``late_done`` (completed after the date) and ``overdue_open``."""

    tasks_total: int
    tasks_done: int
    milestones_due: int
    on_time: int
    late_done: int
    overdue_open: int

    @property
    def on_time_rate(self) -> str:
        """按期完成率 as printed, "85.7%"; "—" when nothing was due yet."""
        return f"{100 * self.on_time / self.milestones_due:.1f}%" if self.milestones_due else "—"


@dataclass(frozen=True, kw_only=True)
class OverdueMatter:
    """One row of the 逾期事项 table: task (``task_code`` ``task_title``), ``milestone`` (节点), ``due_on``,
    ``units`` (责任单位, lead first), ``days_overdue`` and ``reason`` (事由, the unit's own or the office's)."""

    task_code: str
    task_title: str
    milestone: str
    due_on: dt.date
    units: str
    days_overdue: int
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RepeatUnit:
    """A unit listed again: ``unit`` and ``times`` it has been listed (this issue included)."""

    unit: str
    times: int


@dataclass(frozen=True, kw_only=True)
class ProgressBulletin(OfficialContext):
    """Context of 通报 (besides issuing_office, issued_on, number, cc, printer, printed_on):

    - ``subject``: what is reported on, e.g. "全市养老托育重点任务" (title: 关于{subject}工作进展情况的通报（第N期）).
    - ``issue_no``: N, the bulletin's own sequence number.
    - ``recipients``: 主送 — the leading group and all units, in order.
    - ``as_of``: 截至 date of the figures; ``figures``: a ProgressFigures.
    - ``progress_notes``: further paragraphs on overall progress (may be empty).
    - ``overdue``: OverdueMatter rows (the table repeats its header on every page).
    - ``repeat_units``: RepeatUnit for the units listed more than once.
    - ``good_examples``: paragraphs on 典型经验 (may be empty: the section is left out).
    - ``requirements``: 工作要求, one paragraph each; ``rectify_by``: the 限期整改 deadline.
    - ``contact_name``, ``contact_phone``: the office's contact.

    ``cc`` should include the 领导小组 (the bulletin goes up as well as out).
    """

    KIND = "通报"

    subject: str
    issue_no: int
    recipients: Sequence[str]
    as_of: dt.date
    figures: ProgressFigures
    overdue: Sequence[OverdueMatter]
    rectify_by: dt.date
    contact_name: str
    contact_phone: str
    progress_notes: Sequence[str] = ()
    repeat_units: Sequence[RepeatUnit] = ()
    good_examples: Sequence[str] = ()
    requirements: Sequence[str] = ()

    @property
    def title(self) -> str:
        return f"关于{self.subject}工作进展情况的通报（第{self.issue_no}期）"


CONTEXT = ProgressBulletin

OVERDUE_COLUMNS = [
    b.Column("序号", "loop.index", 0.45, centre=True),
    b.Column("任务", "r.task_code ~ ' ' ~ r.task_title", 2.0),
    b.Column("节点", "r.milestone ~ '（' ~ (r.due_on|cn_date) ~ '）'", 2.2),
    b.Column("责任单位", "r.units", 2.0),
    b.Column("逾期天数", "r.days_overdue", 0.75, centre=True),
    b.Column("事由", "r.reason", 2.0),
]


def build(doc: Document) -> None:
    """版头, 标题, 主送, 一、总体进展, 二、滞后事项和单位 (table), 三、典型经验, 四、工作要求 (限期整改), 落款, 版记."""
    b.header(doc, "{{ issuing_office }}", "{{ number }}")
    b.paragraph(doc, "{{ title|title_lines }}", "Title")
    b.paragraph(doc, "{{ recipients|join('，') }}：", "Addressee")
    b.paragraph(doc, "按照“通报督办”工作机制，现将截至{{ as_of }}{{ subject }}工作进展情况通报如下。")
    b.heading(doc, "一、总体进展")
    b.paragraph(doc, "截至{{ as_of }}，纳入清单管理的{{ figures.tasks_total }}项任务中，已完成{{ figures.tasks_done }}项；"
                     "已到期节点{{ figures.milestones_due }}个，按期完成{{ figures.on_time }}个，逾期完成"
                     "{{ figures.late_done }}个，逾期未完成{{ figures.overdue_open }}个，按期完成率"
                     "{{ figures.on_time_rate }}。")
    b.tag(doc, "for item in progress_notes")
    b.paragraph(doc, "{{ item }}")
    b.tag(doc, "endfor")
    b.heading(doc, "二、滞后事项和单位")
    b.paragraph(doc, "截至{{ as_of }}，以下{{ overdue|length }}个节点逾期未完成：", keep_next=True)
    b.list_table(doc, OVERDUE_COLUMNS, "overdue", small=True)
    b.tag(doc, "if repeat_units")
    b.paragraph(doc, "其中，{% for u in repeat_units %}{{ u.unit }}（第{{ u.times }}次被通报）"
                     "{% if not loop.last %}、{% endif %}{% endfor %}多次被列入通报，请主要负责同志高度重视，"
                     "认真分析原因，切实加快进度。")
    b.tag(doc, "endif")
    b.tag(doc, "if good_examples")
    b.heading(doc, "三、典型经验")
    b.tag(doc, "for item in good_examples")
    b.paragraph(doc, "{{ item }}")
    b.tag(doc, "endfor")
    b.tag(doc, "endif")
    b.heading(doc, "{{ '四' if good_examples else '三' }}、工作要求")
    b.tag(doc, "for item in requirements")
    b.paragraph(doc, "（{{ loop.index|cn_numeral }}）{{ item }}")
    b.tag(doc, "endfor")
    b.paragraph(doc, "（{{ (requirements|length + 1)|cn_numeral }}）限期整改。请上述单位于{{ rectify_by }}前完成整改，"
                     "并将整改情况书面报送我办；逾期仍未完成的，将提请对单位主要负责同志进行约谈。")
    b.paragraph(doc, "联系人：{{ contact_name }}；联系电话：{{ contact_phone }}。", keep_next=True)
    b.signature(doc, "{{ issuing_office }}", "{{ issued_on }}")
    b.colophon(doc)
