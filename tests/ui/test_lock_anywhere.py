"""Lock from anywhere (issue 12, item 1): Ctrl+L locks with any dialog, message box or menu
open; what was typed in a dialog waits in the encrypted cache and comes back after unlock; the
lock screen says nothing about who was signed in; Windows' session messages lock it too."""

from __future__ import annotations

import ctypes

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from center_desk.security.os_session import (
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_CONSOLE_DISCONNECT,
    WTS_SESSION_LOCK,
    windows_lock_reason,
)
from center_desk.store import meta
from center_desk.ui import drafts
from center_desk.ui.dialogs.group_form import GroupFormDialog
from center_desk.ui.dialogs.walk_in import WalkInDialog
from center_desk.ui.os_events import WindowsSessionFilter, _Msg
from center_desk.ui.views.groups import GroupsView
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_walk_in import on_cache


def press_lock_key(desk_app: DeskUnderTest, target: QWidget) -> None:
    desk_app.qtbot.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def assert_locked_within_a_second(desk_app: DeskUnderTest) -> None:
    window = desk_app.window
    desk_app.qtbot.waitUntil(
        lambda: window.pages.currentIndex() == window.PAGE_LOCKED, timeout=1000
    )
    open_dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]
    assert open_dialogs == []
    assert QApplication.activePopupWidget() is None


def unlock(desk_app: DeskUnderTest) -> None:
    window = desk_app.window
    panel = window.unlock_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.qtbot.waitUntil(lambda: window.pages.currentIndex() == window.PAGE_WORK, timeout=20000)
    desk_app.settle()


def visible(kind: type[QDialog]) -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_ctrl_l_in_the_walk_in_form_locks_and_the_typing_comes_back(
    desk_app: DeskUnderTest,
) -> None:
    desk_app.sign_in()
    window = desk_app.window
    today = window.views["today"]
    today.start_walk_in()  # type: ignore[attr-defined]
    dialog = visible(WalkInDialog)[0]
    assert isinstance(dialog, WalkInDialog)
    desk_app.settle()
    dialog.purpose.insert("囲碁の例会")
    dialog.headcount.setValue(12)
    press_lock_key(desk_app, dialog.purpose)
    assert_locked_within_a_second(desk_app)
    desk_app.settle()
    # What was typed waits in the cache (SQLCipher-encrypted), not in any file of its own.
    kept = on_cache(desk_app, lambda db: meta.get(db, drafts.REOPEN_KEY))
    assert kept is not None and "囲碁の例会" in kept
    # With the time it was kept, which the sync engine's retention counts from.
    kept_at = on_cache(desk_app, lambda db: meta.get(db, meta.DRAFTS_KEPT_AT))
    assert kept_at == desk_app.clock.now().isoformat()

    unlock(desk_app)
    desk_app.qtbot.waitUntil(window.offer_bar.isVisible, timeout=5000)
    assert "Walk-in" in window.offer_label.text() or "直前予約" in window.offer_label.text()
    window.reopen_button.click()
    desk_app.qtbot.waitUntil(lambda: bool(visible(WalkInDialog)), timeout=5000)
    again = visible(WalkInDialog)[0]
    assert isinstance(again, WalkInDialog)
    desk_app.settle()
    assert again.purpose.text() == "囲碁の例会"
    assert again.headcount.value() == 12
    # Offered once: reopened means forgotten.
    desk_app.settle()
    assert on_cache(desk_app, lambda db: meta.get(db, drafts.REOPEN_KEY)) == ""


