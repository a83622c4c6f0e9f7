"""What a person gets on paper: every kind, and a task sheet, printed by LibreOffice to PDF in one soffice run;
pdfinfo checks A4 and the page count, pdftoppm keeps page 1 of each in test-artifacts/ to look at."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from documents_support import first_page_png, page_count, page_size_pts, pdf_text

from ylyx_tasks.documents import examples, render_document, write_xlsx
from ylyx_tasks.documents.pdf import convert

CREATED = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
# Expected pages, from the examples: the notice is its letter and the 回执 page; 40 overdue rows make the
# bulletin several pages; the evaluation has three tables of 40, 25 and 10 rows.
PAGES = {"督办通知单": (3, 5), "通报": (4, 9), "终期评估报告": (5, 10), "会议材料": (2, 5), "会议纪要": (2, 5)}


def task_sheet(rows: int = 20) -> pd.DataFrame:
    lights = ["红灯", "黄灯", "绿灯", "已完成"]
    return pd.DataFrame([{
        "任务编号": examples.TASKS[i % 20][0], "任务名称": examples.TASKS[i % 20][1], "牵头单位": examples.UNITS[i % 10],
        "配合单位": "市卫健委、市财政局、各县（市、区）人民政府", "完成时限": dt.date(2026, 1 + i % 12, 28),
        "逾期天数": 3 * i, "灯号": lights[i % 4], "状态": ("逾期未完成", "临期预警", "正常推进", "已办结")[i % 4],
        "进展情况": "=cmd|' /C calc'!A0" if i == 2 else "已完成选址，正在办理用地手续；资金已拨付50%。"}
        for i in range(rows)])


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("print")
    sources = []
    for context in examples.all_examples(hostile=True):
        path = folder / f"{context.KIND}.docx"
        path.write_bytes(render_document(context, created=CREATED))
        sources.append(path)
    sheet = folder / "任务清单.xlsx"
    sheet.write_bytes(write_xlsx({"任务清单": task_sheet()}, title="运城市养老托育重点任务推进情况表",
                                 unit=examples.OFFICE, as_of=examples.TODAY))
    sources.append(sheet)
    pdfs = convert(sources, outdir=folder / "pdf")          # one soffice process for all six
    return {p.stem: p for p in pdfs}


@pytest.mark.parametrize("kind", list(PAGES))
def test_it_prints_every_kind_on_a4_in_the_expected_pages(printed, kind):
    pdf = printed[kind]
    width, height = page_size_pts(pdf)
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    low, high = PAGES[kind]
    assert low <= page_count(pdf) <= high
    png = first_page_png(pdf, f"doc-{kind}")
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize("kind", list(PAGES))
def test_it_prints_chinese_glyphs_and_page_numbers(printed, kind):
    text = pdf_text(printed[kind])
    assert "运城市" in text and "— 1 —" in text.replace("—1—", "— 1 —")
    fonts = subprocess.run(["pdffonts", str(printed[kind])], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_it_prints_the_masthead_on_one_line_and_the_title_below_it(printed):
    lines = [line.strip() for line in pdf_text(printed["督办通知单"]).splitlines() if line.strip()]
    assert lines[0] == examples.OFFICE
    assert lines[1].replace(" ", "") == "运养托督〔2026〕12号"


def test_it_prints_the_task_sheet_landscape_on_few_pages(printed):
    pdf = printed["任务清单"]
    width, height = page_size_pts(pdf)
    assert width > height and abs(width - 841.9) < 1
    assert 1 <= page_count(pdf) <= 3
    first_page_png(pdf, "xlsx-任务清单")
    assert "运城市养老托育重点任务推进情况表" in pdf_text(pdf)
