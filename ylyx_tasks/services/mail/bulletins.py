"""The mail of an issued 通报（第N期）: one message, to the leading group and to every unit it names."""

from __future__ import annotations

from sqlmodel import Session

from ylyx_tasks.config import get_settings
from ylyx_tasks.reads.supervision.bulletins import BulletinView
from ylyx_tasks.reads.contacts import LEADERSHIP_KEY, Recipient, contacts_by_unit, department_key
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.services.mail.queue import OutgoingMail
from ylyx_tasks.services.mail.templates import render


def bulletin_key(bulletin_id: int) -> str:
    return f"bulletin:{bulletin_id}"


def bulletin_mails(session: Session, bulletin: BulletinView, plan: PlanInfo, *, title: str) -> list[OutgoingMail]:
    """One delivery per recipient (each address once): the 领导小组's contacts, then the named units' contacts."""
    contacts = contacts_by_unit(session)
    targets: list[tuple[Recipient, str, str]] = [(r, "市领导小组", "领导小组") for r in contacts.get(LEADERSHIP_KEY, [])]
    named = {m.department_id: m.department for m in bulletin.matters}
    for department_id, name in named.items():
        targets += [(r, name, "被通报单位") for r in contacts.get(department_key(department_id), [])]
    subject = f"{title}（{bulletin.number}）"
    context = dict(title=title, number=bulletin.number, as_of=bulletin.as_of, matters=bulletin.matters,
                   rectify_by=bulletin.rectify_by, issued_on=bulletin.issued_on, office=plan.issuing_office,
                   app_url=get_settings().app_url, subject=subject)
    mails: list[OutgoingMail] = []
    seen: set[str] = set()
    for recipient, unit_name, role in targets:
        if recipient.email in seen:
            continue
        seen.add(recipient.email)
        ctx = dict(context, recipient_name=recipient.name, unit_name=unit_name, role=role)
        mails.append(OutgoingMail(dedup_key=bulletin_key(bulletin.id), kind="bulletin",
                                  recipient_email=recipient.email, recipient_name=recipient.name, subject=subject,
                                  body_text=render("mail/bulletin.txt.j2", **ctx),
                                  body_html=render("mail/bulletin.html.j2", **ctx)))
    return mails
