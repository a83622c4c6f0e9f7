"""What loading a plan did (created / updated / unchanged, per kind of thing), and the one upsert every loader
uses: create the row, or set the values that changed (the caller records them in the audit log)."""

from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field

from sqlmodel import Session, select

from ylyx_tasks.services import audit


@dataclass
class LoadSummary:
    """What a load did, per kind of thing: created / updated / unchanged counts."""

    created: Tally = field(default_factory=Tally)
    updated: Tally = field(default_factory=Tally)
    unchanged: Tally = field(default_factory=Tally)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = {"plan": "方案", "department": "单位", "group": "工作专班", "task": "任务", "responsibility": "责任分工",
                 "milestone": "时间节点", "indicator": "指标", "target": "指标阶段目标"}
        out = []
        for kind, label in names.items():
            c, u, n = self.created[kind], self.updated[kind], self.unchanged[kind]
            if c or u or n:
                out.append(f"{label}：新增 {c}，更新 {u}，未变 {n}")
        return out + self.notes


def upsert(session: Session, model, key: dict, values: dict, summary: LoadSummary, kind: str):
    stmt = select(model)
    for name, value in key.items():
        stmt = stmt.where(getattr(model, name) == value)
    obj = session.exec(stmt).first()
    if obj is None:
        obj = model(**key, **values)
        session.add(obj)
        session.flush()
        summary.count(kind, "created")
        return obj
    before, _after = audit.changes(obj, values)
    summary.count(kind, "updated" if before else "unchanged")
    return obj
