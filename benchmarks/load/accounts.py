"""The load test's people, on a copy of a benchmark database, and the check of that database afterwards.

    python -m benchmarks.load.accounts prepare --count 61      # (in the app's environment: YLYX_DATABASE_URL …)
    python -m benchmarks.load.accounts check --tag RUN-ID --expected 30

``prepare`` adds ``count`` liaisons ``load001`` … (through the account service: Argon2 with the app's default
parameters, audited), one per unit that has a duty in the plan shown by default, the busiest units first, round
again when there are more people than units. Prints them as JSON: ``[{"username", "department"}]``.

``check`` counts the progress reports a run wrote (their text carries the run's tag and the session's number):
every report that a browser saw confirmed must be there exactly once.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import sqlalchemy as sa

from benchmarks.load import LOAD_PASSWORD


def _units(session) -> list[tuple[int, str]]:
    from ylyx_tasks import clock
    from ylyx_tasks.models import Department, Responsibility, Task
    from ylyx_tasks.reads.plans import default_plan, plans_visible

    plan = default_plan(plans_visible(session, clock.today(), see_all=False), clock.today())
    if plan is None:
        raise SystemExit("no plan in force")
    rows = session.execute(
        sa.select(Department.id, Department.name, sa.func.count())
        .join(Responsibility, Responsibility.department_id == Department.id)
        .join(Task, Task.id == Responsibility.task_id)
        .where(Task.plan_id == plan.id)
        .group_by(Department.id, Department.name)
        .order_by(sa.func.count().desc(), Department.id)).all()
    return [(r[0], r[1]) for r in rows]


def prepare(count: int) -> list[dict]:
    from ylyx_tasks.db import read_session, write_session
    from ylyx_tasks.domain.roles import SYSTEM, Role
    from ylyx_tasks.services.users import create_user

    with read_session() as s:
        units = _units(s)
    people = [{"username": f"load{i + 1:03d}", "department": units[i % len(units)][1]} for i in range(count)]
    with write_session() as s:
        for p in people:
            create_user(s, SYSTEM, username=p["username"], role=Role.LIAISON, password=LOAD_PASSWORD,
                        department=p["department"], display_name=f"压测联络员{p['username'][4:]}")
    return people


def check(tag: str) -> dict:
    """The reports whose text carries ``tag``: how many rows, and how many sessions they come from."""
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import AuditEvent, ProgressReport

    with read_session() as s:
        texts = s.execute(sa.select(ProgressReport.text).where(ProgressReport.text.like(f"%{tag}%"))).scalars().all()
        audited = s.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                            .where(AuditEvent.action == "报送进展", AuditEvent.entity == "report",
                                   AuditEvent.entity_id.in_(sa.select(ProgressReport.id).where(
                                       ProgressReport.text.like(f"%{tag}%"))))).scalar_one()
    sessions = [m.group(1) for t in texts if (m := re.search(rf"{re.escape(tag)} 会话 (\d+)", t))]
    return {"rows": len(texts), "sessions": sorted(set(int(x) for x in sessions)),
            "duplicates": len(sessions) - len(set(sessions)), "audited": audited}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load.accounts")
    sub = parser.add_subparsers(dest="op", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--count", type=int, required=True)
    c = sub.add_parser("check")
    c.add_argument("--tag", required=True)
    args = parser.parse_args(argv)
    result = prepare(args.count) if args.op == "prepare" else check(args.tag)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
