"""The three loops of 会商协调 from the command line (in-process, on SQLite and PostgreSQL): a meeting scheduled,
its decisions recorded and supervised, the pack and minutes written; a 批示 written by a leader, assigned, answered
and settled; a 回头看 scheduled, confirmed and reopened; a forecast given and listed."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from docx import Document

from tests.personas import make_cast
from ylyx_tasks.cli import cli
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.models import Milestone, Task
from ylyx_tasks.services.tasks import workflow
from sqlmodel import select


@pytest.fixture
def cast(plan_db):
    return make_cast()


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    return result


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_it_runs_the_meeting_loop_from_the_cli(cast, tmp_path):
    out = ok("meetings", "schedule", "--kind", "联席会议", "--date", "2023-03-10", "--venue", "市政府第二会议室",
             "--chair", "张明", "--unit", "市民政局", "--person", "陈红（市民政局）")
    meeting = out.split("已安排会议 ")[1].split("：")[0]
    ok("meetings", "pack", meeting, str(tmp_path / "pack.docx"), "--today", "2023-03-08")
    text = "\n".join(p.text for p in Document(str(tmp_path / "pack.docx")).paragraphs)
    assert "养老托育工作联席会议第1次会议会议材料" in text.replace("\n", "")
    out = ok("meetings", "decide", meeting, "--today", "2023-03-10",
             "--item", "制定移交办法|市民政局|市住建局、市财政局|2023-04-30|3.1",
             "--item", "普惠托育补贴|市卫健委||2023-05-31")
    assert f"议{meeting}-1、议{meeting}-2" in out
    ok("scan", "--today", "2023-05-01")
    assert "督办" in ok("notices")
    ok("meetings", "minutes", meeting, str(tmp_path / "minutes.docx"), "--today", "2023-03-12")
    minutes = "\n".join(p.text for p in Document(str(tmp_path / "minutes.docx")).paragraphs)
    assert "制定移交办法" in minutes and "第1期" in minutes
    listing = ok("meetings", "decisions", "--today", "2023-05-01")
    assert "红灯" in listing and "会议议定" in listing
    bad = run("meetings", "decide", meeting, "--today", "2023-03-10", "--item", "事项|市民政局||2023-13-01")
    assert bad.exit_code != 0 and "不是 YYYY-MM-DD" in bad.output


def test_it_runs_the_instruction_loop_from_the_cli(cast):
    out = ok("instructions", "write", "--task", "3.1", "--text", "请抓紧推进", "--as", "leader")
    iid = out.split("已记录批示 ")[1].split("：")[0]
    refused = run("instructions", "write", "--task", "3.1", "--text", "办公室不能批示")
    assert isinstance(refused.exception, PermissionDenied)
    assert "批" in ok("instructions", "assign", iid, "--item", "落实批示|市民政局||2023-03-31", "--today", "2023-03-01")
    ok("instructions", "answer", iid, "--text", "已落实", "--as", "minzheng")
    assert "已答复" in ok("instructions", "list", "--as", "leader")
    ok("instructions", "settle", iid, "--as", "leader")
    assert "已办结" in ok("instructions", "list", "--as", "leader")


def test_it_runs_the_recheck_and_forecast_loops_from_the_cli(cast):
    with write_session() as s:
        mid = s.exec(select(Milestone.id).join(Task, Task.id == Milestone.task_id)
                     .where(Task.code == "3.1", Milestone.key == "2022")).one()
        workflow.claim_done(s, cast["minzheng"], milestone_id=mid, evidence="完成", links="https://x.cn",
                            today=dt.date(2023, 2, 1))
        workflow.accept(s, cast["office"], milestone_id=mid, today=dt.date(2023, 2, 1))
    assert "新安排回头看 1 项" in ok("recheck", "schedule", "--today", "2023-02-02")
    ok("recheck", "confirm", "1", "--result", "仍在运行", "--evidence", "照片", "--as", "minzheng",
       "--today", "2023-05-03")
    ok("recheck", "reopen", "1", "--note", "现场核查未投入使用", "--today", "2023-05-04")
    assert "已重新打开" in ok("recheck", "list")
    ok("forecast", "give", "3.1", "能按期完成", "--as", "minzheng", "--today", "2023-05-05")
    listing = ok("forecast", "list", "--today", "2023-05-06")
    assert "能按期完成" in listing and "预判错误" in listing  # the 2022 milestone had been reopened past its date
