"""A task's record: its full history from the audit log (who, when, what, from what, to what), the progress
reports and requests departments sent, and their evidence files for download."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from ylyx_tasks.errors import NotFound
from ylyx_tasks.models import Attachment, AuditEvent, Department, ProgressReport, ReviewRequest, User

# How the audit log's JSON keys read in Chinese.
FIELD_LABELS = {
    "status": "状态", "progress": "进度", "percent": "进度(%)", "period": "报送期", "duty": "责任",
    "text": "内容", "due_date": "期限", "new_due_date": "申请期限", "original_due": "原定期限", "number": "编号",
    "level": "级别", "reason": "事由", "response_due": "反馈期限", "title": "标题", "code": "编号",
    "clause_text": "条文", "section": "部分", "working_group_id": "工作专班", "county_responsible": "属地责任",
    "position": "顺序", "单位": "单位", "commitment": "承诺", "key": "节点",
}
ENTITY_LABELS = {"task": "任务", "milestone": "时间节点", "report": "进展报送", "request": "申请", "notice": "通知",
                 "responsibility": "责任分工"}


def _load(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def describe_change(before: Any, after: Any) -> tuple[str, str]:
    """('状态：推进中', '状态：待审核') from the stored JSON values; one line per field, in a stable order."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return _show(before), _show(after)
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    keys = list(dict.fromkeys([*b, *a]))
    def lines(d: dict) -> str:
        return "\n".join(f"{FIELD_LABELS.get(k, k)}：{_show(d[k])}" for k in keys if k in d)
    return lines(b), lines(a)


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # local time
    who: str
    action: str
    what: str
    before: str
    after: str
    note: str


def task_history(session: Session, task_id: int, tz: ZoneInfo, *, newest: int | None = None) -> list[HistoryRow]:
    """Every audit event about the task (or only the ``newest`` ones), oldest first, with the actor's name."""
    names = {u: (d or u) for u, d in session.execute(select(User.username, User.display_name))}
    stmt = select(AuditEvent).where(AuditEvent.task_id == task_id)
    if newest is None:
        events = list(session.execute(stmt.order_by(AuditEvent.at, AuditEvent.id)).scalars())
    else:  # the newest, read backwards along ix_audit_task_at, then put in order
        events = list(session.execute(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                      .limit(newest)).scalars())[::-1]
    out = []
    for e in events:
        before, after = describe_change(_load(e.before), _load(e.after))
        who = "系统" if e.actor == "system" else names.get(e.actor, e.actor)
        out.append(HistoryRow(at=e.at.astimezone(tz), who=who, action=e.action,
                              what=ENTITY_LABELS.get(e.entity, e.entity), before=before, after=after, note=e.note))
    return out


def history_count(session: Session, task_id: int) -> int:
    return session.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.task_id == task_id)
                           ).scalar_one()


def history_frame(rows: list[HistoryRow]) -> pd.DataFrame:
    return pd.DataFrame([{"时间": r.at.strftime("%Y-%m-%d %H:%M"), "操作人": r.who, "操作": r.action, "对象": r.what,
                          "变更前": r.before, "变更后": r.after, "说明": r.note} for r in rows],
                        columns=["时间", "操作人", "操作", "对象", "变更前", "变更后", "说明"])


@dataclass(frozen=True)
class FileInfo:
    id: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ReportRow:
    id: int
    department: str
    duty: str
    period: str
    reported_on: dt.date
    percent: int
    text: str
    evidence: str
    is_demo: bool
    by: str
    files: tuple[FileInfo, ...] = ()


@dataclass(frozen=True)
class RequestRow:
    id: int
    kind: str
    status: str
    milestone_id: int
    department: str
    text: str
    links: str
    new_due_date: dt.date | None
    requested_at: dt.datetime
    by: str
    decided_at: dt.datetime | None
    decision_note: str
    files: tuple[FileInfo, ...] = ()


def _files(session: Session, owner_kind: str, owner_ids: list[int]) -> dict[int, list[FileInfo]]:
    """File metadata only: the bytes are read when someone downloads one."""
    out: dict[int, list[FileInfo]] = {}
    if not owner_ids:
        return out
    for a_id, owner_id, name, ctype, size in session.execute(
            select(Attachment.id, Attachment.owner_id, Attachment.filename, Attachment.content_type, Attachment.size)
            .where(Attachment.owner_kind == owner_kind, Attachment.owner_id.in_(owner_ids)).order_by(Attachment.id)):
        out.setdefault(owner_id, []).append(FileInfo(a_id, name, ctype, size))
    return out


def _user_names(session: Session) -> dict[int, str]:
    return {i: (d or u) for i, u, d in session.execute(select(User.id, User.username, User.display_name))}


def task_reports(session: Session, task_id: int) -> list[ReportRow]:
    """The task's progress reports, newest first."""
    users = _user_names(session)
    rows = session.execute(select(ProgressReport, Department.name).join(
        Department, Department.id == ProgressReport.department_id).where(ProgressReport.task_id == task_id)
        .order_by(ProgressReport.id.desc())).all()
    files = _files(session, "report", [r.id for r, _ in rows])
    return [ReportRow(r.id, name, r.duty, r.period, r.reported_on, r.percent, r.text, r.evidence, r.is_demo,
                      users.get(r.created_by, "") if r.created_by else "", tuple(files.get(r.id, [])))
            for r, name in rows]


def task_requests(session: Session, task_id: int) -> list[RequestRow]:
    """Completion claims and extension requests of the task, newest first."""
    users = _user_names(session)
    rows = session.execute(select(ReviewRequest, Department.name).join(
        Department, Department.id == ReviewRequest.department_id).where(ReviewRequest.task_id == task_id)
        .order_by(ReviewRequest.id.desc())).all()
    files = _files(session, "request", [r.id for r, _ in rows])
    return [RequestRow(r.id, r.kind, r.status, r.milestone_id, name, r.text, r.links, r.new_due_date,
                       r.requested_at, users.get(r.requested_by, "") if r.requested_by else "", r.decided_at,
                       r.decision_note, tuple(files.get(r.id, []))) for r, name in rows]


@dataclass(frozen=True)
class FileContent:
    filename: str
    content_type: str
    data: bytes


def attachment_content(session: Session, attachment_id: int, *, task_id: int) -> FileContent:
    """An evidence file of ``task_id`` (a file of another task is NotFound: ids in a page are not a licence)."""
    a = session.get(Attachment, attachment_id)
    if a is None:
        raise NotFound(f"没有编号为 {attachment_id} 的附件")
    owner = {"report": ProgressReport, "request": ReviewRequest}.get(a.owner_kind)
    row = session.get(owner, a.owner_id) if owner else None
    if row is None or row.task_id != task_id:
        raise NotFound(f"没有编号为 {attachment_id} 的附件")
    return FileContent(a.filename, a.content_type, a.data)


HISTORY_SHOWN = 100  # the task page shows the newest events of a long history; all of them on request


@dataclass
class TaskRecord:
    """Everything the task page shows below the forms, read in one go (and cached together)."""

    reports: list[ReportRow] = field(default_factory=list)
    requests: list[RequestRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)  # the newest HISTORY_SHOWN events, oldest first
    history_total: int = 0  # events in all


def task_record(session: Session, task_id: int, tz: ZoneInfo) -> TaskRecord:
    history = task_history(session, task_id, tz, newest=HISTORY_SHOWN)
    total = len(history) if len(history) < HISTORY_SHOWN else history_count(session, task_id)
    return TaskRecord(task_reports(session, task_id), task_requests(session, task_id), history, total)
