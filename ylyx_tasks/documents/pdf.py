"""Convert documents with LibreOffice (Debian's soffice, headless): .docx/.xlsx → PDF, .csv → .xlsx.

Each call runs one soffice process for all its files, with a private profile (so parallel runs never share
LibreOffice's lock) and a fontconfig file that maps the office fonts (仿宋_GB2312, 方正小标宋简体, …) to the
CJK fonts Linux has (fonts-noto-cjk; AR PL UKai for 楷体 when installed): without it LibreOffice falls back to
one sans font for everything and the PDF loses the distinction between title, headings and body.

One adaptation, on a private copy of each .docx: LibreOffice lays out a character grid with a negative
charSpace (the 28-characters-per-line grid of GB/T 9704 5.2.4) by giving many characters two grid cells and
spreading lines apart. The copy it converts has a line grid only (docGrid type="lines"); the body text is
condensed by 0.25 pt in the styles, so LibreOffice still sets 28 characters to a line. The .docx handed to
users keeps its linesAndChars grid for Word and WPS.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from ylyx_tasks.documents import gbt9704 as g


class ConversionError(RuntimeError):
    """LibreOffice is missing, failed, timed out, or did not write an expected file."""


def fontconfig_xml() -> str:
    """A fonts.conf that includes the system's and substitutes each office font by its Linux family."""
    rules = []
    for name, (_alt, linux) in g.FONT_FALLBACKS.items():
        weight = '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' \
            if name == g.FONT_TITLE else ""  # 小标宋 is a heavy Song: the bold serif is its nearest
        rules.append(f'<match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
                     f'<edit name="family" mode="prepend" binding="strong"><string>{escape(linux)}</string>'
                     f'<string>Noto Serif CJK SC</string></edit>{weight}</match>')
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + "".join(rules) + "</fontconfig>")


_CHAR_GRID = re.compile(rb'(<w:docGrid\b[^>]*\bw:type=")linesAndChars(")')


def for_libreoffice(data: bytes) -> bytes:
    """A .docx's bytes with every character grid turned into a line grid (see the module's docstring)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml":
                part = _CHAR_GRID.sub(rb"\1lines\2", part)
            target.writestr(info, part)
    return out.getvalue()


def soffice() -> str:
    """The LibreOffice executable; ConversionError when neither soffice nor libreoffice is on PATH."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConversionError("LibreOffice is not installed (scripts/install-system-deps.sh installs it)")
    return found


def convert(paths: Sequence[Path], *, to: str = "pdf", outdir: Path, infilter: str | None = None,
            timeout: float = 240) -> list[Path]:
    """Convert ``paths`` in one LibreOffice run into ``outdir``; returns the written files in input order.

    ``to`` is the target extension or "ext:FilterName"; ``infilter`` an import filter with options, e.g.
    "CSV Text - Text Encoded:44,34,76" for a UTF-8 comma-separated file. Raises ConversionError.
    """
    if not paths:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    ext = to.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="ylyx-soffice-") as profile:
        inputs = []
        for path in map(Path, paths):
            if path.suffix.lower() == ".docx":
                copy = Path(profile, "in", path.name)
                copy.parent.mkdir(exist_ok=True)
                copy.write_bytes(for_libreoffice(path.read_bytes()))
                path = copy
            inputs.append(str(path))
        conf = Path(profile) / "fonts.conf"
        conf.write_text(fontconfig_xml(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": profile}
        cmd = [soffice(), f"-env:UserInstallation={Path(profile, 'user').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", "--nodefault"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", to, "--outdir", str(outdir), *inputs]
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice did not finish in {timeout:.0f} s") from exc
    outputs = [outdir / f"{Path(p).stem}.{ext}" for p in paths]
    missing = [p.name for p in outputs if not p.is_file()]
    if done.returncode != 0 or missing:
        raise ConversionError(f"LibreOffice exit {done.returncode}, missing {missing}: {done.stderr.strip()[-500:]}")
    return outputs
