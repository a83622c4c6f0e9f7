"""The numbers of GB/T 9704-2012 《党政机关公文格式》 that the layout uses, in Word's units.

Pure constants and unit helpers: no python-docx here, so the rules can be read (and tested) on their own.
Word measures lengths in twips (1/20 pt) and font sizes in half-points; 1 mm = 1440 / 25.4 twips.
"""

from __future__ import annotations

TWIPS_PER_MM = 1440 / 25.4
PT_PER_MM = 72 / 25.4


def mm(value: float) -> int:
    """Millimetres as whole twips."""
    return round(value * TWIPS_PER_MM)


def pt(value: float) -> int:
    """Points as whole twips."""
    return round(value * 20)


# 5.2.1 幅面尺寸: A4, 210 mm × 297 mm.
PAGE_WIDTH = mm(210)            # 11906
PAGE_HEIGHT = mm(297)           # 16838
# 5.2.2 版面: 天头（上白边）37 mm, 订口（左白边）28 mm, 版心 156 mm × 225 mm; so 35 mm below and 26 mm right.
MARGIN_TOP = mm(37)
MARGIN_BOTTOM = mm(35)
MARGIN_LEFT = mm(28)
MARGIN_RIGHT = mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT      # 8845 twips = 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM    # 12756 twips = 225 mm

# Font sizes (字号) in points.
SIZE_XIAOCHU = 36.0    # 小初
SIZE_2 = 22.0          # 二号: 标题 (7.3.1)
SIZE_3 = 16.0          # 三号: 正文 (5.2.3 字体和字号)
SIZE_4 = 14.0          # 四号: 版记, 页码 (7.4, 7.5)
SIZE_XIAO4 = 12.0      # 小四: wide tables

# 5.2.4 一般每面排22行，每行排28个字: the grid Word and WPS snap body text to.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE   # 579 twips ≈ 28.95 pt, the "固定值" of office templates
# docGrid charSpace is the addition to the body font size, in 1/4096 pt, that makes 28 characters fill a line.
CHAR_SPACE = round((TEXT_WIDTH / 20 / CHARS_PER_LINE - SIZE_3) * 4096)   # -841
# The same squeeze as run spacing in twentieths of a point, rounded away from zero (-5 = 0.25 pt narrower).
BODY_CONDENSE = -5

# Fonts by role. The names are the ones installed on office PCs (Windows + WPS); each has a Linux fallback
# that fonts-noto-cjk provides, used when LibreOffice renders the document (see pdf.py and fonts.conf).
FONT_TITLE = "方正小标宋简体"   # 发文机关标志, 标题 (7.2.3, 7.3.1)
FONT_BODY = "仿宋_GB2312"       # 正文, 版记 (5.2.3, 7.4)
FONT_HEADING1 = "黑体"          # 第一层 "一、" (7.3.3)
FONT_HEADING2 = "楷体_GB2312"   # 第二层 "（一）" (7.3.3)
FONT_PAGE_NUMBER = "宋体"       # 页码: 4号半角宋体阿拉伯数字 (7.5)
FONT_LATIN = "Times New Roman"  # digits and Latin letters in the body

# Word's fontTable: an alternative name Windows has when the office font is missing, and the Linux family.
FONT_FALLBACKS: dict[str, tuple[str, str]] = {
    FONT_TITLE: ("华文中宋", "Noto Serif CJK SC"),
    FONT_BODY: ("仿宋", "Noto Serif CJK SC"),
    FONT_HEADING1: ("SimHei", "Noto Sans CJK SC"),
    FONT_HEADING2: ("楷体", "AR PL UKai CN"),
    FONT_PAGE_NUMBER: ("SimSun", "Noto Serif CJK SC"),
}

RED = "FF0000"          # 7.2.3/7.2.6: 发文机关标志 and 分隔线 are red
BLACK = "000000"

# 7.2.3 发文机关标志: 上边缘至版心上边缘为35mm (the room left for 份号、密级、紧急程度).
MASTHEAD_SPACE_BEFORE = mm(35)
MASTHEAD_MAX_SIZE = SIZE_XIAOCHU
# 7.2.6 分隔线 under 发文字号 "之下4mm处", red, as wide as the text block; 1.5 pt reads as a rule, not a hairline.
RED_RULE_SPACE_PT = 11          # 4 mm ≈ 11.3 pt; w:space is whole points
RED_RULE_EIGHTHS = 12           # w:sz in eighths of a point
# 7.4.1 版记分隔线: 首条和末条粗线 0.35 mm, 中间细线 0.25 mm (w:sz in eighths of a point: 1 pt ≈ 0.353 mm).
COLOPHON_THICK = 8
COLOPHON_THIN = 6
# 7.3.5.1 成文日期一般右空四字.
DATE_RIGHT_CHARS = 4
# 7.5 页码: 一字线上距版心下边缘7mm; the footer line is ~16 pt, its dashes sit mid-line.
FOOTER_DISTANCE = mm(25)
HEADER_DISTANCE = mm(15)


def chars(n: float, size_pt: float = SIZE_3) -> int:
    """The width of ``n`` characters of ``size_pt`` in twips (左空二字 = chars(2))."""
    return round(n * size_pt * 20)


def em_width(text: str) -> float:
    """The width of ``text`` in ems: CJK and full-width characters count 1, ASCII (digits, Latin) counts ½."""
    return sum(0.5 if ord(c) < 0x2E80 and c not in "—…“”‘’" else 1.0 for c in text)
