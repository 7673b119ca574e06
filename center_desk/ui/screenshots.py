"""Screenshots of every view for the README (issue 5, "Show it"):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m center_desk.ui.screenshots docs/screenshots

Runs the real desk against the embedded demo backend with a fixed clock (2027-02-10, 10:00
Japan time), so the pictures are the same on every run, at the counter PC's 1366×768.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

from center_desk.domain import TOKYO, ManualClock
from center_desk.store import EphemeralKeyStore
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.credentials import MemoryCredentials

from .app import COUNTER_SCREEN, build_desk
from .demo import start_demo_backend
from .i18n import install_fonts, install_translations
from .main_window import MainWindow

SHOT_TIME = datetime(2027, 2, 10, 10, 0, tzinfo=TOKYO)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let Qt deliver results until ``condition`` holds (waiting for work, not for time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the desk did not get there in time")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, folder: Path, name: str) -> Path:
    QCoreApplication.processEvents()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    return path


def take(folder: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_fonts(app)
    translators = install_translations(app)  # noqa: F841 - must stay alive
    folder.mkdir(parents=True, exist_ok=True)
    clock = ManualClock(SHOT_TIME)
    data = Path(tempfile.mkdtemp(prefix="center-desk-shots-"))
    backend = start_demo_backend(data, clock=clock)
    shots: list[Path] = []
    try:
        credentials = MemoryCredentials()
        enrolled = BackendClient(make_http(backend.url)).enroll(backend.enrollment_code, "shots")
        credentials.store(enrolled.device_id, enrolled.device_token)
        desk = build_desk(
            backend.config(enrolled.device_id),
            key_store=EphemeralKeyStore(),
            credentials=credentials,
            clock=clock,
            demo=True,
            start_sync=False,
        )
        ctx = desk.ctx
        window = MainWindow(
            ctx,
            demo_hint=QCoreApplication.translate(
                "App",
                "Demo: staff ID “%1”, password “%2”. The demo keeps its local data under a "
                "temporary key and forgets it when closed.",
            )
            .replace("%1", backend.staff_id)
            .replace("%2", backend.staff_password),
        )
        window.resize(*COUNTER_SCREEN)
        window.show()
        done = threading.Event()

        def first_sync() -> None:
            ctx.sync.sync_now()
            done.set()

        threading.Thread(target=first_sync).start()
        wait_until(done.is_set)
        # The sync's signal reaches the window after the sync thread is done: wait for the
        # catalog it loads, or the sign-in shot shows the header from before the first sync.
        wait_until(lambda: ctx.center is not None)
        wait_until(lambda: ctx.tasks.in_flight == 0)
        window.sign_in_panel.reset(backend.staff_id)
        shots.append(save(window, folder, "sign-in"))
        window.sign_in_panel.password.setText(backend.staff_password)
        window.sign_in_panel.submit()
        wait_until(lambda: ctx.staff is not None)
        wait_until(lambda: ctx.tasks.in_flight == 0)
        for name in list(window.views):
            window.show_view(name)
            wait_until(lambda: ctx.tasks.in_flight == 0)
            shots.append(save(window, folder, f"view-{name}"))
        for name, make in extra_shots():
            widget = make(window)
            if widget is None:
                continue
            wait_until(lambda: ctx.tasks.in_flight == 0)
            shots.append(save(widget, folder, name))
            if widget is not window:
                # A form staff typed into asks before it closes: discard it outright.
                getattr(widget, "discard", widget.close)()
        # The lock with a walk-in form half typed: the lock screen shows nobody; after the
        # unlock the window offers the form back.
        walk_in = _walk_in(window)
        assert walk_in is not None
        wait_until(lambda: ctx.tasks.in_flight == 0)
        walk_in.purpose.setText("囲碁の例会")  # type: ignore[attr-defined]
        window.lock_action.trigger()
        wait_until(lambda: ctx.tasks.in_flight == 0)
        shots.append(save(window, folder, "locked"))
        window.unlock_panel.staff_id.setText(backend.staff_id)
        window.unlock_panel.password.setText(backend.staff_password)
        window.unlock_panel.submit()
        wait_until(lambda: window.offer_bar.isVisible())
        shots.append(save(window, folder, "unlocked-draft-offer"))
        window.close()
        desk.close()
    finally:
        backend.stop()
    return shots


def _groups_with_a_group(window: MainWindow) -> QWidget | None:
    view = window.show_view("groups")
    if view is None:
        return None
    search = view.search  # type: ignore[attr-defined]
    search.query.setText("こだいら")
    wait_until(lambda: search.results.count() > 0)
    search.results.setCurrentRow(0)
    wait_until(lambda: window.ctx.tasks.in_flight == 0)
    return window


def _walk_in(window: MainWindow) -> QWidget | None:
    from .dialogs.walk_in import WalkInDialog

    ctx = window.ctx
    if ctx.center is None:
        return None
    room = ctx.center.rooms[0]
    dialog = WalkInDialog(ctx, room_id=room.id, slot_id="evening", parent=window)
    dialog.show()
    return dialog


def _group_form_with_errors(window: MainWindow) -> QWidget | None:
    from .dialogs.group_form import GroupFormDialog

    dialog = GroupFormDialog(window.ctx, window)
    dialog.show()
    field = dialog.fields["representative.phone"].widget
    field.setText("042-12")  # type: ignore[attr-defined]
    dialog.submit()
    wait_until(lambda: window.ctx.tasks.in_flight == 0)
    return dialog


def _walk_in_later_day(window: MainWindow) -> QWidget | None:
    """A day past the counter window: the form says where it belongs."""
    from .dialogs.walk_in import WalkInDialog

    day = SHOT_TIME.date() + timedelta(days=21)
    dialog = WalkInDialog(window.ctx, day=day, parent=window)
    dialog.show()
    return dialog


def _group_form_unknown_postal_code(window: MainWindow) -> QWidget | None:
    from .dialogs.group_form import GroupFormDialog

    dialog = GroupFormDialog(window.ctx, window)
    dialog.show()
    field = dialog.fields["representative.postal_code"].widget
    field.setText("1870099")  # type: ignore[attr-defined]
    field.editingFinished.emit()  # type: ignore[attr-defined]
    wait_until(lambda: window.ctx.tasks.in_flight == 0)
    field = dialog.fields["responsible.postal_code"].widget
    field.setText("1870043")  # type: ignore[attr-defined]
    field.editingFinished.emit()  # type: ignore[attr-defined]
    wait_until(lambda: window.ctx.tasks.in_flight == 0)
    return dialog


def _proxy_for_a_group(window: MainWindow) -> QWidget | None:
    view = window.show_view("proxy")
    if view is None:
        return None
    search = view.search  # type: ignore[attr-defined]
    search.query.setText("こだいら")
    wait_until(lambda: search.results.count() > 0)
    search.results.setCurrentRow(0)
    view.choose_group(search.current())  # type: ignore[attr-defined]
    wait_until(lambda: window.ctx.tasks.in_flight == 0)
    return window


def extra_shots() -> list[tuple[str, Callable[[MainWindow], QWidget | None]]]:
    """Dialogs worth a picture; each maker opens one on the signed-in window."""
    return [
        ("view-groups-selected", _groups_with_a_group),
        ("view-proxy-group", _proxy_for_a_group),
        ("dialog-walk-in", _walk_in),
        ("dialog-walk-in-later-day", _walk_in_later_day),
        ("dialog-group-form-errors", _group_form_with_errors),
        ("dialog-group-form-postal", _group_form_unknown_postal_code),
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("docs/screenshots")
    for path in take(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
