"""The rows every synthetic size starts from: the plan, its units and working groups, the indicators (all read
from the seed folder, as the loader reads them), users with one shared password hash, and mail contacts."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.indicators import derive_comparator, parse_figure
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.services.plan.indicators_file import HEADER as INDICATOR_HEADER
from ylyx_tasks.services.plan.loader import read_plan_meta

from benchmarks.bulk import BulkWriter
from benchmarks.model import Ids, Person, at, audit_json
from benchmarks.sizes import SYNTHETIC_ISSUED_ON, Size

CONTACT_DOMAIN = "ylyx-bench.example.com"
SYNTHETIC_PERIOD_END = dt.date(2030, 12, 31)
# Mail was set up (contacts imported) some time into the plan: notices and digests before this day made no mail.
CONTACTS_SINCE = dt.date(2025, 1, 2)


@dataclass
class Base:
    plan_id: int
    issued_on: dt.date
    departments: list[tuple[int, str, str, str]]  # (id, name, short_name, kind)
    groups: dict[str, int]  # name → id
    office: Person
    liaisons: dict[int, Person]
    users: list[Person] = field(default_factory=list)
    contacts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # unit key → [(email, name)]

    @property
    def counties(self) -> list[int]:
        return [d[0] for d in self.departments if d[3] == DepartmentKind.COUNTY]

    @property
    def non_counties(self) -> list[int]:
        return [d[0] for d in self.departments if d[3] != DepartmentKind.COUNTY]

    def name_of(self, department_id: int) -> str:
        return self.departments[department_id - 1][1]


def write_base(w: BulkWriter, size: Size, data_dir: Path, password_hash: str, ids: Ids,
               audit: list[tuple]) -> Base:
    meta = read_plan_meta(data_dir)
    created = at(SYNTHETIC_ISSUED_ON, 9)
    plan_id = ids.take("plan")
    w.insert("plan", ["id", "code", "title", "short_name", "doc_number", "issuer", "issued_on", "period_start",
                      "period_end", "issuing_office", "notice_prefix", "territorial_phrase", "status"], [(
        plan_id, f"{meta['code']}（合成·{size.name}）", f"{meta['title']}（合成基准数据：{size.label}）",
        f"合成·{size.name}", meta.get("doc_number", meta["code"]), meta["issuer"], SYNTHETIC_ISSUED_ON,
        # in force on the benchmarks' today (2026-10-26): the scan still asks its tasks for monthly reports
        meta["period_start"], SYNTHETIC_PERIOD_END, meta.get("issuing_office", ""), meta.get("notice_prefix", ""),
        meta.get("territorial_phrase", ""), "在实施")])

    departments = []
    with open(data_dir / "departments.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            departments.append((ids.take("department"), row["name"].strip(), row["short_name"].strip(),
                                DepartmentKind(row["kind"].strip()).value))
    for n in range(1, size.extra_departments + 1):
        departments.append((ids.take("department"), f"合成单位{n:03d}", f"合成{n:03d}", DepartmentKind.CITY.value))
    w.insert("department", ["id", "name", "short_name", "kind", "active"],
             [(i, name, short, kind, True) for i, name, short, kind in departments])
    w.insert("plan_unit", ["id", "plan_id", "department_id", "position"],
             [(ids.take("plan_unit"), plan_id, i, position) for position, (i, *_rest) in enumerate(departments)])

    groups = {}
    rows = []
    for g in meta.get("working_groups", []):
        groups[g["name"]] = ids.take("working_group")
        rows.append((groups[g["name"]], g["name"], g.get("description", "")))
    w.insert("working_group", ["id", "name", "description"], rows)
    w.insert("plan_group", ["id", "plan_id", "working_group_id", "position"],
             [(ids.take("plan_group"), plan_id, gid, position) for position, gid in enumerate(groups.values())])

    _indicators(w, data_dir, plan_id, ids, random.Random(size.seed))
    base = Base(plan_id, SYNTHETIC_ISSUED_ON, departments, groups, Person(0, ""), {})
    _users(w, size, base, password_hash, ids, created, audit)
    _contacts(w, base, ids, at(CONTACTS_SINCE, 9))
    return base


def _indicators(w: BulkWriter, data_dir: Path, plan_id: int, ids: Ids, rng: random.Random) -> None:
    """The indicator table as ``plan_loader`` loads it, and a yearly value for 2021–2025 on the way to target."""
    rows, values = [], []
    with open(data_dir / "indicators_seed.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == INDICATOR_HEADER
        for position, row in enumerate(reader):
            row = {k: (v or "").strip() for k, v in row.items()}
            comparator = row["comparator"] or derive_comparator(row["baseline"], row["target"])
            baseline, target = parse_figure(row["baseline"]), parse_figure(row["target"])
            iid = ids.take("indicator")
            rows.append((iid, plan_id, row["group"], row["no"], position, row["name"], row["unit"],
                         row["baseline"], row["target"], baseline.value if baseline else None,
                         target.value if target else None, comparator, row["nature"],
                         row["source"] or "主要指标表", row["note"], int(row["baseline_year"] or 2020),
                         int(row["target_year"] or 2025)))
            if target is None:
                continue
            start = baseline.value if baseline else target.value * 0.6
            for year in range(2021, 2026):
                share = (year - 2020) / 5 * rng.uniform(0.8, 1.1)
                values.append((ids.take("indicator_value"), iid, year, round(start + (target.value - start) * share, 2),
                               "合成基准数据", False, None, at(dt.date(year + 1, 1, 20), 10)))
    w.insert("indicator", ["id", "plan_id", "group", "no", "position", "name", "unit", "baseline_text",
                           "target_text", "baseline_value", "target_value", "comparator", "nature", "source", "note",
                           "baseline_year", "target_year"], rows)
    w.insert("indicator_value", ["id", "indicator_id", "year", "value", "note", "is_demo", "entered_by",
                                 "entered_at"], values)


def _users(w: BulkWriter, size: Size, base: Base, password_hash: str, ids: Ids, created: dt.datetime,
           audit: list[tuple]) -> None:
    """``admin`` (office) first, then office staff, leaders, group members and liaisons — one per unit at
    least, more for the larger units while there are users to hand out."""
    specs: list[tuple[str, str, Role, int | None, int | None]] = [("admin", "系统管理员", Role.OFFICE, None, None)]
    specs += [(f"office{i:02d}", f"专班办公室{i:02d}", Role.OFFICE, None, None) for i in range(1, 4)]
    specs += [(f"leader{i:02d}", f"领导{i:02d}", Role.LEADER, None, None) for i in range(1, 4)]
    for name, gid in base.groups.items():
        specs += [(f"member{gid}{i:02d}", f"{name}成员{i:02d}", Role.MEMBER, None, gid) for i in range(1, 3)]
    n, wanted = 0, max(size.users, len(specs) + len(base.departments))
    while len(specs) < wanted:
        d = base.departments[n % len(base.departments)]
        specs.append((f"liaison{d[0]:03d}{n // len(base.departments) + 1}", f"{d[2]}联络员",
                      Role.LIAISON, d[0], None))
        n += 1
    rows = []
    for username, display, role, dept, group in specs:
        uid = ids.take("app_user")
        person = Person(uid, username)
        base.users.append(person)
        if username == "admin":
            base.office = person
        if dept is not None:
            base.liaisons.setdefault(dept, person)
        rows.append((uid, username, display, role.value, dept, group, password_hash, True, False, 0, None, None,
                     created, created))
        audit.append((created, None, "system", "新增用户", "user", uid, None, None,
                      audit_json({"username": username, "role": role.value, "department": dept and base.name_of(dept),
                                  "group": group}), ""))
    w.insert("app_user", ["id", "username", "display_name", "role", "department_id", "working_group_id",
                          "password_hash", "active", "is_demo", "failed_logins", "locked_until", "last_login_at",
                          "password_changed_at", "created_at"], rows)


def _contacts(w: BulkWriter, base: Base, ids: Ids, created: dt.datetime) -> None:
    """One address per unit and working group, two for 领导小组."""
    rows = []

    def add(key: str, dept: int | None, group: int | None, name: str, email: str) -> None:
        rows.append((ids.take("contact"), key, dept, group, name, email, created))
        base.contacts.setdefault(key, []).append((email, name))

    add("leadership", None, None, "领导小组秘书一", f"leaders1@{CONTACT_DOMAIN}")
    add("leadership", None, None, "领导小组秘书二", f"leaders2@{CONTACT_DOMAIN}")
    for name, gid in base.groups.items():
        add(f"group:{gid}", None, gid, f"{name}联络人", f"group{gid}@{CONTACT_DOMAIN}")
    for d in base.departments:
        add(f"department:{d[0]}", d[0], None, f"{d[2]}联络员", f"dept{d[0]}@{CONTACT_DOMAIN}")
    w.insert("contact", ["id", "unit_key", "department_id", "working_group_id", "name", "email", "created_at"], rows)
