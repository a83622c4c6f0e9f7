"""The parts of an official document, added to a python-docx Document in reading order: 版头, 标题, 主送机关,
headings, paragraphs, Jinja loop tags, tables, 落款, 附件, 版记.

Text may hold docxtpl/Jinja tags ("{{ lead_unit }}："); each call writes its text as one run so that a tag is
never split across runs, which docxtpl could not reassemble.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.document import Document
from docx.oxml import parse_xml
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from ylyx_tasks.documents import gbt9704 as g
from ylyx_tasks.documents.docx_styles import DOC_DATE, DOC_NUMBER, MASTHEAD, NAMES, SIGNATURE, W_NS, rfonts

_W = f'xmlns:w="{W_NS}"'


def paragraph(doc: Document, text: str = "", style: str = "Normal", *, keep_next: bool = False) -> Paragraph:
    """A paragraph of ``style`` (a style id from docx_styles) holding ``text`` as a single run."""
    p = doc.add_paragraph(style=NAMES[style])
    if text:
        p.add_run(text)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def line_space(lines: int = 1) -> Twips:
    """``lines`` grid lines as a length (空一行 = line_space(1))."""
    return Twips(lines * g.LINE_PITCH)


def tag(doc: Document, statement: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ("for item in requirements" → {%p for … %}); docxtpl
    removes the paragraph and keeps what the statement produces."""
    paragraph(doc, "{%p " + statement + " %}")


def header(doc: Document, masthead: str, number: str | None) -> None:
    """版头 (7.2): 发文机关标志 in red, 发文字号 and the red 分隔线 under it (a bottom border of the text-block
    width). ``number`` None (会议纪要) leaves the caller to draw the rule under its own line."""
    paragraph(doc, masthead, MASTHEAD)
    if number is not None:
        paragraph(doc, number, DOC_NUMBER)


def heading(doc: Document, text: str, level: int = 1) -> None:
    """一级 (黑体) or 二级 (楷体) heading; both keep with the next paragraph (no heading alone at a page foot)."""
    paragraph(doc, text, "Heading1" if level == 1 else "Heading2")


def labelled(doc: Document, label: str, text: str, style: str = "Attendance") -> Paragraph:
    """"出席：…" (10.3): the label in 3号黑体, the names in 仿宋, wrapped lines aligned after the colon."""
    p = paragraph(doc, style=style)
    run = p.add_run(label)
    run._r.get_or_add_rPr().insert(0, parse_xml(rfonts(g.FONT_HEADING1).replace("<w:rFonts", f"<w:rFonts {_W}", 1)))
    p.add_run(text)
    return p


def signature(doc: Document, office: str, date: str) -> None:
    """落款 (7.3.5.1): 发文机关署名 over 成文日期, right with room for the seal; finishing.py centres the name
    over the date once the real text is known."""
    paragraph(doc, office, SIGNATURE)
    paragraph(doc, date, DOC_DATE)


def attachment(doc: Document, label: str, title: str) -> None:
    """An attachment page (7.3.7 附件另面编排): "附件" top left in 黑体, its title on the third line."""
    paragraph(doc, label, "AttachmentLabel")
    paragraph(doc, title, "AttachmentTitle")


@dataclass(frozen=True)
class Column:
    """A list-table column: ``header`` text, ``expr`` the Jinja expression of a cell (row variable ``r``), its
    share of the width, and whether the cell is centred (codes, numbers, dates) or left (text)."""

    header: str
    expr: str
    weight: float = 1.0
    centre: bool = False


def _cell(width: int, content: str, *, style: str, centre: bool, extra_tcpr: str = "", align: str = "") -> str:
    # One paragraph per line of ``content``, so a static line break is a real paragraph in Word too.
    jc = f'<w:jc w:val="{align or "center"}"/>' if centre or align else ""
    paras = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>'
        + (f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "") + "</w:p>"
        for line in content.split("\n"))
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra_tcpr}<w:vAlign w:val="center"/></w:tcPr>'
            f'{paras}</w:tc>')


def _widths(weights: Sequence[float], total: int = g.TEXT_WIDTH) -> list[int]:
    # Whole twips that add up to the text width exactly: the table never pokes into the margin.
    raw = [total * w / sum(weights) for w in weights]
    widths = [int(x) for x in raw]
    widths[-1] += total - sum(widths)
    return widths


def _append(doc: Document, xml: str) -> None:
    doc.element.body.insert_element_before(parse_xml(xml), "w:sectPr")


def list_table(doc: Document, columns: Sequence[Column], rows: str, *, small: bool = False) -> None:
    """A table with one header row, repeated on every page (w:tblHeader), and one row per item of the Jinja
    sequence ``rows`` (docxtpl {%tr for r in … %}). Rows never split across pages; columns add up to the
    text width; 4号 text, or 小四 (``small``) for tables of seven or more columns."""
    widths = _widths([c.weight for c in columns])
    text, head = ("TableTextSmall", "TableHeadSmall") if small else ("TableText", "TableHead")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    header_row = "".join(_cell(w, c.header, style=head, centre=True) for w, c in zip(widths, columns))
    body_row = "".join(_cell(w, "{{ " + c.expr + " }}", style=text, centre=c.centre) for w, c in zip(widths, columns))

    def tag_row(statement: str) -> str:
        cells = [_cell(widths[0], "{%tr " + statement + " %}", style=text, centre=False)]
        cells += [_cell(w, "", style=text, centre=False) for w in widths[1:]]
        return f'<w:tr>{"".join(cells)}</w:tr>'

    _append(doc, f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{g.TEXT_WIDTH}" w:type="dxa"/>'
                 '<w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
                 '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
                 'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
                 f'<w:tblGrid>{grid}</w:tblGrid>'
                 f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header_row}</w:tr>'
                 f'{tag_row("for r in " + rows)}'
                 f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{body_row}</w:tr>'
                 f'{tag_row("endfor")}</w:tbl>')
    # A table directly followed by another block reads as glued to it: one empty line of air below.
    paragraph(doc, "", "TableText")


