"""Realistic example contexts of every kind — for previews of an office's edited template, for the tests,
and as a reference for the fields. Plain data; no database. ``hostile=True`` salts the user-supplied text
with what real input brings: markup, a spreadsheet formula, Word's \\x0b line break and a NUL.
"""

from __future__ import annotations

import datetime as dt

from ylyx_tasks.documents.kinds.base import DocumentContext
from ylyx_tasks.documents.kinds.bulletin import OverdueMatter, ProgressBulletin, ProgressFigures, RepeatUnit
from ylyx_tasks.documents.kinds.evaluation import (
    DepartmentRecord,
    FinalEvaluation,
    IndicatorOutcome,
    MilestoneOutcome,
)
from ylyx_tasks.documents.kinds.meeting import (
    Decision,
    DecisionFollowUp,
    LaggingMatter,
    MeetingMinutes,
    MeetingPack,
    Proposal,
)
from ylyx_tasks.documents.kinds.notice import SupervisionNotice, supervision_cc

OFFICE = "运城市促进养老托育服务高质量发展工作领导小组办公室"
LEADING_GROUP = "运城市促进养老托育服务高质量发展工作领导小组"
PLAN = "关于运城市“十四五”时期养老托育整体解决方案"
PLAN_NUMBER = "运政办发〔2022〕29号"
TERRITORIES = "各县（市、区）人民政府、运城开发区管委会"
TODAY = dt.date(2026, 11, 30)
HOSTILE = "<script>alert('x')</script> & =cmd|' /C calc'!A0\x0b第二行\x00"
COUNTIES = ["盐湖区", "永济市", "河津市", "临猗县", "万荣县", "闻喜县", "稷山县", "新绛县", "绛县", "垣曲县", "夏县",
            "平陆县", "芮城县"]
UNITS = ["市民政局", "市卫健委", "市发展改革委", "市财政局", "市自然资源局", "市住建局", "市人社局", "市教育局",
         "市医保局", "市市场监管局"]
TASKS = [("3.1", "完善养老托育服务体系"), ("3.2.1", "提升公办养老机构兜底保障能力"), ("3.2.2", "发展普惠养老服务"),
         ("3.3.1", "建设社区嵌入式养老服务设施"), ("3.3.2", "推进医养结合"), ("3.3.3", "发展老年助餐服务"),
         ("3.4.1", "扩大普惠托育服务供给"), ("3.4.2", "支持用人单位办托"), ("3.4.3", "推进托幼一体化"),
         ("3.4.4", "加强托育从业人员培训"), ("3.5.1", "培育养老托育产业"), ("3.5.2", "发展智慧养老"),
         ("3.5.3", "推动老年用品发展"), ("3.5.4", "促进银发经济"), ("3.6", "强化综合监管"), ("4.1", "加强规划引领"),
         ("4.2", "强化用地保障"), ("4.3", "加大财政投入"), ("4.4", "完善人才支撑"), ("4.5", "推进数字赋能")]


def _salt(text: str, hostile: bool) -> str:
    return f"{text}{HOSTILE}" if hostile else text


def notice(*, hostile: bool = False) -> SupervisionNotice:
    """督办通知单 to 市民政局 for 3.2.1, 30 days overdue."""
    supporting = ["市卫健委", "市财政局"]
    return SupervisionNotice(
        issuing_office=OFFICE, issued_on=TODAY, number="运养托督〔2026〕12号",
        cc=supervision_cc(leading_group=LEADING_GROUP, supporting_units=supporting, territorial_units=TERRITORIES),
        plan_title=PLAN, plan_number=PLAN_NUMBER, lead_unit="市民政局", supporting_units=supporting, territorial_units=TERRITORIES,
        task_code="3.2.1", task_title="提升公办养老机构兜底保障能力",
        clause_text=_salt("2022年全市公办兜底性养老床位达到7000余张，到2025年达到8000余张，护理型床位占比不低于55%。"
                          "（市民政局、市卫健委、市财政局按职责分工负责，各县［市、区］人民政府、运城开发区管委会负责）", hostile),
        commitment="2026年10月底前新增公办兜底性养老床位500张", due_on=dt.date(2026, 10, 31), as_of=TODAY,
        days_overdue=30, answer_by=dt.date(2026, 12, 7), contact_name="王晓明", contact_phone="0359-2681234",
        requirements=["牵头单位要压实责任，倒排工期，逐项明确完成时限和责任人。",
                      _salt("配合单位要按职责分工主动对接，形成工作合力。", hostile)],
    )


