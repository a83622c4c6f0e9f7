"""Every kind rendered with a realistic context and hostile text: valid XML, text shown literally, tables that
repeat their header, an office's own template taking precedence, and clear errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import docx
import pytest
from documents_support import NS, W, part, styled
from docxtpl import DocxTemplate

from ylyx_tasks.documents import DocumentTemplateError, examples, render_document
from ylyx_tasks.documents.kinds import KINDS
from ylyx_tasks.documents.render import packaged_template

CREATED = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
HOSTILE = [c for c in examples.all_examples(hostile=True)]


@pytest.mark.parametrize("context", HOSTILE, ids=[c.KIND for c in HOSTILE])
def test_it_renders_hostile_text_literally_and_leaves_no_tag(context):
    data = render_document(context, created=CREATED)
    document = docx.Document(io.BytesIO(data))              # parses: the XML is well formed
    body = part(data, "word/document.xml")
    text = "".join(body.itertext())
    assert "<script>alert('x')</script>" in text and "=cmd|' /C calc'!A0" in text
    assert "\x0b" not in text and "\x00" not in text
    assert "{{" not in text and "{%" not in text and "None" not in text
    # Word's \x0b became a real line break.
    assert body.find(".//w:br", NS) is not None


@pytest.mark.parametrize("context", HOSTILE, ids=[c.KIND for c in HOSTILE])
def test_it_repeats_table_headers_and_keeps_tables_inside_the_text_block(context):
    body = part(render_document(context, created=CREATED), "word/document.xml")
    for table in body.iterfind(".//w:tbl", NS):
        widths = [int(c.get(W + "w")) for c in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert sum(widths) <= 8845
        first = table.find("w:tr", NS)
        if table.find("w:tblPr/w:tblpPr", NS) is None and first.find("w:trPr/w:tblHeader", NS) is not None:
            assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in table.iterfind("w:tr", NS))


def test_it_lists_forty_overdue_matters_in_the_bulletin_under_one_repeated_header():
    body = part(render_document(examples.bulletin(rows=40), created=CREATED), "word/document.xml")
    table = next(t for t in body.iterfind(".//w:tbl", NS) if "逾期天数" in "".join(t.itertext()))
    rows = table.findall("w:tr", NS)
    assert len(rows) == 41 and rows[0].find("w:trPr/w:tblHeader", NS) is not None


def test_it_puts_the_receipt_on_its_own_page_with_every_field():
    body = part(render_document(examples.notice(), created=CREATED), "word/document.xml")
    label = styled(body, "AttachmentLabel")[0]
    assert "".join(label.itertext()) == "附件"
    text = "".join(body.itertext())
    for field in ("承办单位", "联系人", "联系电话", "办理情况", "未完成原因", "预计完成日期", "签收日期", "单位负责人签字（盖章）"):
        assert field in text
    assert "请于2026年12月7日前反馈" in text and "运政办发〔2022〕29号" in text
    assert "抄送：运城市促进养老托育服务高质量发展工作领导小组，市卫健委，市财政局，各县（市、区）人民政府、运城开发区管委会。" in text
    assert "2026年11月30日印发" in text


def test_it_leaves_out_the_cc_line_when_there_is_none():
    context = dataclasses.replace(examples.notice(), cc=[])
    text = "".join(part(render_document(context, created=CREATED), "word/document.xml").itertext())
    assert "抄送" not in text and "2026年11月30日印发" in text


def test_an_office_template_in_the_override_folder_takes_precedence(tmp_path):
    template = DocxTemplate(io.BytesIO(packaged_template("通报")))
    document = template.get_docx()
    document.add_paragraph("本期由{{ issuing_office }}编印")
    document.save(tmp_path / "通报.docx")
    text = "".join(part(render_document(examples.bulletin(), created=CREATED, override_dir=tmp_path),
                        "word/document.xml").itertext())
    assert "本期由运城市促进养老托育服务高质量发展工作领导小组办公室编印" in text
    other = "".join(part(render_document(examples.minutes(), created=CREATED, override_dir=tmp_path),
                         "word/document.xml").itertext())
    assert "编印" not in other            # no override for 会议纪要: the packaged one


def test_a_template_naming_an_unknown_field_is_a_clear_error(tmp_path):
    document = docx.Document(io.BytesIO(packaged_template("会议纪要")))
    document.add_paragraph("{{ no_such_field }}")
    document.save(tmp_path / "会议纪要.docx")
    with pytest.raises(DocumentTemplateError, match="会议纪要.docx"):
        render_document(examples.minutes(), created=CREATED, override_dir=tmp_path)


def test_a_template_cannot_reach_python_internals(tmp_path):
    document = docx.Document(io.BytesIO(packaged_template("会议纪要")))
    document.add_paragraph("{{ issuing_office.__class__.__mro__ }}")
    document.save(tmp_path / "会议纪要.docx")
    with pytest.raises(DocumentTemplateError, match="unsafe|__"):
        render_document(examples.minutes(), created=CREATED, override_dir=tmp_path)


def test_it_refuses_a_creation_time_without_a_zone():
    with pytest.raises(ValueError):
        render_document(examples.notice(), created=dt.datetime(2026, 11, 30, 9, 30))


def test_every_kind_documents_its_fields():
    for kind, entry in KINDS.items():
        doc = entry.context.__doc__
        for field in dataclasses.fields(entry.context):
            if field.name not in ("issuing_office", "issued_on", "number", "cc", "printer", "printed_on"):
                assert f"``{field.name}``" in doc, f"{kind}: {field.name} undocumented"
