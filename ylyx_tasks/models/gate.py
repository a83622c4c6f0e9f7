"""The input gate at the one place every ORM write passes: before a session flushes, each text column of each new
or changed row goes through :func:`ylyx_tasks.domain.security.inputs.clean_text` — NFC, control characters removed, and
the field's limit checked. A text over its limit raises :class:`~ylyx_tasks.domain.security.inputs.TooLong` naming the
field, and the transaction writes nothing.

Limits: a ``VARCHAR(n)`` column's own ``n`` (so PostgreSQL never sees a value it would refuse); the long texts
below (``TEXT`` columns people write) their own. System texts (mail bodies, audit JSON, job summaries) are
cleaned but not limited.
"""

from __future__ import annotations

from sqlalchemy import String, Text, TypeDecorator, event
from sqlalchemy.orm import Session

from ylyx_tasks.domain.security.inputs import clean_text

# (table, column) → (what the form calls it, the most characters it takes)
TEXT_LIMITS: dict[tuple[str, str], tuple[str, int]] = {
    ("progress_report", "text"): ("进展情况", 5000),
    ("progress_report", "evidence"): ("佐证材料", 2000),
    ("review_request", "text"): ("办结情况说明/延期理由", 5000),
    ("review_request", "links"): ("佐证链接", 2000),
    ("review_request", "decision_note"): ("审核意见", 5000),
    ("notice", "reason"): ("督办事由", 5000),
    ("notice", "answer_situation"): ("办理情况", 5000),
    ("notice", "answer_reason"): ("未完成原因及措施", 5000),
    ("notice", "close_note"): ("办结说明", 5000),
    ("task", "clause_text"): ("方案原文", 5000),
    ("milestone", "commitment"): ("节点要求", 2000),
    ("indicator", "note"): ("指标说明", 1000),
    ("indicator_target", "note"): ("目标说明", 1000),
    ("indicator_value", "note"): ("数据来源", 1000),
}
LABELS: dict[tuple[str, str], str] = {
    ("app_user", "display_name"): "姓名", ("app_user", "username"): "用户名", ("contact", "name"): "联系人姓名",
    ("contact", "email"): "邮箱", ("contact", "note"): "备注", ("attachment", "filename"): "文件名",
    ("task", "title"): "任务名称", ("holiday", "note"): "节假日说明", ("calendar_year", "source"): "放假通知文号",
    ("department", "name"): "单位名称", ("working_group", "name"): "专班名称", ("plan", "title"): "方案名称",
}
MULTILINE = {key for key in TEXT_LIMITS} | {("audit_event", "note"), ("audit_event", "before"),
                                            ("audit_event", "after"), ("job_run", "summary"),
                                            ("delivery", "body_text"), ("delivery", "body_html"),
                                            ("delivery", "last_error")}


def _clean_row(obj: object) -> None:
    table = getattr(obj, "__table__", None)
    if table is None:
        return
    for column in table.columns:
        # SQLModel's str columns are AutoString, a TypeDecorator over String
        kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
        if not isinstance(kind, String):
            continue
        value = getattr(obj, column.key, None)
        if not isinstance(value, str):
            continue
        key = (table.name, column.name)
        if key in TEXT_LIMITS:
            label, limit = TEXT_LIMITS[key]
        else:
            label = LABELS.get(key, f"{table.name}.{column.name}")
            limit = None if isinstance(kind, Text) else getattr(column.type, "length", None) or kind.length
        cleaned = clean_text(value, label=label, limit=limit, one_line=key not in MULTILINE
                             and not isinstance(kind, Text))
        if cleaned != value:
            setattr(obj, column.key, cleaned)


@event.listens_for(Session, "before_flush")
def _gate(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        _clean_row(obj)
