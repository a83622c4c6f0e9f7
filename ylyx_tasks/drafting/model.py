"""What a draft is: the clauses drafted from a plan document, each with the drafter's doubts.

A draft is a proposal for the office to check, never a decision: every place the drafter is unsure of is a
``Doubt`` (疑点) with a Chinese message, attached to the clause and field it concerns, or to the document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ylyx_tasks.errors import InvalidInput


class DraftError(InvalidInput):
    """The document cannot be read at all (unknown format, broken file, undecodable text). The message is
    Chinese and meant for the user as it is."""


@dataclass(frozen=True)
class Doubt:
    """Something the office must check. ``field`` names what it is about: ``code``, ``title``, ``clause_text``,
    ``lead``, ``supporting``, ``county``, ``milestones`` — or ``document`` for the document as a whole."""

    field: str
    message: str


@dataclass(frozen=True)
class MilestoneDraft:
    """A dated commitment (节点): due at the end of the day ``due``; ``text`` is the plan's own sentence(s),
    verbatim, without the final 。, several commitments due the same day joined with ；."""

    due: date
    text: str

    def to_record(self) -> dict[str, str]:
        return {"due": self.due.isoformat(), "text": self.text}


@dataclass
class ClauseDraft:
    """One task clause (任务条款) as the document states it.

    ``lead`` may hold several co-leads (共同牵头); ``county`` means every county-level government is
    responsible on its own territory (属地责任). ``source_line`` is where the clause starts in the document:
    the line number of a text file, the paragraph/table-row position in a Word file, the row of a sheet.
    """

    code: str
    section: str
    title: str
    clause_text: str
    lead: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    county: bool = False
    milestones: list[MilestoneDraft] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    source_line: int = 0

    def to_record(self) -> dict[str, Any]:
        """The clause as plain JSON-ready data (``doubts`` as messages; ``doubt_fields`` says which field each
        message is about, in the same order, so that a page can highlight it)."""
        return {
            "code": self.code,
            "section": self.section,
            "title": self.title,
            "clause_text": self.clause_text,
            "lead": list(self.lead),
            "supporting": list(self.supporting),
            "county": self.county,
            "milestones": [m.to_record() for m in self.milestones],
            "doubts": [d.message for d in self.doubts],
            "doubt_fields": [d.field for d in self.doubts],
            "source_line": self.source_line,
        }


@dataclass
class PlanDraft:
    """The drafted task list. ``doubts`` concern the document as a whole; ``unknown_units`` maps every unit
    name not found among the known units (or their aliases) to the closest known names, best first."""

    clauses: list[ClauseDraft] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    unknown_units: dict[str, list[str]] = field(default_factory=dict)

    def to_records(self) -> list[dict[str, Any]]:
        return [clause.to_record() for clause in self.clauses]

    def to_json(self, *, indent: int | None = 2) -> str:
        """The clauses as a JSON list of objects (Chinese kept as it is, not escaped)."""
        return json.dumps(self.to_records(), ensure_ascii=False, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        """Everything: the clauses, the document's doubts and the unknown units."""
        return {
            "clauses": self.to_records(),
            "doubts": [d.message for d in self.doubts],
            "unknown_units": {name: list(close) for name, close in self.unknown_units.items()},
        }
