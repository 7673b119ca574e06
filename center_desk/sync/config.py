"""The desk's settings: typed keys with defaults, in a JSON file only the desk's user can read.

Nothing secret goes here (STYLE.md §4): the device token is in the OS keyring
(:mod:`center_desk.sync.credentials`) and the cache key too.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "center-desk"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "desk.json"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DeskConfig:
    #: The reservation backend, e.g. https://yoyaku.example.lg.jp (HTTPS outside the demo).
    backend_url: str
    device_id: str
    center_id: str
    device_name: str = "counter"
    #: PEM file of the CA the city's backend certificate is issued by.
    ca_file: str | None = None
    #: Where the encrypted cache lives; the user data directory by default.
    data_dir: str | None = None
    #: Seconds between syncs when nothing is waiting.
    sync_interval: float = 30.0
    #: Idle minutes before the desk locks itself (the city may lower it).
    idle_lock_minutes: int = 5
    #: Days an offline sign-in stays possible after the last online one at this desk.
    offline_sign_in_days: int = 14
    #: Print queues staff may print to (CUPS names on Linux, printer names on Windows).
    allowed_printers: tuple[str, ...] = ()
    printer: str | None = None
    #: Strict posture mode (set by the city): hide personal data when USB storage is not
    #: blocked, instead of only warning.
    strict_posture: bool = False
    #: The citizens' online reservation site, printed on the registration notice.
    citizen_portal_url: str | None = None
    #: Days applied outbox rows and synced audit events stay in the cache (they name people).
    retention_days: int = 30
    #: Days a cache set aside after it would not open is kept, with its key, for the city's IT.
    set_aside_days: int = 30

    @property
    def cache_path(self) -> Path:
        base = Path(self.data_dir) if self.data_dir else default_data_dir()
        return base / "desk-cache.sqlcipher"

    def validate(self) -> None:
        if not self.backend_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ValueError("the backend must be reached over HTTPS")
        if self.idle_lock_minutes < 1 or self.idle_lock_minutes > 60:
            raise ValueError("idle_lock_minutes must be between 1 and 60")
        if self.retention_days < 1 or self.set_aside_days < 1:
            raise ValueError("retention_days and set_aside_days must be at least 1")


def load_config(path: Path | None = None) -> DeskConfig | None:
    """The desk's settings, or None before the first enrollment."""
    source = path or default_config_path()
    if not source.exists():
        return None
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    known = {f.name for f in fields(DeskConfig)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown settings in {source}: {', '.join(sorted(unknown))}")
    if "allowed_printers" in data:
        data["allowed_printers"] = tuple(data["allowed_printers"])
    config = DeskConfig(**data)
    config.validate()
    return config


def save_config(config: DeskConfig, path: Path | None = None) -> Path:
    config.validate()
    target = path or default_config_path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_suffix(".tmp")
    data = asdict(config)
    data["allowed_printers"] = list(config.allowed_printers)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
    # Atomic: a crash mid-save leaves the old file, never half a file.
    os.replace(temporary, target)
    return target
