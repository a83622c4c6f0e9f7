"""Importing tasks: ``taskcsv.parse`` names every error with its row (the header is row 1), column and
reason, and ``ylyx-tasks import-tasks`` imports a file whole or not at all.

Personas: Bob at the office prepares import files; some of his rows are wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO
from sqlmodel import SQLModel, select

from ylyx_tasks import db
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.roles import SYSTEM, Duty
from ylyx_tasks.models import AuditEvent, Department, Milestone, Responsibility, Task
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services.plan.loader import apply_task_rows
from ylyx_tasks.services.plan.taskcsv import CHINESE_HEADER, HEADER, parse
from ylyx_tasks.services.setup import initialize
from ylyx_tasks.services.tabular import ImportRejected, RowError, decode

DATA = REPO / "data"


def _departments() -> list[str]:
    with open(DATA / "departments.csv", encoding="utf-8", newline="") as f:
        return [row["name"] for row in csv.DictReader(f)]


def _groups() -> list[str]:
    with open(DATA / "plan.toml", "rb") as f:
        return [g["name"] for g in tomllib.load(f)["working_groups"]]


DEPARTMENTS, GROUPS = _departments(), _groups()

# Bob's new task: a well-formed row that is not in the seed.
NEW_TASK = {
    "code": "4.6", "section": "要素支撑", "title": "加强信息化支撑",
    "clause_text": "建设全市养老托育服务信息平台，汇集机构、床位、托位和从业人员数据。",
    "lead_departments": "市民政局", "supporting_departments": "市卫健委、市工信局", "county_responsible": "true",
    "working_group": "综合专班", "milestones": "2025-12-31 到 2025 年建成全市养老托育服务信息平台",
}
PERIOD = dict(plan_start=dt.date(2021, 1, 1), plan_end=dt.date(2025, 12, 31))  # the seed plan's (plan.toml)


def row(**changes: str) -> list[str]:
    values = {**NEW_TASK, **changes}
    return [values[column] for column in HEADER]


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def parse_(text: str, **kwargs):
    return parse(text, DEPARTMENTS, GROUPS, **PERIOD, **kwargs)


def errors_of(text: str) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.reason) for e in parse_(text).errors]


def assert_errors(text: str, expected: list[tuple[int, str, str]]) -> None:
    """Every expected (row, column, reason fragment) is reported, and nothing else."""
    actual = errors_of(text)
    assert len(actual) == len(expected), actual
    for (row_no, column, reason), (a_row, a_column, a_reason) in zip(expected, actual):
        assert (a_row, a_column) == (row_no, column), actual
        assert reason in a_reason, actual


# --- parse: the good cases ------------------------------------------------------------------------------------


def test_it_parses_a_good_file():
    result = parse_(csv_text([row()]))

    assert result.ok and result.errors == []
    [task] = result.rows
    assert (task.row, task.code, task.lead_department) == (2, "4.6", "市民政局")
    assert task.supporting_departments == ["市卫健委", "市工信局"]
    assert task.county_responsible is True
    assert task.milestones == [(dt.date(2025, 12, 31), "到 2025 年建成全市养老托育服务信息平台")]


def test_it_reads_co_leads_and_several_dated_commitments():
    [task] = parse_(csv_text([row(lead_departments="市民政局、市卫健委", supporting_departments="市工信局",
                                  milestones="2023-06-30 到2023年6月底，试点建成\n2024-12-31 2024 年底前全面建成\n"
                                             "2023-06-30 同月完成验收")])).rows
    assert task.lead_departments == ["市民政局", "市卫健委"] and task.lead_department == "市民政局"
    assert task.milestones == [(dt.date(2023, 6, 30), "到2023年6月底，试点建成；同月完成验收"),
                               (dt.date(2024, 12, 31), "2024 年底前全面建成")]


def test_the_first_releases_file_is_still_read():
    legacy = ["code", "section", "title", "clause_text", "lead_department", "supporting_departments",
              "county_responsible", "working_group", "milestone_2022", "milestone_2025"]
    text = csv_text([["4.6", "要素支撑", "加强信息化支撑", "建设平台。", "市民政局", "", "true", "综合专班",
                      "2022 年建成一期", "到 2025 年建成"]], header=legacy)
    [task] = parse_(text).rows
    assert task.milestones == [(dt.date(2022, 12, 31), "2022 年建成一期"), (dt.date(2025, 12, 31), "到 2025 年建成")]


def test_a_unit_the_office_confirms_as_new_is_accepted():
    text = csv_text([row(supporting_departments="市卫健委、市中医院")])
    assert list(parse_(text).unknown_units) == ["市中医院"]
    assert parse_(text, new_units=["市中医院"]).ok


def test_the_seed_itself_parses_without_errors():
    result = parse_((DATA / "tasks_seed.csv").read_text(encoding="utf-8"))
    assert result.errors == []
    assert len(result.rows) == 20


def test_a_byte_order_mark_as_excel_writes_it_is_accepted():
    text = decode(b"\xef\xbb\xbf" + csv_text([row()]).encode("utf-8"))
    assert parse_(text).ok


@pytest.mark.parametrize(("flag", "expected"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True), ("是", True),
    ("false", False), ("0", False), ("no", False), ("否", False), ("", False),
])
def test_county_responsible_flags(flag, expected):
    [task] = parse_(csv_text([row(county_responsible=flag)])).rows
    assert task.county_responsible is expected


def test_no_supporting_units_is_fine():
    [task] = parse_(csv_text([row(supporting_departments="")])).rows
    assert task.supporting_departments == []


# --- parse: every error, with row, column and reason ----------------------------------------------------------

ROW_ERRORS = [
    # (case, changes to Bob's row, column, reason fragment)
    ("bad code format", {"code": "3.2.#"}, "code", "格式不对"),
    ("code with a space", {"code": "4 6"}, "code", "格式不对"),
    ("code with a slash", {"code": "3.2/1"}, "code", "格式不对"),
    ("section too long", {"section": "部" * 33}, "section", "超过 32 个字符"),
    ("unknown lead department", {"lead_departments": "市宣传部"}, "lead_departments", "未知单位“市宣传部”"),
    ("unknown co-lead", {"lead_departments": "市民政局、市宣传部"}, "lead_departments", "未知单位“市宣传部”"),
    ("milestone without a date", {"milestones": "2025年底前建成"}, "milestones", "应以 YYYY-MM-DD"),
    ("milestone with an impossible date", {"milestones": "2025-02-30 建成"}, "milestones", "应以 YYYY-MM-DD"),
    ("milestone after the plan", {"milestones": "2026-06-30 建成"}, "milestones", "不在方案期限"),
    ("unknown supporting department", {"supporting_departments": "市卫健委、市宣传部"}, "supporting_departments",
     "未知单位“市宣传部”"),
    ("lead repeated among supporting", {"supporting_departments": "市卫健委、市民政局"}, "supporting_departments",
     "牵头单位“市民政局”不应同时列为配合单位"),
    ("duplicate co-lead", {"lead_departments": "市民政局、市民政局"}, "lead_departments", "单位重复：市民政局"),
    ("duplicate supporting", {"supporting_departments": "市卫健委、市工信局、市卫健委"}, "supporting_departments",
     "单位重复：市卫健委"),
    ("bad county_responsible flag", {"county_responsible": "maybe"}, "county_responsible", "应为 true 或 false"),
    ("unknown working group", {"working_group": "养老组"}, "working_group", "未知专班“养老组”"),
    ("title too long", {"title": "长" * 101}, "title", "超过 100 个字符"),
] + [
    (f"missing {column}", {column: ""}, column, "不能为空")
    for column in ("code", "section", "title", "clause_text", "lead_departments", "working_group")
] + [
    (f"blank {column}", {column: "   "}, column, "不能为空")
    for column in ("title", "lead_departments")
]


@pytest.mark.parametrize(("changes", "column", "reason"), [c[1:] for c in ROW_ERRORS],
                         ids=[c[0] for c in ROW_ERRORS])
def test_a_bad_row_is_named_with_its_row_column_and_reason(changes, column, reason):
    # Bob's bad row is the third task row, after two good ones: spreadsheet row 4.
    text = csv_text([row(code="4.6"), row(code="4.7"), row(**{"code": "4.8", **changes})])
    assert_errors(text, [(4, column, reason)])


FILE_ERRORS = [
    # (case, file text, expected errors)
    ("empty file", "", [(1, "(表头)", "文件为空")]),
    ("header only", csv_text([]), [(2, "(整行)", "文件中没有任务")]),
    ("wrong header: a column renamed",
     csv_text([row()], header=[("lead" if h == "lead_departments" else h) for h in HEADER]),
     [(1, "(表头)", "缺少 lead_departments；多出 lead")]),
    ("wrong header: columns swapped", csv_text([row()], header=[HEADER[1], HEADER[0], *HEADER[2:]]),
     [(1, "(表头)", "列的顺序不对")]),
    ("wrong header: a column missing", csv_text([row()[:-1]], header=HEADER[:-1]),
     [(1, "(表头)", "缺少 milestones")]),
    ("too few columns", csv_text([row(code="4.6"), row(code="4.7")[:-1]]), [(3, "(整行)", "应有 9 列，实有 8 列")]),
    ("too many columns", csv_text([row(code="4.6") + ["多余"]]), [(2, "(整行)", "应有 9 列，实有 10 列")]),
    ("duplicate code", csv_text([row(code="4.6"), row(code="4.7"), row(code="4.6")]),
     [(4, "code", "编号 4.6 与第 2 行重复")]),
    ("several errors in one row", csv_text([row(section="部" * 33, working_group="养老组")]),
     [(2, "section", "超过"), (2, "working_group", "未知专班")]),
    ("every bad row is reported", csv_text([row(code="4.6", lead_departments="市宣传部"), row(code="4.7"),
                                            row(code="x y", county_responsible="?")]),
     [(2, "lead_departments", "未知单位"), (4, "code", "格式不对"), (4, "county_responsible", "应为 true 或 false")]),
    ("rows are counted as records, a quoted line break inside a cell included",
     csv_text([row(code="4.6", clause_text="第一段。\n第二段。"), row(code="4.7", section="部" * 33)]),
     [(3, "section", "超过")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in FILE_ERRORS], ids=[c[0] for c in FILE_ERRORS])
def test_file_level_errors(text, expected):
    assert_errors(text, expected)


def test_a_gbk_file_reads_as_its_utf8_twin():
    text = csv_text([row()])
    assert decode(text.encode("gbk")) == decode(text.encode("utf-8-sig")) == text


def test_a_file_in_no_known_encoding_is_refused_as_a_whole():
    utf16 = csv_text([row()]).encode("utf-16")

    with pytest.raises(ImportRejected) as excinfo:
        decode(utf16)

    [error] = excinfo.value.errors
    assert (error.row, error.column) == (1, "(文件)")
    assert "无法识别的编码" in error.reason


def test_error_messages_name_row_column_and_reason():
    assert str(RowError(7, "lead_departments", "未知单位“市宣传部”")) == "第 7 行，列 lead_departments：未知单位“市宣传部”"


# --- the command ----------------------------------------------------------------------------------------------

@pytest.fixture
def loaded_sqlite(sqlite_db):
    """A SQLite file with the plan loaded (the commands below run against it in their own process)."""
    initialize()
    db.dispose_engines()
    return sqlite_db


def run_cli(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YLYX_")}
    env.update(YLYX_DATABASE_URL=database_url, YLYX_DATA_DIR=str(DATA), YLYX_OUTBOX_DIR=str(cwd / "outbox"),
               PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "ylyx_tasks", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def row_counts() -> dict[str, int]:
    with db.get_engine().connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


def squeezed(text: str) -> str:
    return "".join(text.split())


def seed_rows() -> list[list[str]]:
    with open(DATA / "tasks_seed.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def test_it_imports_nothing_when_one_row_is_bad_and_lists_every_bad_row(loaded_sqlite, tmp_path):
    rows = seed_rows()
    rows[0][2] = "加力整体推进增供给（Bob 改过的标题）"  # a good change that must not be applied either
    rows[3][4] = "市宣传部"  # 3.3.1: unknown lead — spreadsheet row 5
    rows += [row(code="4.6"), row(code="4.7", working_group="养老组")]  # a good new task, then row 23: bad group
    path = tmp_path / "bob.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    counts = row_counts()

    result = run_cli(loaded_sqlite.url, tmp_path, "import-tasks", str(path))

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    report = squeezed(result.stderr + result.stdout)
    assert squeezed("第 5 行，列 lead_departments：未知单位“市宣传部”") in report
    assert squeezed("第 23 行，列 working_group：未知专班“养老组”") in report
    assert squeezed("未导入任何任务") in report
    assert row_counts() == counts
    with db.read_session() as session:
        codes = {t.code: t.title for t in session.exec(select(Task))}
    assert "4.6" not in codes
    assert codes["3.1"] == "加力整体推进增供给"


def test_it_imports_a_new_task_and_importing_it_again_changes_nothing(loaded_sqlite, tmp_path):
    path = tmp_path / "bob.csv"
    path.write_text(csv_text([row()]), encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    counts = row_counts()

    first = run_cli(loaded_sqlite.url, tmp_path, "import-tasks", str(path))

    assert first.returncode == 0, first.stderr
    assert "已导入" in first.stdout
    with db.read_session() as session:
        task = session.exec(select(Task).where(Task.code == "4.6")).one()
        names = {d.id: d for d in session.exec(select(Department))}
        duties = [(names[r.department_id].name, r.duty) for r in session.exec(
            select(Responsibility).where(Responsibility.task_id == task.id).order_by(Responsibility.position))]
        [milestone] = session.exec(select(Milestone).where(Milestone.task_id == task.id)).all()
        events = session.exec(select(AuditEvent).where(AuditEvent.task_id == task.id,
                                                       AuditEvent.action == "新增任务")).all()
    assert (task.title, task.section, task.status) == ("加强信息化支撑", "要素支撑", "未启动")
    assert duties[:3] == [("市民政局", Duty.LEAD), ("市卫健委", Duty.SUPPORT), ("市工信局", Duty.SUPPORT)]
    assert {d for d, duty in duties[3:] if duty == Duty.TERRITORIAL} == {
        d.name for d in names.values() if d.kind == DepartmentKind.COUNTY}
    assert len(duties) == 3 + 14
    assert (milestone.key, milestone.due_date.isoformat(), milestone.commitment) == (
        "2025", "2025-12-31", "到 2025 年建成全市养老托育服务信息平台")
    assert len(events) == 1 and events[0].actor.startswith("cli:")
    after_first = row_counts()
    assert after_first["task"] == counts["task"] + 1

    second = run_cli(loaded_sqlite.url, tmp_path, "import-tasks", str(path))

    assert second.returncode == 0, second.stderr
    assert row_counts() == after_first  # no new row anywhere, not even in the audit log


def test_a_cell_that_looks_like_markup_is_reported_like_any_other_bad_value(
        loaded_sqlite, tmp_path, monkeypatch, capsys):
    # In-process (the same entry point as the console script) to keep the suite fast.
    from ylyx_tasks.cli import main

    path = tmp_path / "bob.csv"
    path.write_text(csv_text([row(working_group="[/red]")]), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["ylyx-tasks", "import-tasks", str(path)])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code != 0
    assert squeezed("第 2 行，列 working_group：未知专班“[/red]”") in squeezed(capsys.readouterr().err)


def test_importing_some_rows_keeps_the_task_order(loaded_sqlite):
    seed = {r[0]: r for r in seed_rows()}
    corrected = seed["3.6"].copy()
    corrected[3] = corrected[3].replace("形成良好社会风尚。", "形成良好社会风尚，弘扬孝亲敬老文化。")
    parsed = parse_(csv_text([corrected, row()]))
    assert parsed.ok
    with db.write_session() as session:
        apply_task_rows(session, current_plan(session), parsed.rows, SYSTEM)

    with db.read_session() as session:
        codes = [v.code for v in load_task_views(session, dt.date(2024, 1, 1))]

    assert codes == list(seed) + ["4.6"]


def test_the_header_an_office_writes_in_chinese_reads_as_the_english_one():
    english = parse_(csv_text([row()]))
    chinese = parse_(csv_text([row()], header=CHINESE_HEADER))
    assert not english.errors and not chinese.errors and chinese.rows == english.rows
    half = CHINESE_HEADER[:4] + HEADER[4:]  # a mixture is neither: refused, naming the expected header
    assert [e.row for e in parse_(csv_text([row()], header=half)).errors] == [1]
