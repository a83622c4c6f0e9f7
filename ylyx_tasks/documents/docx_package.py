"""The empty base document every template starts from: its package parts written out in full (A4 page, GB/T 9704
margins and grid, odd/even page-number footers, styles, metadata), and a zip writer that makes the same input
give the same bytes, so that the shipped templates can be checked against a rebuild.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from ylyx_tasks.documents import gbt9704 as g
from ylyx_tasks.documents.docx_styles import W_NS, font_table_xml, settings_xml, styles_xml

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Every entry gets this timestamp (the zip format's earliest), so a rebuild is byte-identical.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def section_xml() -> str:
    """sectPr: A4 portrait, the 37/35/28/26 mm margins (5.2.2), odd and even footers, and the 22 × 28 grid
    (5.2.3) as docGrid linesAndChars so Word and WPS snap body text to it."""
    return (f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
            f'<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            f'<w:pgSz w:w="{g.PAGE_WIDTH}" w:h="{g.PAGE_HEIGHT}"/>'
            f'<w:pgMar w:top="{g.MARGIN_TOP}" w:right="{g.MARGIN_RIGHT}" w:bottom="{g.MARGIN_BOTTOM}" '
            f'w:left="{g.MARGIN_LEFT}" w:header="{g.HEADER_DISTANCE}" w:footer="{g.FOOTER_DISTANCE}" w:gutter="0"/>'
            f'<w:cols w:space="425"/>'
            f'<w:docGrid w:type="linesAndChars" w:linePitch="{g.LINE_PITCH}" w:charSpace="{g.CHAR_SPACE}"/>'
            '</w:sectPr>')


def footer_xml(*, odd: bool) -> str:
    """A footer with "— PAGE —" (7.5): 单页码居右空一字，双页码居左空一字."""
    side = ('<w:ind w:left="0" w:leftChars="0" w:right="280" w:rightChars="100" w:firstLine="0" '
            'w:firstLineChars="0"/><w:jc w:val="right"/>' if odd else
            '<w:ind w:left="280" w:leftChars="100" w:right="0" w:rightChars="0" w:firstLine="0" '
            'w:firstLineChars="0"/><w:jc w:val="left"/>')
    runs = ('<w:r><w:t xml:space="preserve">— </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:t xml:space="preserve"> —</w:t></w:r>')
    return (f'{_XML}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="PageNumber"/>{side}'
            f'</w:pPr>{runs}</w:p></w:ftr>')


def core_xml(*, title: str, author: str, created: dt.datetime) -> str:
    """docProps/core.xml. ``created`` must be timezone-aware; it is written in UTC, as W3CDTF wants."""
    stamp = created.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>'
            f'<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>'
            '<dc:language>zh-CN</dc:language>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


_APP = (f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        '<Application>ylyx-tasks</Application><DocSecurity>0</DocSecurity></Properties>')

_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}.fontTable+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_CT}.footer+xml"/>'
    f'<Override PartName="/word/footer2.xml" ContentType="{_CT}.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')

_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RT}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_RT}/extended-properties" Target="docProps/app.xml"/></Relationships>')

_DOC_RELS = (
    f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_RT}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_RT}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{_RT}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooterOdd" Type="{_RT}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterEven" Type="{_RT}/footer" Target="footer2.xml"/></Relationships>')


def base_docx(*, title: str, author: str, created: dt.datetime) -> bytes:
    """An empty A4 document with every style, both footers and the metadata given; python-docx opens it."""
    document = (f'{_XML}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{section_xml()}</w:body></w:document>')
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": core_xml(title=title, author=author, created=created), "docProps/app.xml": _APP,
        "word/document.xml": document, "word/_rels/document.xml.rels": _DOC_RELS,
        "word/styles.xml": styles_xml(), "word/settings.xml": settings_xml(), "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml(odd=True), "word/footer2.xml": footer_xml(odd=False),
    }
    return write_zip({name: text.encode("utf-8") for name, text in parts.items()})


def write_zip(parts: dict[str, bytes]) -> bytes:
    """A zip of ``parts`` in the given order with fixed timestamps: the same parts give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """``data`` (a .docx) rewritten with fixed timestamps; parts keep their order and content."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    return write_zip(parts)
