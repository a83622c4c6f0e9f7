"""What the administration page (管理) lists: users, contacts with the mail each receives, the scheduler's
recent runs, and the choices its forms offer. Reading only; writes go through users, recipients and imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, select

from ylyx_tasks.domain.departments import LEADERSHIP
from ylyx_tasks.models import Contact, Department, JobRun, ProgressReport, User, WorkingGroup
from ylyx_tasks.reads.contacts import LEADERSHIP_KEY

RECEIVES = {
    "department": "本单位每周简报；主送或抄送本单位的提醒、催报、督办和通报",
    "group": "本专班每周简报",
    LEADERSHIP_KEY: "领导小组每周简报；全部通报",
}


def _local(value: dt.datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def list_users(session: Session) -> list[tuple[User, str, str]]:
    """Users with their department and group names."""
    departments = {d.id: d.name for d in session.exec(select(Department))}
    groups = {g.id: g.name for g in session.exec(select(WorkingGroup))}
    users = session.exec(select(User).order_by(User.role, User.username)).all()
    return [(u, departments.get(u.department_id, ""), groups.get(u.working_group_id, "")) for u in users]


def users_frame(session: Session, tz: ZoneInfo) -> pd.DataFrame:
    rows = []
    for user, department, group in list_users(session):
        rows.append({"用户名": user.username, "姓名": user.display_name, "角色": user.role, "单位": department,
                     "专班": group, "状态": "正常" if user.active else "停用",
                     "锁定至": _local(user.locked_until, tz), "最近登录": _local(user.last_login_at, tz),
                     "演示账号": "是" if user.is_demo else ""})
    return pd.DataFrame(rows, columns=["用户名", "姓名", "角色", "单位", "专班", "状态", "锁定至", "最近登录", "演示账号"])


@dataclass(frozen=True)
class ContactRow:
    id: int
    unit: str
    name: str
    email: str
    receives: str


def contact_rows(session: Session) -> list[ContactRow]:
    """Every contact with its unit's name and what it receives, grouped by unit."""
    departments = {d.id: d.name for d in session.exec(select(Department))}
    groups = {g.id: g.name for g in session.exec(select(WorkingGroup))}
    out = []
    for c in session.exec(select(Contact).order_by(Contact.unit_key, Contact.id)):
        kind = c.unit_key.partition(":")[0]
        if c.unit_key == LEADERSHIP_KEY:
            unit, receives = LEADERSHIP, RECEIVES[LEADERSHIP_KEY]
        elif kind == "group":
            unit, receives = groups.get(c.working_group_id, c.unit_key), RECEIVES["group"]
        else:
            unit, receives = departments.get(c.department_id, c.unit_key), RECEIVES["department"]
        out.append(ContactRow(c.id, unit, c.name, c.email, receives))
    return out


def contacts_frame(rows: list[ContactRow]) -> pd.DataFrame:
    return pd.DataFrame([{"单位": r.unit, "姓名": r.name, "邮箱": r.email, "接收内容": r.receives} for r in rows],
                        columns=["单位", "姓名", "邮箱", "接收内容"])


def unit_choices(session: Session) -> list[str]:
    """The names a contact's unit may be given: 领导小组, the working groups, then departments and counties."""
    return [LEADERSHIP] + [g for g in session.exec(select(WorkingGroup.name).order_by(WorkingGroup.id))] + \
        [d for d in session.exec(select(Department.name).order_by(Department.id))]


def department_choices(session: Session) -> list[str]:
    return [d for d in session.exec(select(Department.name).order_by(Department.id))]


def group_choices(session: Session) -> list[str]:
    return [g for g in session.exec(select(WorkingGroup.name).order_by(WorkingGroup.id))]


def job_runs_frame(session: Session, tz: ZoneInfo, limit: int = 30) -> pd.DataFrame:
    """The scheduler's latest runs (scan, deliver, digest), newest first."""
    rows = []
    for run in session.exec(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)):
        took = ""
        if run.finished_at:
            took = f"{(run.finished_at - run.started_at).total_seconds():.1f} 秒"
        rows.append({"任务": run.job, "开始": _local(run.started_at, tz), "结束": _local(run.finished_at, tz),
                     "耗时": took, "结果": {True: "成功", False: "失败", None: "运行中"}[run.ok], "摘要": run.summary})
    return pd.DataFrame(rows, columns=["任务", "开始", "结束", "耗时", "结果", "摘要"])


def has_demo_data(session: Session) -> bool:
    """Whether the database holds demo data (the app then shows a banner on every page)."""
    # "= true", not "IS true": an index serves the first on every database
    return session.execute(select(ProgressReport.id).where(ProgressReport.is_demo == sa.true()).limit(1)).first() \
        is not None or session.execute(select(User.id).where(User.is_demo == sa.true()).limit(1)).first() is not None
