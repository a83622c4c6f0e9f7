"""The supervision desk (督办): notices by level and age; the addressed department acknowledges and answers;
the office closes, sends an answer back (退回重新反馈) and re-opens; no 通报 is made from a notice — the 通报 tab
drafts, edits and issues the periodic bulletin; everyone else reads (and the services refuse them)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.personas import milestone_id
from tests.test_app_support import (  # noqa: F401
    TODAY,
    cast,
    cast_any,
    errors,
    frame,
    keys,
    ok,
    open_page,
    successes,
    text_of,
)
from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import PermissionDenied
from ylyx_tasks.models import Bulletin, BulletinMatter, Notice
from ylyx_tasks.reads.supervision.notice_document import notice_docx_bytes
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.services.supervision.scan import run_scan


@pytest.fixture
def supervised(cast_any):
    """Today's scan: the 2022 milestones are overdue (督办 to their lead), every task's report is missing (催报)."""
    run_scan(TODAY)
    return cast_any


@pytest.fixture
def scanned(cast):
    run_scan(TODAY)
    return cast


def supervision_of(code: str) -> Notice:
    with write_session() as s:
        return s.exec(select(Notice).where(Notice.milestone_id == milestone_id(code, "2022"),
                                           Notice.level == "督办")).one()


def supervision_of_3_1() -> Notice:
    return supervision_of("3.1")


def k(name: str, notice: Notice) -> str:
    return f"nt_{name}_{notice.id}"


def desk(user: str, notice_id: int | None = None, department: str | None = None):
    at = ok(open_page(user, "notices"))
    if department is not None:
        at.selectbox(key="nt_dept").set_value(department)
        ok(at.run())
    if notice_id is not None:
        at.selectbox(key="nt_pick").set_value(notice_id)
        ok(at.run())
    return at


def test_the_desk_counts_open_notices_by_level_and_age(scanned):
    at = desk("office")
    summary = frame(at, 0).set_index("级别")
    with write_session() as s:
        n_supervise = len(s.exec(select(Notice).where(Notice.level == "督办")).all())
    assert summary.loc["督办", "7 天内"] == n_supervise == 5  # the five clauses with a 2022 commitment
    assert summary.loc["催报", "合计"] == 20
    assert at.metric[0].value == str(summary["合计"].sum())


def test_the_addressed_department_acknowledges_and_answers(supervised):
    notice = supervision_of_3_1()
    at = desk("minzheng", notice.id)
    assert at.selectbox(key="nt_dept").value == "市民政局"  # a liaison starts with its own notices
    assert {k("ack", notice), k("answer_submit", notice)} <= keys(at)
    assert not {k("close", notice), k("escalate", notice), k("reopen", notice)} & keys(at)
    ok(at.button(key=k("ack", notice)).click().run())
    assert successes(at) == [f"已签收 {notice.number}。"]
    at.text_area(key=k("answer_situation", notice)).input("床位建设已完成 90%")
    at.text_area(key=k("answer_reason", notice)).input("两处项目竣工验收推迟")
    at.date_input(key=k("answer_date", notice)).set_value(dt.date(2025, 8, 31))
    ok(at.button(key=k("answer_submit", notice)).click().run())
    assert successes(at) == [f"已反馈 {notice.number}。"]
    answered = supervision_of_3_1()
    assert (answered.status, answered.answer_new_date) == ("已反馈", dt.date(2025, 8, 31))
    assert "床位建设已完成 90%" in text_of(at)


def test_an_answer_for_an_unfinished_milestone_needs_a_reason_and_a_date(scanned):
    notice = supervision_of_3_1()
    at = desk("minzheng", notice.id)
    at.text_area(key=k("answer_situation", notice)).input("正在推进")
    ok(at.button(key=k("answer_submit", notice)).click().run())
    assert errors(at) == ["节点尚未完成：请说明未完成的原因"]
    assert supervision_of_3_1().status == "待签收"


def test_a_supporting_department_sees_the_notice_but_may_not_answer_it(scanned):
    notice = supervision_of_3_1()
    at = desk("weijian", notice.id, department="全部")
    assert at.selectbox(key="nt_pick").value == notice.id
    assert not {k("ack", notice), k("answer_submit", notice), k("close", notice)} & keys(at)
    with write_session() as s, pytest.raises(PermissionDenied):
        notices.acknowledge(s, scanned["weijian"], notice_id=notice.id)


def test_a_member_sees_only_the_notices_of_its_group(scanned):
    at = desk("yanglao", department="全部")
    body = text_of(at)
    assert supervision_of("3.3.2").number in body and supervision_of_3_1().number not in body


def test_an_unrelated_department_does_not_see_the_notice(scanned):
    at = desk("tongji", department="全部")
    assert supervision_of_3_1().number not in text_of(at)
    with write_session() as s, pytest.raises(PermissionDenied):
        notices.answer(s, scanned["tongji"], notice_id=supervision_of_3_1().id, situation="x", reason="y",
                       new_date=dt.date(2025, 9, 1), today=TODAY)


def test_the_office_closes_reopens_and_sends_an_answer_back(supervised):
    notice = supervision_of_3_1()
    at = desk("office", notice.id)
    assert k("close", notice) in keys(at) and not {k("escalate", notice), k("return", notice)} & keys(at)
    assert "升级通报" not in text_of(at)
    ok(at.button(key=k("close", notice)).click().run())
    assert errors(at) == ["请填写办结意见"]
    at.text_area(key=k("office_note", notice)).input("已说明情况，同意销号")
    ok(at.button(key=k("close", notice)).click().run())
    assert supervision_of_3_1().status == "已办结"
    ok(at.toggle(key="nt_open").set_value(False).run())
    ok(at.selectbox(key="nt_pick").set_value(notice.id).run())
    at.text_area(key=k("office_note", notice)).input("办结过早，重新督办")
    ok(at.button(key=k("reopen", notice)).click().run())
    assert supervision_of_3_1().status == "已签收"
    with write_session() as s:
        notices.answer(s, supervised["minzheng"], notice_id=notice.id, situation="已推进", reason="资金未到位",
                       new_date=TODAY + dt.timedelta(days=30), today=TODAY)
    at = desk("office", notice.id)
    assert k("return", notice) in keys(at) and k("reopen", notice) not in keys(at)  # 退回重新反馈, not 重新打开
    at.text_area(key=k("office_note", notice)).input("反馈的措施不具体，请重新反馈")
    ok(at.button(key=k("return", notice)).click().run())
    assert successes(at) == [f"已退回 {notice.number}，请主送单位重新反馈。"]
    assert supervision_of_3_1().status == "已签收"
    with write_session() as s:
        assert s.exec(select(Notice).where(Notice.level == "通报")).all() == []


def test_the_office_reviews_edits_and_issues_the_periodic_bulletin_on_the_bulletin_tab(cast):
    """督办 made on 2025-05-02 go unanswered; on 2025-06-01 the scan drafts the May bulletin listing them."""
    run_scan(dt.date(2025, 5, 2))
    run_scan(dt.date(2025, 6, 1))
    at = ok(open_page("office", "notices"))
    with write_session() as s:
        draft = s.exec(select(Bulletin).where(Bulletin.period == "2025-05")).one()
        matters = list(s.exec(select(BulletinMatter).where(BulletinMatter.bulletin_id == draft.id)))
    assert (draft.period, draft.status, len(matters)) == ("2025-05", "草稿", 5)
    assert "2025年5月通报（草稿，5 项）" in text_of(at)
    at.text_input(key=f"bl_remove_note_{draft.id}").input("已约谈，本期暂不通报")
    ok(at.button(key=f"bl_remove_submit_{draft.id}").click().run())
    assert successes(at) == ["已从通报草稿中删去。"]
    ok(at.button(key=f"bl_issue_{draft.id}").click().run())
    assert successes(at) == ["已印发第1期通报 运养托通〔2025〕1号，邮件已排队发送。"]
    assert f"bl_docx_{draft.id}" in keys(at, "download_button")
    leader = ok(open_page("leader", "notices"))  # everyone reads the issued ones; only the office sees drafts
    assert f"bl_docx_{draft.id}" in keys(leader, "download_button") and f"bl_issue_{draft.id}" not in keys(leader)


@pytest.mark.parametrize("who,code", [("leader", "3.1"), ("yanglao", "3.3.2")])  # 3.3.2: 养老专班
def test_leaders_and_members_only_read(scanned, who, code):
    notice = supervision_of(code)
    at = desk(who, notice.id)
    assert not {k(a, notice) for a in ("ack", "answer_submit", "close", "reopen", "escalate")} & keys(at)
    assert "本账号只能查看通知。" in text_of(at)
    with write_session() as s, pytest.raises(PermissionDenied):
        notices.close(s, scanned[who], notice_id=supervision_of(code).id, note="x")


def test_the_notice_can_be_downloaded_as_a_word_document(scanned):
    notice = supervision_of_3_1()
    at = desk("leader", notice.id)
    assert k("docx", notice) in keys(at, "download_button")
    with write_session() as s:
        assert notice_docx_bytes(s, notice.id)[:2] == b"PK"


def test_an_action_on_a_notice_someone_settled_meanwhile_is_refused(scanned):
    notice = supervision_of_3_1()
    at = desk("minzheng", notice.id)
    with write_session() as s:
        notices.close(s, scanned["office"], notice_id=notice.id, note="已销号")
    ok(at.button(key=k("ack", notice)).click().run())
    assert any("刚被其他人处理过" in e for e in errors(at))  # the user is told it changed meanwhile
    assert supervision_of_3_1().status == "已办结"
    assert at.selectbox(key="nt_pick").value == notice.id and "已办结" in text_of(at)  # and sees its new state


def test_an_answer_to_a_notice_changed_meanwhile_is_refused_as_stale(scanned):
    notice = supervision_of_3_1()
    at = desk("minzheng", notice.id)
    with write_session() as s:  # the office acknowledges on the department's behalf meanwhile
        notices.acknowledge(s, scanned["office"], notice_id=notice.id)
    at.text_area(key=k("answer_situation", notice)).input("已完成大部分")
    at.text_area(key=k("answer_reason", notice)).input("验收推迟")
    at.date_input(key=k("answer_date", notice)).set_value(dt.date(2025, 9, 30))
    ok(at.button(key=k("answer_submit", notice)).click().run())
    assert any("刚被其他人处理过" in e for e in errors(at))
    assert supervision_of_3_1().status == "已签收"
    assert at.text_area(key=k("answer_situation", notice)).value == "已完成大部分"  # what was typed is kept
