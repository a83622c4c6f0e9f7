"""Bringing a database to life: migrate, load the plan, create the first office account."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import select

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import migrate, serialize_setup, write_session
from ylyx_tasks.models import User
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.services.plan.loader import LoadSummary, load_plan
from ylyx_tasks.services.users import ensure_admin


@dataclass
class InitReport:
    revision_before: str | None
    load: LoadSummary
    admin_password: str | None  # set when the admin account was just created with a random password
    admin_created: bool
    extra: list[str] = field(default_factory=list)


def initialize() -> InitReport:
    """Migrate to the newest schema, load (or refresh) the plan from the data folder, ensure an office account."""
    before = migrate()
    with write_session() as session:
        serialize_setup(session)
        summary = load_plan(session, get_settings().data_dir)

        had_admin = session.exec(select(User).where(User.username == "admin")).first() is not None
        password = ensure_admin(session)
        created = not had_admin and session.exec(select(User).where(User.username == "admin")).first() is not None
    return InitReport(revision_before=before, load=summary, admin_password=password, admin_created=created)


def ensure_ready() -> None:
    """What the app does at start: migrate, and load the plan when the database has none yet."""
    migrate()
    with write_session() as session:
        serialize_setup(session)
        if current_plan(session) is None:
            load_plan(session, get_settings().data_dir)
