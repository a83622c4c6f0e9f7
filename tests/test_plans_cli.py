"""The command line with several plans: ``plans``, ``plan draft`` (prints, writes nothing), ``plan import`` (all or
nothing, new units only when confirmed), and ``--plan`` on ``show``, ``notices``, ``export``, ``digest``; the end
of a plan (``plan close | report | carry``) and ``calendar``. In-process, through the console script's own entry
point (``ylyx_tasks.cli.main``), on the plan's database (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from ylyx_tasks.cli import main
from ylyx_tasks.db import read_session
from ylyx_tasks.models import Department, Plan, Task

SAMPLE = Path(__file__).parent / "data" / "十五五一老一小示例方案.txt"
IMPORT = ["plan", "import", str(SAMPLE), "--code", "十五五养老托育", "--title", "十五五一老一小实施方案",
          "--period", "2026-01-01:2030-12-31", "--prefix", "运十五", "--doc-number", "运政办发〔2026〕18号"]


def cli(monkeypatch, capsys, *args: str, today: str = "2026-11-30") -> tuple[int, str, str]:
    """Run ``ylyx-tasks args`` as of ``today``; (exit status, stdout, stderr)."""
    from ylyx_tasks import config

    monkeypatch.setenv("YLYX_TODAY", today)
    config.get_settings.cache_clear()
    monkeypatch.setattr(sys, "argv", ["ylyx-tasks", *args])
    code = 0
    try:
        main()
    except SystemExit as exited:
        code = exited.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def counts() -> tuple[int, int, int]:
    with read_session() as s:
        return (len(s.exec(select(Plan)).all()), len(s.exec(select(Task)).all()),
                len(s.exec(select(Department)).all()))


def test_draft_prints_what_it_understood_and_writes_nothing(plan_db, monkeypatch, capsys, tmp_path):
    before = counts()
    code, out, _ = cli(monkeypatch, capsys, "plan", "draft", str(SAMPLE), "--json", "--period", "2026-01-01:2030-12-31")
    assert code == 0
    records = json.loads(out)
    assert [r["code"] for r in records] == ["2.1", "2.2.1", "2.2.2", "2.3", "3.1"]
    first = records[1]
    assert (first["lead"], first["county"]) == (["市卫健委", "市住建局"], False)
    assert first["milestones"] == [{"due": "2027-06-30", "text": first["milestones"][0]["text"]}]
    assert {"code", "title", "lead", "supporting", "county", "milestones"} <= set(first)
    assert any("市中医院" in d for d in records[3]["doubts"])
    code, out, _ = cli(monkeypatch, capsys, "plan", "draft", str(SAMPLE), "--csv", str(tmp_path / "draft.csv"))
    assert code == 0 and "市中医院" in out
    with open(tmp_path / "draft.csv", encoding="utf-8-sig", newline="") as f:
        assert [r["code"] for r in csv.DictReader(f)] == ["2.1", "2.2.1", "2.2.2", "2.3", "3.1"]
    assert counts() == before


def test_an_unconfirmed_unknown_unit_imports_nothing_then_confirmed_it_imports(plan_db, monkeypatch, capsys):
    before = counts()
    code, _, err = cli(monkeypatch, capsys, *IMPORT)
    assert code != 0 and "未知单位“市中医院”" in err and "未导入任何" in err
    assert counts() == before
    code, out, err = cli(monkeypatch, capsys, *IMPORT, "--new-units", "市中医院", "--new-unit-kind", "其他单位")
    assert code == 0, err
    assert "已载入方案" in out
    assert counts() == (before[0] + 1, before[1] + 5, before[2] + 1)


def test_every_command_works_per_plan(plan_db, monkeypatch, capsys, tmp_path):
    assert cli(monkeypatch, capsys, *IMPORT, "--new-units", "all")[0] == 0
    code, out, _ = cli(monkeypatch, capsys, "plans", "--json")
    plans = {p["code"]: p for p in json.loads(out)}
    assert plans["十五五养老托育"]["in_force"] and not plans["运政办发〔2022〕29号"]["in_force"]
    assert (plans["十五五养老托育"]["tasks"], plans["运政办发〔2022〕29号"]["tasks"]) == (5, 20)
    code, out, _ = cli(monkeypatch, capsys, "show")  # the plan in force today
    assert code == 0 and "十五五" in out and "2.2.1" in out and "3.2.2" not in out
    code, out, _ = cli(monkeypatch, capsys, "show", "--plan", "十四五养老托育")
    assert code == 0 and "3.2.2" in out
    assert cli(monkeypatch, capsys, "scan", today="2027-01-04")[0] == 0
    code, out, _ = cli(monkeypatch, capsys, "notices", "--json", today="2027-01-04")
    notices = json.loads(out)
    assert {n["plan"] for n in notices} == {"十五五养老托育", "运政办发〔2022〕29号"}
    code, out, _ = cli(monkeypatch, capsys, "notices", "--json", "--plan", "十五五养老托育", today="2027-01-04")
    only = json.loads(out)
    assert only and {n["plan"] for n in only} == {"十五五养老托育"}
    assert all(n["number"].startswith("运十五") for n in only)
    assert any(n["calendar_fallback"] for n in only if n["level"] == "督办")
    path = tmp_path / "十五五.csv"
    assert cli(monkeypatch, capsys, "export", str(path), "--plan", "十五五养老托育")[0] == 0
    with open(path, encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == 5
    code, out, _ = cli(monkeypatch, capsys, "digest", "--dry-run", "--plan", "十五五养老托育", today="2027-01-04")
    assert code == 0 and "周简报" in out
    code, _, err = cli(monkeypatch, capsys, "show", "--plan", "没有这个方案")
    assert code != 0 and "没有方案“没有这个方案”" in err


def test_the_end_of_a_plan_from_the_command_line(plan_db, monkeypatch, capsys, tmp_path):
    assert cli(monkeypatch, capsys, *IMPORT, "--new-units", "all")[0] == 0
    code, out, _ = cli(monkeypatch, capsys, "plan", "close", "十四五养老托育")
    assert code == 0 and "终期评估" in out
    report = tmp_path / "终期评估.docx"
    assert cli(monkeypatch, capsys, "plan", "report", "十四五养老托育", str(report))[0] == 0
    assert report.read_bytes()[:2] == b"PK"
    code, out, _ = cli(monkeypatch, capsys, "plan", "carry", "--from", "十四五养老托育", "--to", "十五五养老托育",
                       "--tasks", "3.1")
    assert code == 0 and "结转3.1" in out
    code, out, _ = cli(monkeypatch, capsys, "report", "十五五养老托育:结转3.1", "--percent", "10", "--text", "继续推进")
    assert code == 0, out


@pytest.mark.parametrize("year_known", [False, True])
def test_calendar_show_and_enter(plan_db, monkeypatch, capsys, tmp_path, year_known):
    notice = tmp_path / "2027.txt"
    notice.write_text("2027-01-01 放假 元旦\n2027-02-05至2027-02-11 放假 春节\n", encoding="utf-8")
    if year_known:
        assert cli(monkeypatch, capsys, "calendar", "enter", "2027", str(notice), "--source", "国办发明电〔2026〕12号"
                   )[0] == 0
    code, out, _ = cli(monkeypatch, capsys, "calendar", "show", "2027")
    assert code == 0
    assert ("尚未录入" in out) is not year_known
    assert ("录入 8 天" in out) is year_known
