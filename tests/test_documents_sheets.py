"""The clerk's spreadsheets: page setup, print titles, filters, real dates and numbers, colours, formulas
never written as formulas; CSV that Excel and LibreOffice open as the office meant it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from test_documents_pdf import task_sheet

from ylyx_tasks.documents import csv_field, examples, write_csv, write_xlsx
from ylyx_tasks.documents.pdf import convert
from ylyx_tasks.documents.sheets.cells import display_width, neutralise

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    frame = task_sheet()
    frame.loc[len(frame)] = {**frame.iloc[0].to_dict(), "进展情况": "\n".join(["很长的进展情况说明文字"] * 6)}
    data = write_xlsx({"任务清单": frame, "恶意": pd.DataFrame({"内容": HOSTILE, "编号": ["3.1"] * 6})},
                      title="运城市养老托育重点任务推进情况表", unit=examples.OFFICE, as_of=examples.TODAY)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_it_sets_up_landscape_a4_fitted_to_the_width_with_repeated_headers(book):
    ws = book["任务清单"]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:I24"
    assert ws["A1"].value == "运城市养老托育重点任务推进情况表"
    assert ws["A2"].value == f"制表单位：{examples.OFFICE}"
    assert any(c.value == "截至 2026年11月30日" for c in ws[2])


def test_it_writes_dates_as_dates_and_numbers_as_numbers(book):
    ws = book["任务清单"]
    due, days = ws["E4"], ws["F5"]
    assert due.data_type == "d" and due.value.date() == dt.date(2026, 1, 28)
    assert due.number_format == 'yyyy"年"m"月"d"日"'
    assert days.data_type == "n" and days.value == 3
    assert ws["A4"].data_type == "s" and ws["A4"].value == "3.1"


def test_it_colours_lights_and_tints_status(book):
    ws = book["任务清单"]
    fills = {ws.cell(row=r, column=7).value: ws.cell(row=r, column=7).fill.fgColor.rgb[-6:] for r in range(4, 8)}
    assert fills == {"红灯": "FF6B6B", "黄灯": "FFC000", "绿灯": "70AD47", "已完成": "B4C6E7"}
    assert ws["H4"].fill.fgColor.rgb[-6:] == "FCE4E4"       # 逾期未完成


def test_it_sizes_columns_by_content_and_rows_by_wrapped_lines(book):
    ws = book["任务清单"]
    assert ws.column_dimensions["C"].width >= display_width("市发展改革委") + 2
    assert ws["I24"].alignment.wrap_text and ws.row_dimensions[24].height >= 6 * 15


def test_it_never_writes_a_formula(book):
    ws = book["恶意"]
    for row, text in enumerate(HOSTILE, start=4):
        cell = ws.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.value == "'" + text.replace("\r", "")[:0] + neutralise(text)[1:]
        assert cell.value.startswith("'")
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


@pytest.mark.parametrize("value, field", [
    ("3.1", "\t3.1"), ("4.10", "\t4.10"), ("007", "\t007"), ("3-1", "\t3-1"), ("50%", "\t50%"), ("市民政局", "市民政局"),
    ("=1+1", "'=1+1"), ("-2", "'-2"), ("@A1", "'@A1"), (3, "3"), (dt.date(2026, 11, 30), "2026-11-30"), (None, ""),
])
def test_it_writes_csv_fields_that_stay_what_they_are(value, field):
    assert csv_field(value) == field


def test_libreoffice_opens_the_csv_with_codes_as_text_and_no_formulas(tmp_path):
    frame = pd.DataFrame({"任务编号": ["3.1", "4.1", "3.2.1"], "说明": ["=cmd|' /C calc'!A0", "+1", "正常"],
                          "逾期天数": [3, 0, 12]})
    data = write_csv(frame)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["任务编号", "说明", "逾期天数"] and rows[1][0] == "\t3.1"
    path = tmp_path / "tasks.csv"
    path.write_bytes(data)
    # As a user opening it: comma-separated, UTF-8 (76), formulas evaluated, special numbers detected.
    (xlsx,) = convert([path], to="xlsx", outdir=tmp_path / "out",
                      infilter="CSV Text - Text Encoded:44,34,76,1,,0,false,true,true")
    ws = openpyxl.load_workbook(xlsx).active
    codes = [ws.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.data_type for c in codes] == ["s", "s", "s"]
    assert [c.value.strip() for c in codes] == ["3.1", "4.1", "3.2.1"]
    assert ws["B2"].data_type == "s" and ws["B2"].value.startswith("'=cmd")
    assert ws["C2"].data_type == "n" and ws["C2"].value == 3
