"""Unit tests of the pure rules, as tables: lights, escalation, working days, periods, statuses, indicators,
scores. No database, no clock: every rule gets its ``today``."""

from __future__ import annotations

import datetime as dt

import pytest

from ylyx_tasks.domain import calendar, periods
from ylyx_tasks.domain.indicators import derive_comparator, is_met, is_off_track, parse_figure
from ylyx_tasks.domain.lights import (
    Light,
    LightRules,
    MilestoneFacts,
    days_overdue,
    elapsed_share,
    milestone_light,
    worst,
)
from ylyx_tasks.domain.notices import (
    NoticeAction,
    NoticeActionNotAllowed,
    NoticeLevel,
    NoticeStatus,
    next_notice_status,
    notice_number,
    reminder_due,
    supervise_due,
)
from ylyx_tasks.domain.roles import Actor, Duty, Permission, Role, TaskScope, can
from ylyx_tasks.domain.scoring import Scorecard, rank, ranked_and_apart
from ylyx_tasks.domain.status import Action, Status, TransitionNotAllowed, next_status, task_status

D = dt.date
START = D(2022, 11, 17)


# --- traffic lights ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, due, progress, late, today, expected", [
    ("已完成", D(2022, 12, 31), 100, False, D(2023, 6, 1), Light.DONE),  # done shows as done, even "late"
    ("推进中", D(2022, 12, 31), 90, False, D(2023, 1, 1), Light.RED),  # the day after the due date
    ("待审核", D(2022, 12, 31), 100, False, D(2023, 1, 1), Light.RED),  # claimed but not accepted: still open
    ("推进中", D(2022, 12, 31), 90, False, D(2022, 12, 31), Light.YELLOW),  # due today: not overdue yet
    ("推进中", D(2025, 12, 31), 90, False, D(2025, 12, 1), Light.YELLOW),  # within 30 days
    ("推进中", D(2025, 12, 31), 90, False, D(2025, 11, 30), Light.GREEN),  # 31 days left, on schedule
    ("推进中", D(2025, 12, 31), 50, False, D(2024, 6, 1), Light.GREEN),  # 49% elapsed, 50% done
    ("推进中", D(2025, 12, 31), 30, False, D(2024, 6, 1), Light.YELLOW),  # 49% elapsed, 30% done: 19 behind
    ("推进中", D(2025, 12, 31), 40, False, D(2024, 6, 1), Light.GREEN),  # 9 points behind: within tolerance
    ("未启动", D(2025, 12, 31), None, False, D(2023, 6, 1), Light.YELLOW),  # never reported: 0% vs 18% elapsed
    ("推进中", D(2025, 12, 31), 80, True, D(2023, 6, 1), Light.YELLOW),  # ahead, but last report missing
    ("未启动", D(2025, 12, 31), None, False, D(2022, 11, 20), Light.GREEN),  # just started
])
def test_it_lights_a_milestone(status, due, progress, late, today, expected):
    facts = MilestoneFacts(status=status, start_date=START, due_date=due, progress=progress, report_late=late)
    assert milestone_light(facts, today, LightRules(yellow_within_days=30, behind_points=10)) == expected


@pytest.mark.parametrize("lights, expected", [
    ([Light.DONE, Light.DONE], Light.DONE),
    ([Light.DONE, Light.GREEN], Light.GREEN),
    ([Light.GREEN, Light.YELLOW], Light.YELLOW),
    ([Light.YELLOW, Light.RED, Light.DONE], Light.RED),
    ([], Light.GREEN),
])
def test_it_shows_the_worst_light_for_a_task(lights, expected):
    assert worst(lights) == expected


@pytest.mark.parametrize("due, today, expected", [
    (D(2022, 12, 31), D(2022, 12, 31), 0), (D(2022, 12, 31), D(2023, 1, 1), 1), (D(2022, 12, 31), D(2024, 1, 1), 366),
    (D(2025, 12, 31), D(2025, 1, 1), 0),
])
def test_it_counts_days_overdue(due, today, expected):
    assert days_overdue(due, today) == expected


