"""(Re)build the packaged templates from the layout code: ``python -m ylyx_tasks.documents.build``.

The templates in ``templates/`` are outputs of this module, committed so that offices can open and edit them
(their copy then goes in the app's data folder and takes precedence). Change the layout here, run the command,
commit the .docx files: the build is byte-reproducible, and a test fails when the committed templates differ
from a rebuild. ``--check`` only compares; ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

import docx

from ylyx_tasks.documents.docx_package import base_docx, normalise_zip
from ylyx_tasks.documents.kinds import KINDS

TEMPLATES = Path(__file__).resolve().parent / "templates"
# A fixed date keeps the build reproducible; rendering replaces it with the real creation time.
TEMPLATE_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def build_template(kind: str) -> bytes:
    """The template of ``kind`` as .docx bytes: the base document with the kind's layout and Jinja tags."""
    document = docx.Document(io.BytesIO(base_docx(title=kind, author="", created=TEMPLATE_DATE)))
    KINDS[kind].build(document)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())


def build_templates(dest: Path = TEMPLATES) -> list[Path]:
    """Write every kind's template to ``dest`` (created if missing); returns the paths written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = dest / f"{kind}.docx"
        path.write_bytes(build_template(kind))
        written.append(path)
    return written


def stale_templates(dest: Path = TEMPLATES) -> list[str]:
    """The kinds whose file in ``dest`` is missing or differs from a fresh build."""
    return [kind for kind in KINDS
            if not (dest / f"{kind}.docx").is_file() or (dest / f"{kind}.docx").read_bytes() != build_template(kind)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ylyx_tasks.documents.build", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=TEMPLATES, help="folder to write (default: the package's)")
    parser.add_argument("--check", action="store_true", help="only report templates that differ from a rebuild")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_templates(args.out)
        for kind in stale:
            print(f"stale: {args.out / (kind + '.docx')}", file=sys.stderr)
        return 1 if stale else 0
    for path in build_templates(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
