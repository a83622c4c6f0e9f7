"""The one settings object. Everything configurable is read here, from ``YLYX_*`` variables and ``.env``.

No other module reads the environment: they call :func:`get_settings`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ylyx_tasks.domain.security.passwords import password_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    """Typed settings; each field is the variable ``YLYX_<NAME>`` (see the README's configuration table)."""

    model_config = SettingsConfigDict(env_prefix="YLYX_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- storage -------------------------------------------------------------------------------------------
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite file data/ylyx.db")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="folder with plan.toml and the seed CSV files")
    sqlite_busy_timeout_ms: int = Field(default=15000, ge=0)

    # --- time ----------------------------------------------------------------------------------------------
    timezone: str = Field(default="Asia/Shanghai")
    today: dt.date | None = Field(default=None, description="YYYY-MM-DD: pretend today is this day (demos)")

    # --- supervision rules ---------------------------------------------------------------------------------
    report_due_day: int = Field(default=25, ge=1, le=28, description="day of the month monthly reports are due")
    reminder_days: tuple[int, ...] = Field(default=(30, 7), description="提醒 this many days before a due date")
    yellow_within_days: int = Field(default=30, ge=0)
    behind_schedule_points: float = Field(default=10.0, ge=0, le=100, description="序时进度 tolerance (points)")
    response_working_days: int = Field(default=5, ge=1, description="督办 answer deadline in working days")
    escalate_after_days: int = Field(default=30, ge=1,
                                     description="listed in the next 通报 when still unfinished N days after 督办")
    stale_after_days: int = Field(default=45, ge=1, description="久未更新: no report from the lead unit for N days")
    bulletin_months: Literal[1, 2, 3, 4, 6, 12] = Field(default=1, description="通报（第N期）: one per this many months")
    bulletin_draft_day: int = Field(default=1, ge=1, le=28,
                                    description="day of the month after a period on which its 通报 is drafted")
    bulletin_rectify_days: int = Field(default=15, ge=1, description="限期整改: days from a 通报's issue")
    notice_prefix: str = Field(default="运养托", description="prefix of notice numbers: 运养托督〔2026〕12号")
    issuing_office: str = Field(default="运城市促进养老托育服务高质量发展工作领导小组办公室")
    leading_group: str = Field(default="", description="领导小组 in 抄送; empty = the issuing office without 办公室")
    contact_name: str = Field(default="", description="联系人 printed on 督办通知单 and 通报")
    contact_phone: str = Field(default="", description="联系电话 printed on 督办通知单 and 通报")

    # --- mail ----------------------------------------------------------------------------------------------
    smtp_host: str = Field(default="", description="empty = write .eml files to the outbox folder")
    smtp_port: int = Field(default=0, ge=0, le=65535, description="0 = 25, 587 or 465 by security")
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    mail_from: str = Field(default="运城市养老托育工作专班办公室 <ylyx-tasks@localhost>")
    outbox_dir: Path = Field(default=DEFAULT_DATA_DIR / "outbox")
    app_url: str = Field(default="http://localhost:8501", description="link printed in mails")

    # --- web app and accounts ------------------------------------------------------------------------------
    admin_password: str = Field(default="", description="password of the first office account; empty = random")
    session_minutes: int = Field(default=120, ge=5)
    # Argon2id at OWASP's baseline (Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane): about 0.02 s of one
    # core per sign-in, where argon2-cffi's default (64 MiB, 3 passes, 4 lanes) costs 0.15 s of CPU — the largest
    # part of a person's first minute on a 2-core server on report day. Hashes made with other parameters still
    # verify and are re-hashed at the next sign-in.
    argon2_time_cost: int = Field(default=2, ge=1, description="Argon2id passes (OWASP baseline: 2)")
    argon2_memory_kib: int = Field(default=19456, ge=1024, description="Argon2id memory (OWASP baseline: 19 MiB)")
    argon2_parallelism: int = Field(default=1, ge=1, le=16, description="Argon2id lanes (OWASP baseline: 1)")
    max_failed_logins: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    max_upload_mb: int = Field(default=10, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        ZoneInfo(v)  # raises for an unknown zone: better at start than at the first due date
        return v

    @field_validator("admin_password")
    @classmethod
    def _strong_admin_password(cls, v: str) -> str:
        problem = password_problem(v, "admin") if v else None
        if problem:
            raise ValueError(f"YLYX_ADMIN_PASSWORD: {problem}")
        return v

    @model_validator(mode="after")
    def _smtp_login_complete(self) -> "Settings":
        if bool(self.smtp_user) != bool(self.smtp_password):
            raise ValueError("YLYX_SMTP_USER and YLYX_SMTP_PASSWORD go together")
        return self

    # --- derived -------------------------------------------------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ylyx.db').as_posix()}"

    @property
    def mail_link_warning(self) -> str:
        """What to say when mails would link to this machine only (YLYX_APP_URL left at localhost); "" when set."""
        host = urlsplit(self.app_url).hostname or ""
        if host not in ("localhost", "127.0.0.1", "::1"):
            return ""
        return (f"邮件中的链接指向 {self.app_url}（YLYX_APP_URL 未设置为内网地址），收件人在自己的电脑上打不开；"
                "请把 YLYX_APP_URL 设为本系统在内网的访问地址。")

    @property
    def effective_smtp_port(self) -> int:
        return self.smtp_port or {"none": 25, "starttls": 587, "ssl": 465}[self.smtp_security]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once. Tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings()
