"""Reading a plan document: the lines of its text and its tables, whatever the file it came in.

``read_source`` takes the file's bytes and name (it never opens anything else); ``read_text`` takes text pasted
from Word. Supported: ``.txt`` (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 — a superset of the GBK
Chinese offices save in), ``.docx`` (paragraphs and tables in document order), ``.xlsx`` (the first sheet, merged
cells filled in) and ``.csv``. Anything else raises ``DraftError`` with a Chinese message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from ylyx_tasks.drafting.model import DraftError


@dataclass(frozen=True)
class Line:
    """One line of text; ``number`` counts from 1 (a text file's line, a Word paragraph's position)."""

    number: int
    text: str


@dataclass(frozen=True)
class Table:
    """A table's rows of cell texts; ``lines[i]`` is where row ``i`` is in the document."""

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Source:
    """A document as the drafter sees it. ``kind`` is txt, docx, xlsx or csv; ``paragraphs`` is True when every
    line is a whole paragraph (Word), False when the lines may be a PDF's wrapped lines."""

    name: str
    kind: str
    lines: tuple[Line, ...]
    tables: tuple[Table, ...] = ()
    paragraphs: bool = False


def read_source(data: bytes, filename: str) -> Source:
    """The document in ``data``, read according to the extension of ``filename`` (or its content when the
    extension says nothing). Raises ``DraftError("无法读取文件：…")`` for what cannot be read."""
    name = PurePath(filename or "").name or "文件"
    if not data:
        raise DraftError(f"无法读取文件：{name} 是空的。")
    suffix = PurePath(name).suffix.lower()
    if suffix in (".doc", ".wps"):
        raise DraftError(f"无法读取文件：{name} 是旧版 Word 格式，请在 Word/WPS 中另存为 .docx 后再上传。")
    if suffix in (".xls", ".et"):
        raise DraftError(f"无法读取文件：{name} 是旧版 Excel 格式，请另存为 .xlsx 后再上传。")
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        raise DraftError(f"无法读取文件：{name} 是 PDF，请先转换为文本（.txt）或 Word（.docx）。")
    if suffix not in (".txt", ".text", ".docx", ".xlsx", ".csv", ""):
        raise DraftError(f"无法读取文件：不支持 {suffix} 格式（可用 .txt、.docx、.xlsx、.csv）。")
    if suffix in (".docx", ".xlsx") or (not suffix and data.startswith(b"PK")):
        kind = suffix.lstrip(".") or _zip_kind(data, name)
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise DraftError(f"无法读取文件：{name} 不是有效的 .{kind} 文件（可能已损坏）。")
        return _read_docx(data, name) if kind == "docx" else _read_xlsx(data, name)
    text = decode_text(data, name)
    if suffix == ".csv":
        rows = [tuple(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text))]
        keep = [(i + 1, row) for i, row in enumerate(rows) if any(row)]
        return Source(name, "csv", (), (Table(tuple(r for _, r in keep), tuple(n for n, _ in keep)),), True)
    return read_text(text, name)


def read_text(text: str, name: str = "粘贴的文本") -> Source:
    """Text pasted or saved from Word or from a PDF. Form feeds split lines but keep the line's number; runs of
    tab-separated lines (a Word table pasted as text) become a table."""
    lines: list[Line] = []
    tables: list[Table] = []
    pending: list[Line] = []

    def flush() -> None:
        if len(pending) >= 2:  # a header and at least one row
            tables.append(Table(tuple(tuple(c.strip() for c in ln.text.split("\t")) for ln in pending),
                                tuple(ln.number for ln in pending)))
        else:
            lines.extend(pending)
        pending.clear()

    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        for part in raw.replace("\v", "\f").split("\f"):
            if "\t" in part.strip():
                pending.append(Line(number, part))
                continue
            if part.strip():
                flush()
            lines.append(Line(number, part))
    flush()
    lines.sort(key=lambda ln: ln.number)
    return Source(name, "txt", tuple(lines), tuple(tables), _looks_like_paragraphs(lines))


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (which reads GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise DraftError(f"无法读取文件：{name} 不是文本文件。")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DraftError(f"无法读取文件：{name} 的文字编码无法识别（可用 UTF-8 或 GBK）。") from exc


def _looks_like_paragraphs(lines: list[Line]) -> bool:
    # A PDF's text breaks lines anywhere, so most of its long lines end mid-sentence; Word's paragraphs end with
    # 。 or ）, or are short headings. Two long lines in three ending a sentence is the threshold between the two:
    # a paragraph that ends otherwise ("牵头单位：A") is rare, a PDF line that ends a sentence is luck.
    texts = [ln.text.strip() for ln in lines if ln.text.strip()]
    long = [t for t in texts if len(t) >= 15]
    if not long:
        return True
    ended = sum(1 for t in long if t[-1] in "。；;：:！？!?）)”")
    return ended * 3 >= len(long) * 2


def _zip_kind(data: bytes, name: str) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise DraftError(f"无法读取文件：{name} 已损坏。") from exc
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    raise DraftError(f"无法读取文件：{name} 既不是 Word（.docx）也不是 Excel（.xlsx）文件。")


def _read_docx(data: bytes, name: str) -> Source:

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise DraftError(f"无法读取文件：{name} 不是有效的 Word（.docx）文件。") from exc
    lines: list[Line] = []
    tables: list[Table] = []
    position = 0
    # Paragraphs and tables in document order: the body's children, not document.paragraphs + document.tables.
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            position += 1
            for part in Paragraph(element, document).text.replace("\v", "\n").split("\n"):
                lines.append(Line(position, part))
        elif tag == "tbl":
            rows, numbers = [], []
            for row in DocxTable(element, document).rows:
                position += 1
                rows.append(tuple(" ".join(cell.text.split("\n")).strip() for cell in row.cells))
                numbers.append(position)
            tables.append(Table(tuple(rows), tuple(numbers)))
    return Source(name, "docx", tuple(lines), tuple(tables), True)


def _read_xlsx(data: bytes, name: str) -> Source:

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken workbook
        raise DraftError(f"无法读取文件：{name} 不是有效的 Excel（.xlsx）文件。") from exc
    sheet = workbook.worksheets[0]
    values = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # A 分工表 merges the lead unit or the deadline over several rows: every row of the range gets its value.
    for merged in sheet.merged_cells.ranges:
        value = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[r - 1][c - 1] = value
    keep = [(i + 1, tuple(row)) for i, row in enumerate(values) if any(row)]
    table = Table(tuple(row for _, row in keep), tuple(n for n, _ in keep))
    return Source(name, "xlsx", (), (table,), True)


def cell_text(value: object) -> str:
    """A cell as the office reads it: 1.0 → "1", a date → "2026年6月30日", line breaks joined."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "".join(str(value).splitlines()).strip()
