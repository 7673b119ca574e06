"""Runs the sync engine on a thread of its own: on a timer that runs whether or not there is
anything to push, and at once after each local change (DESIGN.md §4). Status reaches the GUI
by signal; the engine never touches a widget."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from center_desk.sync.status import SyncStatus

if TYPE_CHECKING:
    # The engine is made after the window's first paint (ui/app.py), and brings the wire
    # models (pydantic) with it.
    from center_desk.sync.engine import SyncEngine, SyncReport

log = logging.getLogger("center_desk.ui.sync")


class SyncDriver(QObject):
    status_changed = Signal(object)  # SyncStatus
    progress = Signal(int, int)  # done, remaining
    synced = Signal(object)  # SyncReport
    revoked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine: SyncEngine | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # Callbacks for the engine (called on the sync thread; signals queue them to the GUI).
    def on_status(self, status: SyncStatus) -> None:
        self.status_changed.emit(status)

    def on_progress(self, done: int, remaining: int) -> None:
        self.progress.emit(done, remaining)

    def on_revoked(self) -> None:
        self.revoked.emit()

    def start(self, engine: SyncEngine) -> None:
        self.engine = engine
        self._thread = threading.Thread(target=self._loop, name="desk-sync", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Sync now (after a local change)."""
        self._wake.set()

    def sync_now(self) -> SyncReport:
        """One sync on the calling thread (never the GUI's): for the end-of-day flow and
        tests."""
        assert self.engine is not None
        with self._lock:
            report = self.engine.sync_once()
        self.synced.emit(report)
        return report

    def _loop(self) -> None:
        assert self.engine is not None
        while not self._stop.is_set():
            try:
                self.sync_now()
            except Exception:
                log.exception("sync loop error")
                self.engine.backoff.failure()
            if self.engine.status.revoked:
                return
            self._wake.wait(timeout=self.engine.next_delay())
            self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
