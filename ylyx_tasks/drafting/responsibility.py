"""Who is responsible for a clause (牵头单位, 配合单位, 属地责任), in the forms Chinese plans write it.

- a closing parenthesis: "（A、B、C按职责分工负责，各县［市、区］人民政府、运城开发区管委会负责）" — the first unit
  leads, the others support, the county governments' phrase makes it territorial; "（A牵头，B、C配合）";
  "（A、B牵头）" (co-leads); "（A负责）";
- labels, on their own lines or in the parenthesis: "牵头单位：A" / "责任单位：B、C" / "配合单位：…" (and
  "完成时限：…", kept as the clause's deadline);
- once for the document: "以下各项工作均需各区、市政府负责落实，不再一一列出" (``find_blanket``).

Territorial phrases (各县（市、区）人民政府, 各区、市政府, 各乡镇, 各街道) make ``county`` true. 各街道 and 各乡镇 are
also collective units: named as lead or supporting unit ("各街道牵头", "市民政局、各街道按职责分工负责") they stay
unit names; only a "…负责" of territories alone, or following the units' own part, is territorial.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ylyx_tasks.drafting.text import fold, matching_open, split_top_level

_AFTER_PHRASE = r"(?=[、，；]|$|按|负责|牵头|配合|参与|落实|分别|共同)"
COUNTY = re.compile(r"各(?:级(?:人民)?政府|[县市区旗](?:[县市区旗、]|［[县市区旗、]+］|（[县市区旗、]+）)*"
                    r"(?:人民政府|党委和政府|党委政府|政府)?)" + _AFTER_PHRASE)
COLLECTIVE = re.compile(r"各(?:乡镇|街道|镇街|乡|镇|社区)(?:（街道）|［街道］)?(?:办事处|人民政府|政府)?" + _AFTER_PHRASE)
WORDS = re.compile(r"负责|牵头|配合|参与|协助|协同|协办|落实|单位：")
SEGMENT_KINDS = (
    ("split", re.compile(r"^(.*?)(?:按照?(?:各自)?职[责能](?:分工)?(?:负责|落实|抓好落实|推进)|分工负责|分别负责)$")),
    ("lead", re.compile(r"^(.*?)(?:共同)?牵头(?:负责|落实|推进)?$")),
    ("support", re.compile(r"^(.*?)(?:配合|参与|协助|协同|协办)(?:落实|推进|实施)?$")),
    ("responsible", re.compile(r"^(.*?)(?:共同)?(?:负责落实|负责推进|负责实施|负责|抓好落实|落实)$")),
)
LABELS = {
    "lead": ("牵头单位", "牵头部门", "主要责任单位", "主责单位"),
    "responsible": ("责任单位", "责任部门", "责任主体", "实施单位"),
    "support": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限要求", "完成期限"),
}
LABEL = re.compile("(" + "|".join(sorted((w for ws in LABELS.values() for w in ws), key=len, reverse=True))
                   + r")\s*：")
LEAD_MARK = re.compile(r"[（［](?:牵头|牵头单位)[）］]$")
ET_CETERA = re.compile(r"等(?:有关|相关)?(?:部门|单位)?$")
BLANKET = re.compile(r"(以下|下列|以上|上述)[^。]*?(?:不再一一列出|不再逐一列出|不再列出|不一一列出|不再单独列出|不另列出)")


@dataclass
class Responsibility:
    """Lead and supporting units as written (not yet checked against the known units), the territorial flag,
    notes the drafter is unsure of, a deadline label's text, and where it starts in the clause's text."""

    lead: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    county: bool = False
    notes: list[str] = field(default_factory=list)
    deadline: str | None = None
    start: int = -1


def find_responsibility(text: str) -> Responsibility | None:
    """The responsibility that closes a clause's text: labels ("牵头单位：…") from the first label on, else a
    final parenthesis that names responsibility. ``start`` is where the clause's own text ends."""
    folded = fold(text)
    # the first label starts the responsibility only where a sentence ends: "明确责任单位：…" mid-sentence is text
    labels = [m for m in LABEL.finditer(folded) if m.start() == 0 or folded[m.start() - 1] in "。；（ ）"]
    if labels:
        start = labels[0].start()
        # "（牵头单位：A；配合单位：B）": the parenthesis opening right before the first label goes too
        if folded[:start].rstrip().endswith("（"):
            start = folded[:start].rstrip().rfind("（")
        found = parse_responsibility(_unwrap(folded[start:]))
        found.start = start
        return found
    span = trailing_parenthesis(folded)
    if span is None:
        return None
    open_at, close_at = span
    found = parse_responsibility(folded[open_at + 1:close_at])
    found.start = open_at
    return found


def trailing_parenthesis(folded: str) -> tuple[int, int] | None:
    """(open, close) of a final "（…）" naming responsibility, the 。 after it allowed; None otherwise."""
    end = len(folded.rstrip(" 。；"))
    if end == 0 or folded[end - 1] != "）":
        return None
    open_at = matching_open(folded, end - 1)
    if open_at is None or not WORDS.search(folded[open_at:end]):
        return None
    return open_at, end - 1


def inner_responsibilities(folded: str) -> int:
    """How many parentheses inside the text look like a responsibility of their own ("（A牵头）" mid-clause): a
    sign that one numbered clause holds several tasks."""
    count = 0
    for m in re.finditer(r"（([^（）]{2,80})）", folded):
        content = re.sub(r"\s", "", m.group(1))
        if re.search(r"(?:牵头|配合|按职责分工负责|负责)$", content) or LABEL.match(content):
            count += 1
    return count


