"""Reading a tasks CSV (the seed, or a file to import) and validating every row before anything is written.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first task row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ylyx_tasks.services.tabular import RowError, decode

HEADER = ["code", "section", "title", "clause_text", "lead_department", "supporting_departments",
          "county_responsible", "working_group", "milestone_2022", "milestone_2025"]
SECTIONS = ("主要任务", "要素支撑")
_CODE = re.compile(r"^\d+(\.\d+){1,3}$")
_TRUE = {"true", "1", "yes", "是", "y"}
_FALSE = {"false", "0", "no", "否", "n", ""}
_LIMITS = {"code": 16, "title": 100, "clause_text": 5000, "milestone_2022": 2000, "milestone_2025": 2000}


@dataclass
class TaskRow:
    row: int
    code: str
    section: str
    title: str
    clause_text: str
    lead_department: str
    supporting_departments: list[str]
    county_responsible: bool
    working_group: str
    milestone_2022: str
    milestone_2025: str


@dataclass
class ParseResult:
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_file(path: Path, departments: Iterable[str], groups: Iterable[str]) -> ParseResult:
    return parse(decode(path.read_bytes()), departments, groups)


def parse(text: str, departments: Iterable[str], groups: Iterable[str]) -> ParseResult:
    """Parse and validate the whole text; collect every error instead of stopping at the first."""
    known_departments, known_groups = set(departments), set(groups)
    result = ParseResult()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(RowError(1, "(表头)", "文件为空"))
        return result
    header = [h.strip() for h in header]
    if header != HEADER:
        missing = [h for h in HEADER if h not in header]
        extra = [h for h in header if h not in HEADER]
        detail = "；".join(x for x in (missing and f"缺少 {', '.join(missing)}", extra and f"多出 {', '.join(extra)}")
                          if x) or "列的顺序不对"
        result.errors.append(RowError(1, "(表头)", f"表头应为 {','.join(HEADER)}（{detail}）"))
        return result
    seen_codes: dict[str, int] = {}
    for index, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # blank lines, as spreadsheets leave at the end
        if len(values) != len(HEADER):
            result.errors.append(RowError(index, "(整行)", f"应有 {len(HEADER)} 列，实有 {len(values)} 列"))
            continue
        raw = {k: v.strip() for k, v in zip(HEADER, values)}
        errors = _validate(index, raw, known_departments, known_groups, seen_codes)
        if errors:
            result.errors.extend(errors)
            continue
        result.rows.append(TaskRow(
            row=index, code=raw["code"], section=raw["section"], title=raw["title"],
            clause_text=raw["clause_text"], lead_department=raw["lead_department"],
            supporting_departments=_split(raw["supporting_departments"]),
            county_responsible=raw["county_responsible"].lower() in _TRUE, working_group=raw["working_group"],
            milestone_2022=raw["milestone_2022"], milestone_2025=raw["milestone_2025"],
        ))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "(整行)", "文件中没有任务"))
    return result


def _split(units: str) -> list[str]:
    return [u.strip() for u in units.split("、") if u.strip()]


def _validate(row: int, raw: dict[str, str], departments: set[str], groups: set[str],
              seen_codes: dict[str, int]) -> list[RowError]:
    errors: list[RowError] = []

    def err(column: str, reason: str) -> None:
        errors.append(RowError(row, column, reason))

    for column in ("code", "section", "title", "clause_text", "lead_department", "working_group"):
        if not raw[column]:
            err(column, "不能为空")
    for column, limit in _LIMITS.items():
        if len(raw[column]) > limit:
            err(column, f"超过 {limit} 个字符")
    code = raw["code"]
    if code and not _CODE.match(code):
        err("code", f"编号“{code}”格式不对，应如 3.2.2、3.1 或 4.5")
    elif code in seen_codes:
        err("code", f"编号 {code} 与第 {seen_codes[code]} 行重复")
    elif code:
        seen_codes[code] = row
    if raw["section"] and raw["section"] not in SECTIONS:
        err("section", f"“{raw['section']}”不是 主要任务 或 要素支撑")
    lead = raw["lead_department"]
    if lead and lead not in departments:
        err("lead_department", f"未知单位“{lead}”")
    supporting = _split(raw["supporting_departments"])
    for unit in supporting:
        if unit not in departments:
            err("supporting_departments", f"未知单位“{unit}”")
    if lead and lead in supporting:
        err("supporting_departments", f"牵头单位“{lead}”不应同时列为配合单位")
    duplicates = sorted({u for u in supporting if supporting.count(u) > 1})
    if duplicates:
        err("supporting_departments", f"单位重复：{'、'.join(duplicates)}")
    flag = raw["county_responsible"].lower()
    if flag not in _TRUE | _FALSE:
        err("county_responsible", f"“{raw['county_responsible']}”应为 true 或 false")
    if raw["working_group"] and raw["working_group"] not in groups:
        err("working_group", f"未知专班“{raw['working_group']}”，应为 {'、'.join(sorted(groups))} 之一")
    return errors
