"""What a template cannot know until the text is in: the masthead's size, the signature's position, and the
document's metadata. Applied to every rendered document, office-edited templates included, by style id.
"""

from __future__ import annotations

import datetime as dt
import math

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ylyx_tasks.documents import gbt9704 as g
from ylyx_tasks.documents.docx_styles import DOC_DATE, MASTHEAD, SIGNATURE
from ylyx_tasks.documents.text import clean_text

# Word and LibreOffice set CJK text a little differently (punctuation, kerning): keep 4 % of the line free.
_FIT = 0.96


def _style_id(paragraph) -> str:
    ppr = paragraph._p.pPr
    return ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else "Normal"


def masthead_size(text: str) -> float:
    """The 发文机关标志's size in points: 小初 (36 pt) at most, smaller in half-point steps until ``text`` fits on
    one line of the text block (7.2.3: 醒目、美观、庄重; a 25-character office name gets 17 pt)."""
    ems = g.em_width(text) or 1
    fitting = math.floor(2 * _FIT * g.TEXT_WIDTH / 20 / ems) / 2
    return min(g.MASTHEAD_MAX_SIZE, fitting)


def fit_masthead(doc: Document) -> None:
    """Set every 发文机关标志 paragraph's runs to ``masthead_size`` of its text, so it never wraps."""
    for p in doc.paragraphs:
        if _style_id(p) == MASTHEAD and p.text:
            size = Pt(masthead_size(p.text))
            for run in p.runs:
                run.font.size = size
                _complex_script_size(run, size)


def _set_right_indent(paragraph, points: float) -> None:
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    # Both forms, agreeing: Word prefers rightChars (relative to the 16 pt body size) when present.
    ind.set(qn("w:right"), str(round(points * 20)))
    ind.set(qn("w:rightChars"), str(round(points / g.SIZE_3 * 100)))


def centre_signature(doc: Document) -> None:
    """7.3.5.1: 成文日期右空四字, and the 发文机关署名 centred over the date. A name wider than the date plus
    eight characters cannot be centred inside the text block; it is then set flush right."""
    paragraphs = doc.paragraphs
    for signature, date in zip(paragraphs, paragraphs[1:]):
        if _style_id(signature) != SIGNATURE or _style_id(date) != DOC_DATE:
            continue
        date_right = g.DATE_RIGHT_CHARS * g.SIZE_3
        name_w, date_w = g.em_width(signature.text) * g.SIZE_3, g.em_width(date.text) * g.SIZE_3
        _set_right_indent(date, date_right)
        _set_right_indent(signature, max(0.0, date_right + (date_w - name_w) / 2))


def set_metadata(doc: Document, *, title: str, author: str, kind: str, number: str, created: dt.datetime) -> None:
    """Core properties: author and last editor the issuing office, title, kind as subject, 文号 as identifier,
    language zh-CN, created = modified = ``created`` (timezone-aware; written as UTC). Everything a template
    may have carried (its maker's name, comments, an old date) is replaced."""
    if created.tzinfo is None or created.utcoffset() is None:
        raise ValueError("created must be timezone-aware")
    utc = created.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = clean_text(title), clean_text(author), clean_text(author)
    props.subject, props.identifier, props.language = kind, clean_text(number), "zh-CN"
    props.keywords = props.comments = props.category = props.content_status = props.version = ""
    props.created = props.modified = utc
    for printed in props._element.findall(qn("cp:lastPrinted")):  # a template's print date means nothing here
        props._element.remove(printed)
    props.revision = 1


def _complex_script_size(run, size) -> None:
    """The size of complex-script text (w:szCs), which python-docx does not expose: Word sizes some CJK
    punctuation by it."""
    rpr = run._r.get_or_add_rPr()
    szcs = rpr.find(qn("w:szCs"))
    if szcs is None:
        szcs = OxmlElement("w:szCs")
        rpr.append(szcs)
    szcs.set(qn("w:val"), str(int(round(size.pt * 2))))