def test_ctrl_l_in_the_group_form_locks_and_the_form_comes_back(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    view = window.show_view("groups")
    assert isinstance(view, GroupsView)
    view.register_new()
    form = view.form_dialog
    assert form is not None
    desk_app.qtbot.waitUntil(form.isVisible)
    desk_app.settle()
    name = form.field("name")
    assert isinstance(name, QLineEdit)
    name.insert("小川西町将棋クラブ")
    press_lock_key(desk_app, name)
    assert_locked_within_a_second(desk_app)
    desk_app.settle()
    unlock(desk_app)
    desk_app.qtbot.waitUntil(window.offer_bar.isVisible, timeout=5000)
    window.reopen_button.click()
    desk_app.qtbot.waitUntil(lambda: bool(visible(GroupFormDialog)), timeout=5000)
    again = visible(GroupFormDialog)[0]
    assert isinstance(again, GroupFormDialog)
    desk_app.qtbot.waitUntil(lambda: again.values()["name"] == "小川西町将棋クラブ", timeout=5000)


def test_ctrl_l_in_a_message_box_over_a_dialog_locks(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    window.views["today"].start_walk_in()  # type: ignore[attr-defined]
    dialog = visible(WalkInDialog)[0]
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Ok, dialog)
    box.open()
    desk_app.qtbot.waitUntil(box.isVisible)
    press_lock_key(desk_app, box)
    assert_locked_within_a_second(desk_app)


def test_ctrl_l_with_a_menu_open_locks(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    menu.popup(window.mapToGlobal(QPoint(20, 20)))
    desk_app.qtbot.waitUntil(menu.isVisible)
    press_lock_key(desk_app, menu)
    assert_locked_within_a_second(desk_app)
    assert not menu.isVisible()


def test_the_lock_screen_shows_nobody_and_no_lock_button(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    staff = desk_app.ctx.staff
    assert staff is not None and staff.name in window.staff_label.text()
    window.lock_button.click()
    assert window.pages.currentIndex() == window.PAGE_LOCKED
    assert staff.name not in window.staff_label.text()
    assert desk_app.backend.staff_id not in window.unlock_panel.staff_id.text()
    assert not window.lock_button.isVisible() and not window.lock_button.isEnabled()
    unlock(desk_app)
    assert window.lock_button.isVisible() and window.lock_button.isEnabled()
    # Nothing was typed anywhere: nothing to offer back.
    assert not window.offer_bar.isVisible()


def _message(message: int, wparam: int) -> _Msg:
    return _Msg(hwnd=None, message=message, wParam=wparam, lParam=0)


def test_windows_session_messages_are_read_as_a_lock() -> None:
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == "session_lock"
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, WTS_CONSOLE_DISCONNECT) == "user_switch"
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, 0x8) is None  # WTS_SESSION_UNLOCK
    assert windows_lock_reason(WM_POWERBROADCAST, PBT_APMSUSPEND) == "suspend"
    assert windows_lock_reason(0x0100, WTS_SESSION_LOCK) is None  # WM_KEYDOWN

    seen: list[str] = []
    native = WindowsSessionFilter(seen.append)
    lock = _message(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    unlock_msg = _message(WM_WTSSESSION_CHANGE, 0x8)
    assert native.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(unlock_msg)) is False
    assert seen == []
    assert native.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(lock)) is False
    assert seen == ["session_lock"]
    # Other platforms' events are not read as MSG at all.
    assert native.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(lock)) is False
    assert seen == ["session_lock"]


def test_a_windows_session_lock_locks_the_desk(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    lock = _message(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    window.os_lock.windows_filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(lock))
    desk_app.qtbot.waitUntil(
        lambda: window.pages.currentIndex() == window.PAGE_LOCKED, timeout=1000
    )


def test_every_dialog_has_a_lock_button_that_locks(desk_app: DeskUnderTest) -> None:
    """Qt blocks clicks on the window behind an open dialog, the header's button included:
    each dialog carries its own."""
    desk_app.sign_in()
    window = desk_app.window
    view = window.show_view("groups")
    assert isinstance(view, GroupsView)
    view.register_new()
    form = view.form_dialog
    assert form is not None
    desk_app.qtbot.waitUntil(form.isVisible)
    button = form.findChild(QPushButton, "dialogLock")
    assert button is not None
    desk_app.qtbot.waitUntil(button.isVisible)
    button.click()
    assert_locked_within_a_second(desk_app)
    unlock(desk_app)
    window.views["today"].start_walk_in()  # type: ignore[attr-defined]
    dialog = visible(WalkInDialog)[0]
    desk_app.qtbot.waitUntil(
        lambda: any(b.isVisible() for b in dialog.findChildren(QPushButton, "dialogLock"))
    )
    next(b for b in dialog.findChildren(QPushButton, "dialogLock") if b.isVisible()).click()
    assert_locked_within_a_second(desk_app)


def test_a_booking_action_and_a_deregistration_come_back_with_their_typing(
    desk_app: DeskUnderTest,
) -> None:
    from center_desk.ui.dialogs.day_actions import FeeDialog
    from center_desk.ui.views.groups import DeregisterDialog

    desk_app.sign_in()
    window = desk_app.window
    today = window.views["today"]
    desk_app.qtbot.waitUntil(lambda: today.current_reservation() is not None, timeout=10000)  # type: ignore[attr-defined]
    booking = today.current_reservation()  # type: ignore[attr-defined]
    today.record_fee()  # type: ignore[attr-defined]
    fee = visible(FeeDialog)[0]
    assert isinstance(fee, FeeDialog)
    fee.receipt.insert("R-0042")
    groups = window.views["groups"]
    assert isinstance(groups, GroupsView)
    from center_desk.store import groups as cached_groups

    group = on_cache(desk_app, lambda db: cached_groups.search(db, "書道"))[0]
    groups.deregister(group)
    deregister = visible(DeregisterDialog)[0]
    assert isinstance(deregister, DeregisterDialog)
    deregister.reason.insert("解散のため")
    press_lock_key(desk_app, deregister.reason)
    assert_locked_within_a_second(desk_app)
    desk_app.settle()
    unlock(desk_app)
    desk_app.qtbot.waitUntil(window.offer_bar.isVisible, timeout=5000)
    window.reopen_button.click()
    desk_app.qtbot.waitUntil(
        lambda: bool(visible(FeeDialog)) and bool(visible(DeregisterDialog)), timeout=5000
    )
    fee_again = visible(FeeDialog)[0]
    assert isinstance(fee_again, FeeDialog)
    assert fee_again.reservation.id == booking.id
    assert fee_again.receipt.text() == "R-0042"
    again = visible(DeregisterDialog)[0]
    assert isinstance(again, DeregisterDialog)
    assert again.user_id == group.user_id and again.reason.text() == "解散のため"
