"""Uploaded tables (a tasks file, a contacts file): decoding them and naming every bad row, column and reason.

A file may be UTF-8 or GBK/GB18030 CSV or an .xlsx workbook (:func:`decode`), within a size and a row limit.
Imports are all or nothing: a file with one bad row imports no row, and :class:`ImportRejected` names each
problem the way a spreadsheet shows it (the header is row 1, the first data row 2).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

import openpyxl

from ylyx_tasks.errors import InvalidInput


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行，列 {self.column}：{self.reason}"


class ImportRejected(InvalidInput):
    """The file has errors; nothing was imported. ``errors`` names every bad row, column and reason."""

    def __init__(self, errors: list[RowError], what: str = "任务") -> None:
        super().__init__(f"文件有 {len(errors)} 处错误，未导入任何{what}：\n" + "\n".join(str(e) for e in errors))
        self.errors = errors


MAX_IMPORT_BYTES = 5 * 1024 * 1024  # an imported file (CSV or .xlsx)
MAX_IMPORT_ROWS = 5000  # data rows of an imported file
_XLSX = b"PK\x03\x04"  # a zip file: an .xlsx workbook
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse(reason: str, row: int = 1, column: str = "(文件)") -> ImportRejected:
    return ImportRejected([RowError(row, column, reason)])


def _xlsx_to_csv(data: bytes) -> str:
    """The first sheet of an .xlsx workbook as CSV text (values, not formulas), for the same parsers and the
    same all-or-nothing checks as a CSV file."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable workbook is the same answer to the user
        raise _refuse("不是可读取的 .xlsx 文件（请用 Excel 另存为 .xlsx 或 CSV）") from None
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    try:
        sheet = book.worksheets[0]
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if index > MAX_IMPORT_ROWS + 1:
                raise _refuse(f"行数超过 {MAX_IMPORT_ROWS} 行")
            cells = ["" if v is None else _cell_text(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()  # Excel's formatted but empty cells to the right
            writer.writerow(cells)
    finally:
        book.close()
    return out.getvalue()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value)


def decode(data: bytes) -> str:
    """The text of an uploaded table: UTF-8 (a BOM, as Excel writes it, is allowed), GB18030/GBK (what Chinese
    Excel saves as "CSV"), or an .xlsx workbook's first sheet. Refused, naming the reason: over
    :data:`MAX_IMPORT_BYTES` or :data:`MAX_IMPORT_ROWS`, another encoding, or control characters (NUL…)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _refuse(f"文件大小 {len(data) / 1024 / 1024:.1f} MB，超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB 的上限")
    if data.startswith(_XLSX):
        text = _xlsx_to_csv(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise _refuse(f"无法识别的编码（第 {exc.start + 1} 个字节）；请另存为 UTF-8 CSV、GBK CSV 或 .xlsx"
                              ) from None
    lines = text.split("\n")
    if len(lines) > MAX_IMPORT_ROWS + 2:
        raise _refuse(f"行数超过 {MAX_IMPORT_ROWS} 行")
    errors = [RowError(number, "(整行)", f"含控制字符 U+{ord(m.group()):04X}，请删除后再导入")
              for number, line in enumerate(lines, start=1) if (m := _CONTROL.search(line))]
    if errors:
        raise ImportRejected(errors[:20])
    return text
