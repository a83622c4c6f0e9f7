"""``ylyx-tasks notice-docx ID OUT.docx`` (and the desk's download) writes the formal 督办通知单 or 通报 through
the documents module, to GB/T 9704: A4, the office's 版头 with the number, the plan's title and 文号 as 督办依据,
the lead unit as 主送, the supporting and territorial units, the office's contact from the settings, the
回执/反馈单, and 抄送 the leading group. A notice without a number, of a level without a formal document, or no
such notice, is a clear error and a non-zero exit.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from sqlmodel import select
from test_mail_smtp import notice_of, office

OFFICE_NAME = "运城市促进养老托育服务高质量发展工作领导小组办公室"


def notice_docx(*args: str) -> subprocess.CompletedProcess:
    """The real command, in a process of its own."""
    return subprocess.run([sys.executable, "-m", "ylyx_tasks", "notice-docx", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def cli(capsys):
    """The same command line in this process (faster): returns (exit status, stdout, stderr)."""
    from ylyx_tasks.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        argv, sys.argv = sys.argv, ["ylyx-tasks", *args]
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.argv = argv
        out, err = capsys.readouterr()
        return code, out, err

    return run


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


@pytest.fixture
def supervised(plan_sqlite, monkeypatch):
    """The scan of 2023-01-03 (督办 for the 2022 milestones) and, on 2023-01-11, a per-milestone 通报 for the
    unanswered 督办 of 3.1, as the scan made them before the periodic bulletin (kept as history: its document
    can still be written); the office's contact set as an office sets it."""
    from ylyx_tasks.config import get_settings
    from ylyx_tasks.db import write_session
    from ylyx_tasks.domain.notices import NoticeLevel
    from ylyx_tasks.services.supervision.issue import NewNotice, create_notices
    from ylyx_tasks.services.supervision.scan import run_scan

    monkeypatch.setenv("YLYX_CONTACT_NAME", "王晓明")
    monkeypatch.setenv("YLYX_CONTACT_PHONE", "0359-2681234")
    get_settings.cache_clear()
    run_scan(dt.date(2023, 1, 3))
    with write_session() as session:
        n = notice_of(session, "3.1", "督办")
        create_notices(session, [NewNotice(f"通报:未反馈:n{n.id}", NoticeLevel.CIRCULATE, n.task_id, n.department_id,
                                           milestone_id=n.milestone_id, parent_id=n.id, milestone_due=n.milestone_due,
                                           reason="督办逾期未反馈")], today=dt.date(2023, 1, 11))
    return plan_sqlite


def facts(code: str, level: str) -> dict:
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Department, Milestone, Notice, Responsibility, Task

    with read_session() as session:
        notice = notice_of(session, code, level)
        task = session.get(Task, notice.task_id)
        supporting = list(session.exec(
            select(Department.name).join(Responsibility, Responsibility.department_id == Department.id)
            .where(Responsibility.task_id == task.id, Responsibility.duty == "配合")
            .order_by(Responsibility.position)))
        territorial = bool(session.exec(select(Responsibility.id).where(
            Responsibility.task_id == task.id, Responsibility.duty == "属地")).first())
        parent = session.get(Notice, notice.parent_id) if notice.parent_id else None
        return dict(id=notice.id, number=notice.number, code=task.code, title=task.title,
                    clause=task.clause_text, territorial=territorial,
                    lead=session.get(Department, notice.department_id).name, supporting=supporting,
                    commitment=session.get(Milestone, notice.milestone_id).commitment,
                    parent=parent.number if parent else None)


def geometry(path: Path) -> tuple:
    """(page width, height in twips; top, left margin in mm) of the first section."""
    section = docx.Document(str(path)).sections[0]
    return (round(section.page_width.twips), round(section.page_height.twips), round(section.top_margin.mm),
            round(section.left_margin.mm))


def test_it_writes_the_supervision_notice_to_gbt_9704(supervised, tmp_path):
    f = facts("3.2.2", "督办")
    out = tmp_path / "督办通知单.docx"

    result = notice_docx(str(f["id"]), str(out))

    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout.replace("\n", "")
    assert geometry(out) == (11906, 16838, 37, 28)  # A4; 版心 37 mm from the top, 28 mm from the left
    text = document_text(out)
    assert f["number"] == "运养托督〔2023〕2号" and f["number"] in text
    assert OFFICE_NAME in text
    assert f"关于督促落实{f['code']}“{f['title']}”任务的督办通知" in text.replace("\n", "")
    assert f"\n{f['lead']}：\n" in text  # 主送
    assert "根据《关于运城市“十四五”时期养老托育整体解决方案》（运政办发〔2022〕29号）" in text
    assert f["clause"] in text and f["commitment"] in text
    assert "完成时限为2022年12月31日" in text and "截至2023年1月3日，该节点已逾期3天" in text
    assert f"配合单位：{'、'.join(f['supporting'])}，请按职责分工协同推进" in text and len(f["supporting"]) == 6
    assert f["territorial"] and "各县（市、区）人民政府、运城开发区管委会落实属地责任" in text
    assert "请于2023年1月10日前反馈" in text
    assert "联系人：王晓明；联系电话：0359-2681234。" in text
    assert "督办事项办理情况反馈单" in text and "签收日期" in text  # the 回执 page
    cc = next(line for line in text.split("\n") if line.startswith("抄送："))
    assert cc.startswith("抄送：运城市促进养老托育服务高质量发展工作领导小组，") and "运城开发区管委会" in cc
    assert "2023年1月3日" in text and " 2023" not in text  # no ASCII space around numbers
    props = docx.Document(str(out)).core_properties
    assert props.author == OFFICE_NAME and props.language == "zh-CN" and "python-docx" not in (props.comments or "")


