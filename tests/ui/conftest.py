"""GUI tests: pytest-qt, offscreen, against the real embedded backend (the demo backend, on
SQLite in a temporary folder, seeded with the demo data) and a real SQLCipher cache whose key is
in the real Secret Service. The clock is fixed for both: 2027-02-10 (Wed) 10:00 in Tokyo.

The seeded backend and the desk's first sync are built once per session (``demo_template``);
each test starts a backend of its own on a copy (tests/support/demo_template.py)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTranslator
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError as QtTimeoutError
from pytestqt.qtbot import QtBot

from center_desk.domain import TOKYO, ManualClock
from center_desk.store import KeyStore
from center_desk.ui.app import COUNTER_SCREEN, Desk, build_desk
from center_desk.ui.demo import DemoBackend
from center_desk.ui.i18n import install_fonts, install_translations
from center_desk.ui.main_window import MainWindow
from tests.support.demo_template import DemoTemplate, build_template, forget_copy, start_copy

NOW = datetime(2027, 2, 10, 10, 0, tzinfo=TOKYO)


@dataclass
class DeskUnderTest:
    backend: DemoBackend
    desk: Desk
    window: MainWindow
    clock: ManualClock
    qtbot: QtBot

    @property
    def ctx(self):  # type: ignore[no-untyped-def]
        return self.desk.ctx

    def settle(self, timeout: int = 20000) -> None:
        """Wait until background work the GUI started has delivered its results."""
        self.qtbot.waitUntil(lambda: self.ctx.tasks.in_flight == 0, timeout=timeout)

    @contextlib.contextmanager
    def cache_held(self) -> Iterator[None]:
        """The cache's worker kept busy for the block: what the GUI starts meanwhile queues
        behind it, so its answer lands only after the block (e.g. after a dialog is gone)."""
        import threading

        release, holding = threading.Event(), threading.Event()

        def hold(_db: object) -> None:
            holding.set()
            release.wait(10)

        threading.Thread(target=lambda: self.ctx.db.call(hold), daemon=True).start()
        assert holding.wait(10), "the cache's worker did not take the hold"
        try:
            yield
        finally:
            release.set()

    @staticmethod
    def destroy(widget: QWidget) -> None:
        """Delete ``widget`` now, as closing its window at a lock or at exit does."""
        widget.setParent(None)
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(widget)

    def sync(self) -> None:
        """One sync now (on a helper thread's behalf: the engine never runs on the GUI
        thread), then let the window take in the result."""
        import threading

        done: list[bool] = []
        thread = threading.Thread(target=lambda: (self.ctx.sync.sync_now(), done.append(True)))
        thread.start()
        self.qtbot.waitUntil(lambda: bool(done), timeout=30000)
        thread.join()
        # The sync's "synced" signal crossed threads as a posted event: deliver it, so that
        # what it starts (a dialog re-reading the cache) is in flight before settle() looks.
        QApplication.sendPostedEvents()
        self.settle()

    def go_offline(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point the desk at a port nobody listens on: a real refused connection."""
        import socket

        import httpx

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        dead = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2.0)
        monkeypatch.setattr(self.ctx.client, "_http", dead)

    def sign_in(self) -> None:
        panel = self.window.sign_in_panel
        panel.staff_id.setText(self.backend.staff_id)
        panel.password.setText(self.backend.staff_password)
        panel.submit()
        self.qtbot.waitUntil(lambda: self.ctx.staff is not None, timeout=20000)
        self.settle()


_TRANSLATORS: list[QTranslator] = []


@pytest.fixture(scope="session", autouse=True)
def japanese_desk(qapp: QApplication) -> Iterator[None]:
    """The window as staff see it: the bundled font and the Japanese translation."""
    install_fonts(qapp)
    _TRANSLATORS.extend(install_translations(qapp))
    yield
    for translator in _TRANSLATORS:
        qapp.removeTranslator(translator)


@pytest.fixture
def english_ui(qapp: QApplication) -> Iterator[None]:
    """For tests that check wording by its English source text (CENTER_DESK_LANG=en): the
    Japanese itself is checked by test_translations and test_layout."""
    for translator in _TRANSLATORS:
        qapp.removeTranslator(translator)
    yield
    for translator in _TRANSLATORS:
        qapp.installTranslator(translator)


@pytest.fixture(scope="session")
def demo_template(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """The seeded demo backend and a synced desk, built once; each desk_app starts on a copy."""

    def wait(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 120
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the template desk's first sync did not finish")
            qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    return build_template(tmp_path_factory.mktemp("demo-template"), ManualClock(NOW), wait)


@pytest.fixture
def desk_app(qtbot: QtBot, tmp_path: Path, demo_template: DemoTemplate) -> Iterator[DeskUnderTest]:
    clock = ManualClock(NOW)
    backend, credentials = start_copy(demo_template, tmp_path / "data", clock)
    config = backend.config(demo_template.device_id)
    desk = build_desk(
        config, key_store=KeyStore(), credentials=credentials, clock=clock, start_sync=False
    )
    window = MainWindow(desk.ctx)
    qtbot.addWidget(window)
    window.resize(*COUNTER_SCREEN)
    window.show()
    under_test = DeskUnderTest(backend, desk, window, clock, qtbot)
    under_test.sync()
    try:
        yield under_test
    finally:
        window.close()
        # Let work still in flight (a lock's draft write, a late sync) deliver while this
        # window exists: desk.close() waits 10 s only, and a delivery after that reached the
        # deleted window in the next test's event loop on a loaded machine.
        with contextlib.suppress(QtTimeoutError):
            qtbot.waitUntil(lambda: desk.ctx.tasks.in_flight == 0, timeout=60000)
        desk.close()
        forget_copy(demo_template, backend)
        backend.stop()
