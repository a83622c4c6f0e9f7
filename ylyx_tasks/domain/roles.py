"""Who may do what. Pure: the service layer builds an :class:`Actor` and a :class:`TaskScope` and asks here.

Roles (section 五 of the plan, and the issue that built the web app):

- 领导 (leader): sees everything, changes nothing.
- 专班办公室 (office): everything.
- 专班成员 (working-group member): the tasks of its group — reviews reports, accepts or rejects completion.
- 单位联络员 (department liaison): tasks where its department is lead, supporting or (for a county) territorial:
  reports progress for its own share, answers notices; the lead department alone claims completion and applies
  for extensions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ylyx_tasks.errors import Forbidden, InvalidInput


class Role(StrEnum):
    LEADER = "领导"
    OFFICE = "专班办公室"
    MEMBER = "专班成员"
    LIAISON = "单位联络员"


ROLE_ALIASES = {"leader": Role.LEADER, "office": Role.OFFICE, "member": Role.MEMBER, "liaison": Role.LIAISON}


def parse_role(text: str) -> Role:
    """A role from its Chinese name or its English alias (``leader``, ``office``, ``member``, ``liaison``)."""
    text = text.strip()
    if text in ROLE_ALIASES:
        return ROLE_ALIASES[text]
    try:
        return Role(text)
    except ValueError:
        names = "、".join(r.value for r in Role)
        raise InvalidInput(f"未知角色“{text}”；可选：{names}（或 leader/office/member/liaison）") from None


class Duty(StrEnum):
    """A department's role on a task (责任分工)."""

    LEAD = "牵头"
    SUPPORT = "配合"
    TERRITORIAL = "属地"


class Permission(StrEnum):
    VIEW = "查看"
    REPORT = "报送进展"
    CLAIM_DONE = "申报办结"
    REVIEW = "审核办结"
    APPLY_EXTENSION = "申请延期"
    DECIDE_EXTENSION = "审批延期"
    ANSWER_NOTICE = "签收反馈督办"
    MANAGE_NOTICE = "办结督办、印发通报"
    EDIT_INDICATOR = "录入指标"
    ADMINISTER = "系统管理"


class PermissionDenied(Forbidden):
    """The actor may not do this. The message is shown to the user as it is."""


@dataclass(frozen=True)
class Actor:
    """Who is asking. ``user_id`` None is the system itself (the scheduler), which may do anything it does."""

    user_id: int | None
    username: str
    role: Role
    department_id: int | None = None
    working_group_id: int | None = None

    @property
    def is_system(self) -> bool:
        return self.user_id is None


SYSTEM = Actor(user_id=None, username="system", role=Role.OFFICE)


@dataclass(frozen=True)
class TaskScope:
    """The facts about one task that permissions depend on."""

    working_group_id: int | None
    duties: dict[int, Duty] = field(default_factory=dict)  # department id → duty

    def duty_of(self, department_id: int | None) -> Duty | None:
        return self.duties.get(department_id) if department_id is not None else None


_OFFICE_ONLY = {Permission.DECIDE_EXTENSION, Permission.MANAGE_NOTICE, Permission.EDIT_INDICATOR, Permission.ADMINISTER}


def can(actor: Actor, permission: Permission, scope: TaskScope | None = None) -> bool:
    """Whether ``actor`` may do ``permission`` (on the task described by ``scope`` when it concerns a task)."""
    if permission == Permission.VIEW:
        return can_view(actor, scope)
    if actor.role == Role.OFFICE:
        return True
    if actor.role == Role.LEADER or permission in _OFFICE_ONLY:
        return False
    if actor.role == Role.MEMBER:
        return permission == Permission.REVIEW and scope is not None and (
            actor.working_group_id is not None and scope.working_group_id == actor.working_group_id
        )
    # liaison
    duty = scope.duty_of(actor.department_id) if scope is not None else None
    if duty is None:
        return False
    if permission in (Permission.REPORT, Permission.ANSWER_NOTICE):
        return True
    if permission in (Permission.CLAIM_DONE, Permission.APPLY_EXTENSION):
        return duty == Duty.LEAD
    return False


def can_view(actor: Actor, scope: TaskScope | None) -> bool:
    """Everyone signed in may read the plan: it is a public document and supervision works by visibility.

    Write access is what the roles restrict. (Kept as a function so a stricter rule has one place to live.)
    """
    return True


def require(actor: Actor, permission: Permission, scope: TaskScope | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``permission``."""
    if not can(actor, permission, scope):
        raise PermissionDenied(f"“{actor.role}”账号 {actor.username} 无权{permission}")