def test_it_measures_the_elapsed_share_of_a_period():
    assert elapsed_share(D(2024, 1, 1), D(2024, 1, 11), D(2024, 1, 6)) == pytest.approx(50.0)
    assert elapsed_share(D(2024, 1, 1), D(2024, 1, 11), D(2023, 12, 1)) == 0.0
    assert elapsed_share(D(2024, 1, 1), D(2024, 1, 11), D(2024, 2, 1)) == 100.0


# --- working days on the official calendar ------------------------------------------------------------------------

@pytest.mark.parametrize("start, n, expected, why", [
    (D(2023, 9, 27), 5, D(2023, 10, 10), "中秋国庆 2023: 9/29–10/6 off, Sat 10/7 and Sun 10/8 worked"),
    (D(2023, 9, 28), 1, D(2023, 10, 7), "the make-up Saturday is the next working day"),
    (D(2024, 2, 7), 5, D(2024, 2, 20), "春节 2024: 2/10–2/17 off, Sun 2/18 worked"),
    (D(2024, 2, 2), 1, D(2024, 2, 4), "春节 2024: Sun 2/4 worked before the holiday"),
    (D(2025, 9, 26), 5, D(2025, 10, 10), "国庆中秋 2025: Sun 9/28 worked, 10/1–10/8 off"),
    (D(2025, 1, 24), 5, D(2025, 2, 7), "春节 2025: Sun 1/26 worked, 1/28–2/4 off, Sat 2/8 worked"),
    (D(2026, 2, 12), 5, D(2026, 2, 26), "春节 2026: Sat 2/14 worked, 2/15–2/23 off"),
    (D(2023, 1, 3), 5, D(2023, 1, 10), "an ordinary week"),
    (D(2023, 1, 6), 1, D(2023, 1, 9), "Friday → Monday"),
])
def test_it_counts_working_days_on_the_official_calendar(start, n, expected, why):
    assert calendar.add_workdays(start, n) == expected, why


def test_it_falls_back_to_weekdays_and_fixed_holidays_for_a_year_not_yet_published():
    assert not calendar.calendar_covers(2099)
    assert not calendar.is_workday(D(2099, 1, 1))  # 元旦
    assert not calendar.is_workday(D(2099, 10, 2))  # 国庆
    assert calendar.is_workday(D(2099, 1, 2))  # a Friday
    assert calendar.add_workdays(D(2098, 12, 30), 2) == D(2099, 1, 2)  # Wed 12/31, (Thu 1/1 off), Fri 1/2


def test_it_lets_the_office_override_days_with_the_official_notice():
    overrides = {D(2099, 1, 2): False, D(2099, 1, 3): True}  # Friday off, Saturday worked
    assert not calendar.is_workday(D(2099, 1, 2), overrides)
    assert calendar.is_workday(D(2099, 1, 3), overrides)
    assert calendar.add_workdays(D(2099, 1, 1), 1, overrides) == D(2099, 1, 3)


# --- reporting periods ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("today, expected", [
    (D(2022, 12, 10), None),  # the first period (2022-12) is not due yet
    (D(2022, 12, 25), None),  # due day itself: not late yet
    (D(2022, 12, 26), "2022-12"),
    (D(2023, 1, 25), "2022-12"),
    (D(2023, 1, 26), "2023-01"),
    (D(2024, 3, 1), "2024-02"),
])
def test_it_knows_the_last_due_reporting_period(today, expected):
    assert periods.last_due_period(today, 25, periods.first_period(START)) == expected


@pytest.mark.parametrize("last_report, today, late", [
    (None, D(2022, 12, 26), True), ("2022-12", D(2022, 12, 26), False), ("2022-12", D(2023, 1, 26), True),
    ("2023-01", D(2023, 1, 26), False), ("2023-02", D(2023, 1, 26), False), (None, D(2022, 12, 1), False),
])
def test_it_flags_a_missing_report(last_report, today, late):
    assert periods.is_report_late(last_report, today, 25, "2022-12") is late


