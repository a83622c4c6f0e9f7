"""The tasks of a synthetic size, planned from the seed's 20 clauses (``data/tasks_seed.csv``).

- province: each city's copy of every clause, coded ``C03-3.2.2``, with the seed's lead and supporting units,
  the 14 county shares, and the seed's 2022 and 2025 milestones;
- stress: clause ``n mod 20`` coded ``S00042-3.2.2``, a random lead among the 136 city-level units, one to six
  supporting units, county shares for ``county_fraction`` of the tasks, and three milestones in three of
  ``milestone_years``: the last on 31 December, the others on any day of their year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from ylyx_tasks.domain.plans import milestone_key
from ylyx_tasks.services.plan.taskcsv import TaskRow, read_file

from benchmarks.base import Base
from benchmarks.model import Ids, MilestonePlan, TaskPlan
from benchmarks.sizes import Size


def seed_rows(data_dir: Path, base: Base, plan_start: dt.date, plan_end: dt.date) -> list[TaskRow]:
    parsed = read_file(data_dir / "tasks_seed.csv", [d[1] for d in base.departments], list(base.groups),
                       plan_start=plan_start, plan_end=plan_end)
    if not parsed.ok:
        raise ValueError(f"the seed's task file does not validate: {parsed.errors[:3]}")
    return parsed.rows


def task_plans(size: Size, base: Base, rows: list[TaskRow], plan_end: dt.date, ids: Ids) -> Iterator[TaskPlan]:
    """Every task of ``size`` in document order (ids follow that order)."""
    by_name = {d[1]: d[0] for d in base.departments}
    counties = base.counties
    if size.name == "province":
        for city in range(1, size.cities + 1):
            for row in rows:
                task_id = ids.take("task")
                commitments = dict(row.milestones)
                commitments.setdefault(plan_end, "")  # the clause as a whole, due at the plan's end
                milestones = [MilestonePlan(ids.take("milestone"), milestone_key(due), text, due)
                              for due, text in sorted(commitments.items())]
                yield TaskPlan(task_id, f"C{city:02d}-{row.code}", task_id - 1, row.section, row.title,
                               row.clause_text, base.groups[row.working_group], row.county_responsible,
                               by_name[row.lead_department], [by_name[n] for n in row.supporting_departments],
                               counties if row.county_responsible else [], milestones)
        return
    rng = random.Random(size.seed)
    leads = base.non_counties
    for n in range(1, size.tasks + 1):
        row = rows[(n - 1) % len(rows)]
        task_id = ids.take("task")
        lead = rng.choice(leads)
        supports = rng.sample([d for d in leads if d != lead], rng.randint(1, 6))
        with_counties = rng.random() < size.county_fraction
        years = sorted(rng.sample(size.milestone_years, size.milestones_per_task))
        # the last milestone at the end of its year, the others on any day of theirs (so that on any day some
        # milestones fall due, and the first scan has 提醒 and 督办 to make as well as 催报)
        dues = [dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(365)) for y in years[:-1]]
        dues.append(dt.date(years[-1], 12, 31))
        milestones = [MilestonePlan(ids.take("milestone"), str(due.year),
                                    f"{due.year}年{due.month}月{due.day}日前完成阶段目标：{row.title}", due)
                      for due in dues]
        yield TaskPlan(task_id, f"S{n:05d}-{row.code}", task_id - 1, row.section, row.title, row.clause_text,
                       base.groups[row.working_group], with_counties, lead, supports,
                       counties if with_counties else [], milestones)


def responsibility_rows(plan: TaskPlan, ids: Ids) -> list[tuple]:
    """牵头, then 配合 in order, then the counties (属地), as the loader writes them."""
    duties = [(plan.lead, "牵头")] + [(d, "配合") for d in plan.supports]
    taken = {d for d, _ in duties}
    duties += [(c, "属地") for c in plan.counties if c not in taken]
    return [(ids.take("responsibility"), plan.id, dept, duty, position) for position, (dept, duty) in enumerate(duties)]
