"""Seed fidelity: the seed files say what the authoritative plan document says.

The document is parsed here, independently of the seed: its clauses (section 三 and 四), the responsibility
parenthesis closing each clause, and the 主要指标 table. Every check compares the CSV files with what the document
yields, never with figures copied from the CSV files themselves.

The authoritative copy is ``000_1ed3bddd0f4e4338.txt`` (its SHA-256 is pinned below). The other copy of the plan
(``003_…``) is a corrupted web scrape and is never read.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from tests.seedfile import seed_rows
from conftest import IN_CI, REPO

from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.indicators import derive_comparator, parse_figure

DOCUMENT_NAME = "000_1ed3bddd0f4e4338.txt"
DOCUMENT_SHA256 = "542c66a7537569998413256abec09275bc82ba11a49a3f1ddf8a91a63b562488"
DOCUMENT_CANDIDATES = [
    Path(os.environ["YLYX_TEST_PLAN_DOCUMENT"]) if os.environ.get("YLYX_TEST_PLAN_DOCUMENT") else None,
    REPO / "docs" / DOCUMENT_NAME,
    REPO / "docs" / "seeds" / DOCUMENT_NAME,
    REPO.parent / "shared" / "seeds" / DOCUMENT_NAME,
]

TASK_HEADER = ("code,section,title,clause_text,lead_departments,supporting_departments,county_responsible,"
               "working_group,milestones")
INDICATOR_HEADER = ["group", "no", "name", "unit", "baseline_year", "baseline", "target_year", "target",
                    "comparator", "nature", "source", "note"]
EXPECTED_CODES = ["3.1", "3.2.1", "3.2.2", "3.3.1", "3.3.2", "3.3.3", "3.4.1", "3.4.2", "3.4.3", "3.4.4",
                  "3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5"]
# the 主要指标 table: 12 elderly-care (养老) and 13 childcare (托育) indicators
TABLE_ROWS = [("养老服务指标", str(n)) for n in range(1, 13)] + [("托育服务指标", str(n)) for n in range(1, 14)]
WORKING_GROUPS = {"养老专班", "托育专班", "综合专班"}
COUNTIES = ["盐湖区", "永济市", "河津市", "临猗县", "万荣县", "闻喜县", "稷山县", "新绛县", "绛县", "垣曲县", "夏县",
            "平陆县", "芮城县"]
DEVELOPMENT_ZONE = "运城开发区管委会"
TERRITORIAL_CLAUSE = "各县［市、区］人民政府、运城开发区管委会负责"

PAGE_MARK = re.compile(r"^\s*—\s*\d+\s*—\s*$")  # "— 13 —": the PDF's page numbers
WHITESPACE = re.compile(r"\s+")
SUBSECTION = re.compile(r"^（([一二三四五六七八九十])）(\S+)$")
ITEM = re.compile(r"^(\d+)\.")
RESPONSIBILITY = re.compile(r"（([^（）]*?)按职责分工负责，([^（）]*?)）$")
CHINESE_NUMERALS = "一二三四五六七八九十"


def squeeze(text: str) -> str:
    """The text without any whitespace (the PDF's line breaks and stray spaces)."""
    return WHITESPACE.sub("", text)


# --- the document ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    code: str
    title: str
    body: str  # squeezed, without heading and without the responsibility parenthesis
    units: tuple[str, ...]  # the parenthesis' units, in order
    county_clause: str  # what follows 按职责分工负责，


@dataclass(frozen=True)
class TableRow:
    group: str
    no: str
    name: str  # squeezed, unit parenthesis included when the table writes one
    baseline: str
    target: str
    nature: str


def document_path() -> Path | None:
    for candidate in DOCUMENT_CANDIDATES:
        if candidate is not None and candidate.is_file():
            return candidate
    return None


@cache
def document_lines() -> tuple[str, ...]:
    path = document_path()
    if path is None:
        return ()
    text = path.read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if not PAGE_MARK.match(line))


@pytest.fixture(scope="module")
def lines() -> tuple[str, ...]:
    if document_path() is None:
        message = (f"the authoritative plan document {DOCUMENT_NAME} was not found (looked in "
                   f"{', '.join(str(c) for c in DOCUMENT_CANDIDATES if c)}); set YLYX_TEST_PLAN_DOCUMENT")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return document_lines()


def _section(lines: tuple[str, ...], start: str, end: str) -> tuple[str, ...]:
    return lines[lines.index(start) + 1:lines.index(end)]


