"""The scan is idempotent: two scans at once in two processes, a scan repeated the same day, a scan resumed
after a crash midway — every notice exists exactly once, numbered 1..N per level and year without gaps, with
exactly one delivery per notice and recipient. The database itself refuses a second notice with the same key.

Run on SQLite and on PostgreSQL. Contacts: 张主任 (市民政局), 李科长 (市卫健委), 王秘书长 (领导小组).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from collections import Counter, defaultdict

import pytest
import sqlalchemy as sa
from sqlmodel import select
from test_mail_smtp import expected_notice_mail, import_contacts, office

CONTACTS = """unit,name,email
市民政局,张主任,zhang@mz.example.cn
市卫健委,李科长,li@wj.example.cn
领导小组,王秘书长,wang@ld.example.cn
"""
NUMBER = re.compile(r"^运养托([提催督通])〔(\d{4})〕(\d+)号$")


def scan_in_child(start, today: str, chunk: int, results) -> None:
    """A scan process of its own (spawned: a fresh interpreter and connections), released by ``start``."""
    from ylyx_tasks import config
    from ylyx_tasks.services.supervision import scan

    config.get_settings.cache_clear()
    scan.CHUNK = chunk  # small chunks: the two processes interleave transaction by transaction
    start.wait(timeout=120)
    result = scan.run_scan(dt.date.fromisoformat(today))
    results.put(dict(result.created))


def scan_twice_at_once(today: dt.date, chunk: int = 4) -> list[dict[str, int]]:
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=scan_in_child, args=(start, today.isoformat(), chunk, results))
                 for _ in range(2)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=180)
    try:
        assert [p.exitcode for p in processes] == [0, 0]
        return [results.get(timeout=10) for _ in processes]
    finally:
        for p in processes:
            if p.is_alive():
                p.kill()


def notices():
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Notice

    with read_session() as session:
        return list(session.exec(select(Notice).order_by(Notice.id)))


def notice_deliveries():
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Delivery

    with read_session() as session:
        return list(session.exec(select(Delivery).where(Delivery.kind == "notice")))


def assert_each_notice_exactly_once() -> None:
    """Unique keys; numbers 1..N per level and year; one delivery per notice and recipient, the right ones."""
    made = notices()
    assert made
    assert max(Counter(n.dedup_key for n in made).values()) == 1
    sequences: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n in made:
        match = NUMBER.match(n.number or "")
        assert match, f"notice {n.id} has no proper number: {n.number!r}"
        mark, year, seq = match.groups()
        assert year == str(n.created_on.year)
        sequences[(mark, year)].append(int(seq))
    for key, seqs in sequences.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), key
    sent = notice_deliveries()
    assert max(Counter((d.notice_id, d.recipient_email) for d in sent).values()) == 1
    numbers = {n.id: n.number for n in made}
    assert {(numbers[d.notice_id], d.recipient_email) for d in sent} == expected_notice_mail()


@pytest.fixture
def supervised(plan_db):
    """The plan loaded (SQLite, then PostgreSQL), contacts imported."""
    import_contacts(CONTACTS)
    return plan_db


def test_it_makes_each_notice_once_when_two_processes_scan_at_once(supervised):
    from ylyx_tasks.services.supervision.scan import run_scan

    first = scan_twice_at_once(dt.date(2023, 1, 3))

    created = Counter()
    for result in first:
        created.update(result)
    assert created == Counter({"催报": 20, "督办": 5})  # between them, each made once
    assert len(notices()) == 25
    assert_each_notice_exactly_once()

    # a month later: the next 催报, and the January 通报 drafted (listing the five unanswered 督办), again from
    # two processes
    second = scan_twice_at_once(dt.date(2023, 2, 3))

    created = Counter()
    for result in second:
        created.update(result)
    assert created == Counter({"催报": 20})
    assert_each_notice_exactly_once()
    from ylyx_tasks.db import read_session  # imported here like this module's other helpers (settings per test)
    from ylyx_tasks.models import Bulletin, BulletinMatter

    with read_session() as session:
        drafted = Counter(b.period for b in session.exec(select(Bulletin)))
        january = session.exec(select(Bulletin).where(Bulletin.period == "2023-01")).one()
        listed = [m.milestone_id for m in session.exec(select(BulletinMatter)
                                                       .where(BulletinMatter.bulletin_id == january.id))]
    assert drafted == Counter({"2022-12": 1, "2023-01": 1}) and len(listed) == len(set(listed)) == 5
    before = (len(notices()), len(notice_deliveries()))

    again = run_scan(dt.date(2023, 2, 3))

    assert sum(again.created.values()) == 0
    assert (len(notices()), len(notice_deliveries())) == before


def test_it_makes_nothing_when_the_scan_runs_again_the_same_day(supervised):
    from ylyx_tasks.services.supervision.scan import run_scan

    first = run_scan(dt.date(2023, 1, 3))
    before = (len(notices()), len(notice_deliveries()))
    second = run_scan(dt.date(2023, 1, 3))

    assert sum(first.created.values()) == 25 and sum(second.created.values()) == 0
    assert (len(notices()), len(notice_deliveries())) == before
    assert_each_notice_exactly_once()


class Crash(RuntimeError):
    pass


def test_it_makes_exactly_the_missing_notices_after_a_crash_midway(supervised, monkeypatch):
    from ylyx_tasks.services.supervision import scan

    real_create = scan.create_notices
    calls = []

    def crash_in_second_chunk(session, new, **kwargs):
        calls.append(len(new))
        made = real_create(session, new, **kwargs)
        if len(calls) == 2:
            # the chunk is inserted, numbered and its mail queued, but the transaction never commits
            raise Crash("the process died here")
        return made

    monkeypatch.setattr(scan, "CHUNK", 5)
    monkeypatch.setattr(scan, "create_notices", crash_in_second_chunk)
    with pytest.raises(Crash):
        scan.run_scan(dt.date(2023, 1, 3))

    survived = notices()
    assert calls == [5, 5]
    assert len(survived) == 5  # the first chunk, complete; nothing of the second
    assert all(n.number for n in survived)
    assert {d.notice_id for d in notice_deliveries()} <= {n.id for n in survived}
    assert_each_notice_exactly_once()

    monkeypatch.setattr(scan, "create_notices", real_create)
    resumed = scan.run_scan(dt.date(2023, 1, 3))

    assert sum(resumed.created.values()) == 20
    assert len(notices()) == 25
    assert {n.id for n in survived} <= {n.id for n in notices()}
    assert_each_notice_exactly_once()


def test_it_refuses_a_second_notice_with_the_same_key_in_the_database(supervised):
    from ylyx_tasks.db import get_engine
    from ylyx_tasks.services.supervision.scan import run_scan

    run_scan(dt.date(2023, 1, 3))
    original = notices()[0]
    copy = sa.text(
        "INSERT INTO notice (dedup_key, level, task_id, milestone_id, department_id, reason, created_on,"
        " created_at, status, answer_situation, answer_reason, close_note, version)"
        " SELECT dedup_key, level, task_id, milestone_id, department_id, reason, created_on, created_at,"
        " status, answer_situation, answer_reason, close_note, version FROM notice WHERE id = :id")

    with pytest.raises(sa.exc.IntegrityError):
        with get_engine().begin() as conn:
            conn.execute(copy, {"id": original.id})

    assert len([n for n in notices() if n.dedup_key == original.dedup_key]) == 1


@pytest.mark.parametrize("settled_by", ["approved extension", "office"])
def test_it_does_not_circulate_a_settled_supervision(plan_sqlite, settled_by):
    from ylyx_tasks.db import write_session
    from ylyx_tasks.models import Milestone, Notice, Task
    from ylyx_tasks.services.supervision import notices as notice_service
    from ylyx_tasks.services.supervision.scan import run_scan
    from ylyx_tasks.services.tasks import workflow

    with write_session() as session:
        task = session.exec(select(Task).where(Task.code == "3.3.3")).one()
        milestone = session.exec(select(Milestone).where(Milestone.task_id == task.id,
                                                         Milestone.key == "2022")).one()
        milestone_id = milestone.id
        if settled_by == "approved extension":
            # 市发展改革委 asks in time to move the 2022 milestone to the end of March
            request_id = workflow.apply_extension(session, office(), milestone_id=milestone.id,
                                                  new_date=dt.date(2023, 3, 31), reason="工程施工受冬季影响",
                                                  today=dt.date(2022, 12, 20)).id
    run_scan(dt.date(2023, 1, 3))  # (the request is still undecided:) the 督办 goes out
    with write_session() as session:
        supervise = session.exec(select(Notice).where(Notice.milestone_id == milestone_id,
                                                      Notice.level == "督办")).one()
        if settled_by == "office":
            # the office is satisfied (the department explained itself by phone) and closes the 督办
            notice_service.close(session, office(), notice_id=supervise.id, note="已电话督促，情况属实")
            scan_days = [dt.date(2023, 1, 11)]  # past the answer deadline of 2023-01-10
        else:
            # approved: the milestone is now due 2023-03-31, and the 督办 about the old date is settled
            workflow.decide_extension(session, office(), request_id=request_id, approve=True,
                                      today=dt.date(2023, 1, 5), note="同意")
            scan_days = [dt.date(2023, 1, 11), dt.date(2023, 2, 3)]  # past the answer deadline; 31 days later
    with write_session() as session:
        assert session.get(Notice, supervise.id).status == "已办结"

    for day in scan_days:
        run_scan(day)

    circulated = [(n.reason, n.created_on) for n in notices() if n.milestone_id == milestone_id
                  and n.level == "通报"]
    assert circulated == []


def test_a_notice_settled_by_two_scans_at_once_is_closed_and_recorded_once(supervised):
    """A milestone marked done straight in the database: two scans both find its open 督办; the one that waited for
    the other's row lock finds it closed and leaves it (no second close, no second audit event)."""
    import threading

    from ylyx_tasks.db import write_session
    from ylyx_tasks.models import AuditEvent, Notice
    from ylyx_tasks.services.supervision.scan import close_settled, run_scan

    day = dt.date(2023, 1, 3)
    run_scan(day)
    with write_session() as s:
        target = s.exec(select(Notice).where(Notice.level == "督办").order_by(Notice.id)).first()
        s.execute(sa.text("UPDATE milestone SET status = '已完成' WHERE id = :m"), {"m": target.milestone_id})
    second: list[int] = []
    with write_session() as first:
        assert close_settled(first, day) == 1  # holds the notice's row until it commits
        other = threading.Thread(target=lambda: second.append(_close_in_own_session(close_settled, day)))
        other.start()
        other.join(timeout=0.5)  # PostgreSQL: the second scan now waits on the row; SQLite: on the write lock
    other.join(timeout=60)
    assert second == [0]
    with write_session() as s:
        closes = s.exec(select(AuditEvent).where(AuditEvent.entity == "notice", AuditEvent.entity_id == target.id,
                                                 AuditEvent.action == "督办自动办结")).all()
        assert len(closes) == 1 and s.get(Notice, target.id).status == "已办结"


def _close_in_own_session(close_settled, day: dt.date) -> int:
    from ylyx_tasks.db import write_session

    with write_session() as s:
        return close_settled(s, day)
