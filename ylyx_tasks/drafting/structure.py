"""The outline of a plan: sections "三、主要任务", subsections "（一）…", numbered items "1.…", and the lines
under each.

A heading is recognised only where the numbering expects it (（二） after （一）, 3. after 2.): a PDF's wrapped
line that happens to start with "2.5 个" or "（二）" is text, not a heading. When the lines are a PDF's wrapped
lines, a heading must also follow a line that ends a sentence (or another heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ylyx_tasks.drafting.responsibility import LABEL
from ylyx_tasks.drafting.source import Line
from ylyx_tasks.drafting.text import chinese_number, fold, is_page_mark

NUMERAL = "一二三四五六七八九十百〇零"
SECTION = re.compile(rf"^(?:([{NUMERAL}]+)\s*[、.]|第([{NUMERAL}\d]+)\s*(?:部分|章|篇))\s*(\S.*)$")
SUBSECTION = re.compile(rf"^（\s*([{NUMERAL}]+)\s*）\s*(.*)$")
# "1.完善…", "1.2026 年底前…", but not a wrapped "2.5 万张" or "1.9 万余张"
ITEM = re.compile(r"^(\d{1,2})\s*[.、](?!\d(?!\d{3}\s*年))\s*(.*)$")
# What ends the text of a 公文 (抄送, 印发, a signature date…): it never belongs to the last clause.
END_MATTER = re.compile(
    r"^(?:抄送|主送|附件\s*[：:\d]|本文件由.*解读|（此件[^）]*）|联系人|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$)"
    r"|印发\s*$")
# In a PDF's text, the line before a heading ends a sentence, a parenthesis or a quote.
ENDS_SENTENCE = "。；：！？）”」』》"
LEVEL_SECTION, LEVEL_SUBSECTION, LEVEL_ITEM = 1, 2, 3


@dataclass
class Block:
    """A numbered heading and what follows it up to the next heading. ``heading`` is the heading line's text
    after its number; ``lines`` are the lines under it, the heading line excluded."""

    level: int
    number: int
    heading: str
    line: int
    lines: list[Line] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    """The sections in order (a document without section headings gets one untitled section numbered 0), the
    lines before the first section (preamble), and doubts about the numbering."""

    sections: list[Block]
    preamble: list[Line]
    doubts: list[str] = field(default_factory=list)


def outline(lines: tuple[Line, ...] | list[Line], *, paragraphs: bool) -> Outline:
    """The document's numbered outline. ``paragraphs`` is False for a PDF's wrapped lines."""
    root = Block(0, 0, "", 0)
    result = Outline([], [])
    section: Block | None = None
    subsection: Block | None = None
    current: Block | None = None
    previous = ""  # the last non-blank line, to tell a heading from a wrapped line
    previous_was_heading = True
    ended = False  # past the end matter (抄送…): nothing more belongs to a clause until a heading

    def accepts(expected: int, number: int, what: str, line: Line) -> bool:
        if number == expected:
            return True
        if number == expected + 1:  # one number skipped: probably a typo in the document, say so
            result.doubts.append(f"第 {line.number} 行：编号不连续，{what}前缺少第 {expected} 项，请核对。")
            return True
        return False

    for line in lines:
        original = line.text.strip()
        text = fold(original)  # the same length: positions found in it cut the original
        if not text or is_page_mark(text):
            continue
        heading = _heading(text)
        # a wrapped line may start like an item or a subsection; "三、主要任务" is checked by its number alone
        # (it may follow a table's last row, which ends with no punctuation)
        may_be_heading = (paragraphs or previous_was_heading or previous[-1:] in ENDS_SENTENCE
                          or bool(LABEL.match(previous)))  # after "责任单位：A、B" comes the next item
        if heading is not None and heading[0] != LEVEL_SECTION and not may_be_heading:
            heading = None
        block = None
        if heading is not None:
            level, number, start = heading
            rest = original[start:].strip()
            rest = rest.rstrip("。") if level == LEVEL_SECTION else rest
            if level == LEVEL_SECTION and (section is None or accepts(section.number + 1, number, "章节", line)):
                block = section = Block(level, number, rest, line.number)
                result.sections.append(section)
                subsection = None
            elif level == LEVEL_SUBSECTION:
                siblings = [b for b in (section or root).children if b.level == LEVEL_SUBSECTION]
                if accepts(siblings[-1].number + 1 if siblings else 1, number, f"（{rest[:8]}）", line):
                    if section is None:
                        section = root
                        result.sections.append(root)
                    block = subsection = Block(level, number, rest, line.number)
                    section.children.append(subsection)
            elif level == LEVEL_ITEM:
                parent = subsection or section
                siblings = [b for b in (parent or root).children if b.level == LEVEL_ITEM]
                if accepts(siblings[-1].number + 1 if siblings else 1, number, f"第 {number} 条", line):
                    if parent is None:
                        parent = section = root
                        result.sections.append(root)
                    block = Block(level, number, rest, line.number)
                    parent.children.append(block)
        if block is not None:
            current, ended = block, False
            previous, previous_was_heading = text, True
            continue
        previous, previous_was_heading = text, False
        if END_MATTER.search(text):
            ended = True
        if ended:
            continue
        if current is None:
            result.preamble.append(line)
        else:
            current.lines.append(line)
    return result


def leaves(block: Block) -> list[tuple[list[Block], Block]]:
    """The blocks without children under ``block``, each with its path from the section down."""
    if not block.children:
        return [([block], block)]
    found = []
    for child in block.children:
        for path, leaf in leaves(child):
            found.append(([block, *path], leaf))
    return found


def code_of(path: list[Block]) -> str:
    """"3.2.1" for section 三, subsection （二）, item 1; the untitled section 0 adds nothing."""
    return ".".join(str(b.number) for b in path if b.number)


def _heading(text: str) -> tuple[int, int, int] | None:
    """(level, number, where the text after the number starts) when ``text`` starts like a heading."""
    m = ITEM.match(text)
    if m:
        return LEVEL_ITEM, int(m.group(1)), m.start(2)
    m = SUBSECTION.match(text)
    if m:
        number = chinese_number(m.group(1))
        return (LEVEL_SUBSECTION, number, m.start(2)) if number else None
    m = SECTION.match(text)
    # a section heading is short: "三、主要任务", not a sentence that starts with "一、"
    if m and len(m.group(3)) <= 30 and "。" not in m.group(3)[:-1]:
        number = chinese_number(m.group(1) or m.group(2))
        return (LEVEL_SECTION, number, m.start(3)) if number else None
    return None
