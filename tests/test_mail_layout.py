"""The mail as people read it: the 督办 and 通报 notices and the leadership and department digests, rendered from a
real situation and opened in Debian's chromium at 375, 390 and 800 px. Nothing runs off the side of the screen,
no label or value is squeezed to one character a line ("主/送"), and 文号 and dates stay on one line. A picture
of each at 800 and 390 px is kept in test-artifacts/."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from sqlmodel import select
from test_mail_smtp import CONTACTS, import_contacts, office

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
WIDTHS = (375, 390, 800)

# For each element holding text: its width, font size, number of line boxes, and whether it must stay whole.
MEASURE = r"""() => {
  const out = [];
  for (const el of document.body.querySelectorAll('p, div, li, h1, h2, h3, b, span, a, summary, td, th')) {
    const text = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (text.length < 2) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    const style = getComputedStyle(el);
    const tops = new Set(Array.from(el.getClientRects()).map(x => Math.round(x.top))).size;
    const lines = Math.max(tops, Math.round(r.height / (parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize))));
    out.push({text: text.slice(0, 30), width: r.width, font: parseFloat(style.fontSize),
              nowrap: style.whiteSpace === 'nowrap', height: r.height, lineHeight: parseFloat(style.lineHeight),
              lines: lines});
  }
  // 文号 and dates broken over two lines
  const split = [];
  const pattern = /\d{4}年\d{1,2}月\d{1,2}日|[\u4e00-\u9fa5]{2,5}〔\d{4}〕\d+号/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).map(x => Math.round(x.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return {elements: out, split: split, scroll: document.documentElement.scrollWidth, inner: window.innerWidth};
}"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or not shutil.which("chromium"):
        raise RuntimeError("Debian's chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def mails(plan_sqlite) -> dict[str, str]:
    """The HTML of a 督办 and a 通报 as their lead unit reads them, and the digests of the leadership and of
    市民政局 for Monday 2023-01-16, after the scans of 2023-01-03 and 2023-01-11."""
    from ylyx_tasks.db import read_session, write_session
    from ylyx_tasks.domain.bulletins import BulletinRules
    from ylyx_tasks.models import Bulletin, Delivery, Notice
    from ylyx_tasks.services.supervision import bulletins
    from ylyx_tasks.services.supervision.digest import run_digest
    from ylyx_tasks.services.supervision.scan import run_scan

    import_contacts(CONTACTS)
    run_scan(dt.date(2023, 1, 3))
    run_scan(dt.date(2023, 1, 11))
    run_digest(dt.date(2023, 1, 16))
    run_scan(dt.date(2023, 2, 1))  # drafts January's 通报（第N期）; the office issues it
    with write_session() as s:
        january = s.exec(select(Bulletin).where(Bulletin.period == "2023-01")).one()
        bulletins.issue(s, office(), bulletin_id=january.id, today=dt.date(2023, 2, 1), rules=BulletinRules())
    out = {}
    with read_session() as s:
        notice = s.exec(select(Notice).where(Notice.level == "督办").order_by(Notice.id)).first()
        out["notice-督办"] = s.exec(select(Delivery).where(Delivery.notice_id == notice.id)).first().body_html
        out["notice-通报"] = s.exec(select(Delivery).where(Delivery.kind == "bulletin")).first().body_html
        digests = s.exec(select(Delivery).where(Delivery.kind == "digest")).all()
        out["digest-领导小组"] = next(d for d in digests if d.recipient_email == "wang@ld.example.cn").body_html
        out["digest-市民政局"] = next(d for d in digests if "市民政局" in d.subject).body_html
    return out


def test_every_mail_reads_at_phone_and_desktop_widths(browser, mails, tmp_path):
    for name, html in mails.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(path.as_uri())
            found = page.evaluate(MEASURE)
            where = f"{name} at {width} px"
            assert found["scroll"] <= found["inner"], f"{where}: wider than the screen"
            assert len(found["elements"]) > 10, where
            assert found["split"] == [], f"{where}: broken over two lines: {found['split']}"
            for el in found["elements"]:
                # text on several lines in a box a few characters wide: a column squeezed to a character a line
                if el["lines"] > 1:
                    assert el["width"] >= 4 * el["font"], f"{where}: {el['text']!r} is {el['width']:.0f} px wide"
                if el["nowrap"]:
                    assert el["lines"] == 1, f"{where}: {el['text']!r} broken over {el['lines']} lines"
            if width in (390, 800):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"mail-{name}-{width}.png"), full_page=True)
            context.close()


def test_numbers_and_dates_are_kept_whole(mails):
    assert '<span style="white-space:nowrap">运养托督〔2023〕1号</span>' in mails["notice-督办"]
    assert '<span style="white-space:nowrap">2022年12月31日</span>' in mails["notice-督办"]
    assert '<meta name="viewport"' in mails["digest-领导小组"] and "<table" not in mails["digest-领导小组"]
