"""The seeded demo backend and an enrolled, synced desk cache, built once per test session and
copied for each GUI test (issue 11).

Building them costs seconds (Alembic migrations, the demo seed with its argon2 hashes and
months of bookings, enrolment, the desk's first full snapshot); copying costs milliseconds.
Each test still gets its own backend process on its own SQLite file, its own SQLCipher cache
whose key is in the real Secret Service under the copy's own name, and its own device
credentials: nothing is shared between tests but the starting point.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring

from center_desk.domain import ManualClock
from center_desk.store import KeyStore, cache_id_for
from center_desk.store.keys import KEYRING_SERVICE, key_username
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.credentials import MemoryCredentials
from center_desk.ui.app import build_desk
from center_desk.ui.demo import DemoBackend, start_demo_backend

BACKEND_FILE = Path("demo-backend") / "backend.sqlite3"


@dataclass(frozen=True)
class DemoTemplate:
    #: The data folder holding ``demo-backend/backend.sqlite3``, as of after the first sync.
    data_dir: Path
    #: A copy of the desk's data folder (the cache and its ledger) after its first sync.
    desk_files: Path
    key: bytes
    device_id: str
    device_token: str


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file (WAL included), through SQLite's backup."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def build_template(
    root: Path, clock: ManualClock, wait: Callable[[Callable[[], bool]], None]
) -> DemoTemplate:
    """Start the demo backend at ``clock``'s time, enrol a desk and sync it once; keep copies.

    ``wait(condition)`` keeps the Qt event loop turning until ``condition()`` holds (the
    desk's database worker reports by signal)."""
    backend = start_demo_backend(root / "build", clock=clock)
    credentials = MemoryCredentials()
    enrolled = BackendClient(make_http(backend.url)).enroll(backend.enrollment_code, "ui-test")
    credentials.store(enrolled.device_id, enrolled.device_token)
    config = backend.config(enrolled.device_id)
    key_store = KeyStore()
    desk = build_desk(
        config, key_store=key_store, credentials=credentials, clock=clock, start_sync=False
    )
    try:
        done: list[bool] = []
        thread = threading.Thread(target=lambda: (desk.ctx.sync.sync_now(), done.append(True)))
        thread.start()
        wait(lambda: bool(done))
        thread.join()
    finally:
        desk.close()
    cache_id = cache_id_for(config.cache_path)
    key = key_store.load_key(cache_id)
    assert key is not None
    key_store.delete_key(cache_id)
    desk_files = root / "desk"
    shutil.copytree(backend.desk_dir, desk_files)
    _copy_sqlite(root / "build" / BACKEND_FILE, root / "data" / BACKEND_FILE)
    backend.stop()
    return DemoTemplate(
        data_dir=root / "data",
        desk_files=desk_files,
        key=key,
        device_id=enrolled.device_id,
        device_token=enrolled.device_token,
    )


def start_copy(
    template: DemoTemplate, data_dir: Path, clock: ManualClock
) -> tuple[DemoBackend, MemoryCredentials]:
    """A backend of its own on a copy of the template's database, and the template desk's
    files, key and credentials under this copy's names. The caller builds the desk from
    ``backend.config(template.device_id)``."""
    _copy_sqlite(template.data_dir / BACKEND_FILE, data_dir / BACKEND_FILE)
    # Migrations and the seed find their work done; the server starts on the copy.
    backend = start_demo_backend(data_dir, clock=clock)
    shutil.copytree(template.desk_files, backend.desk_dir, dirs_exist_ok=True)
    cache_id = cache_id_for(backend.config(template.device_id).cache_path)
    # Filed the way KeyStore files a key, in the real Secret Service.
    keyring.get_keyring().set_password(KEYRING_SERVICE, key_username(cache_id), template.key.hex())
    credentials = MemoryCredentials()
    credentials.store(template.device_id, template.device_token)
    return backend, credentials


def forget_copy(template: DemoTemplate, backend: DemoBackend) -> None:
    KeyStore().delete_key(cache_id_for(backend.config(template.device_id).cache_path))
