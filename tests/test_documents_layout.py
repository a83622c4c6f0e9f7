"""The Word layout checked on the .docx itself (GB/T 9704-2012): page, margins, grid, footers, styles and
fonts, metadata — on every shipped template and on a rendered document — and the small text rules."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from documents_support import NS, W, all_parts_text, part, styled
from docx.shared import Mm

from ylyx_tasks.documents import examples, render_document
from ylyx_tasks.documents.build import build_template, stale_templates
from ylyx_tasks.documents.finishing import masthead_size
from ylyx_tasks.documents.kinds import KINDS
from ylyx_tasks.documents.render import packaged_template
from ylyx_tasks.documents.text import clean_text, cn_date, cn_numeral, title_lines

CREATED = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_document(examples.notice(), created=CREATED)


def test_it_ships_a_template_for_every_kind_identical_to_a_rebuild():
    assert set(KINDS) == {"督办通知单", "通报", "终期评估报告", "会议材料", "会议纪要"}
    assert stale_templates() == [], "run: python -m ylyx_tasks.documents.build"
    assert build_template("通报") == build_template("通报")   # byte-reproducible


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_lays_out_every_template_on_a4_with_the_standard_margins_and_grid(kind):
    data = packaged_template(kind)
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm, 1) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [37.0, 35.0, 28.0, 26.0]
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(text_width - Mm(156)) < Mm(0.1) and abs(text_height - Mm(225)) < Mm(0.1)
    grid = part(data, "word/document.xml").find(".//w:sectPr/w:docGrid", NS)
    assert grid.get(W + "type") == "linesAndChars"
    pitch = int(grid.get(W + "linePitch"))
    assert 28.8 <= pitch / 20 <= 29.0 and 22 * pitch <= text_height / 635 < 23 * pitch
    # 28 characters of the 16 pt body fill the line: 16 pt + charSpace/4096 pt each.
    assert abs(28 * (16 + int(grid.get(W + "charSpace")) / 4096) * 20 - text_width / 635) < 28


def test_it_numbers_pages_in_the_footer_odd_right_even_left(rendered):
    document = docx.Document(io.BytesIO(rendered))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer._element.find(".//w:p", NS)
        assert p.find("w:pPr/w:jc", NS).get(W + "val") == side
        assert "PAGE" in "".join(p.itertext()) and p.find(".//w:fldChar", NS) is not None
        assert "".join(t.text for t in p.iterfind(".//w:t", NS)) == "— 1 —"
        assert p.find("w:pPr/w:ind", NS).get(W + ("rightChars" if side == "right" else "leftChars")) == "100"
    styles = part(rendered, "word/styles.xml")
    page_number = styles.find(".//w:style[@w:styleId='PageNumber']", NS)
    assert page_number.find(".//w:rFonts", NS).get(W + "eastAsia") == "宋体"
    assert page_number.find(".//w:sz", NS).get(W + "val") == "28"          # 4号 = 14 pt


@pytest.mark.parametrize("style_id, east_asia, half_points", [
    ("Normal", "仿宋_GB2312", "32"), ("Title", "方正小标宋简体", "44"), ("Heading1", "黑体", "32"),
    ("Heading2", "楷体_GB2312", "32"), ("Masthead", "方正小标宋简体", "72"), ("Colophon", "仿宋_GB2312", "28"),
])
def test_it_names_each_role_s_east_asian_font_and_size(rendered, style_id, east_asia, half_points):
    style = part(rendered, "word/styles.xml").find(f".//w:style[@w:styleId='{style_id}']", NS)
    fonts = style.find("w:rPr/w:rFonts", NS)
    assert fonts.get(W + "eastAsia") == east_asia and fonts.get(W + "asciiTheme") is None
    assert style.find("w:rPr/w:sz", NS).get(W + "val") == half_points


def test_it_keeps_headings_with_the_next_paragraph_and_the_title_not_bold(rendered):
    styles = part(rendered, "word/styles.xml")
    for heading in ("Heading1", "Heading2"):
        assert styles.find(f".//w:style[@w:styleId='{heading}']/w:pPr/w:keepNext", NS) is not None
    assert styles.find(".//w:style[@w:styleId='Title']/w:rPr/w:b", NS).get(W + "val") == "0"
    red = styles.find(".//w:style[@w:styleId='DocNumber']/w:pPr/w:pBdr/w:bottom", NS)
    assert red.get(W + "color") == "FF0000" and red.get(W + "val") == "single"


def test_it_writes_the_issuing_office_and_the_real_time_into_the_metadata(rendered):
    props = docx.Document(io.BytesIO(rendered)).core_properties
    assert props.author == props.last_modified_by == examples.OFFICE
    assert props.language == "zh-CN" and props.title.startswith("关于督促落实3.2.1")
    assert props.created == props.modified == dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.timezone.utc)  # 09:30 +08:00
    everything = all_parts_text(rendered)
    assert "python-docx" not in everything and "2013-12-23" not in everything


def test_it_fits_the_masthead_on_one_line_and_centres_the_signature_over_the_date(rendered):
    body = part(rendered, "word/document.xml")
    masthead = styled(body, "Masthead")[0]
    size = int(masthead.find(".//w:r/w:rPr/w:sz", NS).get(W + "val")) / 2
    assert size * len(examples.OFFICE) <= 156 / 25.4 * 72
    date = styled(body, "DocDate")[0]
    assert "".join(date.itertext()) == "2026年11月30日"
    assert date.find("w:pPr/w:ind", NS).get(W + "rightChars") == "400"     # 右空四字


@pytest.mark.parametrize("length, largest", [(6, 36.0), (16, 26.5), (25, 16.5)])
def test_it_sizes_the_masthead_to_fit(length, largest):
    assert masthead_size("运" * length) == largest
    assert masthead_size("运" * length) * length <= 442.2


@pytest.mark.parametrize("raw, clean", [
    ("甲\x0b乙", "甲\n乙"), ("a\x00b", "ab"), ("a\r\nb\rc", "a\nb\nc"), ("\tx\n", "\tx\n"), ("a\x0c\x1fb\x85", "ab"),
    ("<script>&", "<script>&"), ("a\ud800b\uffff", "ab"),
])
def test_it_strips_what_xml_cannot_hold(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_it_writes_chinese_numerals(n, text):
    assert cn_numeral(n) == text


def test_it_writes_dates_without_padding_or_spaces():
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日" and cn_date(None) == ""


@pytest.mark.parametrize("title, lines", [
    ("关于全市养老托育重点任务工作进展情况的通报（第5期）", ["关于全市养老托育重点任务", "工作进展情况的通报（第5期）"]),
    ("《运城市“十四五”养老托育整体解决方案》终期评估报告", ["《运城市“十四五”养老托育整体解决方案》", "终期评估报告"]),
    ("运城市养老托育工作联席会议第三次会议纪要", ["运城市养老托育工作联席会议第三次会议纪要"]),
])
def test_it_breaks_long_titles_between_words(title, lines):
    assert title_lines(title).split("\n") == lines
