"""The app's own exports, as a clerk gets them: the task list and the full workbook print as they are (title,
制表单位, 截至 the day passed in, landscape A4 fitted to the width, header repeated, autofilter, real dates,
lights coloured), nothing in them runs as a formula or carries a control character — stored data included —,
and the 督办通知单 and 通报 of real notices print on A4 through LibreOffice. Page 1 of each is kept in
test-artifacts/."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from documents_support import first_page_png, page_count, page_size_pts, pdf_text
from sqlmodel import select

from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.documents.pdf import convert
from ylyx_tasks.models import Notice, ProgressReport, Task
from ylyx_tasks.reads.supervision.notice_document import notice_docx_bytes
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services.plan import closeout, workbook
from ylyx_tasks.services.plan.export import tasks_frame
from ylyx_tasks.services.plan.tables import to_csv_bytes, to_xlsx_bytes
from ylyx_tasks.services.supervision.scan import run_scan

TODAY = dt.date(2023, 1, 11)
OFFICE = "运城市促进养老托育服务高质量发展工作领导小组办公室"
# At most: the notice is its letter and the 回执; the close-out report tabulates 25 milestones, 32 indicators
# and every department.
PAGES = {"督办通知单": 4, "通报": 4, "终期评估报告": 15}
HOSTILE = "=cmd|' /C calc'!A0\x0b第二行\x00\x07"


@pytest.fixture
def situation(plan_sqlite):
    """督办 on 2023-01-03, 通报 on 2023-01-11, and a report whose stored text a spreadsheet could run."""
    run_scan(dt.date(2023, 1, 3))
    run_scan(TODAY)
    with write_session() as s:
        task = s.exec(select(Task).where(Task.code == "3.1")).one()
        s.add(ProgressReport(task_id=task.id, department_id=1, duty="牵头", period="2023-01", percent=10,
                             text=HOSTILE, evidence="@SUM(1+1)", reported_on=TODAY,
                             created_at=dt.datetime(2023, 1, 11, 2, tzinfo=dt.timezone.utc)))
    return plan_sqlite


def full_export(today: dt.date) -> openpyxl.Workbook:
    with read_session() as s:
        data = workbook.export_everything(s, today, all_plans(s)[0])
    return openpyxl.load_workbook(io.BytesIO(data))


def test_every_sheet_of_the_full_export_prints_as_it_is(situation):
    book = full_export(TODAY)

    assert len(book.sheetnames) == 10
    for ws in book.worksheets:
        assert ws["A1"].value.endswith(ws.title), ws.title  # "十四五养老托育任务清单" …
        assert ws["A2"].value == f"制表单位：{OFFICE}"
        assert "截至 2023年1月11日" in [c.value for c in ws[2]]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$3:$3" and ws.auto_filter.ref.startswith("A3:")
        assert ws.freeze_panes == "A4"


def header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[3]}


def test_days_overdue_count_to_the_day_passed_in_and_dates_are_dates(situation):
    later = dt.date(2023, 3, 1)
    ws = full_export(later)["任务清单"]
    cols = header(ws)
    with read_session() as s:
        views = {v.code: v for v in load_task_views(s, later)}
    rows = {ws.cell(row=r, column=cols["编号"]).value: r for r in range(4, ws.max_row + 1)}
    assert "截至 2023年3月1日" in [c.value for c in ws[2]]
    for code, r in rows.items():
        assert ws.cell(row=r, column=cols["逾期天数"]).value == views[code].days_overdue
    overdue = ws.cell(row=rows["3.1"], column=cols["逾期天数"]).value
    assert overdue == (later - dt.date(2022, 12, 31)).days  # counted to 3月1日, not to the real clock
    due = ws.cell(row=rows["3.1"], column=cols["节点1现期限"])
    assert due.is_date and due.number_format == 'yyyy"年"m"月"d"日"'
    light = ws.cell(row=rows["3.1"], column=cols["灯号"])
    assert light.value == "红灯" and light.fill.fgColor.rgb.endswith("FF6B6B")
    clause = ws.cell(row=rows["3.1"], column=cols["节点1"])
    assert ws.row_dimensions[rows["3.1"]].height >= 18 and clause.alignment.wrap_text
    reports = full_export(later)["进展报送"]
    assert reports.cell(row=4, column=header(reports)["报送日期"]).is_date


def test_stored_text_that_would_run_or_carries_control_characters_is_made_inert(situation):
    ws = full_export(TODAY)["进展报送"]
    cols = header(ws)
    text = ws.cell(row=4, column=cols["进展情况"])
    evidence = ws.cell(row=4, column=cols["佐证材料"])
    assert text.value == "'=cmd|' /C calc'!A0\n第二行" and text.data_type == "s"
    assert evidence.value == "'@SUM(1+1)" and evidence.data_type == "s"
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            assert not (isinstance(cell.value, str) and any(ord(c) < 32 and c not in "\n\t" for c in cell.value))
    with read_session() as s:
        stored = s.exec(select(ProgressReport.text, ProgressReport.evidence)).all()
    csv = to_csv_bytes(pd.DataFrame(stored, columns=["进展情况", "佐证材料"])).decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in csv and "'@SUM(1+1)" in csv
    assert not any(ord(c) < 32 and c not in "\r\n\t" for c in csv)


def test_the_task_list_and_the_notices_print_on_a4_through_libreoffice(situation, tmp_path):
    with read_session() as s:
        plan = all_plans(s)[0]
        views = load_task_views(s, TODAY, plan_id=plan.id)
        sheet = to_xlsx_bytes(tasks_frame(views, plan), unit=plan.issuing_office, as_of=TODAY,
                              title=f"{plan.short_name}任务清单")
        supervision = s.exec(select(Notice).where(Notice.level == "督办").order_by(Notice.id)).first()
        # (the periodic 通报 is printed through LibreOffice in tests/test_bulletins.py)
        documents = {"督办通知单": notice_docx_bytes(s, supervision.id),
                     "终期评估报告": closeout.closeout_report(s, plan, TODAY)}
        everything = workbook.export_everything(s, TODAY, plan)
    sources = [tmp_path / "任务清单.xlsx", tmp_path / "全部数据.xlsx"]
    sources[0].write_bytes(sheet)
    sources[1].write_bytes(everything)
    for name, data in documents.items():
        sources.append(tmp_path / f"{name}.docx")
        sources[-1].write_bytes(data)

    pdfs = {p.stem: p for p in convert(sources, outdir=tmp_path / "pdf")}

    width, height = page_size_pts(pdfs["任务清单"])
    assert width > height and abs(width - 841.9) < 1  # landscape A4
    assert page_count(pdfs["任务清单"]) <= 4  # 20 tasks; was 11 portrait Letter-wide pages
    assert "截至 2023年1月11日" in pdf_text(pdfs["任务清单"]).replace("  ", " ")
    first_page_png(pdfs["任务清单"], "app-任务清单")
    width, height = page_size_pts(pdfs["全部数据"])
    assert width > height and page_count(pdfs["全部数据"]) <= 30  # ten sheets; was 101 pages
    for name in documents:
        width, height = page_size_pts(pdfs[name])
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
        assert 2 <= page_count(pdfs[name]) <= PAGES[name]
        text = pdf_text(pdfs[name])
        assert "— 1 —" in text.replace("—1—", "— 1 —") and OFFICE in text.replace(" ", "")
        first_page_png(pdfs[name], f"app-{name}")


def test_the_close_out_report_is_addressed_to_the_plans_leading_group(situation):
    import docx

    with read_session() as s:
        data = closeout.closeout_report(s, all_plans(s)[0], TODAY)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "运城市促进养老托育服务高质量发展工作领导小组：" in text
    assert "抄送：运城市促进养老托育服务高质量发展工作领导小组各成员单位" in text


def test_libreoffice_reads_the_task_list_csv_with_codes_as_text_and_dates_as_dates(situation, tmp_path):
    """The task list's CSV as a user opens it (comma, UTF-8, special numbers detected): every code — 3.1, 4.1,
    3.2.1 — stays text, 逾期天数 are numbers, 下一节点到期 a date."""
    with read_session() as s:
        plan = all_plans(s)[0]
        frame = tasks_frame(load_task_views(s, TODAY, plan_id=plan.id), plan)
    path = tmp_path / "任务清单.csv"
    path.write_bytes(to_csv_bytes(frame))

    (xlsx,) = convert([path], to="xlsx", outdir=tmp_path / "out",
                      infilter="CSV Text - Text Encoded:44,34,76,1,,0,false,true,true")

    ws = openpyxl.load_workbook(xlsx).active
    cols = {c.value: c.column for c in ws[1]}
    codes = [ws.cell(row=r, column=cols["编号"]) for r in range(2, ws.max_row + 1)]
    assert len(codes) == 20 and all(c.data_type == "s" for c in codes)
    assert [c.value.strip() for c in codes] == list(frame["编号"])
    assert all(ws.cell(row=r, column=cols["逾期天数"]).data_type == "n" for r in range(2, ws.max_row + 1))
    assert ws.cell(row=2, column=cols["下一节点到期"]).is_date
