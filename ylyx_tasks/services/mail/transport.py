"""Mail: composing multipart UTF-8 messages with Chinese subjects and names, and the two transports.

With ``YLYX_SMTP_HOST`` set, mail goes over SMTP (no encryption, STARTTLS or SSL; login when a user is set).
Without it, each message is written as an ``.eml`` file into the outbox folder — the default that works with no
set-up, and what a person can open in any mail program.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol

from ylyx_tasks.config import Settings, get_settings


class TransportError(Exception):
    """The message was not accepted. ``permanent`` when retrying cannot help (a refused address)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def sender_address(settings: Settings) -> Address:
    name, addr = parseaddr(settings.mail_from)
    if "@" not in addr:
        raise ValueError(f"YLYX_MAIL_FROM 不是有效的发件地址：{settings.mail_from}")
    user, domain = addr.split("@", 1)
    return Address(display_name=name, username=user, domain=domain)


class _MailPolicy(EmailPolicy):
    """The SMTP policy, except that a non-ASCII Subject is encoded by ``email.header.Header``.

    The modern folder can leave a space *between* two encoded-words when it folds a long Chinese subject, and
    mail readers drop whitespace there ("…）· 领导小组" arrives as "…）·领导小组"); ``Header`` keeps every
    space inside the encoded words, in lines of at most 76 characters.
    """

    def header_store_parse(self, name, value):
        if name.lower() == "subject" and isinstance(value, str) and not value.isascii():
            return name, Header(value, "utf-8", maxlinelen=76, header_name=name).encode(linesep=self.linesep)
        return super().header_store_parse(name, value)


SMTP_POLICY = _MailPolicy(linesep="\r\n")


def build_message(*, to_email: str, to_name: str, subject: str, text: str, html: str, message_id: str,
                  date: dt.datetime, settings: Settings | None = None, extra_headers: dict[str, str] | None = None
                  ) -> EmailMessage:
    """A multipart/alternative message (plain text first, then HTML), everything UTF-8."""
    settings = settings or get_settings()
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = sender_address(settings)
    user, domain = to_email.split("@", 1)
    msg["To"] = Address(display_name=to_name, username=user, domain=domain)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    for key, value in (extra_headers or {}).items():
        msg[key] = value
    msg.set_content(text, charset="utf-8", cte="base64")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    return msg


class Transport(Protocol):
    def send(self, message: EmailMessage, *, name: str) -> None: ...

    def close(self) -> None: ...


class OutboxTransport:
    """Writes ``<name>.eml`` into the outbox folder, atomically (a half-written file never appears)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage, *, name: str) -> None:
        """Write the file and make it visible in one rename; a full disk (or any write error) leaves no file
        behind and stops the batch (:class:`TransportUnavailable`): the next message would fail the same way."""
        target = self.folder / f"{name}.eml"
        tmp = self.folder / f".{name}.eml.tmp"
        try:
            with tmp.open("wb") as f:
                f.write(message.as_bytes())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise TransportUnavailable(f"无法写入发件箱 {self.folder}：{exc.strerror or exc}") from exc

    def close(self) -> None:
        pass


class TransportUnavailable(TransportError):
    """The server could not be reached at all: no point trying the rest of the batch now."""


class SmtpTransport:
    """One SMTP connection, opened on the first message and reused for the batch."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        host, port, timeout = s.smtp_host, s.effective_smtp_port, s.smtp_timeout_s
        try:
            if s.smtp_security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(host, port, timeout=timeout)
                if s.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportUnavailable(f"无法连接邮件服务器 {host}:{port}：{exc}") from exc
        return smtp

    def send(self, message: EmailMessage, *, name: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise TransportError(f"收件地址被拒绝：{exc.recipients}", permanent=False) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._smtp = None  # the connection is unusable; the next message reconnects
            raise TransportError(f"发送失败：{exc}") from exc
        if refused:
            raise TransportError(f"收件地址被拒绝：{refused}")

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def transport_from_settings(settings: Settings | None = None) -> Transport:
    settings = settings or get_settings()
    if settings.smtp_host:
        return SmtpTransport(settings)
    return OutboxTransport(settings.outbox_dir)
