"""styles.xml, fontTable.xml and settings.xml of the base document: every style a template uses, named so that
an office editing it in WPS or Word finds 发文机关标志, 发文字号, 主送机关, 落款 … in the style list.

The XML is written out rather than inherited from python-docx's default template, which would bring US Letter
styles, theme fonts that override w:eastAsia, and its own metadata.
"""

from __future__ import annotations

from ylyx_tasks.documents import gbt9704 as g

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Style ids (ASCII, what the XML and finishing.py refer to) and the names offices see.
MASTHEAD = "Masthead"
DOC_NUMBER = "DocNumber"
SIGNATURE = "Signature"
DOC_DATE = "DocDate"
NAMES = {
    "Normal": "Normal", "Heading1": "heading 1", "Heading2": "heading 2", "Title": "Title",
    MASTHEAD: "发文机关标志", DOC_NUMBER: "发文字号", "MinutesNumber": "纪要期号", "Addressee": "主送机关",
    "AttachmentNote": "附件说明", SIGNATURE: "发文机关署名", DOC_DATE: "成文日期", "AttachmentLabel": "附件标识",
    "AttachmentTitle": "附件标题", "Subtitle": "副标题", "Attendance": "出席列席", "TableText": "表格文字",
    "TableHead": "表头", "TableTextSmall": "表格文字（小四）", "TableHeadSmall": "表头（小四）",
    "Colophon": "版记", "PageNumber": "页码",
}


def rfonts(east_asia: str, latin: str | None = None) -> str:
    """rFonts naming the East Asian font explicitly, so Word/WPS never fall back to a theme font for CJK."""
    latin = latin or east_asia
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" '
            f'w:hint="eastAsia"/>')


def _size(points: float) -> str:
    return f'<w:sz w:val="{round(points * 2)}"/><w:szCs w:val="{round(points * 2)}"/>'


def _exact(twips: int) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{twips}" w:lineRule="exact"/>'


def _indent(first_chars: float = 0, left_chars: float = 0, right_chars: float = 0, hanging_chars: float = 0,
            size: float = g.SIZE_3) -> str:
    # Both forms: *Chars for Word/WPS (follows the font size), twips for readers that ignore *Chars.
    attrs = [f'w:left="{g.chars(left_chars, size)}" w:leftChars="{round(left_chars * 100)}"',
             f'w:right="{g.chars(right_chars, size)}" w:rightChars="{round(right_chars * 100)}"']
    if hanging_chars:
        attrs.append(f'w:hanging="{g.chars(hanging_chars, size)}" w:hangingChars="{round(hanging_chars * 100)}"')
    else:
        attrs.append(f'w:firstLine="{g.chars(first_chars, size)}" w:firstLineChars="{round(first_chars * 100)}"')
    return f'<w:ind {" ".join(attrs)}/>'


