"""What a mail carries besides its body, decided by what the mail is (its delivery's kind and notice), and
added by the queue when it builds the message:

- every automatic mail says so (``Auto-Submitted: auto-generated``, RFC 3834), so that no vacation reply
  answers it;
- a digest is bulk mail (``Precedence: bulk``) from a list of its own (``List-Id``), with the way out
  (``List-Unsubscribe``: a mail to the office, which keeps the contact list);
- a 督办 or 通报 carries its formal document, the 督办通知单 or 通报 as the office prints it (.docx, GB/T 9704).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import quote

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.models import Delivery, Notice
from ylyx_tasks.reads.supervision.notice_document import DOCUMENT_KINDS, notice_docx_bytes

DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
AUTOMATIC = {"Auto-Submitted": "auto-generated"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = DOCX[0]
    subtype: str = DOCX[1]


def _sender() -> str:
    return parseaddr(get_settings().mail_from)[1] or "ylyx-tasks@localhost"


def digest_headers() -> dict[str, str]:
    """The headers of bulk mail, for the weekly digest."""
    sender = _sender()
    domain = sender.rsplit("@", 1)[-1]
    unsubscribe = f"mailto:{sender}?subject={quote('退订每周督办简报')}"
    return {**AUTOMATIC, "Precedence": "bulk", "List-Id": f"每周督办简报 <weekly-digest.{domain}>",
            "List-Unsubscribe": f"<{unsubscribe}>"}


def headers_for(delivery: Delivery) -> dict[str, str]:
    """The extra headers of ``delivery``: a digest's bulk-mail headers; Auto-Submitted for notices; none for
    a test mail a person sends by hand."""
    if delivery.kind == "digest":
        return digest_headers()
    if delivery.kind == "notice":
        return dict(AUTOMATIC)
    return {}


def attachments_for(delivery: Delivery) -> list[Attachment]:
    """The formal document of a 督办 or 通报 mail (the same the desk offers for download); nothing else."""
    if delivery.kind != "notice" or delivery.notice_id is None:
        return []
    with read_session() as session:
        notice = session.get(Notice, delivery.notice_id)
        if notice is None or not notice.number or NoticeLevel(notice.level) not in DOCUMENT_KINDS:
            return []
        data = notice_docx_bytes(session, notice.id)
        kind = DOCUMENT_KINDS[NoticeLevel(notice.level)]
        return [Attachment(filename=f"{kind}（{notice.number}）.docx", data=data)]
