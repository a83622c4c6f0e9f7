"""Reading a tasks file (the seed, an import, a corrected draft) and validating every row before anything is
written. Rows are numbered as a spreadsheet shows them: the header is row 1, the first task row 2.

The columns (the format is also written by ``ylyx-tasks plan draft SOURCE --csv``):

| column | what |
|---|---|
| code | 条款编号: 3.2.1, 4.5, 1, 结转3.1 … |
| section | the plan's part: 主要任务, 要素支撑, 重点任务 … |
| title, clause_text | the clause's heading and its words |
| lead_departments | 牵头单位 (several, separated by 、, when the clause names co-leads) |
| supporting_departments | 配合单位, separated by 、 |
| county_responsible | true when the plan's territorial units answer for the clause on their territory |
| working_group | the 工作专班 |
| milestones | one dated commitment per line: ``2027-06-30 到2027年6月底，…`` (the clause as a whole is due at the plan's end) |

The first release's header (``lead_department`` … ``milestone_2022, milestone_2025``) is still read: its 2022
commitment is due 2022-12-31, its 2025 one at the plan's end.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ylyx_tasks.services.tabular import RowError, decode

HEADER = ["code", "section", "title", "clause_text", "lead_departments", "supporting_departments",
          "county_responsible", "working_group", "milestones"]
LEGACY_HEADER = ["code", "section", "title", "clause_text", "lead_department", "supporting_departments",
                 "county_responsible", "working_group", "milestone_2022", "milestone_2025"]
# The same columns under the names an office writes (the admin page shows these); either header is accepted.
CHINESE_HEADER = ["编号", "部分", "任务", "条款原文", "牵头单位", "配合单位", "属地责任", "工作专班", "时间节点"]
COLUMN_NAMES = dict(zip(HEADER, CHINESE_HEADER))  # how an error names its column to the office
_CODE = re.compile(r"^(?=.{1,16}$)\w+(?:[.\-]\w+)*$")  # 3.2.1, 4.5, 二.3, X099: no empty part
_MILESTONE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[\s:：|｜]+(.*))?$", re.S)
_TRUE = {"true", "1", "yes", "是", "y"}
_FALSE = {"false", "0", "no", "否", "n", ""}
_LIMITS = {"code": 16, "section": 32, "title": 100, "clause_text": 5000, "milestones": 6000}


@dataclass
class TaskRow:
    row: int
    code: str
    section: str
    title: str
    clause_text: str
    lead_departments: list[str]
    supporting_departments: list[str]
    county_responsible: bool
    working_group: str
    milestones: list[tuple[dt.date, str]] = field(default_factory=list)  # (due, the commitment's words)

    @property
    def lead_department(self) -> str:
        """The first lead unit: the one notices are addressed to."""
        return self.lead_departments[0] if self.lead_departments else ""


@dataclass
class ParseResult:
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unknown_units: dict[str, list[str]] = field(default_factory=dict)  # name → the closest known names

    @property
    def ok(self) -> bool:
        return not self.errors


def format_milestones(milestones: Iterable[tuple[dt.date, str]]) -> str:
    """The ``milestones`` cell: one ``YYYY-MM-DD 承诺`` per line."""
    return "\n".join(f"{due.isoformat()} {text}".rstrip() for due, text in milestones)


def read_file(path: Path, departments: Iterable[str], groups: Iterable[str], *, plan_start: dt.date,
              plan_end: dt.date, new_units: Collection[str] = ()) -> ParseResult:
    return parse(decode(path.read_bytes()), departments, groups, plan_start=plan_start, plan_end=plan_end,
                 new_units=new_units)


def parse(text: str, departments: Iterable[str], groups: Iterable[str], *, plan_start: dt.date,
          plan_end: dt.date, new_units: Collection[str] = ()) -> ParseResult:
    """Parse and validate the whole text; collect every error instead of stopping at the first. A unit the
    database does not know is an error (naming the closest known ones) unless it is in ``new_units``: the
    office confirmed it as a new unit."""
    known = set(departments) | set(new_units)
    result = ParseResult()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        result.errors.append(RowError(1, "(表头)", "文件为空"))
        return result
    if header == CHINESE_HEADER:
        header = list(HEADER)
    legacy = header == LEGACY_HEADER
    if not legacy and header != HEADER:
        missing = [h for h in HEADER if h not in header]
        extra = [h for h in header if h not in HEADER]
        detail = "；".join(x for x in (missing and f"缺少 {', '.join(missing)}", extra and f"多出 {', '.join(extra)}")
                          if x) or "列的顺序不对"
        result.errors.append(RowError(1, "(表头)", f"表头应为 {','.join(HEADER)}（{detail}）"))
        return result
    columns = LEGACY_HEADER if legacy else HEADER
    checker = _Checker(known, set(groups), sorted(set(departments)), plan_start, plan_end, result)
    for index, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # blank lines, as spreadsheets leave at the end
        if len(values) != len(columns):
            result.errors.append(RowError(index, "(整行)", f"应有 {len(columns)} 列，实有 {len(values)} 列"))
            continue
        raw = {k: v.strip() for k, v in zip(columns, values)}
        if legacy:
            raw = _from_legacy(raw, plan_end)
        row = checker.row(index, raw)
        if row is not None:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "(整行)", "文件中没有任务"))
    return result


def _from_legacy(raw: dict[str, str], plan_end: dt.date) -> dict[str, str]:
    lines = []
    if raw["milestone_2022"]:
        lines.append(f"2022-12-31 {raw['milestone_2022']}")
    if raw["milestone_2025"]:
        lines.append(f"{plan_end.isoformat()} {raw['milestone_2025']}")
    return {**{k: raw[k] for k in HEADER if k in raw}, "lead_departments": raw["lead_department"],
            "milestones": "\n".join(lines)}


def split_units(units: str) -> list[str]:
    return [u.strip() for u in re.split(r"[、，,；;\n]", units) if u.strip()]


class _Checker:
    """Validates one row at a time, remembering the codes seen (a code appears once)."""

    def __init__(self, known: set[str], groups: set[str], names: list[str], plan_start: dt.date,
                 plan_end: dt.date, result: ParseResult) -> None:
        self.known, self.groups, self.names = known, groups, names
        self.plan_start, self.plan_end, self.result = plan_start, plan_end, result
        self.seen_codes: dict[str, int] = {}

    def row(self, index: int, raw: dict[str, str]) -> TaskRow | None:
        errors: list[RowError] = []

        def err(column: str, reason: str) -> None:
            errors.append(RowError(index, column, reason))

        for column in ("code", "section", "title", "clause_text", "lead_departments", "working_group"):
            if not raw[column]:
                err(column, "不能为空")
        for column, limit in _LIMITS.items():
            if len(raw[column]) > limit:
                err(column, f"超过 {limit} 个字符")
        code = raw["code"]
        if code and not _CODE.match(code):
            err("code", f"编号“{code}”格式不对，应如 3.2.2、3.1、4.5（字母、数字、汉字和 . -，不超过 16 个字符）")
        elif code in self.seen_codes:
            err("code", f"编号 {code} 与第 {self.seen_codes[code]} 行重复")
        elif code:
            self.seen_codes[code] = index
        leads, supporting = split_units(raw["lead_departments"]), split_units(raw["supporting_departments"])
        for column, units in (("lead_departments", leads), ("supporting_departments", supporting)):
            for unit in units:
                if unit not in self.known:
                    close = difflib.get_close_matches(unit, self.names, n=3, cutoff=0.4)
                    self.result.unknown_units[unit] = close
                    hint = f"；相近的有：{'、'.join(close)}" if close else ""
                    err(column, f"未知单位“{unit}”{hint}（如确为新单位，请确认新增）")
            duplicates = sorted({u for u in units if units.count(u) > 1})
            if duplicates:
                err(column, f"单位重复：{'、'.join(duplicates)}")
        both = [u for u in leads if u in supporting]
        if both:
            err("supporting_departments", f"牵头单位“{'、'.join(both)}”不应同时列为配合单位")
        flag = raw["county_responsible"].lower()
        if flag not in _TRUE | _FALSE:
            err("county_responsible", f"“{raw['county_responsible']}”应为 true 或 false")
        if raw["working_group"] and raw["working_group"] not in self.groups:
            err("working_group", f"未知专班“{raw['working_group']}”，应为 {'、'.join(sorted(self.groups))} 之一")
        milestones = self._milestones(raw["milestones"], err)
        self.result.errors.extend(errors)
        if errors:
            return None
        return TaskRow(row=index, code=code, section=raw["section"], title=raw["title"],
                       clause_text=raw["clause_text"], lead_departments=leads, supporting_departments=supporting,
                       county_responsible=flag in _TRUE, working_group=raw["working_group"], milestones=milestones)

    def _milestones(self, cell: str, err) -> list[tuple[dt.date, str]]:
        out: dict[dt.date, str] = {}
        for line in (x.strip() for x in cell.splitlines()):
            if not line:
                continue
            m = _MILESTONE.match(line)
            try:
                due = dt.date.fromisoformat(m.group(1)) if m else None
            except ValueError:
                due = None
            if due is None or m is None:
                err("milestones", f"“{line[:30]}”应以 YYYY-MM-DD 形式的日期开头，如“2027-06-30 到2027年6月底…”")
                continue
            if not self.plan_start <= due <= self.plan_end:
                err("milestones", f"节点期限 {due.isoformat()} 不在方案期限 {self.plan_start.isoformat()} 至 "
                                  f"{self.plan_end.isoformat()} 内")
                continue
            text = (m.group(2) or "").strip()
            out[due] = f"{out[due]}；{text}" if due in out and text else (text or out.get(due, ""))
        return sorted(out.items())