def test_it_writes_a_circulation_naming_its_supervision_notice(supervised, tmp_path, cli):
    f = facts("3.1", "通报")
    out = tmp_path / "通报.docx"

    code, _, err = cli("notice-docx", str(f["id"]), str(out))

    assert code == 0, err
    assert geometry(out) == (11906, 16838, 37, 28)
    text = document_text(out)
    assert f["number"].startswith("运养托通〔2023〕") and f["number"] in text
    assert f"督办通知单{f['parent']}" in text and "督办逾期未反馈" in text
    assert f"\n{f['lead']}：\n" in text
    assert "抄报运城市促进养老托育服务高质量发展工作领导小组" in text
    cc = next(line for line in text.split("\n") if line.startswith("抄送："))
    assert cc.startswith("抄送：运城市促进养老托育服务高质量发展工作领导小组")
    assert "请上述单位于2023年1月18日前完成整改" in text and "2023年1月11日" in text


def test_it_shows_an_approved_extension_beside_the_original_date(plan_sqlite, tmp_path, cli):
    from ylyx_tasks.db import write_session
    from ylyx_tasks.models import Milestone, Task
    from ylyx_tasks.services.supervision.scan import run_scan
    from ylyx_tasks.services.tasks import workflow

    with write_session() as session:
        m = session.exec(select(Milestone).join(Task, Task.id == Milestone.task_id)
                         .where(Task.code == "3.3.3", Milestone.key == "2022")).one()
        request = workflow.apply_extension(session, office(), milestone_id=m.id, new_date=dt.date(2023, 1, 8),
                                           reason="设备到货推迟", today=dt.date(2022, 12, 20))
        workflow.decide_extension(session, office(), request_id=request.id, approve=True,
                                  today=dt.date(2022, 12, 21), note="同意")
    run_scan(dt.date(2023, 1, 9))
    out = tmp_path / "n.docx"

    code, _, err = cli("notice-docx", str(facts("3.3.3", "督办")["id"]), str(out))

    assert code == 0, err
    text = document_text(out)
    assert "（原定2022年12月31日，经批准延期），完成时限为2023年1月8日" in text
    assert "该节点已逾期1天" in text


def test_a_reminder_has_no_formal_document(supervised, tmp_path, cli):
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Notice

    with read_session() as session:
        chase = session.exec(select(Notice).where(Notice.level == "催报", Notice.number.is_not(None))).first()
    out = tmp_path / "催报.docx"

    code, _, err = cli("notice-docx", str(chase.id), str(out))

    assert code != 0 and "只有督办和通报可下载" in err
    assert not out.exists()


def test_it_refuses_a_notice_that_does_not_exist(supervised, tmp_path):
    out = tmp_path / "missing.docx"

    result = notice_docx("9999", str(out))

    assert result.returncode != 0
    assert "没有编号为 9999 的通知" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_it_refuses_a_notice_without_a_number(supervised, tmp_path, cli):
    from ylyx_tasks.db import get_engine

    f = facts("3.2.2", "督办")
    with get_engine().begin() as conn:
        # a row as a half-finished insert would leave it (the scan never commits one: see the crash test)
        new_id = conn.execute(sa.text(
            "INSERT INTO notice (dedup_key, level, task_id, milestone_id, department_id, reason, created_on,"
            " created_at, status, answer_situation, answer_reason, close_note, version)"
            " SELECT 'manual:unnumbered', level, task_id, milestone_id, department_id, reason, created_on,"
            " created_at, status, answer_situation, answer_reason, close_note, version FROM notice"
            " WHERE id = :id RETURNING id"), {"id": f["id"]}).scalar_one()
    out = tmp_path / "unnumbered.docx"

    code, _, err = cli("notice-docx", str(new_id), str(out))

    assert code != 0
    assert "尚未编号" in err
    assert not out.exists()


def test_it_refuses_an_output_that_is_not_docx(supervised, tmp_path, cli):
    out = tmp_path / "n.pdf"

    code, _, err = cli("notice-docx", str(facts("3.2.2", "督办")["id"]), str(out))

    assert code != 0 and ".docx" in err
    assert not out.exists()