def parse_responsibility(content: str) -> Responsibility:
    """The units and territorial flag in a responsibility's wording (the parenthesis' content, or labels)."""
    content = re.sub(r"\s", "", fold(content))
    if LABEL.search(content):
        return _parse_labels(content)
    result = Responsibility()
    parts: list[tuple[str, list[str]]] = []
    segments = [content[s:e] for s, e in split_top_level(content, "，；。") if content[s:e]]
    for index, segment in enumerate(segments):
        kind, names_part = "split", segment  # a bare list ("A、B，…负责"): the convention, first unit leads
        for candidate, pattern in SEGMENT_KINDS:
            m = pattern.match(segment)
            if m:
                kind, names_part = candidate, m.group(1)
                break
        names, county, collective = _names(names_part, result.notes)
        result.county |= county
        # "…按职责分工负责，各县［市、区］人民政府、运城开发区管委会负责": the territories' own part.
        territorial = kind == "responsible" and (
            (index > 0 and (county or collective)) or (names and len(collective) == len(names)))
        if territorial:
            result.county = True
            continue
        parts.append((kind, names))
    _assign(result, parts)
    return result


def parse_unit_list(text: str, role: str) -> Responsibility:
    """A table cell of units: ``role`` is "lead", "support" or "responsible" (first leads). A cell that words
    the responsibility itself ("A牵头，B配合") is read as such."""
    folded = re.sub(r"\s", "", fold(text))
    if WORDS.search(folded.replace("单位：", "")):
        return parse_responsibility(folded)
    result = Responsibility()
    names, county, collective = _names(folded, result.notes)
    result.county = county or bool(names and len(collective) == len(names))
    if names and len(collective) < len(names):
        _assign(result, [(role if role != "responsible" else "split", names)])
    return result


def find_blanket(text: str) -> list[tuple[str, bool]]:
    """Document-wide statements ("以下各项工作均需各区、市政府负责落实，不再一一列出"): for each, "after" (以下,
    下列) or "before" (以上, 上述), and whether it makes the clauses territorial."""
    folded = re.sub(r"\s", "", fold(text))
    found = []
    for m in BLANKET.finditer(folded):
        direction = "after" if m.group(1) in ("以下", "下列") else "before"
        found.append((direction, bool(COUNTY.search(m.group(0)) or COLLECTIVE.search(m.group(0)))))
    return found


def _parse_labels(content: str) -> Responsibility:
    result = Responsibility()
    matches = list(LABEL.finditer(content))
    parts: list[tuple[str, list[str]]] = []
    for m, following in zip(matches, [*matches[1:], None], strict=True):
        value = _unwrap(content[m.end():following.start() if following else len(content)])
        role = next(r for r, words in LABELS.items() if m.group(1) in words)
        if role == "deadline":
            result.deadline = value
            continue
        names, county, collective = _names(value, result.notes)
        result.county |= county
        if names and len(collective) == len(names):  # "责任单位：各街道": territories only
            result.county = True
            continue
        parts.append(("split" if role == "responsible" else role, names))
    _assign(result, parts)
    return result


def _unwrap(text: str) -> str:
    """The text without its final punctuation and without a parenthesis left unbalanced around it: "（牵头单位：
    A；配合单位：B）" → "牵头单位：A；配合单位：B", but "A（牵头）" stays as it is."""
    text = text.strip().strip("。；，")
    if text.startswith("（") and text.endswith("）") and matching_open(text, len(text) - 1) == 0:
        text = text[1:-1]
    if text.startswith("（") and matching_open(text + "）", len(text)) == 0:
        text = text[1:]  # an opening bracket whose closing one lies beyond this label's value
    if text.endswith("）") and matching_open(text, len(text) - 1) is None:
        text = text[:-1]
    return text.strip().strip("。；，")


def _assign(result: Responsibility, parts: list[tuple[str, list[str]]]) -> None:
    # Explicit leads first: "（B、C按职责分工负责，A牵头）" is led by A, not B.
    leads = [n for kind, names in parts if kind == "lead" for n in names]
    leads += [n for _, names in parts for n in names if n.endswith(_MARK)]
    supporting: list[str] = []
    for kind, names in parts:
        if kind == "support":
            supporting += names
        elif kind in ("split", "responsible"):
            if not leads and names:
                leads.append(names[0])
                names = names[1:]
            supporting += names
    result.lead = _unique(n.removesuffix(_MARK) for n in leads)
    result.supporting = [n for n in _unique(n.removesuffix(_MARK) for n in supporting) if n not in result.lead]


_MARK = "\0lead"  # a name marked "（牵头）" in a list: explicit lead wherever it stands


def _names(part: str, notes: list[str]) -> tuple[list[str], bool, list[str]]:
    """The unit names in a list, whether it names the county governments, and which names are collective
    territories (各街道…). County-government phrases are not units and are left out of the names."""
    county = bool(COUNTY.search(part))
    part = COUNTY.sub("、", part)
    names: list[str] = []
    for s, e in split_top_level(part, "、，；/"):
        name = part[s:e].strip().removeprefix("由")
        if ET_CETERA.search(name):
            name = ET_CETERA.sub("", name)
            notes.append(f"“{part[s:e]}”中的“等”表示还有未列出的单位，请补全。")
        if LEAD_MARK.search(name):
            name = LEAD_MARK.sub("", name) + _MARK
        if name:
            names.append(name)
    collective = [n for n in names if COLLECTIVE.fullmatch(n) or COLLECTIVE.match(n + "、")]
    return names, county, collective


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)
