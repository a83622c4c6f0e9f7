"""Turning the simulated notices into rows: ids in the order the scan would have inserted them, numbers per level
and year (and the Counter rows that match), the mail deliveries they and the weekly digests made, and their
audit events; also the accounts' sign-ins and the scheduler's run log."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import Counter as Tally
from collections.abc import Iterator

from ylyx_tasks.domain import periods
from ylyx_tasks.services.supervision.issue import counter_name
from ylyx_tasks.domain.notices import NoticeLevel, NoticeStatus, notice_number
from ylyx_tasks.services.mail.templates import cn_date

from benchmarks.base import CONTACTS_SINCE, Base
from benchmarks.model import Context, Ids, at, audit_json
from benchmarks.noticesim import NoticeDraft

NOTICE_COLUMNS = ["id", "dedup_key", "level", "number", "task_id", "milestone_id", "department_id", "parent_id",
                  "period", "milestone_due", "reason", "created_on", "created_at", "response_due", "status",
                  "acknowledged_at", "acknowledged_by", "answered_at", "answered_by", "answer_situation",
                  "answer_reason", "answer_new_date", "closed_at", "closed_by", "close_note", "version"]
DELIVERY_COLUMNS = ["id", "dedup_key", "kind", "notice_id", "recipient_email", "recipient_name", "subject",
                    "body_text", "body_html", "status", "attempts", "next_attempt_at", "claimed_at", "claim_token",
                    "last_error", "message_id", "sent_at", "created_at"]
AUDIT_COLUMNS = ["id", "at", "actor_id", "actor", "action", "entity", "entity_id", "task_id", "before", "after",
                 "note"]
SITUATION = "已召开专题会议研究部署，正在加快推进相关工作。"
REASON = "受项目审批、资金到位和建设周期影响，未能按期完成。"


def circulate_key(n: NoticeDraft) -> str:
    reason, k = n.tag
    return f"通报:未反馈:n{n.parent.id}" if reason == "未反馈" else f"通报:逾期:n{n.parent.id}:{k}"


def number_notices(drafts: list[NoticeDraft], prefix: str) -> dict[str, int]:
    """Give ids, keys and numbers to ``drafts`` (sorted in place, in the scan's insertion order); returns the
    Counter table (``运养托|督办:2026`` → the highest number used, as ``issue.counter_name`` names it)."""
    drafts.sort(key=NoticeDraft.sort_key)
    counters: dict[str, int] = {}
    for i, n in enumerate(drafts, start=1):
        n.id = i
        if n.level == NoticeLevel.CIRCULATE:
            n.key = circulate_key(n)
        name = counter_name(prefix, n.level.value, n.created_on.year)
        counters[name] = counters.get(name, 0) + 1
        n.number = notice_number(prefix, n.level, n.created_on.year, counters[name])
    return counters


def notice_rows(drafts: list[NoticeDraft], ctx: Context) -> Iterator[tuple]:
    for n in drafts:
        answered = n.answer is not None
        by = ctx.liaison(n.department_id).id
        yield (n.id, n.key, n.level.value, n.number, n.task_id, n.milestone_id, n.department_id,
               n.parent.id if n.parent else None, n.period, n.milestone_due, n.reason, n.created_on,
               at(n.created_on, 8), n.response_due, n.status.value, n.ack, by if n.ack else None, n.answer,
               by if answered else None, SITUATION if answered else "", REASON if answered else "",
               n.answer_new_date, n.closed, ctx.office.id if n.close_by_office else None, n.close_note, n.version)


def notice_audit(drafts: list[NoticeDraft], ctx: Context) -> Iterator[tuple]:
    """发出, 签收, 反馈 and 办结 (by the office, or automatically when settled), as the services record them."""
    for n in drafts:
        lv = n.level.value
        yield (at(n.created_on, 8), None, "system", f"发出{lv}", "notice", n.id, n.task_id, None,
               audit_json({"number": n.number, "level": lv, "reason": n.reason, "response_due": n.response_due}), "")
        liaison = ctx.liaison(n.department_id)
        status = NoticeStatus.AWAITING_ACK.value
        if n.ack is not None and n.ack != n.answer:
            yield (n.ack, liaison.id, liaison.username, f"{lv}签收", "notice", n.id, n.task_id,
                   audit_json({"status": status}), audit_json({"status": NoticeStatus.ACKNOWLEDGED.value}), "")
            status = NoticeStatus.ACKNOWLEDGED.value
        if n.answer is not None:
            yield (n.answer, liaison.id, liaison.username, f"{lv}反馈", "notice", n.id, n.task_id,
                   audit_json({"status": status}), audit_json({"status": NoticeStatus.ANSWERED.value}), SITUATION)
            status = NoticeStatus.ANSWERED.value
        if n.closed is not None:
            before = audit_json({"status": status if n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE)
                                 else ("已发出" if n.level == NoticeLevel.REMINDER else "待报送")})
            after = audit_json({"status": NoticeStatus.CLOSED.value})
            if n.close_by_office:
                yield (n.closed, ctx.office.id, ctx.office.username, f"{lv}办结", "notice", n.id, n.task_id, before,
                       after, n.close_note)
            else:
                yield (n.closed, None, "system", "督办自动办结", "notice", n.id, n.task_id, before, after, n.close_note)


def _subject(n: NoticeDraft, code: str, title: str) -> str:
    if n.level == NoticeLevel.REMINDER:
        s = f"【提醒】任务{code}“{title}”节点将于{cn_date(n.milestone_due)}到期（还有{(n.milestone_due - n.created_on).days}天）"
    elif n.level == NoticeLevel.CHASE:
        s = f"【催报】{n.number}：任务{code}“{title}”{periods.label(n.period)}进展未按时报送"
    elif n.level == NoticeLevel.SUPERVISE:
        s = f"【督办】{n.number}：任务{code}“{title}”节点逾期未完成"
    else:
        s = f"【通报】{n.number}：任务{code}“{title}”{n.reason}"
    return s[:200]


def _bodies(unit: str, subject: str, when: dt.date, office: str) -> tuple[str, str]:
    """Short bodies (the real ones quote the clause; these keep the table to a sensible size)."""
    text = (f"{unit}：\n\n{subject}\n\n请按要求在系统中办理：签收、反馈办理情况、未完成原因和预计完成时间；"
            f"完成后申报办结并上传佐证材料。\n\n系统地址：http://localhost:8501\n\n"
            f"{office}\n{cn_date(when)}\n（合成基准数据）\n")
    html = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
    return text, f"<html><body>{html}</body></html>"


def deliveries(drafts: list[NoticeDraft], base: Base, tasks: dict[int, tuple[str, str, list[int]]],
               ctx: Context, office_name: str, ids: Ids) -> Iterator[tuple]:
    """The mail of every notice (主送, 抄送 for 督办 and 通报, 领导小组 for 通报) and every Monday's digests,
    all accepted by the mail server a minute after they were recorded."""
    mondays = _mondays(max(ctx.first_scan, CONTACTS_SINCE), ctx.last)
    units = ["leadership", *(f"group:{g}" for g in sorted(base.groups.values())),
             *(f"department:{d[0]}" for d in base.departments)]
    week = 0
    for n in drafts + [None]:
        while week < len(mondays) and (n is None or mondays[week] < n.created_on):
            yield from _digests(mondays[week], units, base, ids, office_name)
            week += 1
        if n is None:
            break
        if n.created_on < CONTACTS_SINCE:
            continue  # no contacts yet: notice_mails makes no mail
        code, title, supports = tasks[n.task_id]
        targets = [(e, name, base.name_of(n.department_id)) for e, name in base.contacts.get(f"department:{n.department_id}", [])]
        if n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
            for d in supports:
                targets += [(e, name, base.name_of(d)) for e, name in base.contacts.get(f"department:{d}", [])]
        if n.level == NoticeLevel.CIRCULATE:
            targets += [(e, name, "市领导小组") for e, name in base.contacts.get("leadership", [])]
        subject = _subject(n, code, title)
        created = at(n.created_on, 8, 1)
        seen = set()
        for email, name, unit in targets:
            if email in seen:
                continue
            seen.add(email)
            text, html = _bodies(name or unit, subject, n.created_on, office_name)
            yield _delivery(ids.take("delivery"), f"notice:{n.id}", "notice", n.id, email, name, subject, text, html,
                            created)


def _mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def _digests(monday: dt.date, units: list[str], base: Base, ids: Ids, office_name: str) -> Iterator[tuple]:
    created = at(monday, 9)
    for unit in units:
        for email, name in base.contacts.get(unit, []):
            subject = f"每周督办简报（{cn_date(monday)}）· {name}"
            text, html = _bodies(name, subject, monday, office_name)
            yield _delivery(ids.take("delivery"), f"digest:{monday.isoformat()}:{unit}", "digest", None, email, name,
                            subject, text, html, created)


def _delivery(did: int, key: str, kind: str, notice_id: int | None, email: str, name: str, subject: str,
              text: str, html: str, created: dt.datetime) -> tuple:
    digest = hashlib.sha1(f"{key}|{email}".encode()).hexdigest()[:16]
    sent = created + dt.timedelta(minutes=1)
    return (did, key, kind, notice_id, email, name[:64], subject, text, html, "sent", 1, created, sent,
            str(uuid.UUID(int=did)), "", f"<ylyx.{did}.{digest}@localhost>", sent, created)


def sign_ins(base: Base, ctx: Context, per_week: int, last: dict[int, dt.datetime]) -> Iterator[tuple]:
    """Each account signs in ``per_week`` times a week (Mondays onwards), as ``users.authenticate`` records it;
    ``last`` collects each account's latest sign-in (its ``last_login_at``)."""
    for monday in _mondays(ctx.first_scan, ctx.last):
        for k in range(per_week):
            day = monday + dt.timedelta(days=k % 5)
            if day > ctx.last:
                break
            for u in base.users:
                when = at(day, 8, 30 + (u.id % 29))
                last[u.id] = when
                yield (when, u.id, u.username, "登录", "user", u.id, None, None, None, "")


def job_runs(drafts: list[NoticeDraft], ctx: Context, ids: Ids) -> Iterator[tuple]:
    """The scheduler's log: a scan every day, a digest every Monday."""
    made: dict[dt.date, Tally] = {}
    for n in drafts:
        made.setdefault(n.created_on, Tally())[n.level.value] += 1
    day = ctx.first_scan
    while day <= ctx.last:
        tally = made.get(day, Tally())
        parts = "，".join(f"{lv.value} {tally[lv.value]}" for lv in NoticeLevel if tally[lv.value]) or "无新通知"
        yield (ids.take("job_run"), "scan", at(day, 8), at(day, 8, 0, 5), True, f"{day.isoformat()} 扫描：{parts}")
        if day.weekday() == 0:
            yield (ids.take("job_run"), "digest", at(day, 9), at(day, 9, 0, 20), True, f"{day.isoformat()} 周简报")
        day += dt.timedelta(days=1)
