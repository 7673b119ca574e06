"""Issue 15: text copied from the desk leaves the clipboard after 30 s (if still there) and when
the desk locks. The clock is the desk's injected clock."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtGui import QGuiApplication

from center_desk.security.lock import LockReason
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_groups import groups_view

PHONE = "042-341-1211"


def _copy_from_the_desk(desk_app: DeskUnderTest, text: str) -> None:
    view = (
        groups_view(desk_app) if desk_app.ctx.staff is None else desk_app.window.show_view("groups")
    )
    field = view.search.query  # type: ignore[attr-defined]
    field.setFocus()
    field.setText(text)
    field.selectAll()
    field.copy()
    desk_app.qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == text, timeout=5000)
    field.clear()


def test_copied_text_is_cleared_after_30_seconds(desk_app: DeskUnderTest) -> None:
    guard = desk_app.window.clipboard_guard
    clipboard = QGuiApplication.clipboard()
    _copy_from_the_desk(desk_app, PHONE)
    assert guard.holding

    desk_app.clock.set(desk_app.clock.now() + timedelta(seconds=29))
    guard.check()
    assert clipboard.text() == PHONE
    desk_app.clock.set(desk_app.clock.now() + timedelta(seconds=2))
    # The guard's own tick notices (it looks at the clock once a second).
    desk_app.qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5000)
    assert not guard.holding


def test_copied_text_is_cleared_on_lock(desk_app: DeskUnderTest) -> None:
    clipboard = QGuiApplication.clipboard()
    _copy_from_the_desk(desk_app, "東京都小平市小川町1-2-3")
    desk_app.window.lock(LockReason.ON_DEMAND)
    assert clipboard.text() == ""
    assert not desk_app.window.clipboard_guard.holding


def test_only_the_desks_own_text_is_cleared(desk_app: DeskUnderTest) -> None:
    guard = desk_app.window.clipboard_guard
    clipboard = QGuiApplication.clipboard()
    start = desk_app.clock.now()
    _copy_from_the_desk(desk_app, PHONE)
    # Another program takes the clipboard, and the desk is not told in time (the guard
    # compares what is there when its time is up).
    clipboard.blockSignals(True)
    clipboard.setText("会議の議事録")
    clipboard.blockSignals(False)
    desk_app.clock.set(start + timedelta(seconds=31))
    guard.check()
    assert clipboard.text() == "会議の議事録"
    assert not guard.holding

    # A new copy at the desk restarts the time for the new text.
    _copy_from_the_desk(desk_app, PHONE)
    desk_app.clock.set(start + timedelta(seconds=50))
    _copy_from_the_desk(desk_app, "hanako@example.jp")
    desk_app.clock.set(start + timedelta(seconds=70))
    guard.check()
    assert clipboard.text() == "hanako@example.jp"
    desk_app.clock.set(start + timedelta(seconds=81))
    guard.check()
    assert clipboard.text() == ""