def _clauses_of(section: tuple[str, ...], major: int) -> list[Clause]:
    """Subsections （一）…; numbered items 1. 2. … inside them. A subsection with items is not itself a task."""
    subsections: list[dict] = []
    current_item: dict | None = None
    for line in section:
        m = SUBSECTION.match(line)
        if m:
            subsections.append({"n": CHINESE_NUMERALS.index(m.group(1)) + 1, "title": m.group(2), "body": "",
                                "items": []})
            current_item = None
            continue
        m = ITEM.match(line)
        if m and subsections:
            current_item = {"n": int(m.group(1)), "body": ""}
            subsections[-1]["items"].append(current_item)
            line = line[m.end():]
        if subsections:
            (current_item or subsections[-1])["body"] += squeeze(line)
    raw: list[tuple[str, str, str]] = []
    for sub in subsections:
        if sub["items"]:
            for item in sub["items"]:
                heading, _, body = item["body"].partition("。")
                raw.append((f"{major}.{sub['n']}.{item['n']}", heading, body))
        else:
            raw.append((f"{major}.{sub['n']}", sub["title"], sub["body"]))
    clauses = []
    for code, title, text in raw:
        m = RESPONSIBILITY.search(text)
        assert m, f"clause {code} of the document does not end with a responsibility parenthesis"
        clauses.append(Clause(code, title, text[:m.start()], tuple(m.group(1).split("、")), m.group(2)))
    return clauses


@pytest.fixture(scope="module")
def document_clauses(lines) -> dict[str, Clause]:
    clauses = (_clauses_of(_section(lines, "三、主要任务", "四、要素支撑"), 3)
               + _clauses_of(_section(lines, "四、要素支撑", "五、保障措施"), 4))
    return {c.code: c for c in clauses}


@pytest.fixture(scope="module")
def flat_document(lines) -> str:
    return "".join(squeeze(line) for line in lines)


@pytest.fixture(scope="module")
def goals_text(lines) -> str:
    """Section 二 in prose: from its heading to the indicator table."""
    return "".join(squeeze(line) for line in _section(lines, "二、发展目标", "（五）主要指标"))


@pytest.fixture(scope="module")
def indicator_table(lines) -> list[TableRow]:
    """The rows of 运城市“十四五”养老托育服务发展主要指标, joined across the PDF's line and page breaks."""
    table = _section(lines, "运城市“十四五”养老托育服务发展主要指标", "三、主要任务")
    rows, group, pending = [], None, []
    row_pattern = re.compile(r"^(\d+)\s+(.+?)\s+(\S+)\s+(\S+)\s+(预期性|约束性)$")
    for line in table:
        if not line or line.startswith("序号"):
            continue
        if line in ("一 养老服务指标", "二 托育服务指标"):
            group = line.split()[1]
            continue
        pending.append(line)
        if line.endswith(("预期性", "约束性")):
            m = row_pattern.match(" ".join(pending))
            assert m, f"unreadable table row: {pending}"
            no, name, baseline, target, nature = m.groups()
            rows.append(TableRow(group, no, squeeze(name), baseline, target, nature))
            pending = []
    assert not pending, f"table row without its nature: {pending}"
    return rows


# --- the seed files -------------------------------------------------------------------------------------------


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REPO / "data" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def task_rows() -> dict[str, dict[str, str]]:
    """The seed's rows, with the 2022 and 2025 commitments of the ``milestones`` column as their own keys."""
    return {row["code"]: row for row in seed_rows()}


@pytest.fixture(scope="module")
def indicator_rows() -> list[dict[str, str]]:
    return read_csv("indicators_seed.csv")


@pytest.fixture(scope="module")
def departments() -> list[dict[str, str]]:
    return read_csv("departments.csv")


def parts(milestone: str) -> list[str]:
    return milestone.split("；") if milestone else []


def sentences(text: str) -> list[str]:
    return [s.strip() for s in text.split("。") if s.strip()]


# --- the document itself --------------------------------------------------------------------------------------


def test_it_reads_the_authoritative_copy_of_the_plan(lines):
    digest = hashlib.sha256(document_path().read_bytes()).hexdigest()
    assert digest == DOCUMENT_SHA256, "this is not the authoritative copy of the plan document"


def test_the_parser_finds_the_twenty_clauses_of_the_document(document_clauses):
    # A check on the test's own parser: the document has exactly the clauses the issue names.
    assert list(document_clauses) == EXPECTED_CODES


# --- tasks_seed.csv -------------------------------------------------------------------------------------------


def test_the_task_file_is_utf8_with_the_exact_header():
    raw = (REPO / "data" / "tasks_seed.csv").read_bytes()
    text = raw.decode("utf-8")  # raises if not UTF-8
    assert text.splitlines()[0] == TASK_HEADER


