"""Uploaded tables (a tasks file, a contacts file): decoding them and naming every bad row, column and reason.

Imports are all or nothing: a file with one bad row imports no row, and :class:`ImportRejected` names each
problem the way a spreadsheet shows it (the header is row 1, the first data row 2).
"""

from __future__ import annotations

from dataclasses import dataclass

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


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM, as Excel writes it, is allowed). Anything else is refused with a clear message."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(1, "(文件)", f"不是 UTF-8 编码（第 {exc.start + 1} 个字节）；请另存为 UTF-8 CSV")]
                             ) from None
