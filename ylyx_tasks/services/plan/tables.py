"""Writing tables the way offices open them: CSV with a BOM (so Excel reads the Chinese), and real .xlsx."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ylyx_tasks.errors import InvalidInput


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame] | pd.DataFrame, sheet_name: str = "任务清单") -> bytes:
    """An .xlsx workbook: bold frozen header row, sensible column widths, wrapped long text."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {sheet_name: sheets}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
            for index, column in enumerate(df.columns, start=1):
                values = [str(column)] + [str(v) for v in df[column].head(200).tolist()]
                width = min(60, max(6, max(_display_width(v) for v in values) + 2))
                ws.column_dimensions[get_column_letter(index)].width = width
                if width >= 60:
                    for row in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                        for cell in row:
                            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return buffer.getvalue()


def _display_width(text: str) -> int:
    # CJK characters take two columns in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_table(df: pd.DataFrame, path: Path, sheet_name: str = "任务清单") -> None:
    """Write ``df`` to ``path``: ``.csv`` or ``.xlsx`` by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(to_csv_bytes(df))
    elif suffix == ".xlsx":
        path.write_bytes(to_xlsx_bytes(df, sheet_name))
    else:
        raise InvalidInput(f"不支持的导出格式“{path.suffix}”：请用 .csv 或 .xlsx")
