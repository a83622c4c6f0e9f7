"""Text as the documents print it: user text made XML-safe, dates and ordinals in the official way.

Pure functions, shared by the Word templates (as Jinja filters) and the spreadsheet writers.
"""

from __future__ import annotations

import datetime as dt
import re

# XML 1.0 allows \t \n \r and nothing else below U+0020; C1 controls (U+007F–U+009F) are legal but are never
# meant (they come from mis-decoded text), and lone surrogates or U+FFFE/U+FFFF cannot be encoded at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Word's manual line break pastes as \x0b (vertical tab): the liaison meant a new line.
_LINE_BREAKS = re.compile("\r\n|\r|\x0b")

_DIGITS = "零一二三四五六七八九"


def clean_text(value: str) -> str:
    """``value`` without the control characters XML cannot hold; \\t and \\n are kept.

    Line ends are normalised: \\r\\n, \\r and Word's \\x0b become \\n. Everything else below U+0020 (NUL, \\x0c,
    …), DEL and the C1 controls, lone surrogates and U+FFFE/U+FFFF are removed. Never raises for a str.
    """
    return _FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", value))


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """``2026年11月30日``: Arabic numerals, month and day without leading zeros, no spaces (GB/T 9704 7.3.5.1).

    None gives "" so that an optional date leaves no "None" in a document.
    """
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_numeral(value: int) -> str:
    """The Chinese numeral of 0–99 used in headings and lists: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十.

    Raises ValueError outside 0–99: no document has a hundredth heading, and a wrong numeral is worse.
    """
    if not 0 <= value <= 99:
        raise ValueError(f"cn_numeral: {value} is outside 0–99")
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])


def join_units(names: list[str] | tuple[str, ...], sep: str = "、") -> str:
    """Unit names joined the way a document lists them (顿号 by default), empty names dropped."""
    return sep.join(n for n in names if n)


# Where a title may break without splitting a word (7.3.1 回行时要做到词意完整): after closing quotes and
# brackets and list commas, and before the words titles end with.
_BREAK_AFTER = "”》）、，"
_BREAK_BEFORE = ("（第", "第", "的通知", "的通报", "的督办通知", "的报告", "的意见", "工作", "情况", "会议材料",
                 "终期评估", "任务的", "“")
_OPEN, _CLOSE = "《“（", "》”）"


def _depths(text: str) -> list[int]:
    """The bracket depth before each position: a title never breaks inside 《…》, “…” or （…）."""
    depth, out = 0, []
    for c in text:
        out.append(depth)
        depth += (c in _OPEN) - (c in _CLOSE)
    return out


def _ems(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 and c not in "—…“”‘’" else 1.0 for c in text)


def title_lines(title: str, per_line: float = 20) -> str:
    """``title`` with line breaks ("\\n") at word boundaries when it is longer than one line of ``per_line``
    characters (20 of 二号 fit the 156 mm text block). Chooses the break points that keep every line within
    the width and the lines most even; a title with no such point is returned unchanged (the word processor
    then wraps it)."""
    if _ems(title) <= per_line:
        return title
    depth = _depths(title) + [0]
    cuts = sorted(i for i in ({i + 1 for i, c in enumerate(title[:-1]) if c in _BREAK_AFTER}
                              | {i for word in _BREAK_BEFORE for i in range(1, len(title)) if title.startswith(word, i)})
                  if depth[i] == 0)
    best: tuple[tuple[int, float], list[int]] | None = None
    # Two lines, or three for very long titles: try every combination of candidate cuts.
    combos = [[c] for c in cuts] + [[a, b] for a in cuts for b in cuts if a < b]
    for combo in combos:
        bounds = [0, *combo, len(title)]
        widths = [_ems(title[s:e]) for s, e in zip(bounds, bounds[1:])]
        if max(widths) > per_line:
            continue
        score = (len(widths), max(widths) - min(widths))
        if best is None or score < best[0]:
            best = (score, combo)
    if best is None:
        return title
    bounds = [0, *best[1], len(title)]
    return "\n".join(title[s:e] for s, e in zip(bounds, bounds[1:]))
