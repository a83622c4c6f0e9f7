"""From a plan document to a supervised plan (载入新方案): draft the task list from the document (or read the
office's corrected draft), preview it with every doubt, then import it — all or nothing — as a plan of its own.

The source may be the document itself (.txt/.docx, or a 任务分工表 as .xlsx/.docx table), the JSON that
``ylyx-tasks plan draft --json`` printed (edited by the office), or a tasks file in the format of
``data/tasks_seed.csv`` (``plan draft --csv`` writes one to edit in Excel). Every source becomes the same rows,
validated by :func:`ylyx_tasks.services.plan.taskcsv.parse`, so a draft, an edited draft and a file import agree.
Importing again under the same code updates the plan: texts, units and commitments follow the source; reports,
notices and history stay.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from ylyx_tasks.domain.departments import DepartmentKind, parse_kind
from ylyx_tasks.domain.roles import Actor, Permission, require
from ylyx_tasks.drafting import PlanDraft, draft_plan, read_source
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import Department, Plan, WorkingGroup
from ylyx_tasks.reads.plans import territorial_units
from ylyx_tasks.services import audit
from ylyx_tasks.services.plan.loader import apply_task_rows, upsert_plan, use_groups, use_units
from ylyx_tasks.services.plan.summary import LoadSummary
from ylyx_tasks.services.plan.taskcsv import HEADER, ParseResult, format_milestones, parse
from ylyx_tasks.services.tabular import ImportRejected, RowError, decode

ELDERLY, CHILDCARE, COMBINED = "养老专班", "托育专班", "综合专班"


@dataclass(frozen=True)
class PlanMeta:
    """What the office says about the plan it imports (the document does not say it reliably)."""

    code: str
    title: str
    period_start: dt.date
    period_end: dt.date
    issued_on: dt.date | None = None
    short_name: str = ""
    doc_number: str = ""
    issuer: str = ""
    issuing_office: str = ""
    notice_prefix: str = ""
    territorial_phrase: str = ""

    def as_meta(self) -> dict:
        values = {k: v for k, v in self.__dict__.items() if v not in ("", None)}
        values.setdefault("issued_on", self.period_start)
        return values


@dataclass
class PlanImportPreview:
    """The rows a source gives, every error and every doubt, and the units it names that are not known yet."""

    draft: PlanDraft | None
    csv_text: str
    parsed: ParseResult
    unknown_units: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.parsed.ok


def guess_group(title: str, text: str, groups: list[str], default: str | None = None) -> str:
    """A clause's working group when the document does not say: 养老 or 托育 alone by its words, else 综合 —
    where the plan has those three groups; else ``default`` or its first group."""
    if {ELDERLY, CHILDCARE, COMBINED} <= set(groups):
        words = title + text
        elderly = any(w in words for w in ("养老", "老年", "失能", "敬老"))
        childcare = any(w in words for w in ("托育", "婴幼儿", "托位", "儿童"))
        if elderly != childcare:
            return ELDERLY if elderly else CHILDCARE
        return COMBINED
    return default or (groups[0] if groups else "")


def source_to_csv(data: bytes, filename: str, *, known_units: list[str], groups: list[str], plan_start: dt.date,
                  plan_end: dt.date, default_group: str | None = None) -> tuple[str, PlanDraft | None]:
    """The tasks-file text a source gives, and the draft when the source was a document."""
    name = filename.lower()
    if name.endswith(".csv"):
        return decode(data), None
    if name.endswith(".json"):
        try:
            records = json.loads(decode(data))
        except json.JSONDecodeError as exc:
            raise ImportRejected([RowError(1, "(文件)", f"不是有效的 JSON：{exc.msg}（第 {exc.lineno} 行）")]) from None
        return records_to_csv(records if isinstance(records, list) else records.get("clauses", []), groups,
                              default_group), None
    draft = draft_plan(read_source(data, filename), known_units=known_units, plan_end=plan_end,
                       plan_start=plan_start)
    return records_to_csv(draft.to_records(), groups, default_group), draft


def records_to_csv(records: list[dict], groups: list[str], default_group: str | None = None) -> str:
    """Draft records (``plan draft --json``) as a tasks file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in records:
        milestones = [(dt.date.fromisoformat(m["due"]), m.get("text", "")) for m in r.get("milestones", [])
                      if m.get("due")]
        group = r.get("working_group") or guess_group(r.get("title", ""), r.get("clause_text", ""), groups,
                                                      default_group)
        writer.writerow([r.get("code", ""), r.get("section", ""), r.get("title", ""), r.get("clause_text", ""),
                         "、".join(r.get("lead", [])), "、".join(r.get("supporting", [])),
                         "true" if r.get("county") else "false", group, format_milestones(milestones)])
    return out.getvalue()


