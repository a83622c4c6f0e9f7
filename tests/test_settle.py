"""Closing settled notices (自动办结) is one version-guarded function for the workflow and the scan alike: a notice
somebody changed after it was read is left alone, so nothing is closed or recorded twice."""

from __future__ import annotations

import datetime as dt
import threading

from sqlmodel import select

from tests.personas import make_cast, milestone_id
from ylyx_tasks.db import write_session
from ylyx_tasks.models import AuditEvent, Notice
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.supervision.settle import (
    AUTO_CLOSE,
    NoticeState,
    close_notices,
    close_settled_notices,
)
from ylyx_tasks.services.tasks import workflow


def _supervise_of(code: str, key: str) -> Notice:
    with write_session() as s:
        return s.exec(select(Notice).where(Notice.level == "督办", Notice.milestone_id == milestone_id(code, key))
                      ).one()


def _auto_closes(notice_id: int) -> int:
    with write_session() as s:
        return len(s.exec(select(AuditEvent).where(AuditEvent.entity == "notice", AuditEvent.entity_id == notice_id,
                                                   AuditEvent.action == AUTO_CLOSE)).all())


def test_a_notice_changed_since_it_was_read_is_not_closed_again(plan_db):
    """The office closes a 督办 between the moment the workflow read it and the moment it closes it: the stale
    close writes nothing (without the version check it would overwrite the office's note and record a second
    close)."""
    cast = make_cast()
    run_scan(dt.date(2023, 1, 3))  # the 2022 milestones are overdue: 督办
    target = _supervise_of("3.1", "2022")
    stale = NoticeState(target.id, target.version, target.status, target.task_id, target.level)
    with write_session() as s:
        notices.close(s, cast["office"], notice_id=target.id, note="已反馈整改措施，予以销号")
    with write_session() as s:
        assert close_notices(s, [stale], note="节点已办结") == 0
    with write_session() as s:
        notice = s.get(Notice, target.id)
        assert (notice.status, notice.close_note, notice.version) == ("已办结", "已反馈整改措施，予以销号",
                                                                      target.version + 1)
    assert _auto_closes(target.id) == 0


def test_the_workflow_and_the_scan_close_a_settled_notice_once(plan_db):
    """The office accepts a claim (the workflow closes the milestone's notices) while a scan, which read the same
    open notice, closes what it found settled: one close, one audit record."""
    cast = make_cast()
    run_scan(dt.date(2023, 1, 3))
    target = _supervise_of("3.1", "2022")
    with write_session() as s:
        workflow.claim_done(s, cast["minzheng"], milestone_id=target.milestone_id, evidence="已完成", links="x",
                            today=dt.date(2023, 1, 4))
    with write_session() as s:  # what the scan read before the accept committed
        states = [NoticeState(n.id, n.version, n.status, n.task_id, n.level) for n in s.exec(
            select(Notice).where(Notice.milestone_id == target.milestone_id, Notice.status != "已办结"))]
    with write_session() as s:
        workflow.accept(s, cast["office"], milestone_id=target.milestone_id, today=dt.date(2023, 1, 5))
    with write_session() as s:
        assert close_notices(s, states, note="节点已完成") == 0
    assert _auto_closes(target.id) == 1


def test_two_workflow_closes_at_once_record_one_close(plan_db):
    """Two transactions close the same notices at once (PostgreSQL: the second waits on the row lock, then finds
    the version moved; SQLite: the second waits for the write lock and reads afresh): one close recorded."""
    run_scan(dt.date(2023, 1, 3))
    target = _supervise_of("3.1", "2022")
    results: list[int] = []
    with write_session() as first:
        assert close_settled_notices(first, note="节点已办结", milestone_id=target.milestone_id) >= 1
        other = threading.Thread(target=lambda: results.append(_close_in_own_session(target.milestone_id)))
        other.start()
        other.join(timeout=0.5)
    other.join(timeout=60)
    assert results == [0]
    assert _auto_closes(target.id) == 1


def _close_in_own_session(m_id: int) -> int:
    with write_session() as s:
        return close_settled_notices(s, note="节点已办结", milestone_id=m_id)
