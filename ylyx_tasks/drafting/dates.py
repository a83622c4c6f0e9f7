"""Dated commitments in a plan's wording, and the day each one is due.

"2026 年底前" → 2026-12-31, "2027 年 6 月底前" → 2027-06-30, "到 2028 年" / "2030 年" / "二〇二七年底" → the year's
last day, "上半年" / "年中" → 06-30, "一季度" … → the quarter's last day, "2026年3月" → 2026-03-31, "2026 年 6 月
15 日" → that day, "“十五五”末" → 2030-12-31. A year used as a baseline ("比 2020 年", "2020 年基础上") is no
commitment; a starting point ("2026 年起") or a date without its year ("上半年完成") is a doubt, not a milestone.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ylyx_tasks.drafting.text import CHINESE_DIGITS, chinese_number, fold

_MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = r"3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2}|[二两][〇零○OＯ][〇零○OＯ一二三四五六七八九]{2})\s*年\s*(?:"
    r"(?P<quarter>第?\s*[一二三四1-4]\s*季度)"
    r"|(?P<three_quarters>前三季度)"
    r"|(?P<half>上半年|下半年)"
    r"|年?(?P<end>底|末)"
    r"|年?(?P<middle>中)(?![央国小华心期长共医药])"
    r"|年?(?P<early>初)(?!步)"
    rf"|(?P<month>{_MONTH})\s*月\s*(?:(?P<day>{_DAY})\s*[日号]|(?P<ten_days>上旬|中旬|下旬)|(?P<month_end>底|末|份))?"
    r"|(?P<before>前|以前|之前)(?!三季度)"
    r")?")
FIVE_YEAR_END = re.compile(r"十([一二三四五六七八九])五[”\"’]?\s*(?:时期|规划)?\s*(?:期末|末)")
# The same words without a year ("上半年完成", "6 月底前", "年底前"): the year must be read from somewhere else.
NO_YEAR = re.compile(rf"(?<![年\d每])(?:上半年|下半年|第?[一二三四]季度|年底前?|年内|(?:{_MONTH})\s*月(?:底|末)?(?:前|之前))")
BASELINE_BEFORE = re.compile(r"(?:比|较|相比|相较|对比|与|同)$")
BASELINE_AFTER = re.compile(r"^(?:基础上|为基|水平|同期|以来|相比|比|末的基础)")
START_BEFORE = re.compile(r"(?:自|从)$")
START_AFTER = re.compile(r"^(?:起|开始|以后|之后|后)")
RANGE_BEFORE = re.compile(r"\d{4}\s*年?\s*[—–\-~～至到]+\s*$")
RANGE_AFTER = re.compile(r"^\s*[—–\-~～至]+\s*(?:\d{4}|[二两][〇零○])")


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``start:end`` of the text: the day it is due (None when it commits nothing or cannot
    be dated) and, when the drafter is unsure, why (Chinese)."""

    start: int
    end: int
    due: date | None
    doubt: str | None = None


def find_dates(text: str) -> list[DateMention]:
    """Every date expression in ``text``, in order. Baselines ("比 2020 年") are left out."""
    folded = fold(text)
    found: list[DateMention] = []
    for m in DATE.finditer(folded):
        mention = _dated(folded, m, text[m.start():m.end()].strip())
        if mention is not None:
            found.append(mention)
    for m in FIVE_YEAR_END.finditer(folded):
        year = 1955 + 5 * (10 + CHINESE_DIGITS[m.group(1)])  # 十四五 2021–2025: it ends in 1955 + 5 × 14
        found.append(DateMention(m.start(), m.end(), date(year, 12, 31)))
    masked = list(folded)
    for mention in found:
        masked[mention.start:mention.end] = "＃" * (mention.end - mention.start)
    for m in NO_YEAR.finditer("".join(masked)):
        found.append(DateMention(m.start(), m.end(), None,
                                 f"“{text[m.start():m.end()].strip()}”没有写明年份，未生成节点，请补上年份。"))
    return sorted(found, key=lambda d: d.start)


def parse_due(text: str) -> DateMention | None:
    """The single deadline of a 完成时限 cell ("2026 年底前", "2027年6月"): the latest date it names."""
    dated = [d for d in find_dates(text) if d.due is not None]
    return max(dated, key=_due) if dated else next(iter(find_dates(text)), None)


def _due(mention: DateMention) -> date:
    assert mention.due is not None  # only dated mentions are compared
    return mention.due


def _dated(folded: str, m: re.Match[str], written: str) -> DateMention | None:
    year = _year(m.group("year"))
    before = re.sub(r"\s", "", folded[max(0, m.start() - 8):m.start()])
    after = folded[m.end():m.end() + 8].lstrip()
    if BASELINE_BEFORE.search(before) or BASELINE_AFTER.match(after):
        return None  # "比 2020 年提高", "2020 年基础上": a baseline, not a commitment
    if RANGE_AFTER.match(folded[m.end():]) and not m.group("month"):
        return None  # the first year of "2026—2028 年": the second one carries the deadline
    if START_BEFORE.search(before) or START_AFTER.match(after):
        return DateMention(m.start(), m.end(), None, f"“{written}”是起始时间，不是完成时限，未生成节点。")
    doubt = None
    due = date(year, 12, 31)
    if m.group("quarter"):
        quarter = chinese_number(re.sub(r"[第\s季度]", "", m.group("quarter"))) or 4
        due = _month_end(year, 3 * quarter)
    elif m.group("three_quarters"):
        due = date(year, 9, 30)
    elif m.group("half") == "上半年" or m.group("middle"):
        due = date(year, 6, 30)
    elif m.group("early"):
        due = date(year, 3, 31)
        doubt = f"“{written}”不是确切时间，已按 {due.isoformat()} 计，请核对。"
    elif m.group("month"):
        month = chinese_number(m.group("month")) or 12
        due = _month_end(year, month)
        if m.group("day"):
            try:
                due = date(year, month, chinese_number(m.group("day")) or 1)
            except ValueError:
                doubt = f"“{written}”不是有效日期，已按月底计，请核对。"
        elif m.group("ten_days") in ("上旬", "中旬"):
            due = date(year, month, 10 if m.group("ten_days") == "上旬" else 20)
    elif m.group("before"):
        doubt = f"“{written}”可理解为 {year - 1} 年底或 {year} 年底，已按 {due.isoformat()} 计，请核对。"
    if RANGE_BEFORE.search(folded[max(0, m.start() - 12):m.start()]):
        doubt = f"“{written}”是一个时间段的末年，已按 {due.isoformat()} 计；如要求每年完成，请分年设节点。"
    return DateMention(m.start(), m.end(), due, doubt)


def _year(written: str) -> int:
    return int(written) if written.isdigit() else int("".join(str(CHINESE_DIGITS[c]) for c in written))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
