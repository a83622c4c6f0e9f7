"""A clause's milestones (节点): each sentence that commits something by a date, verbatim.

A milestone's text is the sentence stating the commitment, without its final 。. Commitments due the same day are
joined with ；, in document order. A sentence naming two different dates is cut at the ； (or else the ，) before
the second one, so each part goes to its own day. A clause without a date has no milestone: the importer gives
every task the plan's end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import pairwise

from ylyx_tasks.drafting.dates import DateMention, find_dates
from ylyx_tasks.drafting.model import Doubt, MilestoneDraft
from ylyx_tasks.drafting.text import fold, sentence_spans, without_final_stop


def extract_milestones(texts: Iterable[str], *, period: tuple[int, int] | None = None,
                       ) -> tuple[list[MilestoneDraft], list[Doubt]]:
    """The milestones committed in ``texts`` (the title, then the clause's text), by due date, and the doubts
    about its dates. ``period`` = (first year, last year) of the plan: a date outside it is a doubt."""
    by_due: dict[date, list[str]] = {}
    doubts: list[Doubt] = []
    for text in texts:
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            mentions = find_dates(sentence)
            doubts += [Doubt("milestones", d.doubt) for d in mentions if d.doubt]
            for due, part in commitments(sentence, mentions, doubts):
                by_due.setdefault(due, []).append(part)
    milestones = [MilestoneDraft(due, "；".join(parts)) for due, parts in sorted(by_due.items())]
    if period is not None:
        first, last = period
        for milestone in milestones:
            if not first <= milestone.due.year <= last:
                doubts.append(Doubt("milestones", f"节点 {milestone.due.isoformat()} 不在规划期（{first}—{last} 年）"
                                                  f"内：“{_short(milestone.text)}”，请核对。"))
    return milestones, doubts


def commitments(sentence: str, mentions: list[DateMention], doubts: list[Doubt]) -> list[tuple[date, str]]:
    """The sentence's dated parts: the whole sentence when it names one day, else its parts, one per day."""
    dated = [(m, m.due) for m in mentions if m.due is not None]
    if not dated:
        return []
    if len({due for _m, due in dated}) == 1:
        return [(dated[0][1], without_final_stop(sentence))]
    folded = fold(sentence)
    cuts = [0]
    latest = max(due for _m, due in dated)
    for (previous, previous_due), (mention, due) in pairwise(dated):
        if due == previous_due:
            continue
        between = folded[previous.end:mention.start]
        mark = max(between.rfind("；"), between.rfind("，") if "；" not in between else -1)
        if mark < 0:
            doubts.append(Doubt("milestones", f"一句话中有两个时间且无法拆分：“{_short(sentence)}”，"
                                              f"已计入较晚的 {latest.isoformat()}。"))
            return [(latest, without_final_stop(sentence))]
        cuts.append(previous.end + mark + 1)
    cuts.append(len(sentence))
    parts = []
    for start, end in pairwise(cuts):
        inside = [due for m, due in dated if start <= m.start < end]
        text = without_final_stop(sentence[start:end])
        if inside and text:
            parts.append((inside[0], text))
    if "；" not in folded:
        doubts.append(Doubt("milestones", f"一句话中有多个时间，已按逗号拆成 {len(parts)} 个节点："
                                          f"“{_short(sentence)}”，请核对。"))
    return parts


def _short(text: str, limit: int = 30) -> str:
    text = without_final_stop(text)
    return text if len(text) <= limit else text[:limit] + "…"
