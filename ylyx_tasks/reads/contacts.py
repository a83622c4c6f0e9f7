"""Who receives mail (收件人): the contacts of each unit — a department or county, a working group, or the
leading group (领导小组) — by the unit's key. (Adding and importing contacts:
:mod:`ylyx_tasks.services.mail.recipients`.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from ylyx_tasks.domain.departments import LEADERSHIP
from ylyx_tasks.models import Contact, Department, WorkingGroup

LEADERSHIP_KEY = "leadership"


def department_key(department_id: int) -> str:
    return f"department:{department_id}"


def group_key(group_id: int) -> str:
    return f"group:{group_id}"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    unit_key: str


def contacts_by_unit(session: Session) -> dict[str, list[Recipient]]:
    """All contacts, grouped by unit key (one query)."""
    out: dict[str, list[Recipient]] = defaultdict(list)
    for c in session.exec(select(Contact).order_by(Contact.id)):
        out[c.unit_key].append(Recipient(email=c.email, name=c.name, unit_key=c.unit_key))
    return out


def unit_label(session: Session, unit_key: str) -> str:
    """A unit's name from its key (``department:12`` → 市民政局)."""
    if unit_key == LEADERSHIP_KEY:
        return LEADERSHIP
    kind, _, ident = unit_key.partition(":")
    model = Department if kind == "department" else WorkingGroup
    obj = session.get(model, int(ident))
    return obj.name if obj else unit_key
