"""Mail over a real SMTP server (aiosmtpd on 127.0.0.1, a free port): the scan's notices and the weekly digest
arrive as multipart UTF-8 messages with Chinese subjects and display names, to exactly the right people, with
user-written text escaped in the HTML part. Plain SMTP, login without TLS, STARTTLS with login, and SSL.

Personas (contacts): 张主任 and the duty desk of 市民政局 (lead of most tasks), 李科长 of 市卫健委, 周八 of 市发展改革委
(whose name someone typed with markup in it), 王秘书长 of 领导小组, 赵区长 of 盐湖区 (a county: territorial duty only),
钱组长 of 养老专班 (a working group), and 孙科员 of 市科技局 (supports a task that has no 2022 milestone: no notice
concerns him).
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import REPO
from sqlmodel import select

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
EVIL_TITLE = f"加力整体推进增供给{SCRIPT}&Co"
EVIL_NAME = f"周{SCRIPT}&八"
EVIL_NOTE = f"约谈{SCRIPT}&限期整改"
SENDER_NAME = "运城市养老托育工作专班办公室"
SENDER = f"{SENDER_NAME} <ducha@yc.example.cn>"
# an ampersand that does not start an entity: raw user text in HTML
RAW_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")
MARK = {"督办": "督", "通报": "通", "催报": "催"}
NUMBER = re.compile(r"运养托[提催督通]〔\d{4}〕\d+号")

CONTACTS = f"""unit,name,email
市民政局,张主任,zhang@mz.example.cn
民政局,民政局值班室,duty@mz.example.cn
市卫健委,李科长,li@wj.example.cn
市发展改革委,{EVIL_NAME},zhou@fg.example.cn
领导小组,王秘书长,wang@ld.example.cn
盐湖区,赵区长,zhao@yh.example.cn
养老专班,钱组长,qian@yl.example.cn
市科技局,孙科员,sun@kj.example.cn
"""


# --- a real SMTP server -----------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: bytes | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)


class Mailbox:
    """An aiosmtpd handler that keeps every envelope it accepted."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        # STARTTLS sets session.ssl; a connection that was TLS from the start shows on its transport
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          envelope.original_content or envelope.content, login, tls))
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)


class Credentials:
    """SMTP AUTH (LOGIN / PLAIN) against one user name and password."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """An aiosmtpd controller on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self, port: int | None = None, **smtp_options) -> None:
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.options = smtp_options
        self.controller: Controller | None = None

    def start(self) -> "SmtpServer":
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, ready_timeout=10,
                                     **self.options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        return self.mailbox.snapshot()


