"""The tables. Import from here: ``from ylyx_tasks.models import Task``."""

from ylyx_tasks.models.accounts import AuditEvent, User
from ylyx_tasks.models.indicators import Indicator, IndicatorValue
from ylyx_tasks.models.plan import Department, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.models.reporting import Attachment, ProgressReport, ReviewRequest
from ylyx_tasks.models.supervision import Contact, Counter, Delivery, JobRun, Notice

__all__ = [
    "Attachment",
    "AuditEvent",
    "Contact",
    "Counter",
    "Delivery",
    "Department",
    "Indicator",
    "IndicatorValue",
    "JobRun",
    "Milestone",
    "Notice",
    "Plan",
    "ProgressReport",
    "Responsibility",
    "ReviewRequest",
    "Task",
    "User",
    "WorkingGroup",
]
