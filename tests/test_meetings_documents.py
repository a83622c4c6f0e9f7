"""The meeting pack (会议材料) and the minutes (会议纪要) from a real meeting on a real database, printed through
LibreOffice: A4, the matters behind schedule, the earlier meeting's open decision, the decisions recorded. The
first page of each is kept in test-artifacts/ to look at."""

from __future__ import annotations

import datetime as dt

from documents_support import first_page_png, page_size_pts, pdf_text
from sqlmodel import select

from tests.personas import make_cast
from ylyx_tasks.db import write_session
from ylyx_tasks.documents.pdf import convert
from ylyx_tasks.models import Task
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.services.meetings import documents, meetings
from ylyx_tasks.services.meetings.matters import MatterInput
from ylyx_tasks.services.supervision.scan import run_scan

D = dt.date


def test_it_prints_the_pack_and_the_minutes_of_a_real_meeting(plan_sqlite, tmp_path):
    cast = make_cast()
    office = cast["office"]
    with write_session() as s:
        plan_id = current_plan(s).id
        related = s.exec(select(Task.id).where(Task.code == "3.2.1")).one()
        first = meetings.schedule(s, office, plan_id=plan_id, kind="联席会议", held_on=D(2023, 2, 10),
                                  title="运城市养老托育工作联席会议第一次会议", venue="市政府第二会议室",
                                  chair="副市长张明", units=["市民政局", "市卫健委"],
                                  people=["张明（市政府副市长）", "陈红（市民政局局长）"]).id
        meetings.record_decisions(s, office, meeting_id=first, today=D(2023, 2, 10), summary="会议认为部分节点滞后。",
                                  decisions=[MatterInput(text="市民政局牵头制定社区养老服务设施移交管理办法",
                                                         lead_unit="市民政局", supporting_units=["市住建局"],
                                                         due_on=D(2023, 3, 31), related_task_id=related),
                                             MatterInput(text="市卫健委出台普惠托育机构运营补贴办法",
                                                         lead_unit="市卫健委", due_on=D(2023, 6, 30))])
        second = meetings.schedule(s, office, plan_id=plan_id, kind="联席会议", held_on=D(2023, 4, 20),
                                   title="运城市养老托育工作联席会议第二次会议", venue="市政府第二会议室",
                                   chair="副市长张明", agenda=["听取重点任务推进情况汇报", "研究逾期事项整改"]).id
    run_scan(D(2023, 4, 3))
    with write_session() as s:
        pack = documents.pack_docx(s, office, meeting_id=second, today=D(2023, 4, 15))
        minutes = documents.minutes_docx(s, meeting_id=first, today=D(2023, 2, 12))
    (tmp_path / "会议材料.docx").write_bytes(pack)
    (tmp_path / "会议纪要.docx").write_bytes(minutes)
    pdfs = {p.stem: p for p in convert([tmp_path / "会议材料.docx", tmp_path / "会议纪要.docx"],
                                       outdir=tmp_path / "pdf")}
    for name, pdf in pdfs.items():
        width, height = page_size_pts(pdf)
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1, name
    pack_text = pdf_text(pdfs["会议材料"]).replace(" ", "")
    assert "运城市养老托育工作联席会议第二次会议会议材料" in pack_text.replace("\n", "")
    assert "议1-1" in pack_text and "逾期" in pack_text  # the first meeting's decision, still open and late
    assert "3.1" in pack_text  # the plan's own tasks behind schedule
    minutes_text = pdf_text(pdfs["会议纪要"]).replace(" ", "").replace("\n", "")
    assert "社区养老服务设施移交管理办法" in minutes_text and "普惠托育机构运营补贴办法" in minutes_text
    assert "第1期" in minutes_text and "运城市养老托育工作联席会议第一次会议纪要" in minutes_text
    assert "运城市养老托育工作联席会议纪要" in minutes_text  # the 纪要标志: the body, without the session
    first_page_png(pdfs["会议材料"], "meetings-pack", dpi=80)
    first_page_png(pdfs["会议纪要"], "meetings-minutes", dpi=80)
