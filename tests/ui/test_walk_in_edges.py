"""直前予約, second pass (issue 12, item 3): a day past the counter window says where it belongs
and hands it to 抽選・先着; Enter in the date never books; 本日 has its own 直前予約 button;
a de-registered group is marked and refused up front; the "waiting to be confirmed" note shows
only while the booking is waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from center_desk.security.lock import LockReason
from center_desk.store import groups as cached_groups
from center_desk.ui import drafts
from center_desk.ui.dates import qdate
from center_desk.ui.dialogs.walk_in import WalkInDialog
from center_desk.ui.views.proxy import ProxyView
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_walk_in import (
    availability,
    bookings_on,
    choose_group,
    free_cell,
    off_gui,
    on_cache,
    open_from_grid,
    tomorrow,
    type_headcount,
    type_text,
)

pytestmark = pytest.mark.usefixtures("english_ui")


def open_from_today(desk_app: DeskUnderTest) -> WalkInDialog:
    desk_app.sign_in()
    today = desk_app.window.show_view("today")
    assert today is not None
    desk_app.qtbot.keyClick(today, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, WalkInDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    desk_app.qtbot.waitUntil(lambda: bool(dialog.slot_boxes), timeout=10000)
    desk_app.settle()
    return dialog


def test_today_has_a_walk_in_button(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    today = desk_app.window.show_view("today")
    button = today.walk_in_button  # type: ignore[union-attr]
    assert button.isVisible() and button.text() == "Walk-in booking…"
    button.click()
    assert any(
        isinstance(w, WalkInDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_a_day_past_the_counter_window_points_to_lottery_first_come(
    desk_app: DeskUnderTest,
) -> None:
    dialog = open_from_today(desk_app)
    choose_group(desk_app, dialog, "こだいらいご")
    group = dialog.group
    assert group is not None
    later = tomorrow(desk_app) + timedelta(days=20)  # 2027-03-03, a Wednesday
    dialog.date_edit.setDate(qdate(later))
    desk_app.qtbot.waitUntil(lambda: bool(dialog.slot_boxes), timeout=10000)
    desk_app.settle()
    assert dialog.window_note.isVisible()
    assert "Lottery / first-come" in dialog.window_text.text()
    assert not dialog.book_button.isEnabled()
    assert all(not box.isEnabled() for box in dialog.slot_boxes.values())
    room = dialog.current_room()
    assert room is not None
    dialog.proxy_button.click()
    assert not dialog.isVisible()
    proxy = desk_app.window.views["proxy"]
    assert isinstance(proxy, ProxyView)
    assert desk_app.window.tabs.currentWidget() is proxy
    desk_app.settle()
    assert proxy.use_date == later
    assert proxy.room.currentData() == room.id
    desk_app.qtbot.waitUntil(lambda: proxy.group is not None, timeout=5000)
    assert proxy.group is not None and proxy.group.user_id == group.user_id


def test_enter_in_the_date_field_does_not_book(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    cell = free_cell(view, tomorrow(desk_app))
    dialog = open_from_grid(desk_app, view, cell)
    choose_group(desk_app, dialog, "こだいらいご")
    type_headcount(desk_app, dialog, 8)
    before = len(bookings_on(desk_app, cell.day))
    dialog.date_edit.setFocus()
    desk_app.qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
    desk_app.settle()
    assert not dialog.showing_result and dialog.made == []
    assert len(bookings_on(desk_app, cell.day)) == before


def test_a_deregistered_group_is_marked_and_refused_up_front(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    found = on_cache(desk_app, lambda db: cached_groups.search(db, "書道"))
    target = found[0]
    off_gui(desk_app, lambda: desk_app.ctx.ops.deregister_group(target.user_id, "解散"))
    desk_app.sync()
    dialog = open_from_today(desk_app)
    type_text(desk_app, dialog.group_search, target.user_id)
    # The search waits for typing to pause: on a loaded machine a search of the id typed so far
    # can answer first, with other groups. Wait for the answer to the whole id.
    desk_app.qtbot.waitUntil(
        lambda: [g.user_id for g in dialog.candidates] == [target.user_id], timeout=10000
    )
    desk_app.settle()
    texts = [dialog.group_model.item(r).text() for r in range(dialog.group_model.rowCount())]
    assert any("(de-registered)" in t and target.user_id in t for t in texts), texts
    dialog.choose_group(dialog.candidates[0])
    desk_app.settle()
    assert dialog.problem.isVisible()
    assert "de-registered: it cannot book" in dialog.problem.text()
    assert target.name in dialog.problem.text()
    free = next(box for box in dialog.slot_boxes.values() if box.isEnabled())
    free.setChecked(True)
    type_headcount(desk_app, dialog, 6)
    dialog.submit()
    desk_app.settle()
    assert dialog.made == [] and not dialog.showing_result
    assert "de-registered: it cannot book" in dialog.problem.text()


def test_the_waiting_note_goes_once_the_backend_confirms(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    cell = free_cell(view, tomorrow(desk_app))
    dialog = open_from_grid(desk_app, view, cell)
    choose_group(desk_app, dialog, "こだいらいご")
    type_headcount(desk_app, dialog, 8)
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: dialog.showing_result, timeout=10000)
    desk_app.settle()
    assert dialog.done_note.isVisible()  # not yet sent
    desk_app.sync()
    desk_app.qtbot.waitUntil(lambda: not dialog.done_note.isVisible(), timeout=10000)


def test_offline_the_waiting_note_stays(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = availability(desk_app)
    cell = free_cell(view, tomorrow(desk_app))
    dialog = open_from_grid(desk_app, view, cell)
    desk_app.go_offline(monkeypatch)
    choose_group(desk_app, dialog, "こだいらいご")
    type_headcount(desk_app, dialog, 8)
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: dialog.showing_result, timeout=10000)
    desk_app.sync()
    assert dialog.done_note.isVisible()


def test_the_suggestions_come_back_with_down_after_esc(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    dialog = open_from_grid(desk_app, view, free_cell(view, tomorrow(desk_app)))
    type_text(desk_app, dialog.group_search, "こだいら")
    desk_app.qtbot.waitUntil(lambda: bool(dialog.candidates), timeout=10000)
    desk_app.settle()
    popup = dialog.completer.popup()
    assert popup is not None
    desk_app.qtbot.waitUntil(popup.isVisible)
    desk_app.qtbot.keyClick(popup, Qt.Key.Key_Escape)
    desk_app.qtbot.waitUntil(lambda: not popup.isVisible())
    assert dialog.isVisible() and dialog.group_search.text() == "こだいら"
    desk_app.qtbot.keyClick(dialog.group_search, Qt.Key.Key_Down)
    desk_app.qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == len(dialog.candidates)


def test_suggestions_that_arrive_while_the_dialog_is_not_active_open_once_it_is(
    desk_app: DeskUnderTest,
) -> None:
    """A window manager slow to activate the dialog must not swallow the list, and a list
    must not pop up over another window and take its typing: it waits, then opens."""
    view = availability(desk_app)
    dialog = open_from_grid(desk_app, view, free_cell(view, tomorrow(desk_app)))
    type_text(desk_app, dialog.group_search, "こだいら")
    QApplication.setActiveWindow(desk_app.window)  # type: ignore[call-overload]
    desk_app.qtbot.waitUntil(lambda: not dialog.group_search.hasFocus())
    desk_app.qtbot.waitUntil(lambda: bool(dialog.candidates), timeout=10000)
    desk_app.settle()
    popup = dialog.completer.popup()
    assert popup is not None and not popup.isVisible()
    QApplication.setActiveWindow(dialog)  # type: ignore[call-overload]
    desk_app.qtbot.waitUntil(popup.isVisible)
    assert dialog.group_search.text() == "こだいら"


def test_a_booking_in_flight_when_the_dialog_goes_is_made_and_shown(
    desk_app: DeskUnderTest,
) -> None:
    """The dialog closed (a lock, the window) while its booking waits for the cache: the
    booking is made, the views hear of it, and the late answer does not reach the deleted
    dialog (pytest-qt fails the test on an exception in the event loop). The cache's worker is
    held so the answer lands after the deletion."""
    view = availability(desk_app)
    cell = free_cell(view, tomorrow(desk_app))
    dialog = open_from_grid(desk_app, view, cell)
    choose_group(desk_app, dialog, "こだいらいご")
    type_headcount(desk_app, dialog, 8)
    before = len(bookings_on(desk_app, tomorrow(desk_app)))
    heard: list[bool] = []
    desk_app.ctx.listeners.append(lambda: heard.append(True))
    with desk_app.cache_held():
        dialog.submit()  # its booking queues behind the held call
        desk_app.destroy(dialog)
    desk_app.settle()
    assert len(bookings_on(desk_app, tomorrow(desk_app))) == before + 1
    assert heard


def test_a_booking_in_flight_at_a_lock_is_made_and_its_draft_not_offered_back(
    desk_app: DeskUnderTest,
) -> None:
    """The lock closes the dialog while its booking waits for the cache, and keeps what was
    typed; the booking then goes through, so nothing is offered back after the unlock (it
    would only be refused as taken)."""
    view = availability(desk_app)
    dialog = open_from_grid(desk_app, view, free_cell(view, tomorrow(desk_app)))
    choose_group(desk_app, dialog, "こだいらいご")
    type_headcount(desk_app, dialog, 8)
    before = len(bookings_on(desk_app, tomorrow(desk_app)))
    with desk_app.cache_held():
        dialog.submit()  # its booking queues behind the held call
        desk_app.window.lock(LockReason.ON_DEMAND)
        assert not dialog.isVisible()
    desk_app.settle()
    assert len(bookings_on(desk_app, tomorrow(desk_app))) == before + 1
    kept = on_cache(desk_app, drafts._read)
    assert [d for d in kept if d.kind == "walk_in"] == []
