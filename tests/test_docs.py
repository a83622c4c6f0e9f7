"""The README is the newcomer's path: it must show the set-up commands first and document every setting."""

from __future__ import annotations

import re

from tests.conftest import REPO
from ylyx_tasks.config import Settings

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_it_documents_every_setting():
    documented = set(re.findall(r"YLYX_[A-Z0-9_]+", README))
    missing = [f"YLYX_{name.upper()}" for name in Settings.model_fields if f"YLYX_{name.upper()}" not in documented]
    assert missing == []


def test_it_puts_make_run_and_make_test_at_the_very_top():
    head = README.split("\n## ", 1)[0]
    assert "make run" in head and "make test" in head


def test_it_has_ci_call_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "CI=true" in ci
