"""A walk through the calendar, 2022-11-01 to 2026-02-01, with the scan run every day.

Departments follow a script — monthly reports on the 20th, a few late or missing, answers to some 督办 and not to
others, completions claimed, rejected and accepted, one extension — and the notices that appear must be exactly
the expected ones, on the expected days, and nothing else; each month's 通报 is drafted once, on the 1st of the
next month, listing exactly the expected matters (the office issues those that list any).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlmodel import select

from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.domain.bulletins import BulletinRules
from ylyx_tasks.models import Bulletin, BulletinMatter, Milestone, Notice, Task
from ylyx_tasks.services.supervision import bulletins, notices
from ylyx_tasks.services.supervision.scan import run_scan
from ylyx_tasks.services.tasks import workflow

D = dt.date
OFFICE = Actor(user_id=None, username="专班办公室", role=Role.OFFICE)

# Who does what and when. (day, action, task code, milestone key, extra)
SCRIPT = [
    (D(2022, 11, 25), "claim", "3.3.3", "2022", None),
    (D(2022, 11, 28), "accept", "3.3.3", "2022", None),
    (D(2022, 12, 20), "claim", "3.4.2", "2022", None),  # after the 30-day reminder, before the 7-day one
    (D(2022, 12, 22), "accept", "3.4.2", "2022", None),
    (D(2023, 1, 5), "answer", "3.1", "2022", None),
    (D(2023, 1, 6), "answer", "3.3.2", "2022", None),  # 3.2.2 never answers its 督办
    (D(2023, 1, 20), "claim", "3.1", "2022", None),
    (D(2023, 1, 25), "accept", "3.1", "2022", None),
    (D(2023, 1, 28), "claim", "3.3.2", "2022", None),  # under review on 1-31: no 通报 that day
    (D(2023, 2, 3), "reject", "3.3.2", "2022", None),  # sent back: the overdue 通报 follows the same day
    (D(2023, 2, 10), "claim", "3.3.2", "2022", None),
    (D(2023, 2, 20), "accept", "3.3.2", "2022", None),
    (D(2023, 3, 10), "claim", "3.2.2", "2022", None),
    (D(2023, 3, 15), "accept", "3.2.2", "2022", None),
    (D(2023, 3, 28), "late-report", "4.4", None, None),  # skipped the 20th: chased on the 26th
    (D(2025, 11, 15), "extend", "4.5", "2025", D(2026, 3, 31)),
    (D(2025, 11, 20), "approve", "4.5", "2025", None),
    (D(2026, 1, 6), "answer", "4.3", "2025", None),
    (D(2026, 1, 15), "claim", "4.3", "2025", None),
    (D(2026, 1, 20), "accept", "4.3", "2025", None),
]
SKIPPED_REPORTS = {("3.6", "2022-12"), ("4.4", "2023-03")}
LATE_FINISHERS = {"4.3", "3.5.4", "4.5"}  # every other task's 2025 milestone is done in October 2025

# (day, level, task, milestone key or period, reason)
EXPECTED = {
    (D(2022, 12, 1), "提醒", "3.1", "2022", "30"), (D(2022, 12, 1), "提醒", "3.2.2", "2022", "30"),
    (D(2022, 12, 1), "提醒", "3.3.2", "2022", "30"), (D(2022, 12, 1), "提醒", "3.4.2", "2022", "30"),
    (D(2022, 12, 24), "提醒", "3.1", "2022", "7"), (D(2022, 12, 24), "提醒", "3.2.2", "2022", "7"),
    (D(2022, 12, 24), "提醒", "3.3.2", "2022", "7"),
    (D(2022, 12, 26), "催报", "3.6", "2022-12", ""),
    (D(2023, 1, 1), "督办", "3.1", "2022", ""), (D(2023, 1, 1), "督办", "3.2.2", "2022", ""),
    (D(2023, 1, 1), "督办", "3.3.2", "2022", ""),
    (D(2023, 3, 26), "催报", "4.4", "2023-03", ""),
    (D(2025, 12, 1), "提醒", "4.3", "2025", "30"), (D(2025, 12, 1), "提醒", "3.5.4", "2025", "30"),
    (D(2025, 12, 24), "提醒", "4.3", "2025", "7"), (D(2025, 12, 24), "提醒", "3.5.4", "2025", "7"),
    (D(2026, 1, 1), "督办", "4.3", "2025", ""), (D(2026, 1, 1), "督办", "3.5.4", "2025", ""),
}
# (period, matters listed: (task, milestone key, reason)); every other month's draft lists nothing
LISTED = {
    # 3.2.2 never answers (deadline 2023-01-09: 元旦 1/1–1/2 off); 3.1 is done by 2-1; 3.3.2's completion awaits
    # review on 2-1 (it is sent back on 2-3, and accepted on 2-20)
    "2023-01": [("3.2.2", "2022", "督办逾期未反馈")],
    "2023-02": [("3.2.2", "2022", "督办逾期未反馈")],  # the second listing: done only on 3-15
    "2026-01": [("3.5.4", "2025", "督办逾期未反馈")],  # deadline 2026-01-08: Sun 1/4 was a working day
}


class World:
    """The loaded plan, looked up by task code and milestone key."""

    def __init__(self) -> None:
        with write_session() as s:
            self.tasks = {t.code: t.id for t in s.exec(select(Task))}
            self.milestones = {(code, m.key): m.id for code, tid in self.tasks.items()
                               for m in s.exec(select(Milestone).where(Milestone.task_id == tid))}

    def notice_for(self, s, code: str, key: str, level: str) -> Notice:
        return s.exec(select(Notice).where(Notice.milestone_id == self.milestones[(code, key)],
                                           Notice.level == level).order_by(Notice.id)).first()


def act(world: World, day: dt.date, action: str, code: str, key: str | None, extra) -> None:
    with write_session() as s:
        m_id = world.milestones.get((code, key))
        if action == "claim":
            workflow.claim_done(s, OFFICE, milestone_id=m_id, evidence="已完成，见附件", links="https://example.cn/a",
                                today=day)
        elif action == "accept":
            workflow.accept(s, OFFICE, milestone_id=m_id, today=day, note="材料齐全")
        elif action == "reject":
            workflow.reject(s, OFFICE, milestone_id=m_id, reason="佐证不足", today=day)
        elif action == "answer":
            n = world.notice_for(s, code, key, "督办")
            notices.answer(s, OFFICE, notice_id=n.id, situation="正在推进", reason="资金未到位",
                           new_date=day + dt.timedelta(days=20), today=day)
        elif action == "late-report":
            workflow.submit_report(s, OFFICE, task_id=world.tasks[code], percent=50, text="补报本月进展", today=day)
        elif action == "extend":
            workflow.apply_extension(s, OFFICE, milestone_id=m_id, new_date=extra, reason="项目用地调整", today=day)
        elif action == "approve":
            request = s.exec(select(workflow.ReviewRequest).where(
                workflow.ReviewRequest.milestone_id == m_id, workflow.ReviewRequest.kind == "延期")).one()
            workflow.decide_extension(s, OFFICE, request_id=request.id, approve=True, note="同意", today=day)
        else:
            raise AssertionError(action)


def routine(world: World, day: dt.date) -> None:
    """Every lead department reports on the 20th for its unfinished tasks; in October 2025 most finish."""
    if day.day == 20:
        period = f"{day.year:04d}-{day.month:02d}"
        with write_session() as s:
            for code, task_id in world.tasks.items():
                if (code, period) in SKIPPED_REPORTS or s.get(Task, task_id).status == "已完成":
                    continue
                workflow.submit_report(s, OFFICE, task_id=task_id, percent=60, text="按计划推进", today=day)
    if day in (D(2025, 10, 20), D(2025, 10, 25)):
        with write_session() as s:
            for code in world.tasks:
                if code in LATE_FINISHERS:
                    continue
                m_id = world.milestones[(code, "2025")]
                if day.day == 20:
                    workflow.claim_done(s, OFFICE, milestone_id=m_id, evidence="全面完成", links="https://example.cn",
                                        today=day)
                else:
                    workflow.accept(s, OFFICE, milestone_id=m_id, today=day)


def describe(s, n: Notice, codes: dict[int, str], keys: dict[int, str]) -> tuple:
    if n.level == "提醒":
        tag = n.dedup_key.split(":")[0].removeprefix("提醒")
    else:
        tag = ""
    return (n.created_on, n.level, codes[n.task_id], n.period if n.level == "催报" else keys[n.milestone_id], tag)


def date_after(period: str) -> dt.date:
    """The 1st of the month after ``period`` (the day its 通报 is drafted)."""
    year, month = int(period[:4]), int(period[5:])
    return D(year + month // 12, month % 12 + 1, 1)


@pytest.mark.slow
def test_it_makes_exactly_the_expected_notices_on_the_expected_days(plan_db):
    world = World()
    by_day = defaultdict(list)
    for day, *rest in SCRIPT:
        by_day[day].append(rest)
    day = D(2022, 11, 1)
    while day <= D(2026, 2, 1):
        routine(world, day)
        for action, code, key, extra in by_day.get(day, []):
            act(world, day, action, code, key, extra)
        run_scan(day)
        with write_session() as s:
            for b in s.exec(select(Bulletin).where(Bulletin.drafted_on == day)).all():
                if s.exec(select(BulletinMatter).where(BulletinMatter.bulletin_id == b.id)).first():
                    bulletins.issue(s, OFFICE, bulletin_id=b.id, today=day, rules=BulletinRules())
        day += dt.timedelta(days=1)

    codes = {v: k for k, v in world.tasks.items()}
    keys = {v: k[1] for k, v in world.milestones.items()}
    with write_session() as s:
        made = s.exec(select(Notice).order_by(Notice.id)).all()
        got = [describe(s, n, codes, keys) for n in made]
    assert len(got) == len(set(got)), "a notice was made twice"
    assert set(got) == EXPECTED

    # numbered per level and year, in the order they were made
    seqs = defaultdict(list)
    for n in made:
        seqs[(n.level, n.created_on.year)].append(int(n.number.split("〕")[1].removesuffix("号")))
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())

    # what is still open at the end: 3.5.4's 督办; everything settled is closed
    open_now = {(codes[n.task_id], n.level) for n in made if n.status not in ("已办结", "已发出")}
    assert open_now == {("3.5.4", "督办")}

    # one 通报 per month, drafted on the 1st of the next; listing exactly the expected matters, each once
    with write_session() as s:
        drafted = s.exec(select(Bulletin).order_by(Bulletin.period)).all()
        listed = {b.period: sorted((codes[m.task_id], keys[m.milestone_id], m.reason) for m in s.exec(
            select(BulletinMatter).where(BulletinMatter.bulletin_id == b.id))) for b in drafted}
    months = [b.period for b in drafted]
    assert months[0] == "2022-10" and months[-1] == "2026-01" and len(months) == len(set(months)) == 40
    assert all(b.drafted_on == date_after(b.period) for b in drafted)
    assert {p: m for p, m in listed.items() if m} == LISTED
    assert [(b.period, b.issue_no, b.number) for b in drafted if b.status == "已印发"] == [
        ("2023-01", 1, "运养托通〔2023〕1号"), ("2023-02", 2, "运养托通〔2023〕2号"), ("2026-01", 1, "运养托通〔2026〕1号")]
    with write_session() as s:
        extended = s.get(Milestone, world.milestones[("4.5", "2025")])
        assert (extended.original_due, extended.due_date) == (D(2025, 12, 31), D(2026, 3, 31))
        assert s.get(Task, world.tasks["3.3.3"]).status == "已完成"  # both milestones accepted
        assert s.get(Task, world.tasks["4.5"]).status == "推进中"  # extended into 2026
