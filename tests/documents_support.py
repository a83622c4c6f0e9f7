"""Shared by the document tests: reading .docx parts, running pdfinfo/pdftoppm, the artifacts folder."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def styled(body: etree._Element, style_id: str) -> list[etree._Element]:
    """The paragraphs of ``body`` in the paragraph style ``style_id``."""
    return body.xpath(f".//w:p[w:pPr/w:pStyle/@w:val='{style_id}']", namespaces=NS)


def all_parts_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_count(path: Path) -> int:
    return int(pdfinfo(path)["Pages"].strip())


def page_size_pts(path: Path) -> tuple[float, float]:
    w, h = re.match(r"\s*([\d.]+) x ([\d.]+) pts", pdfinfo(path)["Page size"]).groups()
    return float(w), float(h)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def first_page_png(pdf: Path, name: str, dpi: int = 70) -> Path:
    """Page 1 of ``pdf`` as test-artifacts/<name>.png (kept for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf), str(stem)],
                   check=True)
    return stem.with_suffix(".png")
