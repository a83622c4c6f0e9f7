"""Drafting a plan's task list from the plan document (起草任务清单): a pure package.

    source = read_source(data, "方案.docx")            # or read_text(pasted)
    draft = draft_plan(source, known_units=names, plan_end=date(2030, 12, 31))
    draft.clauses, draft.doubts, draft.unknown_units, draft.to_json()

No database, no Streamlit, no clock: the CLI (``plan draft``) and the admin page wrap it.
"""

from __future__ import annotations

from ylyx_tasks.drafting.draft import draft_plan
from ylyx_tasks.drafting.model import ClauseDraft, Doubt, DraftError, MilestoneDraft, PlanDraft
from ylyx_tasks.drafting.source import Source, read_source, read_text

__all__ = ["ClauseDraft", "Doubt", "DraftError", "MilestoneDraft", "PlanDraft", "Source", "draft_plan",
           "read_source", "read_text"]