def test_it_labels_and_moves_periods():
    assert periods.label("2026-03") == "2026年3月"
    assert periods.add_months("2022-12", 1) == "2023-01"
    assert periods.add_months("2023-01", -1) == "2022-12"
    assert periods.first_period(START) == "2022-12"


# --- milestone and task status ------------------------------------------------------------------------------------

@pytest.mark.parametrize("current, action, expected", [
    (Status.NOT_STARTED, Action.REPORT, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Action.CLAIM_DONE, Status.PENDING_REVIEW),
    (Status.NOT_STARTED, Action.CLAIM_DONE, Status.PENDING_REVIEW),
    (Status.PENDING_REVIEW, Action.ACCEPT, Status.DONE),
    (Status.PENDING_REVIEW, Action.REJECT, Status.IN_PROGRESS),
    (Status.DONE, Action.REOPEN, Status.IN_PROGRESS),
    (Status.PENDING_REVIEW, Action.REPORT, Status.PENDING_REVIEW),
])
def test_it_moves_a_milestone_through_its_workflow(current, action, expected):
    assert next_status(current, action) == expected


@pytest.mark.parametrize("current, action", [
    (Status.IN_PROGRESS, Action.ACCEPT), (Status.NOT_STARTED, Action.REJECT), (Status.DONE, Action.CLAIM_DONE),
    (Status.DONE, Action.REPORT), (Status.PENDING_REVIEW, Action.CLAIM_DONE), (Status.IN_PROGRESS, Action.REOPEN),
])
def test_it_refuses_transitions_that_do_not_apply(current, action):
    with pytest.raises(TransitionNotAllowed):
        next_status(current, action)


@pytest.mark.parametrize("milestones, expected", [
    ([], Status.NOT_STARTED), (["未启动", "未启动"], Status.NOT_STARTED), (["已完成", "已完成"], Status.DONE),
    (["已完成", "未启动"], Status.IN_PROGRESS), (["已完成", "待审核"], Status.PENDING_REVIEW),
    (["推进中", "待审核"], Status.IN_PROGRESS), (["未启动", "推进中"], Status.IN_PROGRESS),
])
def test_it_derives_the_task_status_from_its_milestones(milestones, expected):
    assert task_status(milestones) == expected


# --- notices: when they are due --------------------------------------------------------------------------------------

@pytest.mark.parametrize("today, status, expected", [
    (D(2025, 11, 30), "推进中", None),  # 31 days left
    (D(2025, 12, 1), "推进中", 30),  # 30 days left
    (D(2025, 12, 20), "推进中", 30),  # a scan that missed the day still reminds, once (same key)
    (D(2025, 12, 24), "推进中", 7),
    (D(2025, 12, 31), "推进中", 7),  # due today
    (D(2026, 1, 1), "推进中", None),  # overdue: that is a 督办, not a reminder
    (D(2025, 12, 24), "已完成", None),
    (D(2025, 12, 24), "待审核", None),
])
def test_it_reminds_30_and_7_days_before_the_due_date(today, status, expected):
    assert reminder_due(D(2025, 12, 31), status, today, (30, 7)) == expected


@pytest.mark.parametrize("today, status, expected", [
    (D(2022, 12, 31), "推进中", False), (D(2023, 1, 1), "推进中", True), (D(2023, 1, 1), "未启动", True),
    (D(2023, 1, 1), "已完成", False), (D(2023, 1, 1), "待审核", False),
])
def test_it_supervises_a_milestone_past_its_due_date(today, status, expected):
    assert supervise_due(D(2022, 12, 31), status, today) is expected


@pytest.mark.parametrize("level, status, action, expected", [
    ("督办", "待签收", NoticeAction.ACKNOWLEDGE, NoticeStatus.ACKNOWLEDGED),
    ("督办", "待签收", NoticeAction.ANSWER, NoticeStatus.ANSWERED),
    ("督办", "已签收", NoticeAction.ANSWER, NoticeStatus.ANSWERED),
    ("督办", "已反馈", NoticeAction.CLOSE, NoticeStatus.CLOSED),
    ("督办", "已反馈", NoticeAction.RETURN, NoticeStatus.ACKNOWLEDGED),  # 退回重新反馈
    ("督办", "已办结", NoticeAction.REOPEN, NoticeStatus.ACKNOWLEDGED),
    ("通报", "已办结", NoticeAction.REOPEN, NoticeStatus.ACKNOWLEDGED),
    ("催报", "待报送", NoticeAction.CLOSE, NoticeStatus.CLOSED),
])
def test_it_moves_a_notice_through_its_lifecycle(level, status, action, expected):
    assert next_notice_status(level, status, action) == expected