def _para_style(style_id: str, ppr: str, rpr: str, *, based_on: str | None = "Normal", next_id: str = "Normal",
                extra: str = "") -> str:
    name = NAMES[style_id]
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (f'<w:style w:type="paragraph" w:customStyle="{0 if style_id in _BUILTIN else 1}" '
            f'w:styleId="{style_id}"><w:name w:val="{name}"/>{based}<w:next w:val="{next_id}"/>'
            f'<w:qFormat/>{extra}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


_BUILTIN = {"Normal", "Heading1", "Heading2", "Title", "Subtitle"}
_NO_GRID = '<w:snapToGrid w:val="0"/>'   # off the character grid: its own size, never stretched to 15.8 pt cells
_RED_RULE = (f'<w:pBdr><w:bottom w:val="single" w:sz="{g.RED_RULE_EIGHTHS}" w:space="{g.RED_RULE_SPACE_PT}" '
             f'w:color="{g.RED}"/></w:pBdr>')
_TWO_LINES = 2 * g.LINE_PITCH
# 28 characters of 16 pt need 448 pt; the line has 442. Word and WPS squeeze them into the docGrid pitch
# (15.79 pt); LibreOffice instead gives a character wider than the pitch two grid cells (14 to a line). Body
# text condensed by 0.25 pt fits one cell in both, and prints 28 to a line everywhere.
_CONDENSE = f'<w:spacing w:val="{g.BODY_CONDENSE}"/>'
_NO_CONDENSE = '<w:spacing w:val="0"/>'


def styles_xml() -> str:
    """The whole styles.xml."""
    body = rfonts(g.FONT_BODY, g.FONT_LATIN)
    table_line = {g.SIZE_4: g.pt(22), g.SIZE_XIAO4: g.pt(18)}
    styles = [
        # 5.2.3/5.2.4/7.3.3: 3号仿宋, each paragraph 左空二字, justified, on the 22-line grid (固定值 ≈ 28.95 pt).
        _para_style("Normal", f'<w:widowControl w:val="0"/>{_exact(g.LINE_PITCH)}{_indent(2)}<w:jc w:val="both"/>',
                    body + _CONDENSE + _size(g.SIZE_3), based_on=None),
        # 7.3.3: 第一层黑体, 第二层楷体; kept with the next paragraph so no heading ends a page.
        _para_style("Heading1", '<w:keepNext/><w:keepLines/><w:outlineLvl w:val="0"/>',
                    rfonts(g.FONT_HEADING1) + _size(g.SIZE_3)),
        _para_style("Heading2", '<w:keepNext/><w:keepLines/><w:outlineLvl w:val="1"/>',
                    rfonts(g.FONT_HEADING2) + _size(g.SIZE_3)),
        # 7.3.1: 标题 2号小标宋, centred, 红色分隔线下空二行; 7.3.2 主送机关 below it after one blank line (its own space-before).
        _para_style("Title", f'<w:keepNext/><w:keepLines/>{_NO_GRID}<w:spacing w:before="{_TWO_LINES}" w:after="0" '
                    f'w:line="{g.LINE_PITCH}" w:lineRule="exact"/>{_indent()}<w:jc w:val="center"/>',
                    rfonts(g.FONT_TITLE) + '<w:b w:val="0"/>' + _size(g.SIZE_2)),
        # 7.2.3: 发文机关标志 35 mm below the top of the text block, red 小标宋; finishing.py fits its size.
        _para_style(MASTHEAD, f'<w:keepNext/>{_NO_GRID}<w:spacing w:before="{g.MASTHEAD_SPACE_BEFORE}" w:after="0" '
                    f'w:line="240" w:lineRule="auto"/>{_indent()}<w:jc w:val="center"/>',
                    rfonts(g.FONT_TITLE) + f'<w:color w:val="{g.RED}"/>' + _NO_CONDENSE + _size(g.MASTHEAD_MAX_SIZE)),
        # 7.2.4: 发文字号 two lines below the masthead, centred; 7.2.6: the red rule 4 mm below it.
        _para_style(DOC_NUMBER, f'<w:keepNext/>{_RED_RULE}<w:spacing w:before="{_TWO_LINES}" w:after="0" '
                    f'w:line="{g.LINE_PITCH}" w:lineRule="exact"/>{_indent()}<w:jc w:val="center"/>', body + _size(g.SIZE_3)),
        _para_style("MinutesNumber", f'<w:keepNext/><w:spacing w:before="{g.LINE_PITCH}" w:after="0" '
                    f'w:line="{g.LINE_PITCH}" w:lineRule="exact"/>{_indent()}<w:jc w:val="center"/>', body + _size(g.SIZE_3)),
        _para_style("Addressee", f'<w:keepNext/><w:spacing w:before="{g.LINE_PITCH}" w:after="0" '
                    f'w:line="{g.LINE_PITCH}" w:lineRule="exact"/>{_indent()}', body + _size(g.SIZE_3)),
        # 7.3.4: 正文下空一行左空二字编排"附件"; a second line aligns after "附件：".
        _para_style("AttachmentNote", f'<w:spacing w:before="{g.LINE_PITCH}" w:after="0" w:line="{g.LINE_PITCH}" '
                    f'w:lineRule="exact"/>{_indent(left_chars=5, hanging_chars=3)}', body + _size(g.SIZE_3)),
        # 7.3.5.1: two blank lines leave room for the seal, which presses on 署名 and 成文日期 (右空四字).
        _para_style(SIGNATURE, f'<w:keepNext/><w:keepLines/>{_NO_GRID}<w:spacing w:before="{_TWO_LINES}" '
                    f'w:after="0" w:line="{g.LINE_PITCH}" w:lineRule="exact"/>{_indent(right_chars=g.DATE_RIGHT_CHARS)}'
                    '<w:jc w:val="right"/>', body + _size(g.SIZE_3)),
        _para_style(DOC_DATE, f'<w:keepLines/>{_NO_GRID}{_exact(g.LINE_PITCH)}{_indent(right_chars=g.DATE_RIGHT_CHARS)}'
                    '<w:jc w:val="right"/>', body + _size(g.SIZE_3)),
        # 7.3.7 附件: 另面编排, "附件"二字用3号黑体顶格编排在版心左上角第一行, 附件标题居中编排在版心第三行.
        _para_style("AttachmentLabel", f'<w:keepNext/><w:pageBreakBefore/>{_indent()}',
                    rfonts(g.FONT_HEADING1) + _size(g.SIZE_3)),
        _para_style("AttachmentTitle", f'<w:spacing w:before="{g.LINE_PITCH}" w:after="0" '
                    f'w:line="{g.LINE_PITCH}" w:lineRule="exact"/>', "", based_on="Title"),
        _para_style("Subtitle", f'<w:keepNext/>{_NO_GRID}<w:spacing w:before="0" w:after="{g.LINE_PITCH}" '
                    f'w:line="{g.LINE_PITCH}" w:lineRule="exact"/>{_indent()}<w:jc w:val="center"/>',
                    rfonts(g.FONT_HEADING2)),
        # 10.3 纪要: "出席"…, 回行时与冒号后的首字对齐.
        _para_style("Attendance", _indent(left_chars=5, hanging_chars=3), ""),
        _para_style("TableText", f'{_NO_GRID}{_exact(table_line[g.SIZE_4])}{_indent()}<w:jc w:val="left"/>',
                    body + _NO_CONDENSE + _size(g.SIZE_4)),
        _para_style("TableHead", '<w:keepNext/><w:jc w:val="center"/>', rfonts(g.FONT_HEADING1) + _size(g.SIZE_4),
                    based_on="TableText", next_id="TableText"),
        _para_style("TableTextSmall", f'{_NO_GRID}{_exact(table_line[g.SIZE_XIAO4])}{_indent(size=g.SIZE_XIAO4)}'
                    '<w:jc w:val="left"/>', body + _NO_CONDENSE + _size(g.SIZE_XIAO4)),
        _para_style("TableHeadSmall", '<w:keepNext/><w:jc w:val="center"/>',
                    rfonts(g.FONT_HEADING1) + _size(g.SIZE_XIAO4), based_on="TableTextSmall", next_id="TableTextSmall"),
        # 7.4: 版记 in 4号仿宋, 左右各空一字.
        _para_style("Colophon", f'{_NO_GRID}{_exact(g.pt(24))}{_indent(left_chars=1, right_chars=1, size=g.SIZE_4)}'
                    '<w:jc w:val="left"/>', body + _NO_CONDENSE + _size(g.SIZE_4)),
        # 7.5: 4号半角宋体阿拉伯数字.
        _para_style("PageNumber", f'{_NO_GRID}{_exact(g.pt(16))}{_indent(size=g.SIZE_4)}',
                    rfonts(g.FONT_PAGE_NUMBER) + _NO_CONDENSE + _size(g.SIZE_4)),
    ]
    defaults = (f'<w:docDefaults><w:rPrDefault><w:rPr>{body}{_size(g.SIZE_3)}'
                '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
                # No automatic space between Chinese and digits/Latin: "2026年11月30日" prints without gaps, on the grid.
                '<w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
                f'{_exact(g.LINE_PITCH)}</w:pPr></w:pPrDefault></w:docDefaults>')
    # Word expects these two defaults; the table style gives every table the thin black grid of office forms.
    fixed = ('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
             '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
             '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
             '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
             '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
             '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
             '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
             '<w:tblPr><w:tblBorders>' + "".join(
                 f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{g.BLACK}"/>'
                 for side in ("top", "left", "bottom", "right", "insideH", "insideV")) +
             '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
             '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
            f'{defaults}{fixed}{"".join(styles)}</w:styles>')


def font_table_xml() -> str:
    """fontTable.xml: each office font with an alternative name and the GB2312 charset, which Word and WPS use
    to pick a Chinese substitute when the exact font is not installed."""
    fonts = []
    for name, (alt, _linux) in g.FONT_FALLBACKS.items():
        family = "modern" if name in (g.FONT_BODY, g.FONT_HEADING1) else "roman"
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                     f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    fonts.append(f'<w:font w:name="{g.FONT_LATIN}"><w:panose1 w:val="02020603050405020304"/>'
                 '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">{"".join(fonts)}</w:fonts>'


def settings_xml() -> str:
    """settings.xml. Element order follows CT_Settings: Word rejects a file whose settings are out of order."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
            # 7.5: odd pages' numbers on the right, even pages' on the left — two footers.
            '<w:evenAndOddHeaders/>'
            '<w:characterSpacingControl w:val="compressPunctuation"/>'
            # A line ended by a manual break (a pasted \\x0b) is not stretched across the line.
            '<w:compat><w:doNotExpandShiftReturn/><w:useFELayout/><w:compatSetting w:name="compatibilityMode" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
            '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')
