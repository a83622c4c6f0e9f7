"""An .xlsx a clerk prints as it is: title and subtitle rows, a header repeated on every printed page,
landscape A4 fitted to the page width, real dates and numbers, wrapped text with row heights to match,
autofilter, frozen header, coloured 灯号 and tinted 状态 — and no cell that a spreadsheet could run.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ylyx_tasks.documents.sheets.cells import LIGHT_FILLS, display_width, neutralise, plain, status_tint
from ylyx_tasks.documents.text import clean_text, cn_date

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
HEADER_ROW = 3
_MAX_WIDTH = 48          # characters; longer text wraps
# The width (in characters) a landscape A4 page holds at about two thirds of full size. A wider sheet narrows
# its widest text columns (down to _MIN_TEXT_WIDTH; they wrap more, rows grow) rather than print too small.
_PAGE_BUDGET = 220
_MIN_TEXT_WIDTH = 12
_LINE_HEIGHT = 15.0      # points per wrapped line of 11 pt CJK text (its glyphs are taller than Latin)
_FONT = "宋体"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _column_width(frame: pd.DataFrame, column: str) -> float:
    sample = [display_width(column)] + [display_width(_shown(plain(v))) for v in frame[column].head(500)]
    return min(_MAX_WIDTH, max(6, max(sample) + 2))


def _fit_widths(widths: list[float], wraps: list[bool]) -> list[float]:
    """``widths`` with the widest text columns (``wraps``) capped, lowering the cap until the sheet fits
    ``_PAGE_BUDGET`` or no text column can narrow below ``_MIN_TEXT_WIDTH``. Dates and numbers keep their width
    (a narrowed date prints ####)."""
    cap = max(widths, default=0)

    def total(limit: float) -> float:
        return sum(min(w, limit) if wrap else w for w, wrap in zip(widths, wraps))

    while total(cap) > _PAGE_BUDGET and cap > _MIN_TEXT_WIDTH:
        cap -= 1
    return [min(w, cap) if wrap else w for w, wrap in zip(widths, wraps)]


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return cn_date(value) + (" 00:00" if isinstance(value, dt.datetime) else "")
    return "" if value is None else str(value)


def _write_cell(ws: Worksheet, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, dt.datetime):
        cell.value, cell.number_format = value.replace(tzinfo=None), DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value, cell.number_format = value, DATE_FORMAT
    elif isinstance(value, (int, float)):
        cell.value = value
    elif value is not None:
        text = neutralise(str(value))
        cell.value = text
        # openpyxl takes any str beginning with "=" for a formula: say it is a string, always.
        cell.data_type = TYPE_STRING
        if text.startswith("'"):
            cell.quotePrefix = True
    cell.border = _BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=isinstance(cell.value, str),
                               horizontal="center" if isinstance(value, (dt.date, int, float)) else "left")


def _sheet(ws: Worksheet, frame: pd.DataFrame, *, title: str, unit: str, as_of: dt.date) -> None:
    columns = [str(c) for c in frame.columns]
    frame = frame.copy()
    frame.columns = columns
    last = get_column_letter(max(1, len(columns)))
    widths = _fit_widths([_column_width(frame, c) for c in columns],
                         [any(isinstance(plain(v), str) for v in frame[c].head(500)) for c in columns])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = clean_text(title)
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    half = max(1, len(columns) // 2)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    ws.cell(row=2, column=1, value=f"制表单位：{clean_text(unit)}").alignment = Alignment(horizontal="left")
    if len(columns) > half:
        ws.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=len(columns))
    ws.cell(row=2, column=min(len(columns), half + 1), value=f"截至 {cn_date(as_of)}").alignment = \
        Alignment(horizontal="right")
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=neutralise(name))
        cell.data_type = TYPE_STRING
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    light_col = columns.index("灯号") + 1 if "灯号" in columns else None
    status_col = columns.index("状态") + 1 if "状态" in columns else None
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=HEADER_ROW + 1):
        lines = 1
        for col, raw in enumerate(values, start=1):
            value = plain(raw)
            _write_cell(ws, r, col, value)
            if isinstance(value, str):
                per_line = max(1, widths[col - 1] - 1)
                lines = max(lines, sum(math.ceil(max(1, display_width(part)) / per_line)
                                       for part in value.split("\n")))
        ws.row_dimensions[r].height = max(18.0, lines * _LINE_HEIGHT + 4)
        if light_col and (fill := LIGHT_FILLS.get(str(plain(values[light_col - 1])))):
            ws.cell(row=r, column=light_col).fill = PatternFill("solid", fgColor=fill)
        if status_col and (tint := status_tint(str(plain(values[status_col - 1]) or ""))):
            ws.cell(row=r, column=status_col).fill = PatternFill("solid", fgColor=tint)
    last_row = HEADER_ROW + max(1, len(frame))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{last_row}"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # Landscape A4, as wide as the page, as many pages tall as it takes; footer "第 1 页，共 3 页".
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_xlsx(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], *, title: str, unit: str, as_of: dt.date,
               sheet_titles: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx of one sheet per DataFrame (a mapping of sheet name → frame, or a single frame named after
    ``title``). Each sheet: row 1 ``title``, row 2 "制表单位：``unit``" and "截至 ``as_of``", row 3 the header.

    Values: datetime.date and pandas Timestamps become date cells shown 2026年11月30日; integers and floats stay
    numbers; bools print 是/否; NaN/None leave the cell empty; text is cleaned of control characters and, when
    it begins with = + - @ tab or CR, prefixed with "'" and written as a string, never a formula.
    Columns named 灯号 and 状态 are coloured. Sheet names are cut to Excel's 31 characters.
    ``sheet_titles`` gives a sheet (by its name in ``sheets``) a title of its own instead of ``title``.
    """
    frames = {title: sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    book = Workbook()
    book.remove(book.active)
    for name, frame in frames.items():
        safe = "".join(c for c in clean_text(str(name)) if c not in "[]:*?/\\")[:31] or "Sheet"
        _sheet(book.create_sheet(safe), frame, title=(sheet_titles or {}).get(name, title), unit=unit, as_of=as_of)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