@pytest.mark.parametrize("level, status, action", [
    ("提醒", "已发出", NoticeAction.ANSWER), ("催报", "待报送", NoticeAction.ACKNOWLEDGE),
    ("督办", "已办结", NoticeAction.ANSWER), ("督办", "已办结", NoticeAction.CLOSE),
    ("督办", "已反馈", NoticeAction.REOPEN),  # an answered notice is sent back, not "re-opened"
    ("督办", "已办结", NoticeAction.RETURN),
])
def test_it_refuses_notice_actions_that_do_not_apply(level, status, action):
    with pytest.raises(NoticeActionNotAllowed):
        next_notice_status(level, status, action)


def test_it_numbers_notices_like_the_office_does():
    assert notice_number("运养托", NoticeLevel.SUPERVISE, 2026, 12) == "运养托督〔2026〕12号"
    assert notice_number("运养托", NoticeLevel.CIRCULATE, 2023, 1) == "运养托通〔2023〕1号"


# --- who may do what --------------------------------------------------------------------------------------------------

LEAD, SUPPORT, COUNTY, OTHER, GROUP = 1, 2, 3, 4, 7
SCOPE = TaskScope(working_group_id=GROUP, duties={LEAD: Duty.LEAD, SUPPORT: Duty.SUPPORT, COUNTY: Duty.TERRITORIAL})
PERSONAS = {
    "leader": Actor(1, "leader", Role.LEADER),
    "office": Actor(2, "office", Role.OFFICE),
    "member of the group": Actor(3, "member", Role.MEMBER, working_group_id=GROUP),
    "member of another group": Actor(4, "member2", Role.MEMBER, working_group_id=8),
    "lead liaison": Actor(5, "lead", Role.LIAISON, department_id=LEAD),
    "supporting liaison": Actor(6, "support", Role.LIAISON, department_id=SUPPORT),
    "county liaison": Actor(7, "county", Role.LIAISON, department_id=COUNTY),
    "unrelated liaison": Actor(8, "other", Role.LIAISON, department_id=OTHER),
}
ALLOWED = {
    Permission.REPORT: {"office", "lead liaison", "supporting liaison", "county liaison"},
    Permission.CLAIM_DONE: {"office", "lead liaison"},
    Permission.APPLY_EXTENSION: {"office", "lead liaison"},
    Permission.REVIEW: {"office", "member of the group"},
    Permission.DECIDE_EXTENSION: {"office"},
    Permission.ANSWER_NOTICE: {"office", "lead liaison", "supporting liaison", "county liaison"},
    Permission.MANAGE_NOTICE: {"office"},
    Permission.EDIT_INDICATOR: {"office"},
    Permission.ADMINISTER: {"office"},
    Permission.VIEW: set(PERSONAS),
}


@pytest.mark.parametrize("permission", list(ALLOWED))
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_grants_each_role_exactly_its_permissions(persona, permission):
    assert can(PERSONAS[persona], permission, SCOPE) is (persona in ALLOWED[permission])


# --- indicators ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("baseline, target, expected", [
    ("95", "≥95", "≥"), ("19", ">90", ">"), ("", "60", "≥"), ("77.3", "78.1", "≥"), ("29", "20", "≤"),
    ("100", "100", "="), ("≥50", "≥55", "≥"), (">1000", "≥1800", "≥"), ("--", "100", "≥"),
])
def test_it_derives_the_comparator_a_target_means(baseline, target, expected):
    assert derive_comparator(baseline, target) == expected


