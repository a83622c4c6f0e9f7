"""The tables. Import from here: ``from ylyx_tasks.models import Task``."""

from ylyx_tasks.models import gate as _gate  # noqa: F401 — registers the input gate on every session
from ylyx_tasks.models.accounts import AuditEvent, SignInThrottle, User, WebSession
from ylyx_tasks.models.bulletins import Bulletin, BulletinMatter
from ylyx_tasks.models.indicators import Indicator, IndicatorTarget, IndicatorValue
from ylyx_tasks.models.meetings import EvidenceMatch, Instruction, InstructionStep, Meeting, Recheck, UnitForecast
from ylyx_tasks.models.plan import (
                                    Department,
                                    Milestone,
                                    Plan,
                                    PlanGroup,
                                    PlanUnit,
                                    Responsibility,
                                    Task,
                                    WorkingGroup,
)
from ylyx_tasks.models.reporting import Attachment, ProgressReport, ReviewRequest
from ylyx_tasks.models.supervision import CalendarYear, Contact, Counter, Delivery, Holiday, JobRun, Notice

__all__ = [
    "Attachment",
    "AuditEvent",
    "Bulletin",
    "BulletinMatter",
    "CalendarYear",
    "Contact",
    "Counter",
    "Delivery",
    "Holiday",
    "Department",
    "EvidenceMatch",
    "Instruction",
    "InstructionStep",
    "Meeting",
    "Recheck",
    "UnitForecast",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "JobRun",
    "Milestone",
    "Notice",
    "Plan",
    "PlanGroup",
    "PlanUnit",
    "ProgressReport",
    "Responsibility",
    "ReviewRequest",
    "SignInThrottle",
    "Task",
    "User",
    "WebSession",
    "WorkingGroup",
]
