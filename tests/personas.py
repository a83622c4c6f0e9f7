"""Named personas and small factories for tests that act through the services.

- 市民政局 liaison ``minzheng`` leads task 3.1; 市卫健委 liaison ``weijian`` supports it;
- 盐湖区 liaison ``yanhu`` is territorially responsible; 市统计局 liaison ``tongji`` has nothing to do with 3.1;
- ``office`` (专班办公室), ``leader`` (领导), ``yanglao`` (a member of 养老专班) and ``zonghe`` (综合专班).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from ylyx_tasks.db import write_session
from ylyx_tasks.domain.roles import SYSTEM, Actor, Role
from ylyx_tasks.models import Milestone, Responsibility, Task
from ylyx_tasks.services.users import actor_for, create_user

PASSWORD = "Persona-Pass-2023"
SPECS = {
    "office": (Role.OFFICE, None, None),
    "leader": (Role.LEADER, None, None),
    "yanglao": (Role.MEMBER, None, "养老专班"),
    "zonghe": (Role.MEMBER, None, "综合专班"),
    "minzheng": (Role.LIAISON, "市民政局", None),
    "weijian": (Role.LIAISON, "市卫健委", None),
    "yanhu": (Role.LIAISON, "盐湖区", None),
    "tongji": (Role.LIAISON, "市统计局", None),
}


@dataclass
class Cast:
    actors: dict[str, Actor]

    def __getitem__(self, name: str) -> Actor:
        return self.actors[name]


def make_cast() -> Cast:
    actors = {}
    with write_session() as s:
        for name, (role, department, group) in SPECS.items():
            user = create_user(s, SYSTEM, username=name, role=role, password=PASSWORD, department=department,
                               group=group)
            actors[name] = actor_for(user)
    return Cast(actors)


def task_id(code: str) -> int:
    with write_session() as s:
        return s.exec(select(Task.id).where(Task.code == code)).one()


def milestone_id(code: str, key: str) -> int:
    with write_session() as s:
        return s.exec(select(Milestone.id).join(Task, Task.id == Milestone.task_id)
                      .where(Task.code == code, Milestone.key == key)).one()


def task(code: str) -> Task:
    with write_session() as s:
        return s.exec(select(Task).where(Task.code == code)).one()


def milestone(code: str, key: str) -> Milestone:
    with write_session() as s:
        return s.get(Milestone, milestone_id(code, key))


def add_province_tasks(count: int) -> None:
    """``count`` more tasks like 3.1 (codes X000…, titles 省级任务 0…), led by 3.1's lead: a province's list."""
    with write_session() as s:
        model = s.exec(select(Task).where(Task.code == "3.1")).one()
        lead = s.exec(select(Responsibility).where(Responsibility.task_id == model.id,
                                                   Responsibility.duty == "牵头")).one()
        for i in range(count):
            t = Task(plan_id=model.plan_id, code=f"X{i:03d}", position=1000 + i, section=model.section,
                     title=f"省级任务 {i}", clause_text=model.clause_text, working_group_id=model.working_group_id,
                     created_at=model.created_at, updated_at=model.updated_at)
            s.add(t)
            s.flush()
            s.add(Responsibility(task_id=t.id, department_id=lead.department_id, duty="牵头"))
