"""``center-desk --demo``: the reservation backend runs in-process on 127.0.0.1 with an SQLite
file under ``demo-backend/`` in the user data directory, seeded with the demo catalog, staff
and a few months of made-up bookings; this PC is enrolled as one demo center's desk.

The desk's cache uses an ephemeral key (no keyring needed) and lives in a temporary folder
removed at exit: the window says so. Nothing here is used outside the demo.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from center_desk.backend.app import create_app
from center_desk.backend.config import BackendSettings
from center_desk.backend.context import BackendContext
from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.services import auth, demo
from center_desk.domain import Clock, SystemClock
from center_desk.sync.config import DeskConfig, default_data_dir


@dataclass
class DemoBackend:
    url: str
    staff_id: str
    staff_password: str
    center_id: str
    enrollment_code: str
    desk_dir: Path
    _server: uvicorn.Server
    _thread: threading.Thread

    def config(self, device_id: str) -> DeskConfig:
        return DeskConfig(
            backend_url=self.url,
            device_id=device_id,
            center_id=self.center_id,
            device_name="demo-desk",
            data_dir=str(self.desk_dir),
            allowed_printers=("CounterPrinter",),
            printer="CounterPrinter",
        )

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        shutil.rmtree(self.desk_dir, ignore_errors=True)


def demo_data_dir() -> Path:
    override = os.environ.get("CENTER_DESK_DATA_DIR")
    return Path(override) if override else default_data_dir()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_demo_backend(data_dir: Path | None = None, *, clock: Clock | None = None) -> DemoBackend:
    base = (data_dir or demo_data_dir()) / "demo-backend"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    url = f"sqlite:///{base / 'backend.sqlite3'}"
    settings = BackendSettings(database_url=url, environment="demo")
    clock = clock or SystemClock()
    db = Database(url)
    upgrade(db.engine)
    with db.session() as session:
        demo.seed(session, now=clock.now())
        code = auth.issue_enrollment_code(
            session, demo.DEMO_CENTER_ID, now=clock.now(), settings=settings
        )
    app = create_app(ctx=BackendContext(settings, db, clock))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="demo-backend", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the demo backend did not start")
        time.sleep(0.05)  # waiting for a thread to bind a socket, not for time to pass
    return DemoBackend(
        url=f"http://127.0.0.1:{port}",
        staff_id=demo.DEMO_STAFF_ID,
        staff_password=demo.DEMO_STAFF_PASSWORD,
        center_id=demo.DEMO_CENTER_ID,
        enrollment_code=code,
        desk_dir=Path(tempfile.mkdtemp(prefix="center-desk-demo-")),
        _server=server,
        _thread=thread,
    )
