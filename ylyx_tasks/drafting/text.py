"""Small text rules shared by the drafter: folding punctuation for matching, page marks, Chinese numerals,
joining a clause's lines, splitting lists and sentences.

Matching is done on ``fold(text)``, which maps one character to one character, so that a position found in the
folded text is the same position in the verbatim text: the drafter cuts the original, never a normalised copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# Half-width and variant punctuation the offices type interchangeably with the full-width forms.
_FOLD = str.maketrans({
    "(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "!": "！", "?": "？",
    "[": "［", "]": "］", "【": "［", "】": "］", "〔": "［", "〕": "］", "﹝": "［", "﹞": "］",
    "．": ".", "\u3000": " ", "\t": " ", "\xa0": " ",
    **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
})

# "— 13 —", "- 3 -", "－3－", "第 3 页", "第3页 共19页", "3/19": a PDF's page numbers, alone on their line.
PAGE_MARK = re.compile(
    r"^\s*(?:[—–\-－―─]+\s*\d+\s*[—–\-－―─]+|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")

CHINESE_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
OPENING = "（［(["
CLOSING = "）］)]"
SENTENCE_END = "。！？!?"


def fold(text: str) -> str:
    """The text with half-width and variant punctuation as full-width, same length as the original."""
    return text.translate(_FOLD)


def is_page_mark(line: str) -> bool:
    return bool(PAGE_MARK.match(line))


def chinese_number(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23; Arabic digits pass through. None when it is not a number."""
    numeral = numeral.strip()
    if numeral.isdigit():
        return int(numeral)
    if not numeral or any(ch not in CHINESE_DIGITS and ch not in "十百" for ch in numeral):
        return None
    if "百" in numeral:
        hundreds, _, rest = numeral.partition("百")
        head = CHINESE_DIGITS.get(hundreds, 1) if hundreds else 1
        tail = chinese_number(rest.lstrip("零〇")) if rest.strip("零〇") else 0
        return None if tail is None else head * 100 + tail
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        if len(tens) > 1 or len(units) > 1:
            return None
        return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)
    if len(numeral) == 1:
        return CHINESE_DIGITS[numeral]
    # "二〇二七": digit by digit, as years are written
    return int("".join(str(CHINESE_DIGITS[ch]) for ch in numeral))


def join_lines(lines: Iterable[str]) -> str:
    """A clause's lines as one paragraph: each line stripped, blank lines and page marks dropped, joined without
    a separator (Chinese has none; the PDF broke lines anywhere). Spaces inside a line are the document's own
    ("2022 年") and are kept."""
    return "".join(s for s in (line.strip() for line in lines) if s and not is_page_mark(s))


def split_top_level(text: str, separators: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` between separators that are not inside brackets: the 、 of "各县［市、区］人民政府"
    does not split."""
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            yield start, i
            start = i + 1
    yield start, len(text)


def matching_open(text: str, close_at: int) -> int | None:
    """Where the bracket opens that closes at ``close_at`` (nested brackets allowed), or None."""
    depth = 0
    for i in range(close_at, -1, -1):
        ch = text[i]
        if ch in CLOSING:
            depth += 1
        elif ch in OPENING:
            depth -= 1
            if depth == 0:
                return i
    return None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) spans, each including its final 。！？ when it has one; outer spaces left out."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            # a closing quote right after the full stop belongs to the sentence
            end = i + 1
            while end < len(text) and text[end] in "”’」』\"":
                end += 1
            spans.append((start, end))
            start = end
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and (text[s:e].strip(SENTENCE_END + "”’」』\"")):
            result.append((s, e))
    return result


def without_final_stop(text: str) -> str:
    """A commitment's text: no final 。 (nor ；，), no outer spaces."""
    return text.strip().rstrip("。；;，,！!？? ").strip()