def _overdue(n: int, hostile: bool) -> list[OverdueMatter]:
    rows = []
    for i in range(n):
        code, title = TASKS[i % len(TASKS)]
        units = "、".join([UNITS[i % len(UNITS)], COUNTIES[i % len(COUNTIES)] + "人民政府"])
        reason = "项目用地手续尚未办结" if i % 3 else "资金尚未拨付到位，正在协调"
        rows.append(OverdueMatter(task_code=code, task_title=title, milestone=f"第{i % 4 + 1}季度建设任务完成",
                                  due_on=dt.date(2026, 1 + i % 10, 28), units=units, days_overdue=10 + 7 * i,
                                  reason=_salt(reason, hostile and i == 3)))
    return rows


def bulletin(*, hostile: bool = False, rows: int = 40) -> ProgressBulletin:
    """通报（第5期） with ``rows`` overdue matters (40 by default: the table runs over several pages)."""
    return ProgressBulletin(
        issuing_office=OFFICE, issued_on=TODAY, number="运养托办〔2026〕5号", subject="全市养老托育重点任务",
        issue_no=5, recipients=[LEADING_GROUP + "各成员单位", "各县（市、区）人民政府", "运城开发区管委会"],
        cc=[LEADING_GROUP, "市委督查室", "市政府督查室"], as_of=TODAY,
        figures=ProgressFigures(tasks_total=20, tasks_done=9, milestones_due=96, on_time=71, late_done=11,
                                overdue_open=14),
        progress_notes=["全市新增普惠托位2316个，社区嵌入式养老服务设施覆盖率达到78%，较上期提高6个百分点。"],
        overdue=_overdue(rows, hostile),
        repeat_units=[RepeatUnit(unit="市自然资源局", times=3), RepeatUnit(unit="垣曲县人民政府", times=2)],
        good_examples=["盐湖区整合闲置校舍建设嵌入式托育中心，当年建成当年运营，经验在全市推广。",
                       _salt("河津市建立“周调度、月通报”机制，节点按期完成率达到100%。", hostile)],
        requirements=["各牵头单位要逐项对照逾期事项，制定整改方案，明确责任人和完成时限。",
                      "各县（市、区）要落实属地责任，统筹解决用地、资金等制约因素。"],
        rectify_by=dt.date(2026, 12, 31), contact_name="李静", contact_phone="0359-2681235",
    )


def evaluation(*, hostile: bool = False) -> FinalEvaluation:
    """终期评估报告 of the plan with 40 milestones, 25 indicators and 10 departments."""
    milestones = []
    for i in range(40):
        code, title = TASKS[i % len(TASKS)]
        due = dt.date(2022 + i % 4, 6 if i % 2 else 12, 30)
        done = None if i % 7 == 0 else due + dt.timedelta(days=(i % 5) * 9 - 9)
        milestones.append(MilestoneOutcome(task_code=code, task_title=title, commitment=_salt(
            f"完成{title}年度目标任务", hostile and i == 5), lead_unit=UNITS[i % len(UNITS)], due_on=due,
            completed_on=done))
    indicators = [IndicatorOutcome(group="养老" if i < 12 else "托育", name=f"{'养老' if i < 12 else '托育'}主要指标{i + 1}",
                                   unit="%" if i % 2 else "张", baseline=str(40 + i), target=f"≥{60 + i}",
                                   actual=str(55 + 2 * i) if i % 6 else "", nature="约束性" if i % 3 else "预期性",
                                   met=None if i % 6 == 0 else 55 + 2 * i >= 60 + i) for i in range(25)]
    departments = [DepartmentRecord(unit=u, led=2 + i % 3, supported=4 + i % 5, due=12 + i, on_time=9 + i % 4,
                                    late=2, unfinished=1 + i % 2) for i, u in enumerate(UNITS)]
    return FinalEvaluation(
        issuing_office=OFFICE, issued_on=TODAY, number="运养托办〔2026〕9号", cc=[LEADING_GROUP + "各成员单位"],
        plan_title=PLAN, plan_number=PLAN_NUMBER, period="2021—2025年", recipients=[LEADING_GROUP], as_of=TODAY,
        milestones=milestones, indicators=indicators, departments=departments,
        summary=["方案实施以来，全市养老托育服务体系建设取得明显成效，兜底保障能力持续增强。"],
        problems=[_salt("部分项目用地、资金保障不到位，个别县（市、区）推进较慢。", hostile)],
        suggestions=["将未完成事项纳入下一周期规划，继续实行清单管理和通报督办。"],
    )


