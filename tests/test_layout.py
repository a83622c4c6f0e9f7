"""The layout reads as the architecture, and stays so: one concept per package, no crowded folder, no import
hidden inside a function, every package named in the README's 代码结构 section. (The layer rules themselves are
checked by ``lint-imports``, the types by ``mypy``: both run in ``make test``.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "ylyx_tasks"
MAX_MODULES = 15
FOLDERS = sorted(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"
                 and "migrations" not in p.parts and "templates" not in p.parts and any(p.glob("*.py")))
SOURCES = sorted(p for p in [*PACKAGE.rglob("*.py"), *(REPO / "pages").glob("*.py"), REPO / "scheduler.py",
                             REPO / "streamlit_app.py"] if "migrations" not in p.parts)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_folder_is_crowded(folder: Path):
    modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= MAX_MODULES, f"{folder}: {len(modules)} modules — make a package of a concept"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_package_says_what_it_is_for(folder: Path):
    init = folder / "__init__.py"
    assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_import_hides_inside_a_function(path: Path):
    """An import inside a function hides a dependency (and often a cycle). Allowed only with a comment on the
    same line that says why (``# lazily: …``)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    assert "# lazily:" in lines[inner.lineno - 1], f"{path.name}:{inner.lineno} imports inside " \
                                                                   f"{node.name}()"


def test_the_readme_shows_the_layout():
    """Every package of ``ylyx_tasks`` has a line in the README's 代码结构 section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## 代码结构.*?(?=\n## )", readme, re.S)
    assert match, "README: section 代码结构 missing"
    section = match.group(0)
    for folder in FOLDERS:
        name = folder.relative_to(PACKAGE).as_posix()
        if name == ".":
            continue
        assert f"{name}/" in section, f"README 代码结构 does not mention {name}/"
