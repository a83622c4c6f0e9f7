"""Evidence files identical to another matter's (纸面销号: the same photo or document offered as proof of
different work). Compared by SHA-256 of the content, among files of the same size."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.models import Attachment, EvidenceMatch, ProgressReport, ReviewRequest, Task
from ylyx_tasks.services.tasks.edit import Upload

# where an attachment's matter is found: owner kind → the table whose row names the task
_OWNERS = {"report": ProgressReport, "request": ReviewRequest}


@dataclass(frozen=True)
class Identical:
    filename: str
    sha256: str
    other_task_id: int
    other_code: str
    other_filename: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def identical_elsewhere(session: Session, task_id: int, files: Sequence[Upload]) -> list[Identical]:
    """The files of ``files`` whose content is that of an evidence file of a different task."""
    out: list[Identical] = []
    for f in files:
        digest = sha256(f.content)
        same_size = session.exec(select(Attachment).where(Attachment.size == len(f.content),
                                                          Attachment.owner_kind.in_(list(_OWNERS)))).all()
        for other in same_size:
            owner = session.get(_OWNERS[other.owner_kind], other.owner_id)
            if owner is None or owner.task_id == task_id or sha256(other.data) != digest:
                continue
            code = session.get(Task, owner.task_id).code
            out.append(Identical(f.filename, digest, owner.task_id, code, other.filename))
            break  # one match is enough to flag the file
    return out


def flag_claim(session: Session, request: ReviewRequest, files: Sequence[Upload]) -> list[Identical]:
    """Record, for the reviewer, the files of a completion claim identical to another matter's."""
    found = identical_elsewhere(session, request.task_id, files)
    for m in found:
        session.add(EvidenceMatch(request_id=request.id, task_id=request.task_id, filename=m.filename[:200],
                                  sha256=m.sha256, other_task_id=m.other_task_id, other_filename=m.other_filename[:200],
                                  created_at=clock.utcnow()))
    return found
