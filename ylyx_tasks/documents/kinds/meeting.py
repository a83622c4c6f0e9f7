"""会议材料 (the pack prepared for a joint-meeting or working-group meeting) and 会议纪要 (its minutes, whose
议定事项 become supervised matters with owners and deadlines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Twips

from ylyx_tasks.documents import blocks as b
from ylyx_tasks.documents import gbt9704 as g
from ylyx_tasks.documents.kinds.base import DocumentContext, OfficialContext


@dataclass(frozen=True, kw_only=True)
class LaggingMatter:
    """A matter behind schedule: ``task_code``, ``task_title``, ``milestone``, ``units``, ``due_on``,
    ``days_overdue`` and ``forecast`` (the responsible unit's own view: 可按期/有风险/将逾期, or a new date)."""

    task_code: str
    task_title: str
    milestone: str
    units: str
    due_on: dt.date
    days_overdue: int
    forecast: str = ""


@dataclass(frozen=True, kw_only=True)
class Proposal:
    """A matter put to the meeting for decision (提请研究事项): ``title``, ``background``, ``proposal``."""

    title: str
    background: str
    proposal: str


@dataclass(frozen=True, kw_only=True)
class DecisionFollowUp:
    """A previous meeting's decision and how it stands: ``decision``, ``lead_unit``, ``due_on``, ``status``."""

    decision: str
    lead_unit: str
    due_on: dt.date
    status: str


@dataclass(frozen=True, kw_only=True)
class MeetingPack(DocumentContext):
    """Context of 会议材料 (besides issuing_office — the office preparing it — and issued_on):

    - ``meeting_name``: e.g. "运城市养老托育工作联席会议第三次会议"; the title is "{meeting_name}会议材料".
    - ``held_on``, ``venue``, ``chair``: 时间、地点、主持.
    - ``agenda``: 会议议程 items. ``progress``: paragraphs on 工作进展.
    - ``lagging``: LaggingMatter rows (滞后事项 table). ``proposals``: Proposal items (提请会议研究事项).
    - ``follow_ups``: DecisionFollowUp rows (上次会议议定事项落实情况).
    """

    KIND = "会议材料"

    meeting_name: str
    held_on: dt.date
    venue: str
    chair: str
    agenda: Sequence[str]
    lagging: Sequence[LaggingMatter]
    progress: Sequence[str] = ()
    proposals: Sequence[Proposal] = ()
    follow_ups: Sequence[DecisionFollowUp] = ()

    @property
    def title(self) -> str:
        return f"{self.meeting_name}会议材料"


@dataclass(frozen=True, kw_only=True)
class Decision:
    """One 议定事项: ``text``, ``lead_unit``, ``supporting_units`` (may be empty) and ``due_on``."""

    text: str
    lead_unit: str
    due_on: dt.date
    supporting_units: Sequence[str] = ()


@dataclass(frozen=True, kw_only=True)
class MeetingMinutes(OfficialContext):
    """Context of 会议纪要 (besides issuing_office, issued_on, cc — printed as 分送 —, printer, printed_on):

    - ``meeting_name``: the body, "运城市养老托育工作联席会议" (纪要标志: "{meeting_name}纪要");
      ``session``: "第三次会议"; the title is "{meeting_name}{session}纪要".
    - ``issue_no``: 纪要的期号 (第N期), printed under the 纪要标志.
    - ``held_on``, ``venue``, ``chair``; ``purpose``: what the meeting did ("听取…汇报，研究…").
    - ``summary``: paragraphs before the decisions (may be empty).
    - ``decisions``: Decision items (议定事项), listed and tabulated with lead/supporting units and deadline.
    - ``attendees``, ``observers``, ``absent``: 出席, 列席, 请假 (the last two may be empty).
    """

    KIND = "会议纪要"

    meeting_name: str
    session: str
    issue_no: int
    held_on: dt.date
    venue: str
    chair: str
    purpose: str
    decisions: Sequence[Decision]
    attendees: Sequence[str]
    summary: Sequence[str] = ()
    observers: Sequence[str] = ()
    absent: Sequence[str] = ()

    @property
    def masthead(self) -> str:
        return f"{self.meeting_name}纪要"

    @property
    def title(self) -> str:
        return f"{self.meeting_name}{self.session}纪要"


LAGGING_COLUMNS = [
    b.Column("任务", "r.task_code ~ ' ' ~ r.task_title", 2.0),
    b.Column("节点", "r.milestone", 2.0),
    b.Column("责任单位", "r.units", 1.6),
    b.Column("完成时限", "r.due_on", 2.0, centre=True),
    b.Column("逾期天数", "r.days_overdue", 0.8, centre=True),
    b.Column("单位预判", "r.forecast", 1.2, centre=True),
]
FOLLOW_UP_COLUMNS = [
    b.Column("议定事项", "r.decision", 3.2),
    b.Column("牵头单位", "r.lead_unit", 1.4),
    b.Column("完成时限", "r.due_on", 1.9, centre=True),
    b.Column("落实情况", "r.status", 1.8),
]
DECISION_COLUMNS = [
    b.Column("序号", "loop.index", 0.5, centre=True),
    b.Column("议定事项", "r.text", 3.0),
    b.Column("牵头单位", "r.lead_unit", 1.2),
    b.Column("配合单位", "r.supporting_units|join('、')", 1.6),
    b.Column("完成时限", "r.due_on", 2.0, centre=True),
]


def build_pack(doc: Document) -> None:
    """标题 and 副标题 (office, date), 一、会议议程, 二、工作进展, 三、滞后事项 (table), 四、提请会议研究事项,
    五、上次会议议定事项落实情况 (table). An internal pack: no 版头, 落款 or 版记."""
    title = b.paragraph(doc, "{{ title|title_lines }}", "Title")
    title.paragraph_format.space_before = 0  # no 版头 above it: the title opens the page
    b.paragraph(doc, "{{ issuing_office }}", "Subtitle").paragraph_format.space_after = 0
    b.paragraph(doc, "{{ issued_on }}", "Subtitle")
    b.heading(doc, "一、会议议程")
    b.paragraph(doc, "时间：{{ held_on }}；地点：{{ venue }}；主持：{{ chair }}。")
    b.tag(doc, "for item in agenda")
    b.paragraph(doc, "{{ loop.index }}. {{ item }}")
    b.tag(doc, "endfor")
    b.heading(doc, "二、工作进展")
    b.tag(doc, "for item in progress")
    b.paragraph(doc, "{{ item }}")
    b.tag(doc, "endfor")
    b.heading(doc, "三、滞后事项")
    b.list_table(doc, LAGGING_COLUMNS, "lagging", small=True)
    b.heading(doc, "四、提请会议研究事项")
    b.tag(doc, "for p in proposals")
    b.heading(doc, "（{{ loop.index|cn_numeral }}）{{ p.title }}", level=2)
    b.paragraph(doc, "{{ p.background }}")
    b.paragraph(doc, "建议：{{ p.proposal }}")
    b.tag(doc, "endfor")
    b.heading(doc, "五、上次会议议定事项落实情况")
    b.list_table(doc, FOLLOW_UP_COLUMNS, "follow_ups")


def build_minutes(doc: Document) -> None:
    """纪要标志 (10.3), 期号, the office and date above the red rule, 标题, the meeting, 一、会议议定事项,
    二、议定事项分工, 出席/列席/请假 (10.3), 版记 with 分送."""
    b.header(doc, "{{ masthead }}", None)
    b.paragraph(doc, "第{{ issue_no }}期", "MinutesNumber")
    # The office on the left and the date on the right of the line that carries the red rule.
    line = b.paragraph(doc, "{{ issuing_office }}\t{{ issued_on }}", "DocNumber")
    line.alignment = WD_ALIGN_PARAGRAPH.LEFT
    line.paragraph_format.space_before = b.line_space(1)
    line.paragraph_format.left_indent = Twips(g.chars(1))
    line._p.get_or_add_pPr().get_or_add_ind().set(qn("w:leftChars"), "100")  # the style's leftChars="0" would otherwise win in Word
    line.paragraph_format.tab_stops.add_tab_stop(Twips(g.TEXT_WIDTH - g.chars(1)), WD_TAB_ALIGNMENT.RIGHT)
    b.paragraph(doc, "{{ title|title_lines }}", "Title")
    b.paragraph(doc, "{{ held_on }}，{{ chair }}在{{ venue }}主持召开{{ meeting_name }}{{ session }}，{{ purpose }}。"
                     "现将会议议定事项纪要如下。")
    b.tag(doc, "for item in summary")
    b.paragraph(doc, "{{ item }}")
    b.tag(doc, "endfor")
    b.heading(doc, "一、会议议定事项")
    b.tag(doc, "for d in decisions")
    b.paragraph(doc, "（{{ loop.index|cn_numeral }}）{{ d.text }}（牵头单位：{{ d.lead_unit }}"
                     "{% if d.supporting_units %}；配合单位：{{ d.supporting_units|join('、') }}{% endif %}；"
                     "完成时限：{{ d.due_on }}前）")
    b.tag(doc, "endfor")
    b.heading(doc, "二、议定事项分工")
    b.list_table(doc, DECISION_COLUMNS, "decisions")
    b.paragraph(doc, "以上议定事项纳入督查督办，由{{ issuing_office }}跟踪调度，并在下次会议上通报落实情况。")
    att = b.labelled(doc, "出席：", "{{ attendees|join('，') }}")
    att.paragraph_format.space_before = b.line_space()
    b.tag(doc, "if observers")
    b.labelled(doc, "列席：", "{{ observers|join('，') }}")
    b.tag(doc, "endif")
    b.tag(doc, "if absent")
    b.labelled(doc, "请假：", "{{ absent|join('，') }}")
    b.tag(doc, "endif")
    b.colophon(doc, cc_label="分送")
