"""Checking the unit names a plan writes against the units the office knows.

A name is known when it is one of ``known`` or a key of ``aliases`` (which maps it to the known name). An unknown
name stays in the draft as written — never dropped, never guessed — and is reported with the closest known names:
by their usual abbreviations first ("市发改委" is "市发展改革委", "市卫生健康委员会" is "市卫健委"), then by
similarity of the characters (difflib).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from ylyx_tasks.drafting.text import fold

# Full names and their common short forms, reduced to one key: each variant on the left becomes the right.
ABBREVIATIONS = (
    ("发展和改革委员会", "发改委"), ("发展改革委员会", "发改委"), ("发展改革委", "发改委"), ("发改局", "发改委"),
    ("卫生健康委员会", "卫健委"), ("卫生和健康委员会", "卫健委"), ("卫生健康委", "卫健委"), ("卫健局", "卫健委"),
    ("人力资源和社会保障局", "人社局"), ("人力资源社会保障局", "人社局"),
    ("住房和城乡建设局", "住建局"), ("住房城乡建设局", "住建局"),
    ("市场监督管理局", "市场监管局"), ("文化和旅游局", "文旅局"), ("文化旅游局", "文旅局"),
    ("规划和自然资源局", "规自局"), ("自然资源和规划局", "规自局"),
    ("工业和信息化局", "工信局"), ("医疗保障局", "医保局"), ("残疾人联合会", "残联"), ("妇女联合会", "妇联"),
    ("国有资产监督管理委员会", "国资委"), ("行政审批服务管理局", "审批局"), ("审批服务管理局", "审批局"),
    ("行政审批局", "审批局"), ("机关事务管理局", "机关事务局"), ("科学技术局", "科技局"),
    ("应急管理局", "应急局"), ("交通运输局", "交通局"), ("退役军人事务局", "退役军人局"), ("城市管理局", "城管局"),
    ("精神文明建设委员会办公室", "文明办"), ("文明委办公室", "文明办"), ("金融工作办公室", "金融办"),
    ("地方金融监督管理局", "金融办"), ("教育和体育局", "教体局"), ("生态环境局", "环境局"),
    ("管理委员会", "管委会"), ("人民政府", "政府"), ("中国人民银行", "人行"), ("人民银行", "人行"),
)
CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}市(?=[\u4e00-\u9fff]{2,})")


class UnitDirectory:
    """The known units and their aliases. ``active`` is False when neither was given: then nothing is checked."""

    def __init__(self, known: Iterable[str] = (), aliases: Mapping[str, str] | None = None) -> None:
        self.known = [name for name in dict.fromkeys(_clean(n) for n in known) if name]
        self.aliases = {_clean(k): _clean(v) for k, v in (aliases or {}).items() if _clean(k)}
        self._known_set = set(self.known)
        self._keys = {name: _keys(name) for name in [*self.known, *self.aliases]}

    @property
    def active(self) -> bool:
        return bool(self.known or self.aliases)

    def resolve(self, name: str) -> tuple[str, bool]:
        """(the name to use, whether it is known): a known name as it is, an alias as its known name, anything
        else as written."""
        cleaned = _clean(name)
        if cleaned in self._known_set:
            return cleaned, True
        if cleaned in self.aliases:
            return self.aliases[cleaned], True
        return cleaned, not self.active

    def closest(self, name: str, limit: int = 3) -> list[str]:
        """The known names closest to an unknown ``name``, best first (aliases give their known name)."""
        wanted = _keys(_clean(name))
        scored: dict[str, float] = {}
        for candidate, keys in self._keys.items():
            score = max(1.0 if a == b else difflib.SequenceMatcher(None, a, b).ratio()
                        for a in wanted for b in keys)
            target = self.aliases.get(candidate, candidate)
            # below ~0.55 the names share only a character or two ("市委组织部" ~ "团市委"): no help
            if score >= 0.55 and score > scored.get(target, 0.0):
                scored[target] = score
        return [n for n, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def _clean(name: str) -> str:
    return re.sub(r"\s", "", fold(name or ""))


def _keys(name: str) -> set[str]:
    """The name, its abbreviated form, and both without a city prefix ("运城市民政局" ~ "市民政局")."""
    short = name
    for full, abbreviation in ABBREVIATIONS:
        short = short.replace(full, abbreviation)
    keys = {name, short}
    # not for governments: "河津市政府" would become every county's "市政府"
    keys |= {CITY_PREFIX.sub("市", k) for k in keys if not k.endswith(("政府", "管委会"))}
    return keys