def test_it_has_twenty_tasks_with_the_plans_codes_in_document_order(task_rows):
    codes = [row["code"] for row in read_csv("tasks_seed.csv")]
    assert codes == EXPECTED_CODES
    assert len(task_rows) == 20


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_clause_text_is_found_in_the_document(code, task_rows, flat_document, document_clauses):
    clause_text = task_rows[code]["clause_text"]
    assert clause_text.strip(), f"{code}: empty clause_text"
    assert squeeze(clause_text) in flat_document, f"{code}: clause_text is not the document's wording"
    # …and it is the whole clause body: no heading, no responsibility parenthesis, nothing left out.
    assert squeeze(clause_text) == document_clauses[code].body


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_clause_text_keeps_no_page_marks_or_line_breaks(code, task_rows):
    clause_text = task_rows[code]["clause_text"]
    assert "\n" not in clause_text and "\r" not in clause_text
    assert not re.search(r"—\s*\d+\s*—", clause_text)


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_title_is_the_documents_heading(code, task_rows, document_clauses):
    assert task_rows[code]["title"] == document_clauses[code].title


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_section_follows_the_code(code, task_rows):
    expected = {"3": "主要任务", "4": "要素支撑"}[code.split(".")[0]]
    assert task_rows[code]["section"] == expected


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_lead_and_supporting_units_are_the_documents_parenthesis(code, task_rows, document_clauses):
    row, units = task_rows[code], document_clauses[code].units
    assert row["lead_department"] == units[0]
    supporting = row["supporting_departments"].split("、") if row["supporting_departments"] else []
    assert supporting == list(units[1:])


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_county_responsible_follows_the_parenthesis(code, task_rows, document_clauses):
    expected = "true" if document_clauses[code].county_clause == TERRITORIAL_CLAUSE else "false"
    assert task_rows[code]["county_responsible"] == expected


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_working_group_is_one_of_the_three(code, task_rows):
    assert task_rows[code]["working_group"] in WORKING_GROUPS


@pytest.mark.parametrize("year", ["2022", "2025"])
@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_milestones_are_the_clauses_own_words(code, year, task_rows):
    row = task_rows[code]
    for part in parts(row[f"milestone_{year}"]):
        assert part.strip(), f"{code}: empty part in milestone_{year}"
        assert part in row["clause_text"], f"{code}: milestone_{year} part not in the clause: {part}"
        assert year in part, f"{code}: milestone_{year} part names no {year} commitment: {part}"


@pytest.mark.parametrize("year", ["2022", "2025"])
@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_every_dated_commitment_of_the_clause_is_a_milestone(code, year, task_rows):
    # "2022 年底…", "2022年…", "到 2025 年…", "到2025 年…": any sentence naming the year commits something for it.
    row = task_rows[code]
    for sentence in sentences(row["clause_text"]):
        if re.search(rf"{year}\s*年", sentence):
            assert sentence in row[f"milestone_{year}"], f"{code}: dated sentence missing from milestone_{year}"


@pytest.mark.parametrize("year", ["2022", "2025"])
def test_it_has_dated_milestones_exactly_where_the_document_commits_them(year, task_rows, document_clauses):
    # Guard against the per-row checks passing vacuously: the clauses naming the year in the document are the
    # rows with a milestone for it (3.1, 3.2.2, 3.3.2, 3.3.3, 3.4.2 for 2022; 3.2.2, 3.3.2, 3.3.3 for 2025).
    in_document = {c.code for c in document_clauses.values() if re.search(rf"{year}年", c.body)}
    assert in_document
    assert {code for code, row in task_rows.items() if row[f"milestone_{year}"]} == in_document


# --- indicators_seed.csv --------------------------------------------------------------------------------------