def form_table(doc: Document, rows: Sequence[tuple]) -> None:
    """A fill-in form of four columns (label, value, label, value). A row is either two (label, value) pairs,
    or (label, value, height in mm[, "right"]) spanning the three value columns for longer answers; a value's
    lines become paragraphs."""
    widths = _widths([1.15, 1.5, 1.15, 1.5])
    out = []
    for row in rows:
        if isinstance(row[0], tuple):
            cells = "".join(_cell(w, text, style="TableText", centre=i % 2 == 0)
                            for i, (w, text) in enumerate(zip(widths, [x for pair in row for x in pair])))
            height = 11
        else:
            label, value, height, *align = row
            cells = (_cell(widths[0], label, style="TableText", centre=True)
                     + _cell(sum(widths[1:]), value, style="TableText", centre=False,
                             extra_tcpr='<w:gridSpan w:val="3"/>', align=align[0] if align else ""))
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{g.mm(height)}" w:hRule="atLeast"/></w:trPr>'
                   f"{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    _append(doc, f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{g.TEXT_WIDTH}" w:type="dxa"/>'
                 '<w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
                 f'<w:tblGrid>{grid}</w:tblGrid>{"".join(out)}</w:tbl>')


def colophon(doc: Document, *, cc_label: str = "抄送") -> None:
    """版记 (7.4) at the foot of the last page: a table floated to the bottom of the text block, so that its
    last rule lies on the block's lower edge (7.4.1). Rows: 抄送 (only when ``cc`` is not empty) and
    印发机关 / 印发日期. The table's own top and bottom borders are the thick first and last rules (0.35 mm) and
    its inside rule the thin one (0.25 mm), so the first row present always gets the thick rule.

    Context it reads: ``cc`` (list of names, may be empty), ``printer`` and ``printed_on``.
    """
    thick, thin = g.COLOPHON_THICK, g.COLOPHON_THIN
    borders = (f'<w:tblBorders><w:top w:val="single" w:sz="{thick}" w:space="0" w:color="{g.BLACK}"/>'
               '<w:left w:val="nil"/>'
               f'<w:bottom w:val="single" w:sz="{thick}" w:space="0" w:color="{g.BLACK}"/><w:right w:val="nil"/>'
               f'<w:insideH w:val="single" w:sz="{thin}" w:space="0" w:color="{g.BLACK}"/>'
               '<w:insideV w:val="nil"/></w:tblBorders>')
    row = f'<w:trPr><w:cantSplit/><w:trHeight w:val="{g.mm(8)}" w:hRule="atLeast"/></w:trPr>'
    # 7.4.2: "抄送"二字后加全角冒号…回行时与冒号后的首字对齐，最后一个抄送机关名称后标句号.
    cc_indent = ('<w:ind w:left="1120" w:leftChars="400" w:right="280" w:rightChars="100" w:hanging="840" '
                 'w:hangingChars="300"/>')

    def cell(width: int, text: str, ppr: str = "", span: int = 1) -> str:
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid_span}<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="Colophon"/>{ppr}</w:pPr>'
                f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')

    def tr(text: str, ppr: str = "", trpr: str = row) -> str:
        return f'<w:tr>{trpr}{cell(g.TEXT_WIDTH, text, ppr, span=2)}</w:tr>'

    # 7.4.3: 印发机关左空一字，印发日期右空一字. The date has a cell of its own so that it never breaks; a long
    # printer's name wraps in the cell beside it.
    date_w = g.mm(60)
    date_ppr = ('<w:ind w:left="0" w:leftChars="0" w:right="280" w:rightChars="100" w:firstLine="0" '
                'w:firstLineChars="0"/><w:jc w:val="right"/>')
    name_ppr = '<w:ind w:left="280" w:leftChars="100" w:right="0" w:rightChars="0"/>'
    printed = (f'<w:tr>{row}{cell(g.TEXT_WIDTH - date_w, "{{ printer }}", name_ppr)}'
               f'{cell(date_w, "{{ printed_on }}印发", date_ppr)}</w:tr>')

    # tblpPr: bottom of the margin box (the text block); horizontally at the left margin measured from the
    # page edge — equivalent in Word, and the form LibreOffice imports as a floating frame even at full width.
    _append(doc, f'<w:tbl {_W}><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="{g.mm(4)}" '
                 f'w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{g.MARGIN_LEFT}" '
                 'w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/>'
                 f'<w:tblW w:w="{g.TEXT_WIDTH}" w:type="dxa"/>{borders}<w:tblLayout w:type="fixed"/>'
                 '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
                 f'<w:tblGrid><w:gridCol w:w="{g.TEXT_WIDTH - date_w}"/><w:gridCol w:w="{date_w}"/></w:tblGrid>'
                 + tr("{%tr if cc %}", trpr="") + tr(cc_label + '：{{ cc|join("，") }}。', cc_indent)
                 + tr("{%tr endif %}", trpr="") + printed + "</w:tbl>")
    # Word needs a paragraph after a table; a 1 pt one, so it never pushes a page of its own.
    _append(doc, f'<w:p {_W}><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" '
                 'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')
