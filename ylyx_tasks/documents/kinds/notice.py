"""督办通知单: the office's formal notice to the lead unit of an overdue matter, with its 回执 (反馈单)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document

from ylyx_tasks.documents import blocks as b
from ylyx_tasks.documents.kinds.base import OfficialContext

@dataclass(frozen=True, kw_only=True)
class SupervisionNotice(OfficialContext):
    """Context of 督办通知单 (besides issuing_office, issued_on, number, cc, printer, printed_on):

    - ``plan_title``: the plan's title without 《》; ``plan_number``: its 文号 (督办依据 cites both).
    - ``lead_unit``: 牵头单位, the 主送机关. ``supporting_units``: 配合单位 (may be empty);
      ``territorial_units``: how the plan names the territorial units when they have 属地责任 for the task
      ("各县（市、区）人民政府、运城开发区管委会"; each plan its own), empty when they have none.
    - ``task_code``, ``task_title``: the task ("3.2.1", "…"); ``clause_text``: the clause's own words.
    - ``commitment``: the milestone's commitment; ``due_on``: its due date; ``as_of``: the date the overrun is
      counted to; ``days_overdue``: days past ``due_on`` on ``as_of``.
    - ``requirements``: the office's 办理要求, one paragraph each (numbered （一）（二）… in the document).
    - ``answer_by``: 反馈时限 ("请于2026年12月7日前反馈").
    - ``contact_name``, ``contact_phone``: the office's 联系人 and 联系电话.

    ``cc`` is usually ``supervision_cc(...)``: the 领导小组, the supporting units, the county governments.
    """

    KIND = "督办通知单"

    plan_title: str
    plan_number: str
    lead_unit: str
    task_code: str
    task_title: str
    clause_text: str
    commitment: str
    due_on: dt.date
    as_of: dt.date
    days_overdue: int
    answer_by: dt.date
    contact_name: str
    contact_phone: str
    supporting_units: Sequence[str] = ()
    territorial_units: str = ""
    requirements: Sequence[str] = ()

    @property
    def title(self) -> str:
        return f"关于督促落实{self.task_code}“{self.task_title}”任务的督办通知"


CONTEXT = SupervisionNotice


def supervision_cc(*, leading_group: str, supporting_units: Sequence[str], territorial_units: str = "") -> list[str]:
    """抄送 of a 督办通知单 in the printed order: the leading group (the higher body) first, then the supporting
    units, then the territorial units (as the plan names them) when they have territorial duty."""
    return [leading_group, *supporting_units, *([territorial_units] if territorial_units else [])]


def build(doc: Document) -> None:
    """The template's body: 版头, 标题, 主送, 督办依据, 督办事项, 办理要求, 联系方式, 附件说明, 落款, then the
    反馈单 on its own page (7.3.7) and the 版记 at the foot of that last page."""
    b.header(doc, "{{ issuing_office }}", "{{ number }}")
    b.paragraph(doc, "{{ title|title_lines }}", "Title")
    b.paragraph(doc, "{{ lead_unit }}：", "Addressee")
    b.paragraph(doc, "根据《{{ plan_title }}》（{{ plan_number }}）确定的“通报督办”工作机制，现将你单位牵头负责的"
                     "以下逾期事项予以督办，请认真研究办理，并按时反馈。")
    b.heading(doc, "一、督办事项")
    b.paragraph(doc, "任务{{ task_code }}“{{ task_title }}”。方案原文：“{{ clause_text }}”")
    b.paragraph(doc, "节点承诺：{{ commitment }}，完成时限为{{ due_on }}。截至{{ as_of }}，该节点已逾期"
                     "{{ days_overdue }}天，尚未办结。")
    b.tag(doc, "if supporting_units or territorial_units")
    b.paragraph(doc, "{% if supporting_units %}配合单位：{{ supporting_units|join('、') }}，请按职责分工协同推进"
                     "{% endif %}{% if supporting_units and territorial_units %}；{% endif %}{% if territorial_units %}"
                     "{{ territorial_units }}落实属地责任{% endif %}。")
    b.tag(doc, "endif")
    b.heading(doc, "二、办理要求")
    b.tag(doc, "for item in requirements")
    b.paragraph(doc, "（{{ loop.index|cn_numeral }}）{{ item }}")
    b.tag(doc, "endfor")
    b.paragraph(doc, "（{{ (requirements|length + 1)|cn_numeral }}）请于{{ answer_by }}前反馈：将《督办事项办理情况反馈单》"
                     "（见附件）加盖公章后报送我办；确实无法按期完成的，须说明原因、已采取的措施和预计完成日期。"
                     "逾期不反馈或整改不到位的，将列入全市养老托育工作进展情况通报。")
    b.heading(doc, "三、联系方式")
    # Kept with the 附件说明 and 落款, so the signature never stands on a page of its own (7.3.5.4 asks that
    # the seal's page keep body text).
    b.paragraph(doc, "联系人：{{ contact_name }}；联系电话：{{ contact_phone }}。", keep_next=True)
    b.paragraph(doc, "附件：督办事项办理情况反馈单", "AttachmentNote", keep_next=True)
    b.signature(doc, "{{ issuing_office }}", "{{ issued_on }}")

    b.attachment(doc, "附件", "督办事项办理情况反馈单")
    b.form_table(doc, [
        ("督办通知文号", "{{ number }}", 11),
        ("督办事项", "{{ task_code }} {{ task_title }}", 11),
        ("承办单位", "{{ lead_unit }}", 11),
        (("联系人", ""), ("联系电话", "")),
        ("办理情况", "", 30),
        ("未完成原因", "", 18),
        (("预计完成日期", ""), ("签收日期", "")),
        ("单位负责人签字（盖章）", "\n\n年　　月　　日　　", 20, "right"),
    ])
    b.paragraph(doc, "请于{{ answer_by }}前将本反馈单加盖公章后报送我办。")
    b.colophon(doc)
