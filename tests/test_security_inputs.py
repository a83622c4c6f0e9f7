"""The input gate (issue 15, defects 3, 10 and 13): control characters never reach the database (so the full
export, Word documents and PostgreSQL keep working), every field has a length limit that names the field, files
and imports have limits, and the files offices really upload — GBK CSV from Chinese Excel, .xlsx — are accepted
with the same all-or-nothing checks. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlmodel import select

from tests.personas import make_cast, milestone_id, task_id
from tests.test_mail_smtp import notice_of
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.security.inputs import TooLong, clean_text
from ylyx_tasks.domain.roles import SYSTEM
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.models import Attachment, Contact, Notice, ProgressReport
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.services.mail.recipients import import_contacts
from ylyx_tasks.services.plan import workbook
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.reads.supervision.notice_document import notice_docx_bytes
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tabular import MAX_IMPORT_BYTES, ImportRejected
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.services.tasks.edit import MAX_FILES_PER_REPORT, Upload

TODAY = dt.date(2023, 6, 10)
PASTED = "第一段\x0b第二段\x00（来自 Word）\x1b[31m\u202e"


@pytest.mark.parametrize("raw, stored", [
    ("a\x0bb", "a\nb"), ("a\r\nb\rc", "a\nb\nc"), ("x\x00y\x1b\x7f\x85z", "xy\nz"), ("e\u0301", "é"),
    ("tab\tkept", "tab\tkept"), ("\u202eevil", "evil"), ("\ufffe\uffff", ""),
])
def test_the_gate_normalises_and_strips(raw, stored):
    assert clean_text(raw) == stored


def test_a_one_line_field_gets_spaces_and_a_long_text_names_its_field():
    assert clean_text("张\n三\t", one_line=True) == "张 三 "
    with pytest.raises(TooLong, match="“姓名”不能超过 64 字（现为 65 字）"):
        clean_text("名" * 65, label="姓名", limit=64)


def test_control_characters_in_a_report_and_an_answer_never_reach_the_exports(plan_db):
    cast = make_cast()
    with write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=40, text=PASTED, today=TODAY,
                               evidence="链接\x00")
    with read_session() as s:
        stored = s.exec(select(ProgressReport.text)).one()
    assert stored == "第一段\n第二段（来自 Word）[31m"
    run_scan(dt.date(2023, 1, 3))
    with write_session() as s:
        notice = notice_of(s, "3.2.2", "督办")
        notices.answer(s, cast["minzheng"], notice_id=notice.id, situation=PASTED, reason="原因\x0b措施\x00",
                       new_date=dt.date(2023, 3, 31), today=dt.date(2023, 1, 5))
    with read_session() as s:
        answered = s.get(Notice, notice.id)
        assert "\x00" not in answered.answer_situation and "\x0b" not in answered.answer_reason
        document = notice_docx_bytes(s, notice.id)  # before: "All strings must be XML compatible"
        data = workbook.export_everything(s, TODAY, all_plans(s)[0])  # before: failed on the \x0b
    assert document.startswith(b"PK")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["进展报送"]
    assert any(cell.value == stored for row in sheet.iter_rows() for cell in row)


def test_a_note_over_its_limit_is_refused_by_name_and_nothing_is_stored(plan_db):
    cast = make_cast()
    with pytest.raises(WorkflowError, match="进展情况不能超过 5000 字"), write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=40, text="长" * 1_000_000,
                               today=TODAY)
    with pytest.raises(TooLong, match="“联系人姓名”不能超过 64 字"), write_session() as s:
        # a field no service checks is still checked at the door (before: PostgreSQL's DataError)
        s.add(Contact(unit_key="leadership", name="名" * 200, email="a@example.cn", created_at=dt.datetime.now(dt.UTC)))
    with read_session() as s:
        assert s.exec(select(ProgressReport)).all() == [] and s.exec(select(Contact)).all() == []


def test_files_are_limited_per_report_and_per_task(plan_db, monkeypatch):
    monkeypatch.setenv("YLYX_MAX_UPLOAD_MB", "1")
    from ylyx_tasks import config

    config.get_settings.cache_clear()
    cast = make_cast()
    small = [Upload(f"{i}.txt", b"x") for i in range(MAX_FILES_PER_REPORT + 1)]
    with pytest.raises(WorkflowError, match=f"一次最多上传 {MAX_FILES_PER_REPORT} 个文件"), write_session() as s:
        workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=10, text="a", today=TODAY,
                               files=small)
    big = [Upload(f"{i}.bin", b"x" * (1024 * 1024 - 10)) for i in range(3)]
    for _ in range(6):  # 18 MB of the task's 20
        with write_session() as s:
            workflow.submit_report(s, cast["minzheng"], task_id=task_id("3.1"), percent=10, text="a", today=TODAY,
                                   files=big)
    with pytest.raises(WorkflowError, match="该任务的佐证文件合计不能超过 20 MB"), write_session() as s:
        workflow.claim_done(s, cast["minzheng"], milestone_id=milestone_id("3.1", "2022"), evidence="已完成",
                            today=TODAY, files=big)
    with read_session() as s:
        assert len(s.exec(select(Attachment.id)).all()) == 18


CONTACTS = "unit,name,email\n市民政局,王主任,wang@mz.example.cn\n领导小组,李组长,li@ld.example.cn\n"


def contacts() -> list[tuple[str, str]]:
    with read_session() as s:
        return sorted((c.name, c.email) for c in s.exec(select(Contact)))


def test_a_gbk_csv_from_chinese_excel_is_accepted(plan_db):
    with write_session() as s:
        import_contacts(s, SYSTEM, CONTACTS.encode("gbk"))  # before: "不是 UTF-8 编码"
    assert contacts() == [("李组长", "li@ld.example.cn"), ("王主任", "wang@mz.example.cn")]


def test_an_xlsx_file_is_accepted(plan_db):
    book = openpyxl.Workbook()
    for row in CONTACTS.strip().split("\n"):
        book.active.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    with write_session() as s:
        import_contacts(s, SYSTEM, buffer.getvalue())
    assert contacts() == [("李组长", "li@ld.example.cn"), ("王主任", "wang@mz.example.cn")]


@pytest.mark.parametrize("data, reason", [
    (CONTACTS.replace("王主任", "王\x00主任").encode("gbk"), "第 2 行，列 (整行)：含控制字符 U+0000"),
    (b"PK\x03\x04 not really a workbook", "不是可读取的 .xlsx 文件"),
    (("unit,name,email\n" + "市民政局,王,wang@mz.example.cn\n" * 6000).encode(), "行数超过 5000 行"),
    (b"x" * (MAX_IMPORT_BYTES + 1), "超过 5 MB 的上限"),
    ("unit,name,email\n市民政局,王主任,wang@mz.example.cn\n".encode("utf-16"), "无法识别的编码"),
    (CONTACTS.replace("王主任", "王" * 65).encode("gbk"), "姓名不能超过 64 个字"),
])
def test_a_bad_file_still_changes_nothing_and_says_why(plan_db, data, reason):
    with pytest.raises(ImportRejected) as caught, write_session() as s:
        import_contacts(s, SYSTEM, data)
    assert reason in str(caught.value)
    assert contacts() == []
