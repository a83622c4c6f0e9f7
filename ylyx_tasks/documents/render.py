"""Render a document kind: its template (an office's own copy first), the context, bytes out.

Every value printed by a template passes through ``_finalize``: control characters XML cannot hold are
stripped (text pasted from Word brings \\x0b and worse), dates print as "2026年11月30日", None prints nothing;
then autoescape makes < & > literal text. Templates run in Jinja's sandbox, since offices edit them.
"""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ylyx_tasks.documents.finishing import centre_signature, fit_masthead, set_metadata
from ylyx_tasks.documents.kinds import KINDS
from ylyx_tasks.documents.kinds.base import DocumentContext, template_context
from ylyx_tasks.documents.text import clean_text, cn_date, cn_numeral, join_units, title_lines


class DocumentTemplateError(ValueError):
    """A template could not be rendered (a tag names a field the context lacks, or the template is broken)."""


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):  # e.g. the output of |join, already escaped: clean, keep it escaped
        return Markup(clean_text(str(value)))
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dt.date):
        return cn_date(value)
    return value


def jinja_environment() -> SandboxedEnvironment:
    """The environment templates render in: sandboxed, autoescaping, strict about unknown names, with the
    filters ``cn_date`` (2026年11月30日), ``cn_numeral`` (3 → 三), ``join_units`` (、-joined) and
    ``title_lines`` (a long title broken between words into even lines)."""
    env = SandboxedEnvironment(autoescape=True, finalize=_finalize, undefined=StrictUndefined)
    env.filters.update(cn_date=cn_date, cn_numeral=cn_numeral, join_units=join_units, title_lines=title_lines)
    return env


def packaged_template(kind: str) -> bytes:
    """The template shipped in this package for ``kind`` (e.g. "督办通知单")."""
    if kind not in KINDS:
        raise KeyError(f"no document kind {kind!r}; known: {', '.join(KINDS)}")
    return (resources.files("ylyx_tasks.documents") / "templates" / f"{kind}.docx").read_bytes()


def template_source(kind: str, override_dir: Path | None = None) -> tuple[str, bytes]:
    """Where the template of ``kind`` comes from and its bytes: ``override_dir/<kind>.docx`` when that file
    exists (an office's edited copy in the app's data folder), else the packaged one."""
    if override_dir is not None:
        candidate = Path(override_dir) / f"{kind}.docx"
        if candidate.is_file():
            return str(candidate), candidate.read_bytes()
    return f"packaged {kind}.docx", packaged_template(kind)


def render_document(context: DocumentContext, *, created: dt.datetime, override_dir: Path | None = None) -> bytes:
    """The .docx of ``context`` (any kind's dataclass), rendered from its template.

    ``created``: the real creation time, timezone-aware (ValueError otherwise); the document's created and
    modified dates. ``override_dir``: a folder whose ``<kind>.docx`` replaces the packaged template.
    Raises DocumentTemplateError when the template cannot be rendered with this context.
    """
    if created.tzinfo is None or created.utcoffset() is None:
        raise ValueError("created must be timezone-aware")
    origin, data = template_source(context.KIND, override_dir)
    template = DocxTemplate(io.BytesIO(data))
    try:
        template.render(template_context(context), jinja_env=jinja_environment(), autoescape=True)
    except TemplateError as exc:
        raise DocumentTemplateError(f"{origin}: {exc}") from exc
    doc = template.docx
    fit_masthead(doc)
    centre_signature(doc)
    set_metadata(doc, title=context.title, author=context.issuing_office, kind=context.KIND,
                 number=getattr(context, "number", ""), created=created)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