def preview_plan_import(session: Session, actor: Actor, data: bytes, filename: str, meta: PlanMeta, *,
                        new_units: dict[str, str] | None = None, default_group: str | None = None
                        ) -> PlanImportPreview:
    """What importing ``data`` as plan ``meta`` would do, without writing anything. ``new_units``: name → kind
    of the units the office confirms as new."""
    require(actor, Permission.ADMINISTER)
    known = [d.name for d in session.exec(select(Department))]
    groups = [g.name for g in session.exec(select(WorkingGroup).order_by(WorkingGroup.id))]
    text, draft = source_to_csv(data, filename, known_units=known, groups=groups, plan_start=meta.period_start,
                                plan_end=meta.period_end, default_group=default_group)
    parsed = parse(text, known, groups, plan_start=meta.period_start, plan_end=meta.period_end,
                   new_units=list(new_units or {}))
    unknown = dict(parsed.unknown_units)
    if draft is not None:
        for name, close in draft.unknown_units.items():
            unknown.setdefault(name, close)
    return PlanImportPreview(draft, text, parsed, {k: v for k, v in unknown.items() if k not in (new_units or {})})


def import_plan(session: Session, actor: Actor, data: bytes, filename: str, meta: PlanMeta, *,
                new_units: dict[str, str] | None = None, territory: list[str] | None = None,
                default_group: str | None = None) -> tuple[Plan, LoadSummary]:
    """Import (or update) plan ``meta.code`` from ``data``: everything or, with one bad row or one unknown unit
    the office has not confirmed as new, nothing (:class:`ImportRejected` names every row, column and reason).
    ``territory``: the plan's territorial units (names, or a kind such as 县级政府); by default the plan keeps
    those it has, or takes every known county."""
    preview = preview_plan_import(session, actor, data, filename, meta, new_units=new_units,
                                  default_group=default_group)
    if not preview.ok:
        raise ImportRejected(preview.parsed.errors)
    summary = LoadSummary()
    for name, kind in (new_units or {}).items():
        if session.exec(select(Department).where(Department.name == name)).first() is None:
            unit = Department(name=name, short_name="", kind=parse_kind(kind).value)
            session.add(unit)
            session.flush()
            audit.record(session, actor, "新增单位", "department", unit.id, after={"name": name, "kind": unit.kind})
            summary.count("department", "created")
    plan = upsert_plan(session, meta.as_meta(), summary)
    use_units(session, plan, _territory(session, plan, territory))
    use_groups(session, plan, [g for g in session.exec(select(WorkingGroup).order_by(WorkingGroup.id))
                               if g.name in {r.working_group for r in preview.parsed.rows}])
    apply_task_rows(session, plan, preview.parsed.rows, actor, summary)
    audit.record(session, actor, "载入方案", "plan", plan.id, after={"code": plan.code, "title": plan.title,
                                                                 "tasks": len(preview.parsed.rows)})
    return plan, summary


def _territory(session: Session, plan: Plan, territory: list[str] | None) -> list[Department]:
    units = session.exec(select(Department).order_by(Department.id)).all()
    if not territory:
        if territorial_units(session, plan.id):  # type: ignore[arg-type]
            return []  # a plan imported again keeps its territory
        return [u for u in units if u.kind == DepartmentKind.COUNTY]
    chosen: list[Department] = []
    for item in territory:
        try:
            kind = parse_kind(item)
            chosen += [u for u in units if u.kind == kind]
        except ValueError:
            unit = next((u for u in units if item in (u.name, u.short_name)), None)
            if unit is None:
                raise InvalidInput(f"属地单位“{item}”不在单位名录中") from None
            chosen.append(unit)
    return chosen
