"""The document kinds: each kind's context dataclass and the function that lays out its template.

``KINDS`` maps the kind's name — also its template's file name, "督办通知单" → 督办通知单.docx — to both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from docx.document import Document

from ylyx_tasks.documents.kinds import bulletin, evaluation, meeting_pack, minutes, notice
from ylyx_tasks.documents.kinds.base import DocumentContext


class Kind(NamedTuple):
    context: type[DocumentContext]
    build: Callable[[Document], None]


KINDS: dict[str, Kind] = {
    module.CONTEXT.KIND: Kind(module.CONTEXT, module.build) for module in (notice, bulletin, evaluation, meeting_pack, minutes)
}
