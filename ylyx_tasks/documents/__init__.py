"""The documents the office issues, as Chinese offices issue them — plain data in, bytes out; no database.

Word (GB/T 9704-2012 《党政机关公文格式》), from docxtpl templates offices can edit in WPS or Word:

    render_document(context, *, created, override_dir=None) -> bytes

with ``context`` one of SupervisionNotice (督办通知单), ProgressBulletin (通报), FinalEvaluation (终期评估报告),
MeetingPack (会议材料), MeetingMinutes (会议纪要). Spreadsheets: write_xlsx(...) and write_csv(...).
PDF via LibreOffice: pdf.convert(...). See README.md in this folder.
"""

from __future__ import annotations

from ylyx_tasks.documents import examples
from ylyx_tasks.documents.kinds import KINDS
from ylyx_tasks.documents.kinds.bulletin import OverdueMatter, ProgressBulletin, ProgressFigures, RepeatUnit
from ylyx_tasks.documents.kinds.evaluation import (
                                                   DepartmentRecord,
                                                   FinalEvaluation,
                                                   IndicatorOutcome,
                                                   MilestoneOutcome,
)
from ylyx_tasks.documents.kinds.meeting import (
                                                   Decision,
                                                   DecisionFollowUp,
                                                   LaggingMatter,
                                                   MeetingMinutes,
                                                   MeetingPack,
                                                   Proposal,
)
from ylyx_tasks.documents.kinds.notice import SupervisionNotice, supervision_cc
from ylyx_tasks.documents.render import DocumentTemplateError, render_document, template_source
from ylyx_tasks.documents.sheets import csv_field, write_csv, write_xlsx

__all__ = [
    "KINDS", "DocumentTemplateError", "render_document", "template_source", "examples",
    "SupervisionNotice", "supervision_cc", "ProgressBulletin", "ProgressFigures", "OverdueMatter", "RepeatUnit",
    "FinalEvaluation", "MilestoneOutcome", "IndicatorOutcome", "DepartmentRecord",
    "MeetingPack", "LaggingMatter", "Proposal", "DecisionFollowUp", "MeetingMinutes", "Decision",
    "write_xlsx", "write_csv", "csv_field",
]
