"""Who receives mail: contacts per unit (a department or county, a working group, or 领导小组).

- department contacts: the notices addressed or copied to their department, and the department digest;
- working-group contacts: the group digest;
- 领导小组 contacts: the leadership digest and every 通报（第N期） (department contacts: those naming their unit).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.departments import LEADERSHIP
from ylyx_tasks.domain.roles import Actor, Permission, require
from ylyx_tasks.errors import NotFound, WorkflowError
from ylyx_tasks.models import Contact, Department, WorkingGroup
from ylyx_tasks.reads.contacts import LEADERSHIP_KEY, department_key, group_key
from ylyx_tasks.services import audit
from ylyx_tasks.services.tabular import ImportRejected, RowError, decode

CONTACT_HEADER = ["unit", "name", "email"]


@dataclass
class ContactImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _resolve_units(session: Session) -> dict[str, tuple[str, int | None, int | None]]:
    """Every name a unit may be written as → (unit_key, department_id, working_group_id)."""
    names: dict[str, tuple[str, int | None, int | None]] = {LEADERSHIP: (LEADERSHIP_KEY, None, None)}
    for d in session.exec(select(Department)):
        names[d.name] = (department_key(d.id), d.id, None)
        if d.short_name and d.short_name not in names:
            names[d.short_name] = (department_key(d.id), d.id, None)
    for g in session.exec(select(WorkingGroup)):
        names[g.name] = (group_key(g.id), None, g.id)
    return names


def normalise_email(address: str) -> str:
    """A valid address (lower-cased domain) or ValueError with the reason."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise WorkflowError(f"邮箱地址“{address}”无效：{exc}") from None


def import_contacts(session: Session, actor: Actor, data: bytes, *, replace: bool = False) -> ContactImport:
    """Import ``unit,name,email`` rows. Every row is checked first; one bad row and nothing is imported.

    Existing contacts are kept and updated; with ``replace`` the contacts missing from the file are removed.
    """
    require(actor, Permission.ADMINISTER)
    try:
        text = decode(data)
    except ImportRejected as exc:
        raise ImportRejected(exc.errors, what="联系人") from None
    units = _resolve_units(session)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if header != CONTACT_HEADER:
        raise ImportRejected([RowError(1, "(表头)", f"表头应为 {','.join(CONTACT_HEADER)}")], what="联系人")
    errors: list[RowError] = []
    rows: list[tuple[str, int | None, int | None, str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != 3:
            errors.append(RowError(index, "(整行)", f"应有 3 列，实有 {len(values)} 列"))
            continue
        unit, name, email = (v.strip() for v in values)
        row_errors = []
        if unit not in units:
            row_errors.append(RowError(index, "unit", f"未知单位“{unit}”：应为单位或县（市、区）名称、专班名称或“领导小组”"))
        if len(name) > 64:
            row_errors.append(RowError(index, "name", "姓名不能超过 64 个字"))
        try:
            email = normalise_email(email)
        except ValueError as exc:
            row_errors.append(RowError(index, "email", str(exc)))
        if row_errors:
            errors.extend(row_errors)
            continue
        key, department_id, group_id = units[unit]
        if (key, email) in seen:
            errors.append(RowError(index, "email", f"与第 {seen[(key, email)]} 行重复"))
            continue
        seen[(key, email)] = index
        rows.append((key, department_id, group_id, name, email))
    if errors:
        raise ImportRejected(errors, what="联系人")
    if not rows:
        raise ImportRejected([RowError(2, "(整行)", "文件中没有联系人")], what="联系人")
    result = ContactImport()
    existing = {(c.unit_key, c.email): c for c in session.exec(select(Contact))}
    for key, department_id, group_id, name, email in rows:
        contact = existing.pop((key, email), None)
        if contact is None:
            contact = Contact(unit_key=key, department_id=department_id, working_group_id=group_id, name=name,
                              email=email, created_at=clock.utcnow())
            session.add(contact)
            session.flush()
            audit.record(session, actor, "新增联系人", "contact", contact.id, after={"unit": key, "email": email,
                                                                                  "name": name})
            result.created += 1
        elif contact.name != name:
            audit.record(session, actor, "更新联系人", "contact", contact.id, before={"name": contact.name},
                         after={"name": name})
            contact.name = name
            session.add(contact)
            result.updated += 1
        else:
            result.unchanged += 1
    if replace:
        for contact in existing.values():
            audit.record(session, actor, "删除联系人", "contact", contact.id,
                         before={"unit": contact.unit_key, "email": contact.email, "name": contact.name})
            session.delete(contact)
            result.removed += 1
    return result


def add_contact(session: Session, actor: Actor, *, unit: str, name: str, email: str) -> Contact:
    """One contact, by the same rules as the import."""
    require(actor, Permission.ADMINISTER)
    units = _resolve_units(session)
    if unit not in units:
        raise WorkflowError(f"未知单位“{unit}”")
    email = normalise_email(email)
    key, department_id, group_id = units[unit]
    if session.exec(select(Contact).where(Contact.unit_key == key, Contact.email == email)).first():
        raise WorkflowError(f"{unit} 已有联系人 {email}")
    contact = Contact(unit_key=key, department_id=department_id, working_group_id=group_id, name=name.strip(),
                      email=email, created_at=clock.utcnow())
    session.add(contact)
    session.flush()
    audit.record(session, actor, "新增联系人", "contact", contact.id, after={"unit": key, "email": email, "name": name})
    return contact


def remove_contact(session: Session, actor: Actor, contact_id: int) -> None:
    require(actor, Permission.ADMINISTER)
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"没有编号为 {contact_id} 的联系人")
    audit.record(session, actor, "删除联系人", "contact", contact.id,
                 before={"unit": contact.unit_key, "email": contact.email, "name": contact.name})
    session.delete(contact)


