"""Backend settings, from environment variables and an optional TOML file.

Every setting has a typed key, a default and one place it is read (STYLE.md §4). Secrets (the
admin token, TLS key) come from the environment or files the operator protects, never from the
repository. Precedence: environment > file > default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

ENV_PREFIX = "CENTER_DESK_BACKEND_"


@dataclass(frozen=True)
class BackendSettings:
    #: SQLAlchemy URL: postgresql+psycopg://… in production, sqlite:///… for the demo only.
    database_url: str = "sqlite:///center-desk-backend.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8443
    #: HTTPS: PEM certificate chain and key. Without them the server refuses to listen on
    #: anything but loopback (see ``__main__``).
    tls_certfile: str | None = None
    tls_keyfile: str | None = None
    staff_session_minutes: int = 12 * 60
    citizen_session_minutes: int = 60
    enrollment_code_hours: int = 72
    #: Failed sign-ins before an account is locked, and for how long.
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    #: How long a desk may sign staff in offline after their last online sign-in.
    offline_sign_in_days: int = 14
    #: Bearer token for /v1/admin; empty disables the admin API (the CLI still works).
    admin_token: str = ""
    #: Sync: how far back and ahead a desk keeps reservations (DESIGN.md §3).
    sync_days_back: int = 30
    sync_days_ahead: int = 92
    #: Tombstones older than this are compacted; older cursors get a snapshot.
    change_log_retention_days: int = 60
    #: Look-ups of groups registered at another center, per desk per hour: above the alert
    #: level the backend logs an alert line and audits it; at the limit it refuses (429).
    foreign_lookup_alert_per_hour: int = 10
    foreign_lookups_per_hour: int = 30
    #: Retention (README, "Retention"): a de-registered group's personal data and an
    #: individual's name on a booking are anonymised this many days after de-registration or
    #: use; audit events lose their staff id and subject after ``audit_retention_days``.
    #: The city sets both; these defaults are our assumption (DOMAIN.md has no figure).
    personal_data_retention_days: int = 365
    audit_retention_days: int = 5 * 365
    #: "production", "demo" or "test". Only non-production may fix the clock.
    environment: str = "production"
    #: ISO datetime: freeze the server clock (demo and tests only; refused in production).
    fixed_time: str | None = None
    #: Load (docs/backend-load.md): requests working at once per process (writes; reads have
    #: a lane of their own), requests allowed
    #: to wait for a turn, and how long one waits before it is answered 503 + Retry-After.
    max_in_flight: int = 8
    max_reads_in_flight: int = 4
    max_queued: int = 1000
    queue_seconds: float = 10.0
    #: Database: connections per process and how long a request waits for one; how long a
    #: statement waits for a row lock before it gives up (both answered 503, never a hang).
    db_pool_size: int = 20
    db_pool_timeout_seconds: float = 5.0
    db_lock_timeout_ms: int = 5000
    db_statement_timeout_ms: int = 30000
    #: Largest request body accepted (413 beyond). A full push batch is well under this.
    max_body_bytes: int = 2 * 1024 * 1024
    #: Sign-in attempts per minute from one client address and for one account (429 beyond).
    sign_ins_per_client_per_minute: int = 60
    sign_ins_per_account_per_minute: int = 12
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def validate(self) -> None:
        if self.environment not in {"production", "demo", "test"}:
            raise ValueError(f"unknown environment {self.environment!r}")
        if self.fixed_time and self.environment == "production":
            raise ValueError("a fixed clock is for demo and test environments only")
        if self.fixed_time:
            moment = datetime.fromisoformat(self.fixed_time)
            if moment.tzinfo is None:
                raise ValueError("fixed_time needs a timezone, e.g. 2027-01-04T09:00:00+09:00")
        if self.personal_data_retention_days < 1 or self.audit_retention_days < 1:
            raise ValueError("retention periods must be at least one day")
        if not 0 < self.foreign_lookup_alert_per_hour <= self.foreign_lookups_per_hour:
            raise ValueError(
                "foreign_lookup_alert_per_hour must be positive and not above the limit"
            )
        if bool(self.tls_certfile) != bool(self.tls_keyfile):
            raise ValueError("tls_certfile and tls_keyfile go together")
        for name in (
            "max_in_flight",
            "max_reads_in_flight",
            "db_pool_size",
            "max_body_bytes",
            "sign_ins_per_client_per_minute",
            "sign_ins_per_account_per_minute",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_queued < 0 or self.queue_seconds <= 0:
            raise ValueError("max_queued must be 0 or more and queue_seconds above 0")


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()} must be a whole number") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()} must be a number") from None
    return raw


def load_settings(
    config_file: Path | None = None, environ: dict[str, str] | None = None
) -> BackendSettings:
    """Settings from ``config_file`` (TOML, optional; also ``CENTER_DESK_BACKEND_CONFIG``) and
    ``CENTER_DESK_BACKEND_<KEY>`` environment variables."""
    env = dict(os.environ if environ is None else environ)
    settings = BackendSettings()
    path = config_file or (
        Path(env[f"{ENV_PREFIX}CONFIG"]) if f"{ENV_PREFIX}CONFIG" in env else None
    )
    known = {f.name: f for f in fields(BackendSettings) if f.name != "extra"}
    if path is not None:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        unknown = set(data) - set(known)
        if unknown:
            raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
        settings = replace(settings, **data)
    overrides: dict[str, Any] = {}
    for name in known:
        raw = env.get(f"{ENV_PREFIX}{name.upper()}")
        if raw is not None:
            overrides[name] = _coerce(name, raw, getattr(BackendSettings, name, None))
    settings = replace(settings, **overrides)
    settings.validate()
    return settings