def meeting_pack(*, hostile: bool = False) -> MeetingPack:
    """会议材料 of the joint meeting's third session."""
    return MeetingPack(
        issuing_office=OFFICE, issued_on=TODAY, meeting_name="运城市养老托育工作联席会议第三次会议",
        held_on=dt.date(2026, 12, 3), venue="市政府第二会议室", chair="市政府副市长张明",
        agenda=["听取全市养老托育重点任务推进情况汇报", "研究滞后事项整改措施", "审议提请会议研究事项"],
        progress=["截至11月底，20项重点任务中已完成9项，96个到期节点中按期完成71个。"],
        lagging=[LaggingMatter(task_code=m.task_code, task_title=m.task_title, milestone=m.milestone, units=m.units,
                               due_on=m.due_on, days_overdue=m.days_overdue, forecast=("有风险", "将逾期", "可按期")[i % 3])
                 for i, m in enumerate(_overdue(12, hostile))],
        proposals=[Proposal(title="关于调整社区养老服务设施建设用地保障方式的建议",
                            background=_salt("部分县（市、区）新建住宅小区配建养老服务设施移交不到位。", hostile),
                            proposal="由市自然资源局牵头，2027年3月底前出台配建设施移交管理办法。")],
        follow_ups=[DecisionFollowUp(decision="制定普惠托育机构运营补贴办法", lead_unit="市卫健委",
                                     due_on=dt.date(2026, 9, 30), status="已完成，办法已印发")],
    )


def minutes(*, hostile: bool = False) -> MeetingMinutes:
    """会议纪要 (第3期) with four decisions."""
    decisions = [Decision(text=_salt("加快推进公办养老机构改造提升，年底前完成剩余床位建设任务", hostile and i == 0),
                          lead_unit=UNITS[i], supporting_units=UNITS[i + 1:i + 3], due_on=dt.date(2026, 12, 31 - i))
                 for i in range(4)]
    return MeetingMinutes(
        issuing_office=OFFICE, issued_on=dt.date(2026, 12, 5), meeting_name="运城市养老托育工作联席会议",
        session="第三次会议", issue_no=3, held_on=dt.date(2026, 12, 3), venue="市政府第二会议室", chair="市政府副市长张明",
        purpose="听取全市养老托育重点任务推进情况汇报，研究部署滞后事项整改工作", decisions=decisions,
        summary=["会议认为，方案实施总体顺利，但部分节点任务滞后，必须压实责任、限期整改。"],
        attendees=["张明（市政府副市长）", "刘强（市发展改革委）", "陈红（市民政局）", "赵伟（市卫健委）"],
        observers=["市政府督查室"], absent=["孙丽（市财政局，公务）"],
        cc=[LEADING_GROUP + "各成员单位", "各县（市、区）人民政府", "运城开发区管委会"],
    )


def all_examples(*, hostile: bool = False) -> list[DocumentContext]:
    """One example of every kind, in the order of ``KINDS``."""
    return [notice(hostile=hostile), bulletin(hostile=hostile), evaluation(hostile=hostile),
            meeting_pack(hostile=hostile), minutes(hostile=hostile)]
