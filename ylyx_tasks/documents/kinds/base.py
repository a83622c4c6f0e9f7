"""What every document context has: the issuing office and date, and for 公文 the 版头 and 版记 fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class DocumentContext:
    """Fields of every kind.

    - ``issuing_office``: 发文机关 — printed as 发文机关标志 and 落款, and the document's author.
    - ``issued_on``: 成文日期 (a ``datetime.date``), printed "2026年11月30日".

    Subclasses set ``KIND`` (the template's file name without ".docx") and define ``title``.
    """

    KIND: ClassVar[str] = ""

    issuing_office: str
    issued_on: dt.date

    @property
    def title(self) -> str:
        """The document's title (标题), also its core-properties title."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class OfficialContext(DocumentContext):
    """A 公文 with 版头 and 版记, adding:

    - ``number``: 发文字号, e.g. "运养托督〔2026〕12号" (六角括号〔〕, GB/T 9704 7.2.4); "" when it has none.
    - ``cc``: 抄送机关, in the order printed (higher bodies first); empty leaves out the 抄送 line.
    - ``printer``: 印发机关; "" means the issuing office.
    - ``printed_on``: 印发日期; None means ``issued_on``.
    """

    number: str = ""
    cc: Sequence[str] = ()
    printer: str = ""
    printed_on: dt.date | None = None

    def __post_init__(self) -> None:
        # Resolve the defaults once, so that the template reads plain values.
        if not self.printer:
            object.__setattr__(self, "printer", self.issuing_office)
        if self.printed_on is None:
            object.__setattr__(self, "printed_on", self.issued_on)


def template_context(context: DocumentContext) -> dict[str, Any]:
    """The names a template sees: every field of ``context`` and every property of its class (``title`` …)."""
    values = {f.name: getattr(context, f.name) for f in fields(context)}
    for cls in type(context).__mro__:
        for name, member in vars(cls).items():
            if isinstance(member, property) and not name.startswith("_") and name not in values:
                values[name] = getattr(context, name)
    return values
