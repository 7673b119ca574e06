"""Locking (idle, on demand, a dialog cannot refuse), the device-policy check, and the end of
the day (issue 5 behaviour; DESIGN.md §5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QDialog

from center_desk.protocol.sync import AuditEventIn
from center_desk.security.posture import Finding, PostureReport
from center_desk.store import outbox
from tests.ui.conftest import DeskUnderTest


def test_idle_lock_closes_dialogs_and_hides_the_work(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    dialog = QDialog(window)
    dialog.setModal(False)
    dialog.show()
    desk_app.clock.advance(timedelta(minutes=4, seconds=59))
    window.check_idle()
    assert window.pages.currentIndex() == window.PAGE_WORK
    desk_app.clock.advance(timedelta(seconds=2))
    window.check_idle()
    assert window.pages.currentIndex() == window.PAGE_LOCKED
    assert not dialog.isVisible()
    assert not window.tabs.isVisible()
    panel = window.unlock_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.qtbot.waitUntil(lambda: window.pages.currentIndex() == window.PAGE_WORK, timeout=20000)
    desk_app.settle()
    bodies = [e.body for e in desk_app.ctx.db.submit(outbox.pending).result()]
    events = [b.event for b in bodies if isinstance(b, AuditEventIn)]
    assert "locked" in events and "unlocked" in events


def test_on_demand_lock_from_the_menu(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    desk_app.window.lock_action.trigger()
    assert desk_app.window.pages.currentIndex() == desk_app.window.PAGE_LOCKED


def test_device_policy_off_shows_a_red_banner_and_strict_mode_hides_data(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = PostureReport((Finding("usb_storage_module_allowed"),))
    monkeypatch.setattr("center_desk.ui.main_window.check_posture", lambda: failing)
    window = desk_app.window
    window.check_posture()
    desk_app.settle()
    assert window.posture_banner.isVisible()
    # Recorded once per failure spell (it may already have been sent to the backend).
    kinds = desk_app.ctx.db.submit(
        lambda db: [r[0] for r in db.execute("SELECT kind FROM audit_events").fetchall()]
    ).result()
    assert "posture_failed" in kinds
    desk_app.ctx.config = replace(desk_app.ctx.config, strict_posture=True)
    panel = window.sign_in_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.settle()
    assert window.pages.currentIndex() == window.PAGE_SIGN_IN
    assert panel.error.isVisible()


def test_end_of_day_flushes_closes_and_locks_the_session(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from center_desk.ui.dialogs import end_of_day

    locked: list[bool] = []
    monkeypatch.setattr(end_of_day, "lock_os_session", lambda: locked.append(True) or True)
    desk_app.sign_in()
    dialog = end_of_day.EndOfDayDialog(desk_app.window)
    dialog.show()
    desk_app.qtbot.waitUntil(lambda: dialog.finish_button.isEnabled(), timeout=30000)
    assert not dialog.pending_list.isVisible()  # everything reached the backend
    dialog.finish_button.click()
    desk_app.qtbot.waitUntil(lambda: dialog.finished_ok, timeout=30000)
    assert locked == [True]
    with pytest.raises(RuntimeError):
        # The cache is closed: its worker no longer runs anything.
        desk_app.ctx.db.submit(outbox.pending)


def test_the_day_journal_lists_todays_bookings(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from center_desk.ui.dialogs import end_of_day

    sent: list[bytes] = []
    monkeypatch.setattr(end_of_day, "print_pdf", lambda form, config: sent.append(form.data))
    desk_app.sign_in()
    desk_app.window.journal_action.trigger()
    desk_app.settle()
    assert len(sent) == 1
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(sent[0])).pages)
    today = desk_app.ctx.db.submit(
        lambda db: [
            r[0]
            for r in db.execute(
                "SELECT approval_number FROM reservations WHERE use_date = '2027-02-10' "
                "AND status <> 'cancelled'"
            ).fetchall()
        ]
    ).result()
    flat = text.replace("\n", "").replace(" ", "")
    assert today, "the demo has bookings today"
    assert [n for n in today if n not in flat] == []


def test_the_os_screen_lock_locks_the_desk(desk_app: DeskUnderTest) -> None:
    import subprocess

    desk_app.sign_in()
    window = desk_app.window
    assert "org.freedesktop.ScreenSaver.ActiveChanged" in window.os_lock.listening
    # The desktop announces its screen lock on the session bus, as GNOME and KDE do. Here it
    # is addressed to this desk's connection alone: the test workers share one session bus, and
    # a broadcast would lock the desk another worker is testing.
    from PySide6.QtDBus import QDBusConnection

    this_desk = QDBusConnection.sessionBus().baseService()
    assert this_desk.startswith(":")
    subprocess.run(
        [
            "dbus-send",
            "--session",
            f"--dest={this_desk}",
            "--type=signal",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            "boolean:true",
        ],
        check=True,
    )
    desk_app.qtbot.waitUntil(
        lambda: window.pages.currentIndex() == window.PAGE_LOCKED, timeout=10000
    )