def test_the_indicator_file_has_its_header():
    with open(REPO / "data" / "indicators_seed.csv", encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == INDICATOR_HEADER


def test_the_parser_reads_the_whole_indicator_table(indicator_table):
    # The document's table: 12 养老 and 13 托育 indicators.
    assert [(r.group, r.no) for r in indicator_table] == TABLE_ROWS


def test_the_table_rows_are_all_there_numbered_1_to_n(indicator_rows):
    table_rows = [r for r in indicator_rows if r["source"] == "主要指标表"]
    assert len(table_rows) == 25
    assert [r["no"] for r in table_rows if r["group"] == "养老服务指标"] == [str(n) for n in range(1, 13)]
    assert [r["no"] for r in table_rows if r["group"] == "托育服务指标"] == [str(n) for n in range(1, 14)]


@pytest.mark.parametrize(("group", "no"), TABLE_ROWS,
                         ids=[f"{'elderly' if g == '养老服务指标' else 'childcare'}-{n}" for g, n in TABLE_ROWS])
def test_table_row_matches_the_document(group, no, indicator_rows, indicator_table):
    row = next(r for r in indicator_rows if r["source"] == "主要指标表" and r["group"] == group and r["no"] == no)
    doc = next(r for r in indicator_table if r.group == group and r.no == no)
    unit = re.match(r"^(.*)（([^（）]+)）$", doc.name)
    if unit:  # the table writes the unit: 基本养老保险参保率（%）
        assert (squeeze(row["name"]), row["unit"]) == unit.groups()
    else:  # no unit in the table: the name is the table's whole wording
        assert squeeze(row["name"]) == doc.name
    assert row["baseline"] == ("" if doc.baseline == "--" else doc.baseline)
    assert row["target"] == doc.target
    assert row["nature"] == doc.nature


def test_comparator_is_the_one_the_figures_mean(indicator_rows):
    wrong = [(r["group"], r["no"], r["comparator"], derive_comparator(r["baseline"], r["target"]))
             for r in indicator_rows
             if r["comparator"] != derive_comparator(r["baseline"], r["target"])]
    assert wrong == []


def test_natures_are_binding_or_expected_for_table_rows(indicator_rows):
    for row in indicator_rows:
        if row["source"] == "主要指标表":
            assert row["nature"] in ("预期性", "约束性"), row["name"]


def test_extra_rows_come_from_section_two_with_its_figures(indicator_rows, goals_text):
    extra = [r for r in indicator_rows if r["source"] != "主要指标表"]
    assert extra, "section 二's further quantified goals are missing"
    assert len(indicator_rows) == 32
    for row in extra:
        assert row["source"].startswith("二、发展目标"), row
        figure = parse_figure(row["target"])
        assert figure is not None, row
        written = f"{figure.value:g}"
        assert re.search(rf"(?<![\d.]){re.escape(written)}(?![\d.])", goals_text), (
            f"{row['name']}: target {row['target']} is not in section 二")
        assert squeeze(row["name"]) in goals_text, f"{row['name']} is not named in section 二"


def test_every_quantified_goal_of_section_two_is_an_indicator_target(indicator_rows, goals_text):
    # "到 2025 年全市养老床位达到 2.1 万余张 … 托位达到 23066 个 … 覆盖面高于 90%": each figure is some row's target.
    goals = [float(g) for g in re.findall(r"(?:达到|高于)(\d+(?:\.\d+)?)", goals_text)]
    assert len(goals) >= 10, goals
    targets = {parse_figure(r["target"]).value for r in indicator_rows}
    assert sorted(set(goals) - targets) == []


def test_indicator_keys_are_unique(indicator_rows):
    keys = [(r["group"], r["no"]) for r in indicator_rows]
    assert len(keys) == len(set(keys))


# --- departments.csv ------------------------------------------------------------------------------------------


def test_every_unit_named_in_a_parenthesis_is_a_department(departments, document_clauses):
    names = {d["name"] for d in departments}
    named = {unit for clause in document_clauses.values() for unit in clause.units}
    assert named - names == set()


def test_the_thirteen_counties_and_the_development_zone_are_county_level(departments):
    county_level = [d for d in departments if d["kind"] == DepartmentKind.COUNTY]
    assert len(county_level) == 14
    for county in COUNTIES:
        matches = [d for d in county_level if d["name"].startswith(county) or d["short_name"] == county]
        assert len(matches) == 1, f"{county}: {matches}"
    assert DEVELOPMENT_ZONE in {d["name"] for d in county_level}


def test_departments_have_known_kinds_and_unique_names(departments):
    assert {d["kind"] for d in departments} <= {k.value for k in DepartmentKind}
    names = [d["name"] for d in departments]
    assert len(names) == len(set(names))


def test_the_table_indicators_are_2020_values_and_2025_targets(indicator_rows):
    """The table's columns are 2020 and 2025 (section 二's goals are for 2025 and have no baseline year)."""
    for row in indicator_rows:
        assert row["target_year"] == "2025", row["name"]
        assert row["baseline_year"] == ("2020" if row["source"] == "主要指标表" else row["baseline_year"]), row["name"]


def test_every_milestone_line_is_a_date_and_the_clauses_words():
    for row in seed_rows():
        for line in row["milestones"].splitlines():
            due, _, text = line.partition(" ")
            assert due in ("2022-12-31", "2025-12-31") and text, (row["code"], line)
