"""A 任务分工表 (task division table): one task per row.

The header row is found among the first rows by its columns' names: 序号, a task column (任务 / 重点任务 / 工作任务
/ 具体任务; with a second, 具体内容 / 工作措施, the first gives the title and the second the text), 牵头单位,
配合单位 or 责任单位 (first unit leads when there is no 牵头单位 column), 完成时限 / 时间节点 / 完成时间, and a
类别 column or rows "一、主要任务" spanning the table for the section. A table without a task column and a unit
column is not a 分工表 (an indicator table, say) and gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ylyx_tasks.drafting.model import Doubt
from ylyx_tasks.drafting.responsibility import Responsibility, find_responsibility, parse_unit_list
from ylyx_tasks.drafting.source import Table
from ylyx_tasks.drafting.structure import SECTION, SUBSECTION
from ylyx_tasks.drafting.text import chinese_number, fold, without_final_stop

HEADER_SEARCH_ROWS = 10
CODE_HEADERS = ("序号", "编号", "序", "编码", "任务编号")


@dataclass
class TableTask:
    """One row of the 分工表, before the units are checked and the dates read."""

    code: str
    section: str
    title: str
    text: str
    responsibility: Responsibility
    deadline: str
    line: int
    doubts: list[Doubt] = field(default_factory=list)


def table_tasks(table: Table) -> tuple[list[TableTask], list[str]] | None:
    """The table's tasks and the doubts about the table itself, or None when it is not a 分工表."""
    header = _header(table)
    if header is None:
        return None
    at, columns = header
    tasks: list[TableTask] = []
    doubts: list[str] = []
    section, section_number = "", 0
    numbers: list[int] = []  # each task's section number, when the table has "一、…" rows
    for row, line in zip(table.rows[at + 1:], table.lines[at + 1:], strict=True):
        cells = [fold(c).strip() for c in row]
        original = [c.strip() for c in row]
        filled = list(dict.fromkeys(c for c in cells if c))
        if not filled:
            continue
        if len(filled) == 1 and (cells.count(filled[0]) > 1 or SECTION.match(filled[0])):
            # a row spanning the table (merged cells repeat their text), or "一、主要任务" alone: a section
            section, section_number = _section_row(original[cells.index(filled[0])])
            continue
        title = _cell(original, columns, "title")
        text = _cell(original, columns, "text")
        if not title and not text:
            doubts.append(f"分工表第 {line} 行没有任务内容，已跳过。")
            continue
        task = TableTask("", _cell(original, columns, "section") or section, "", "", Responsibility(),
                         _cell(original, columns, "deadline"), line)
        task.title, task.text = _title_and_text(title, text)
        task.responsibility = _responsibility(cells, columns, task)
        task.code = _code(_cell(cells, columns, "code"), len(tasks) + 1, task)
        numbers.append(section_number)
        tasks.append(task)
    codes = [task.code for task in tasks]
    if len(set(codes)) < len(codes) and all(numbers):
        # 序号 starts again under each "一、…" row: the section's number goes in front ("二" row, 1 → "2.1")
        for task, number in zip(tasks, numbers, strict=True):
            task.code = f"{number}.{task.code}"
    return tasks, doubts


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            role = _role(re.sub(r"[\s*＊]", "", fold(cell)))
            if role and role not in columns:
                columns[role] = col
        if ("title" in columns or "text" in columns) and ("lead" in columns or "responsible" in columns):
            return index, columns
    return None


def _role(header: str) -> str | None:
    """What a column holds, from its header's wording."""
    if not header:
        return None
    if header in CODE_HEADERS or header.startswith("序号"):
        return "code"
    if "牵头" in header:
        return "responsible" if "责任" in header else "lead"
    if any(w in header for w in ("配合", "协办", "参与", "协同")):
        return "support"
    if "责任" in header or header in ("主体", "实施主体", "实施单位"):
        return "responsible"
    if any(w in header for w in ("时限", "时间", "期限", "节点", "进度")):
        return "deadline"
    if any(w in header for w in ("具体", "内容", "措施", "举措")):
        return "text"
    if any(w in header for w in ("任务", "事项", "工作", "名称")):
        return "title"
    if any(w in header for w in ("类别", "领域", "分类", "板块")):
        return "section"
    return None


def _cell(cells: list[str], columns: dict[str, int], role: str) -> str:
    col = columns.get(role)
    return cells[col] if col is not None and col < len(cells) else ""


def _section_row(text: str) -> tuple[str, int]:
    folded = fold(text)
    m = SECTION.match(folded) or SUBSECTION.match(folded)
    if not m:
        return text, 0
    number = chinese_number(next(g for g in m.groups() if g))
    return text[m.start(m.lastindex or 0):].strip(), number or 0


def _title_and_text(title: str, text: str) -> tuple[str, str]:
    """Two columns: the title and the text. One: its first sentence is the title when more follows."""
    if title and text:
        return without_final_stop(title), text
    cell = title or text
    head, stop, rest = cell.partition("。")
    if stop and rest.strip():
        return head.strip(), rest.strip()
    return without_final_stop(cell), cell


def _responsibility(cells: list[str], columns: dict[str, int], task: TableTask) -> Responsibility:
    result = Responsibility()
    lead_cell = _cell(cells, columns, "lead")
    parts = [parse_unit_list(lead_cell, "lead")] if lead_cell else []
    responsible = _cell(cells, columns, "responsible")
    if responsible:
        parts.append(parse_unit_list(responsible, "support" if "lead" in columns else "responsible"))
    support = _cell(cells, columns, "support")
    if support:
        parts.append(parse_unit_list(support, "support"))
    for part in parts:
        result.lead += [n for n in part.lead if n not in result.lead]
        result.supporting += part.supporting
        result.county |= part.county
        result.notes += part.notes
    if not result.lead and not result.supporting:
        # the responsibility may be written in the task's own text: "…（市民政局牵头）"
        found = find_responsibility(task.text)
        if found is not None and (found.lead or found.supporting):
            task.text = task.text[:found.start].rstrip()
            result.lead, result.supporting, result.county = found.lead, found.supporting, result.county or found.county
    result.supporting = [n for n in dict.fromkeys(result.supporting) if n not in result.lead]
    return result


def _code(written: str, position: int, task: TableTask) -> str:
    """"1", "1.1" as written, "（一）" / "一、" → "1"; no 序号 (or an unreadable one) → the row's position."""
    written = written.strip().rstrip(".、")
    m = re.fullmatch(r"（?([一二三四五六七八九十]+)）?", written)
    if m:
        written = str(chinese_number(m.group(1)))
    if not re.fullmatch(r"\d+(?:\.\d+)*", written):
        task.doubts.append(Doubt("code", f"序号“{written}”无法识别，已按顺序编为 {position}。" if written
                                 else f"没有序号，已按顺序编为 {position}。"))
        written = str(position)
    return written
