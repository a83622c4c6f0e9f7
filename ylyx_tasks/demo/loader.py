"""The demo (``ylyx-tasks init --demo``, ``make demo``): clearly labelled fictional progress on the real plan,
and one demo account per role, so that a visitor sees a living cockpit.

Honest by construction: every report and indicator value carries ``is_demo`` and starts with 【演示数据】, and
everything is made through the real services — the same permissions, audit records, notices and scans as real
use — replaying a dated story (see :mod:`ylyx_tasks.demo.story`). Idempotent: a second run adds no
data; it only gives the demo accounts new passwords to print. Refuses a database that holds real reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session

from ylyx_tasks.demo.runner import replay
from ylyx_tasks.domain.roles import SYSTEM, Role
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.models import IndicatorValue, Notice, ProgressReport, ReviewRequest, User
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.services import users

# username, role, department, working group, display name
DEMO_ACCOUNTS: list[tuple[str, Role, str | None, str | None, str]] = [
    ("demo_leader", Role.LEADER, None, None, "演示·领导"),
    ("demo_office", Role.OFFICE, None, None, "演示·专班办公室"),
    ("demo_member", Role.MEMBER, None, "养老专班", "演示·养老专班成员"),
    ("demo_mzj", Role.LIAISON, "市民政局", None, "演示·市民政局联络员"),
    ("demo_zjj", Role.LIAISON, "市住建局", None, "演示·市住建局联络员"),
    ("demo_yanhu", Role.LIAISON, "盐湖区人民政府", None, "演示·盐湖区联络员"),
]
ACCOUNT_NOTES = {"demo_mzj": "牵头单位", "demo_zjj": "配合单位", "demo_yanhu": "属地责任"}


@dataclass
class DemoAccount:
    username: str
    role: str
    unit: str
    password: str


@dataclass
class DemoResult:
    today: dt.date
    already: bool = False
    accounts: list[DemoAccount] = field(default_factory=list)
    reports: int = 0
    requests: Tally = field(default_factory=Tally)  # (kind, status) → n
    notices: Tally = field(default_factory=Tally)  # level → n
    indicator_values: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.already:
            out.append("演示数据已存在，未重复加入（演示账号已重设密码）")
        else:
            req = "，".join(f"{kind}{status} {n}" for (kind, status), n in sorted(self.requests.items())) or "无"
            notes = "，".join(f"{level} {n}" for level, n in sorted(self.notices.items())) or "无"
            out.append(f"已加入演示数据（虚构，均标注“演示数据”；截至 {self.today.isoformat()}）：")
            out.append(f"  进展报送 {self.reports} 条；申请：{req}；通知：{notes}；指标数值 {self.indicator_values} 条")
        out.append("演示账号（密码只显示这一次）：")
        for a in self.accounts:
            out.append(f"  {a.username:<12} 密码 {a.password}  {a.role}" + (f"（{a.unit}）" if a.unit else ""))
        return out


def _ensure_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that are missing and give every one a fresh random password to print."""
    out = []
    for username, role, department, group, name in DEMO_ACCOUNTS:
        password = users.generate_password()
        exists = session.execute(select(User.id).where(User.username == username)).first()
        if exists:
            users.set_password(session, SYSTEM, username, password)
        else:
            users.create_user(session, SYSTEM, username=username, role=role, password=password,
                              department=department, group=group, display_name=name, is_demo=True)
        unit = department or group or ""
        note = ACCOUNT_NOTES.get(username)
        out.append(DemoAccount(username, role.value, f"{unit}，{note}" if note else unit, password))
    return out


def load_demo(session: Session, today: dt.date) -> DemoResult:
    """Add the demo story for ``today`` and the demo accounts. Commits ``session`` as it goes (the scans it
    replays run in transactions of their own)."""

    if current_plan(session) is None:
        raise WorkflowError("还没有载入方案：请先运行 ylyx-tasks init")
    real = session.execute(select(func.count()).select_from(ProgressReport)
                           .where(ProgressReport.is_demo.is_(False))).scalar_one()
    if real:
        raise WorkflowError(f"数据库中已有 {real} 条真实进展报送，不能加入演示数据（请使用单独的演示数据库）")
    result = DemoResult(today=today)
    already = session.execute(select(ProgressReport.id).where(ProgressReport.is_demo.is_(True)).limit(1)
                              ).first() is not None
    result.accounts = _ensure_accounts(session)
    session.commit()
    if already:
        result.already = True
        return result
    replay(session, today)
    _count(session, result)
    return result


def _count(session: Session, result: DemoResult) -> None:
    result.reports = session.execute(select(func.count()).select_from(ProgressReport)
                                     .where(ProgressReport.is_demo.is_(True))).scalar_one()
    for kind, status, n in session.execute(select(ReviewRequest.kind, ReviewRequest.status, func.count())
                                           .group_by(ReviewRequest.kind, ReviewRequest.status)):
        result.requests[(kind, status)] = n
    for level, n in session.execute(select(Notice.level, func.count()).group_by(Notice.level)):
        result.notices[level] = n
    result.indicator_values = session.execute(select(func.count()).select_from(IndicatorValue)
                                              .where(IndicatorValue.is_demo.is_(True))).scalar_one()