def use_smtp(monkeypatch, port: int, security: str = "none", user: str = "", password: str = "") -> None:
    """Point the app's mail settings at the test server (the database settings stay as they are)."""
    from ylyx_tasks import config

    monkeypatch.setenv("YLYX_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("YLYX_SMTP_PORT", str(port))
    monkeypatch.setenv("YLYX_SMTP_SECURITY", security)
    monkeypatch.setenv("YLYX_SMTP_USER", user)
    monkeypatch.setenv("YLYX_SMTP_PASSWORD", password)
    monkeypatch.setenv("YLYX_SMTP_TIMEOUT_S", "10")
    monkeypatch.setenv("YLYX_MAIL_FROM", SENDER)
    config.get_settings.cache_clear()


@pytest.fixture
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


# --- the scripted situation -------------------------------------------------------------------------------


def office():
    from ylyx_tasks.domain.roles import Actor, Role

    return Actor(user_id=None, username="office-test", role=Role.OFFICE)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The real command line, in a process of its own, with the test's environment."""
    return subprocess.run([sys.executable, "-m", "ylyx_tasks", *args], capture_output=True, text=True,
                          timeout=120)


def import_contacts(text: str) -> None:
    from ylyx_tasks.db import write_session
    from ylyx_tasks.services.mail.recipients import import_contacts as do_import

    with write_session() as session:
        do_import(session, office(), text.encode("utf-8"))


def import_evil_task_title(tmp_path: Path) -> None:
    """Re-import task 3.1 through ``ylyx-tasks import-tasks`` with markup and an ampersand in its title."""
    with open(REPO / "data" / "tasks_seed.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, row = rows[0], next(r for r in rows[1:] if r[0] == "3.1")
    row = list(row)
    row[header.index("title")] = EVIL_TITLE
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    path = tmp_path / "tasks-3.1.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = run_cli("import-tasks", str(path))
    assert result.returncode == 0, result.stderr


def notice_of(session, code: str, level: str):
    from ylyx_tasks.models import Notice, Task

    return session.exec(select(Notice).join(Task, Task.id == Notice.task_id)
                        .where(Task.code == code, Notice.level == level).order_by(Notice.id)).first()


def prepare_situation(tmp_path: Path) -> None:
    """2023-01-03: 督办 for the five 2022 milestones and 催报 for every task; 市民政局 answers the 督办 of 3.2.2
    (with markup in its answer); 2023-02-01: the January 通报 is drafted with the four 督办 still unanswered; the
    office adds 3.2.2 with a note of its own and issues it (第1期)."""
    from ylyx_tasks.db import read_session, write_session
    from ylyx_tasks.domain.bulletins import BulletinRules
    from ylyx_tasks.models import Bulletin
    from ylyx_tasks.services.supervision import bulletins, notices
    from ylyx_tasks.services.supervision.scan import run_scan

    import_evil_task_title(tmp_path)
    import_contacts(CONTACTS)
    run_scan(dt.date(2023, 1, 3))
    with write_session() as session:
        answered = notice_of(session, "3.2.2", "督办")
        notices.answer(session, office(), notice_id=answered.id, situation=f"已完成七成{SCRIPT}&", reason="资金未到位",
                       new_date=dt.date(2023, 3, 31), today=dt.date(2023, 1, 5))
    run_scan(dt.date(2023, 2, 1))
    with read_session() as session:
        january = session.exec(select(Bulletin).where(Bulletin.period == "2023-01")).one()
    with write_session() as session:
        bulletins.add_matter(session, office(), bulletin_id=january.id, notice_id=answered.id, reason=EVIL_NOTE)
    with write_session() as session:
        bulletins.issue(session, office(), bulletin_id=january.id, today=dt.date(2023, 2, 1), rules=BulletinRules())


def expected_notice_mail() -> set[tuple[str, str]]:
    """(notice number, address) for every notice, worked out from the responsibilities and contacts: the lead
    department's contacts; for 督办 and 通报 also the supporting departments'; for 通报 also 领导小组's; and for
    every issued bulletin (通报（第N期）) 领导小组's and the contacts of each unit it names."""
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Bulletin, BulletinMatter, Contact, Notice, Responsibility

    with read_session() as session:
        by_department: dict[int, set[str]] = {}
        leadership: set[str] = set()
        for c in session.exec(select(Contact)):
            if c.unit_key == "leadership":
                leadership.add(c.email)
            elif c.department_id is not None:
                by_department.setdefault(c.department_id, set()).add(c.email)
        expected = set()
        for n in session.exec(select(Notice)):
            to = set(by_department.get(n.department_id, set()))
            if n.level in ("督办", "通报"):
                for r in session.exec(select(Responsibility).where(Responsibility.task_id == n.task_id,
                                                                   Responsibility.duty == "配合")):
                    to |= by_department.get(r.department_id, set())
            if n.level == "通报":
                to |= leadership
            expected |= {(n.number, address) for address in to}
        for b in session.exec(select(Bulletin).where(Bulletin.status == "已印发")):
            to = set(leadership)
            for m in session.exec(select(BulletinMatter).where(BulletinMatter.bulletin_id == b.id)):
                to |= by_department.get(m.department_id, set())
            expected |= {(b.number, address) for address in to}
    return expected


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def parts(message: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def assert_well_formed(received: Received, names: dict[str, str]) -> tuple[str, str]:
    """One recipient per message; multipart/alternative with UTF-8 plain text and HTML; Chinese display names.
    Returns (plain text, html)."""
    message = received.message
    assert len(received.rcpt_tos) == 1
    rcpt = received.rcpt_tos[0]
    # a 督办 or 通报 adds its formal document: the alternative bodies then sit in multipart/mixed
    assert message.get_content_type() in ("multipart/alternative", "multipart/mixed")
    assert message["From"].addresses[0].display_name == SENDER_NAME
    assert message["From"].addresses[0].addr_spec == "ducha@yc.example.cn"
    assert received.mail_from == "ducha@yc.example.cn"
    to = message["To"].addresses
    assert [a.addr_spec for a in to] == [rcpt]
    assert to[0].display_name == names[rcpt]
    assert message["Message-ID"] and message["Date"]
    found = parts(message)
    assert set(found) - {DOCX} == {"text/plain", "text/html"}
    assert (DOCX in found) == (message.get_content_type() == "multipart/mixed")
    for kind in ("text/plain", "text/html"):
        assert found[kind].get_content_charset() == "utf-8"
    return found["text/plain"].get_content(), found["text/html"].get_content()


def assert_escaped(html: str) -> None:
    """No user-written markup or bare ampersand survives in an HTML part."""
    assert "<script" not in html.lower()
    assert "onerror" not in html
    assert not RAW_AMPERSAND.search(html), RAW_AMPERSAND.search(html)


def contact_names() -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(CONTACTS)))
    return {r["email"]: r["name"] for r in rows}


# --- tests ------------------------------------------------------------------------------------------------


def test_it_delivers_the_scans_notices_to_the_right_people_as_utf8_multipart(
        plan_sqlite, tmp_path, monkeypatch, smtp_server):
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Delivery
    from ylyx_tasks.services.mail.queue import deliver_pending

    use_smtp(monkeypatch, smtp_server.port)
    prepare_situation(tmp_path)

    report = deliver_pending(due_only=False)

    received = smtp_server.received
    with read_session() as session:
        deliveries = list(session.exec(select(Delivery).where(Delivery.kind.in_(["notice", "bulletin"]))))
    assert report.failed == 0 and report.sent == len(deliveries) == len(received) > 0
    assert all(d.status == "sent" and d.message_id for d in deliveries)
    recorded = {d.message_id: d for d in deliveries}
    names = contact_names()
    got: Counter[tuple[str, str]] = Counter()
    for r in received:
        text, html = assert_well_formed(r, names)
        subject = r.message["Subject"]
        delivery = recorded[r.message["Message-ID"]]
        assert subject == delivery.subject and r.rcpt_tos == [delivery.recipient_email]
        number = NUMBER.search(subject).group(0)
        got[(number, r.rcpt_tos[0])] += 1
        assert_escaped(html)
        if "工作进展情况的通报（第1期）" in subject:  # the bulletin: the office's own note, verbatim and escaped
            assert number == "运养托通〔2023〕1号" and EVIL_NOTE in text
            assert f"约谈{ESCAPED_SCRIPT}&amp;限期整改" in html
            continue
        level = subject[1:3]
        assert subject.startswith(f"【{level}】运养托{MARK[level]}〔2023〕")
        assert r.message["Auto-Submitted"] == "auto-generated" and r.message["Precedence"] is None
        attached = parts(r.message).get(DOCX)
        assert (attached is not None) == (level in ("督办", "通报"))
        if attached is not None:
            kind = "督办通知单" if level == "督办" else "通报"
            assert attached.get_filename() == f"{kind}（{number}）.docx"
            document = docx.Document(io.BytesIO(attached.get_content()))
            assert number in "\n".join(p.text for p in document.paragraphs)
        if "3.1“" in subject:
            # the imported title: verbatim in the subject and the plain text, escaped in the HTML
            assert EVIL_TITLE in subject and EVIL_TITLE in text
            assert f"{ESCAPED_SCRIPT}&amp;Co" in html
        if r.rcpt_tos[0] == "zhou@fg.example.cn":
            assert text.startswith(f"{EVIL_NAME}：")
            assert f"周{ESCAPED_SCRIPT}&amp;八" in html
    assert max(got.values()) == 1  # nobody receives the same notice twice
    assert set(got) == expected_notice_mail()
    recipients = {rcpt for _, rcpt in got}
    # a county (territorial duty), a working group and an unrelated department receive no notice mail
    assert not recipients & {"zhao@yh.example.cn", "qian@yl.example.cn", "sun@kj.example.cn"}
    # 领导小组 receives the bulletin and nothing else; no per-milestone 通报 is made any more
    leadership = {number for number, rcpt in got if rcpt == "wang@ld.example.cn"}
    assert leadership == {"运养托通〔2023〕1号"}
    with read_session() as session:
        from ylyx_tasks.models import Notice

        assert session.exec(select(Notice.number).where(Notice.level == "通报")).all() == []


def test_it_delivers_the_weekly_digest_to_every_unit_with_something_to_read(
        plan_sqlite, tmp_path, monkeypatch, smtp_server):
    from ylyx_tasks.services.mail.queue import deliver_pending
    from ylyx_tasks.services.supervision.digest import run_digest

    use_smtp(monkeypatch, smtp_server.port)
    prepare_situation(tmp_path)
    deliver_pending(due_only=False)
    before = len(smtp_server.received)

    run = run_digest(dt.date(2023, 2, 6))  # the week the January 通报 was issued
    report = deliver_pending(due_only=False)

    digests = smtp_server.received[before:]
    assert report.failed == 0 and report.sent == run.mails == len(digests)
    names = contact_names()
    by_rcpt = {}
    for r in digests:
        text, html = assert_well_formed(r, names)
        assert r.message.get_content_type() == "multipart/alternative"  # nothing attached
        assert r.message["Precedence"] == "bulk" and r.message["Auto-Submitted"] == "auto-generated"
        assert r.message["List-Id"] == "每周督办简报 <weekly-digest.yc.example.cn>"
        assert r.message["List-Unsubscribe"].startswith("<mailto:ducha@yc.example.cn?subject=")
        assert_escaped(html)
        assert r.rcpt_tos[0] not in by_rcpt
        by_rcpt[r.rcpt_tos[0]] = (r.message["Subject"], text, html)
    # every contact's unit has something to read this week: each receives exactly one digest
    assert set(by_rcpt) == set(names)
    subject, text, html = by_rcpt["wang@ld.example.cn"]
    # (spaces compared loosely here: see test_it_keeps_every_space_of_a_digest_subject)
    assert subject.replace(" ", "").startswith("每周督办简报（2023年2月6日）·十四五养老托育·领导小组·")
    assert re.search(r"· ?\d+ 项需关注$", subject)
    assert "逾期未完成的节点" in text and "本周印发的通报" in text
    assert EVIL_TITLE in text and EVIL_NOTE in text
    assert f"{ESCAPED_SCRIPT}&amp;Co" in html and f"约谈{ESCAPED_SCRIPT}&amp;限期整改" in html
    assert by_rcpt["zhao@yh.example.cn"][0].replace(" ", "").startswith("每周督办简报（2023年2月6日）·十四五养老托育·盐湖区人民政府")
    assert by_rcpt["qian@yl.example.cn"][0].replace(" ", "").startswith("每周督办简报（2023年2月6日）·十四五养老托育·养老专班")
    zhou_text, zhou_html = by_rcpt["zhou@fg.example.cn"][1:]
    assert zhou_text.lstrip().startswith(f"{EVIL_NAME}：")
    assert f"周{ESCAPED_SCRIPT}&amp;八" in zhou_html


def test_it_keeps_every_space_of_a_digest_subject(plan_sqlite, monkeypatch, smtp_server):
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Delivery
    from ylyx_tasks.services.mail.queue import deliver_pending
    from ylyx_tasks.services.supervision.digest import run_digest
    from ylyx_tasks.services.supervision.scan import run_scan

    use_smtp(monkeypatch, smtp_server.port)
    import_contacts("unit,name,email\n领导小组,王秘书长,wang@ld.example.cn\n")
    run_scan(dt.date(2023, 1, 3))
    run_digest(dt.date(2023, 1, 16))
    deliver_pending(due_only=False)

    with read_session() as session:
        recorded = session.exec(select(Delivery).where(Delivery.kind == "digest")).one()
    [received] = [r for r in smtp_server.received if r.message["Message-ID"] == recorded.message_id]
    assert recorded.subject.startswith("每周督办简报（2023年1月16日）· 十四五养老托育 · 领导小组 · ")
    assert received.message["Subject"] == recorded.subject


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_it_logs_in_without_tls_when_the_server_allows_it(plan_sqlite, monkeypatch):
    from ylyx_tasks.services.mail.queue import send_test_mail

    server = SmtpServer(authenticator=Credentials("ducha", "S3cret-pass"), auth_require_tls=False,
                        auth_required=True).start()
    try:
        use_smtp(monkeypatch, server.port, user="ducha", password="S3cret-pass")
        report = send_test_mail(office(), "li@wj.example.cn")
        received = server.received
    finally:
        server.stop()
    assert report.sent == 1 and report.failed == 0
    assert len(received) == 1 and received[0].login == b"ducha"
    assert received[0].rcpt_tos == ["li@wj.example.cn"]
    message = received[0].message
    assert message["Subject"] == "【测试】督查督办系统测试邮件"
    assert "测试邮件" in parts(message)["text/plain"].get_content()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_it_keeps_the_mail_pending_when_the_login_is_refused(plan_sqlite, monkeypatch):
    from ylyx_tasks.db import read_session
    from ylyx_tasks.models import Delivery
    from ylyx_tasks.services.mail.queue import send_test_mail

    server = SmtpServer(authenticator=Credentials("ducha", "S3cret-pass"), auth_require_tls=False,
                        auth_required=True).start()
    try:
        use_smtp(monkeypatch, server.port, user="ducha", password="wrong-password")
        report = send_test_mail(office(), "li@wj.example.cn")
        received = server.received
    finally:
        server.stop()
    assert report.sent == 0 and report.failed == 1 and received == []
    with read_session() as session:
        delivery = session.exec(select(Delivery)).one()
    assert delivery.status == "pending" and delivery.attempts == 1 and "127.0.0.1" in delivery.last_error


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (by the openssl command: `cryptography` is not installed)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def server_tls_context(certificate) -> ssl.SSLContext:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_it_sends_over_tls_with_a_login(plan_sqlite, tmp_path, monkeypatch, certificate, security):
    from ylyx_tasks.services.mail.queue import deliver_pending
    from ylyx_tasks.services.supervision.scan import run_scan

    # the client verifies the server's certificate against the default trust store: trust ours
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    context = server_tls_context(certificate)
    options = dict(authenticator=Credentials("ducha", "S3cret-pass"), auth_required=True)
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    else:
        # aiosmtpd only counts STARTTLS as TLS for auth_require_tls; this connection is TLS from the start
        options.update(ssl_context=context, auth_require_tls=False)
    server = SmtpServer(**options).start()
    try:
        use_smtp(monkeypatch, server.port, security=security, user="ducha", password="S3cret-pass")
        import_contacts("unit,name,email\n市卫健委,李科长,li@wj.example.cn\n")
        run_scan(dt.date(2023, 1, 3))
        report = deliver_pending(due_only=False)
        received = server.received
    finally:
        server.stop()
    # 市卫健委: 催报 and 督办 for 3.4.2 which it leads, 督办 copies for 3.1, 3.2.2 and 3.3.3 which it supports
    assert report.failed == 0 and report.sent == len(received) == 5
    assert all(r.login == b"ducha" and r.tls for r in received)
    subjects = sorted(r.message["Subject"] for r in received)
    assert sum(s.startswith("【督办】运养托督〔2023〕") for s in subjects) == 4
    assert sum(s.startswith("【催报】运养托催〔2023〕") for s in subjects) == 1


def test_it_refuses_a_server_whose_certificate_it_cannot_verify(plan_sqlite, monkeypatch, certificate):
    from ylyx_tasks.services.mail.queue import send_test_mail

    # no SSL_CERT_FILE: the self-signed certificate is not trusted
    server = SmtpServer(tls_context=server_tls_context(certificate), require_starttls=True).start()
    try:
        use_smtp(monkeypatch, server.port, security="starttls")
        report = send_test_mail(office(), "li@wj.example.cn")
        received = server.received
    finally:
        server.stop()
    assert report.sent == 0 and report.failed == 1 and received == []
    assert "certificate" in report.errors[0].lower() or "证书" in report.errors[0]
