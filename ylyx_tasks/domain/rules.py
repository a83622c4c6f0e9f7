"""The tunable numbers of supervision, gathered in one value that the rules take as a parameter."""

from __future__ import annotations

from dataclasses import dataclass, field

from ylyx_tasks.domain.bulletins import BulletinRules
from ylyx_tasks.domain.lights import LightRules
from ylyx_tasks.domain.notices import EscalationRules


@dataclass(frozen=True)
class SupervisionRules:
    lights: LightRules = field(default_factory=LightRules)
    escalation: EscalationRules = field(default_factory=EscalationRules)
    bulletin: BulletinRules = field(default_factory=BulletinRules)
    report_due_day: int = 25
    stale_after_days: int = 45  # 久未更新 (lights.stale_days)
    notice_prefix: str = "运养托"