@pytest.mark.parametrize("value, target, comparator, met", [
    (95, 95, "≥", True), (94.9, 95, "≥", False), (90, 90, ">", False), (90.1, 90, ">", True),
    (20, 20, "≤", True), (21, 20, "≤", False), (100, 100, "=", True), (99, 100, "=", False),
])
def test_it_tells_whether_a_value_meets_its_target(value, target, comparator, met):
    assert is_met(value, target, comparator) is met


@pytest.mark.parametrize("value, year, baseline, target, comparator, off", [
    (35, 2023, 29, 20, "≤", True),  # path in 2023: 23.6 — too high
    (23, 2023, 29, 20, "≤", False),
    (40, 2022, 30.1, 55, "≥", True),  # the straight path stands at 40.06 in 2022: just behind
    (41, 2022, 30.1, 55, "≥", False),
    (54, 2025, 30.1, 55, "≥", True),  # target year: not met
    (99, 2023, 100, 100, "=", True),
])
def test_it_flags_indicators_behind_the_path_to_their_target(value, year, baseline, target, comparator, off):
    assert is_off_track(value, year, baseline, target, comparator) is off


def test_it_parses_figures_as_written():
    assert parse_figure("≥90.5").value == 90.5 and parse_figure("≥90.5").qualifier == "≥"
    assert parse_figure("--") is None and parse_figure("") is None
    with pytest.raises(ValueError):
        parse_figure("2.1万")


# --- scores and ranking ---------------------------------------------------------------------------------------------------

def test_it_ranks_by_the_score_and_lists_unmeasured_units_apart():
    a = Scorecard(1, "甲", milestones_due=2, completed_on_time=2)
    b = Scorecard(2, "乙", milestones_due=2, completed_on_time=1, overdue=1)
    c = Scorecard(3, "丙", milestones_due=2, completed_on_time=1, overdue=1, circulate=2, repeat_circulate=1)
    d = Scorecard(4, "丁")
    assert [x.department for x in rank([d, c, b, a])] == ["甲", "乙", "丙", "丁"]
    assert a.score == 100 and c.score < b.score < a.score and d.on_time_rate is None
    assert ranked_and_apart([d, c, b, a]) == ([a, b, c], [d])
    assert c.deductions == "逾期节点 1×3、列入通报 2×5、重复通报 1×3" and a.deductions == "无扣分"


def test_the_issues_case_a_unit_with_score_0_and_48_listings_ranks_last_and_one_with_nothing_due_is_apart():
    """Issue 16: 市民政局 (score 0, 48 通报) ranked 6th on its on-time rate and was not on the 黑榜; 团市委 (100,
    nothing due yet) ranked 11th. By the score, 市民政局 is last and 团市委 is not ranked at all."""
    minzheng = Scorecard(1, "市民政局", led=7, milestones_due=20, completed_on_time=16, overdue=4, supervise=10,
                         circulate=48, repeat_circulate=30)
    others = [Scorecard(10 + i, name, led=2, milestones_due=10, completed_on_time=10 - i, overdue=i, supervise=i)
              for i, name in enumerate(["市卫健委", "市发展改革委", "市财政局", "市住建局", "市人社局", "市教育局",
                                        "市医保局", "市自然资源局", "市市场监管局"])]
    youth = Scorecard(2, "团市委", led=1)
    assert minzheng.score == 0 and minzheng.on_time_rate == 0.8 > others[-1].on_time_rate  # type: ignore[operator]
    ranked, apart = ranked_and_apart([youth, minzheng, *others])
    assert ranked[-1].department == "市民政局" and apart == [youth]
    assert [c.department for c in ranked] == ["市卫健委", "市发展改革委", "市财政局", "市住建局", "市人社局", "市教育局",
                                             "市医保局", "市自然资源局", "市市场监管局", "市民政局"]
    assert youth.score == 100 and "团市委" not in [c.department for c in ranked]


def test_a_territorial_unit_is_ranked_once_a_report_was_owed():
    county = Scorecard(5, "盐湖区人民政府", territorial=20, reports_owed=True, missing_reports=3)
    assert county.measurable and county.score == 97
    assert not Scorecard(6, "永济市人民政府", territorial=20).measurable
