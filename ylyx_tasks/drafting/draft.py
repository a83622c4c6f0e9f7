"""Drafting a plan's task list from the plan document itself.

``draft_plan`` is pure: it reads the ``Source`` it is given and returns a ``PlanDraft``; it prints nothing, writes
nothing, and never looks at the clock. A clause is a task when a responsibility applies to it: its own
parenthesis or labels, its heading's, or a document-wide statement ("以下各项工作均需…负责落实，不再一一列出").
A clause without one, in a section whose other clauses have one, is drafted too, with a doubt. When the document
holds a 任务分工表, the table's rows are the tasks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from ylyx_tasks.drafting.dates import find_dates
from ylyx_tasks.drafting.milestones import extract_milestones
from ylyx_tasks.drafting.model import ClauseDraft, Doubt, MilestoneDraft, PlanDraft
from ylyx_tasks.drafting.responsibility import (
    Responsibility,
    find_blanket,
    find_responsibility,
    inner_responsibilities,
    parse_responsibility,
    trailing_parenthesis,
)
from ylyx_tasks.drafting.source import Line, Source
from ylyx_tasks.drafting.structure import LEVEL_ITEM, Block, code_of, leaves, outline
from ylyx_tasks.drafting.table import TableTask, table_tasks
from ylyx_tasks.drafting.text import fold, join_lines, without_final_stop
from ylyx_tasks.drafting.units import UnitDirectory

# Sections that state aims and arrangements rather than tasks: a document-wide statement does not make their
# clauses tasks (an explicit parenthesis still does).
NOT_TASK_SECTIONS = re.compile(r"指导思想|总体要求|基本原则|发展目标|主要目标|工作目标|保障措施|组织实施|工作要求|"
                               r"组织保障|发展基础|面临形势|现状")
LONG_TERM = re.compile(r"长期|持续|常态|每年|逐年|每季度|每月")
TITLE_LIMIT = 40


def draft_plan(source: Source, *, known_units: Iterable[str] = (), aliases: Mapping[str, str] | None = None,
               plan_end: date | None = None, plan_start: date | None = None) -> PlanDraft:
    """The tasks the document sets, each with its doubts. ``known_units`` and ``aliases`` (written name → known
    name) check the unit names; ``plan_end`` (and ``plan_start``, else five years before it) makes a date outside
    the plan period a doubt."""
    period = None if plan_end is None else ((plan_start.year if plan_start else plan_end.year - 4), plan_end.year)
    directory = UnitDirectory(known_units, aliases)
    draft = PlanDraft()
    tables = [found for table in source.tables if (found := table_tasks(table)) is not None]
    if tables:
        for tasks, doubts in tables:
            draft.doubts += [Doubt("document", d) for d in doubts]
            draft.clauses += [_from_row(task, period) for task in tasks]
        in_text = PlanDraft()
        _from_text(source, period, in_text)
        if any(clause.lead for clause in in_text.clauses):
            draft.doubts.append(Doubt("document", "正文中也写有责任单位；任务已按分工表起草，请核对两者是否一致。"))
    else:
        _from_text(source, period, draft)
    _check_units(draft, directory)
    _check_codes(draft)
    if not draft.clauses:
        draft.doubts.append(Doubt("document", "没有找到任务条款：文中没有带编号的条款，或没有写明责任单位。"))
    if not directory.active:
        draft.doubts.append(Doubt("document", "没有提供单位名录，单位名称未核对。"))
    return draft


def _from_text(source: Source, period: tuple[int, int] | None, draft: PlanDraft) -> None:
    shape = outline(source.lines, paragraphs=source.paragraphs)
    draft.doubts += [Doubt("document", d) for d in shape.doubts]
    blankets = _blankets(shape.preamble, shape.sections)
    candidates: list[tuple[ClauseDraft, bool, bool, Block]] = []
    for section in shape.sections:
        for path, leaf in leaves(section):
            if leaf is section and section.number == 0:
                continue  # the text of a document without any heading: nothing numbered
            clause, explicit = _clause(path, leaf, section.heading, source.paragraphs, period)
            # "以下各项工作均需各区、市政府负责落实，不再一一列出": every clause after it (before it for 以上)
            applies = [county for line, direction, county in blankets
                       if line != leaf.line and (direction == "after") == (line < leaf.line)]
            by_blanket = bool(applies) and not NOT_TASK_SECTIONS.search(section.heading)
            if by_blanket or (applies and explicit):
                clause.county = clause.county or any(applies)
            candidates.append((clause, explicit or by_blanket, by_blanket and not explicit, section))
        _unnumbered_tasks(section, draft)
    with_tasks = {id(section) for _, responsible, _, section in candidates if responsible}
    anything = bool(with_tasks)
    if not anything:
        draft.doubts.append(Doubt("document", "全文没有找到责任单位（括号、“牵头单位：”或全文统一说明），"
                                              "以下条款均按任务起草，请逐条指定责任单位。"))
    for clause, responsible, blanket, section in candidates:
        if responsible:
            if blanket and not clause.lead:
                clause.doubts.insert(0, Doubt("lead", "按全文统一说明负责落实，未写明牵头单位，请指定。"))
            draft.clauses.append(clause)
        elif id(section) in with_tasks or (not anything and not NOT_TASK_SECTIONS.search(section.heading)):
            clause.doubts.insert(0, Doubt("lead", "没有找到责任单位（括号或“牵头单位：”），请补充。"))
            draft.clauses.append(clause)


def _clause(path: list[Block], leaf: Block, section: str, paragraphs: bool,
            period: tuple[int, int] | None) -> tuple[ClauseDraft, bool]:
    """The clause of a leaf block, and whether a responsibility applies to it (its own or its heading's)."""
    doubts: list[Doubt] = []
    title, text = _title_and_text(leaf, paragraphs, doubts)
    found: Responsibility | None = None
    span = trailing_parenthesis(fold(title))
    if span is not None:  # "1.完善清单制度（市民政局牵头）。…": the responsibility follows the title
        found, title = parse_responsibility(fold(title)[span[0] + 1:span[1]]), title[:span[0]].rstrip()
    own = find_responsibility(text)
    deadline = None
    if own is not None:
        text, deadline = text[:own.start].rstrip(), own.deadline
        if own.lead or own.supporting or own.county or found is None:
            found = own
    for ancestor in reversed(path[:-1]):  # "（一）加强用地保障（市规划和自然资源局牵头）" over its items
        if found is not None and (found.lead or found.supporting or found.county):
            break
        heading_span = trailing_parenthesis(fold(ancestor.heading))
        if heading_span is not None:
            found = parse_responsibility(fold(ancestor.heading)[heading_span[0] + 1:heading_span[1]])
    # a task that is only its title ("1.建立联席会议制度。（市民政局负责）"): its text is the title
    clause = ClauseDraft(code_of(path), section, title, text or title, source_line=leaf.line)
    responsible = found is not None and bool(found.lead or found.supporting or found.county)
    if found is not None and responsible:
        _apply(clause, found, doubts)
    elif found is not None:  # "（具体由有关部门落实）": responsibility words, but no unit the drafter can name
        doubts += [Doubt("supporting", note) for note in found.notes]
    if inner_responsibilities(fold(text)):
        doubts.append(Doubt("clause_text", "条款中间还有写明责任单位的括号，可能包含多项任务，请核对是否拆分。"))
    clause.milestones, dated = extract_milestones(_dated_texts(clause.title, clause.clause_text), period=period)
    doubts += dated
    _add_deadline(clause, deadline, period, doubts)
    clause.doubts = doubts
    return clause, responsible


def _dated_texts(title: str, text: str) -> list[str]:
    """Where to look for dates: the title, then the text — once when the text repeats the title."""
    return [text] if fold(text).startswith(fold(title)) else [title, text]


def _title_and_text(leaf: Block, paragraphs: bool, doubts: list[Doubt]) -> tuple[str, str]:
    """A subsection's heading is its title; an item's title is its first sentence ("1.完善…制度。根据…"), or its
    heading paragraph when Word puts the body in paragraphs of its own."""
    heading = leaf.heading.strip()
    body = join_lines(line.text for line in leaf.lines)
    if leaf.level != LEVEL_ITEM or (paragraphs and "。" not in heading and body and len(heading) <= TITLE_LIMIT):
        head, stop, rest = heading.partition("。")
        if stop and rest.strip():  # "（一）加强用地保障。将养老托育…" on one line
            return head.strip(), rest.strip() + body
        return without_final_stop(heading).rstrip("：:"), body
    joined = join_lines([heading, *(line.text for line in leaf.lines)])
    full_stop = fold(joined).find("。")
    title = without_final_stop(joined if full_stop < 0 else joined[:full_stop])
    if len(title) > TITLE_LIMIT:
        doubts.append(Doubt("title", "条款第一句较长，可能不是标题，请核对。"))
    if full_stop < 0:  # one sentence, no full stop: "1.加快建设服务中心（市民政局负责）"
        return title, joined
    return title, joined[full_stop + 1:].strip()


def _apply(clause: ClauseDraft, found: Responsibility, doubts: list[Doubt]) -> None:
    clause.lead, clause.supporting, clause.county = list(found.lead), list(found.supporting), found.county
    doubts += [Doubt("supporting", note) for note in found.notes]
    if not clause.lead and clause.county and not clause.supporting:
        doubts.append(Doubt("lead", "只写了属地责任，未写明牵头单位，请指定。"))
    elif not clause.lead:
        doubts.append(Doubt("lead", "未写明牵头单位，请指定。"))


def _add_deadline(clause: ClauseDraft, deadline: str | None, period: tuple[int, int] | None,
                  doubts: list[Doubt]) -> None:
    """A 完成时限 ("2026 年底前", "2027年6月", "长期坚持") as a milestone, unless the text already commits
    something that day. A deadline that is only a date takes the clause's title as its text."""
    if not deadline or not deadline.strip():
        return
    milestones, dated = extract_milestones([deadline], period=period)
    doubts += dated
    if not milestones and not dated and not LONG_TERM.search(deadline):
        doubts.append(Doubt("milestones", f"完成时限“{deadline}”无法识别为日期，请填写具体日期。"))
    existing = {m.due for m in clause.milestones}
    for milestone in milestones:
        if milestone.due in existing:
            continue
        rest = milestone.text
        for mention in reversed(find_dates(rest)):
            rest = rest[:mention.start] + rest[mention.end:]
        words = re.sub(r"[到在于前底末内以之截止至完成全部，。；、,\s]", "", fold(rest))
        clause.milestones.append(MilestoneDraft(milestone.due, milestone.text if words else clause.title))
    clause.milestones.sort(key=lambda m: m.due)


def _from_row(task: TableTask, period: tuple[int, int] | None) -> ClauseDraft:
    clause = ClauseDraft(task.code, task.section, task.title, task.text, source_line=task.line)
    doubts = list(task.doubts)
    _apply(clause, task.responsibility, doubts)
    clause.milestones, dated = extract_milestones(_dated_texts(task.title, task.text), period=period)
    doubts += dated
    _add_deadline(clause, task.deadline, period, doubts)
    clause.doubts = doubts
    return clause


def _blankets(preamble: list[Line], sections: list[Block]) -> list[tuple[int, str, bool]]:
    """Document-wide statements: (the line of the block holding it, "after"/"before", territorial)."""
    found = [(0, direction, county) for direction, county in find_blanket(join_lines(ln.text for ln in preamble))]

    def walk(block: Block) -> None:
        text = join_lines([block.heading, *(ln.text for ln in block.lines)])
        found.extend((block.line, direction, county) for direction, county in find_blanket(text))
        for child in block.children:
            walk(child)

    for section in sections:
        walk(section)
    return found


def _unnumbered_tasks(block: Block, draft: PlanDraft) -> None:
    """A heading's own text (before its numbered children) that names a responsibility looks like a task without
    a number: the drafter cannot give it a code, so it says so."""
    if not block.children:
        return
    text = join_lines(line.text for line in block.lines)
    found = find_responsibility(text) if text else None
    if (found is not None and (found.lead or found.county)) or inner_responsibilities(fold(text)):
        start = block.lines[0].number if block.lines else block.line
        draft.doubts.append(Doubt("document", f"第 {start} 行起的一段文字写有责任单位，像是一项任务，但没有编号，"
                                              f"未列入任务：“{text[:30]}…”，请核对。"))
    for child in block.children:
        _unnumbered_tasks(child, draft)


def _check_units(draft: PlanDraft, directory: UnitDirectory) -> None:
    for clause in draft.clauses:
        for field_name in ("lead", "supporting"):
            names = []
            for written in getattr(clause, field_name):
                name, known = directory.resolve(written)
                names.append(name)
                if known:
                    continue
                close = draft.unknown_units.setdefault(name, directory.closest(name))
                hint = f"最接近：{'、'.join(close)}" if close else "也没有相近的单位"
                clause.doubts.append(Doubt(field_name, f"“{name}”不在单位名录中，{hint}。"))
            setattr(clause, field_name, list(dict.fromkeys(names)))
        clause.supporting = [n for n in clause.supporting if n not in clause.lead]


def _check_codes(draft: PlanDraft) -> None:
    seen: set[str] = set()
    for clause in draft.clauses:
        if clause.code in seen:
            clause.doubts.append(Doubt("code", f"编号 {clause.code} 与前面的条款重复，请核对。"))
        seen.add(clause.code)
