"""直前予約 (walk-in booking) dialog: refusals from the rules shown next to the form with nothing
typed lost, several slots at once, individuals (issue 5, item 4)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from center_desk.domain import tokyo_date
from center_desk.store import Connection
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation
from center_desk.sync.operations import WalkIn
from center_desk.ui.dialogs.walk_in import WalkInDialog
from center_desk.ui.views.availability import AvailabilityView
from center_desk.ui.widgets.cells import Cell, CellState
from tests.support.qt_layout import clipped_texts
from tests.ui.conftest import DeskUnderTest

# Wording is checked by its English source; the Japanese by test_translations.
pytestmark = pytest.mark.usefixtures("english_ui")

T = TypeVar("T")


# --- helpers (also used by the other GUI tests of the counter's day) ----------------------


def off_gui(desk_app: DeskUnderTest, work: Callable[[], T]) -> T:
    """Run ``work`` on a helper thread (the cache refuses the GUI thread) and wait for it."""
    box: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(work())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(box or errors), timeout=15000)
    thread.join()
    if errors:
        raise errors[0]
    return box[0]


def on_cache(desk_app: DeskUnderTest, work: Callable[[Connection], T]) -> T:
    return off_gui(desk_app, lambda: desk_app.ctx.db.call(work))


def availability(desk_app: DeskUnderTest) -> AvailabilityView:
    desk_app.sign_in()
    view = desk_app.window.show_view("availability")
    assert isinstance(view, AvailabilityView)
    desk_app.qtbot.waitUntil(lambda: bool(view.week_grid.cells), timeout=10000)
    return view


def free_cell(view: AvailabilityView, day: date, *, individuals: bool = False) -> Cell:
    """A free cell of the counter window on ``day`` (in a room open to individuals if asked)."""
    center = view.ctx.center
    assert center is not None
    rooms = {r.id: r for r in center.rooms}
    for cell in view.week_grid.cells.values():
        if cell.day == day and cell.state is CellState.FREE:
            if individuals and not rooms[cell.room_id].individuals_allowed:
                continue
            return cell
    raise AssertionError(f"no free cell on {day}")


def open_from_grid(desk_app: DeskUnderTest, view: AvailabilityView, cell: Cell) -> WalkInDialog:
    """Select the cell and press Enter, as staff do."""
    position = view.week_grid.position_of(cell.room_id, cell.day, cell.slot_id)
    assert position is not None
    view.week_grid.setFocus()
    view.week_grid.setCurrentCell(*position)
    desk_app.qtbot.keyClick(view.week_grid, Qt.Key.Key_Return)
    dialog = view.dialog
    assert isinstance(dialog, WalkInDialog)
    desk_app.qtbot.waitUntil(dialog.isVisible)
    desk_app.qtbot.waitUntil(lambda: bool(dialog.slot_boxes), timeout=10000)
    desk_app.settle()
    return dialog


def type_text(desk_app: DeskUnderTest, widget: QWidget, text: str) -> None:
    """Type as staff do: ASCII key by key; Japanese as the input method commits it (QTest's key
    clicks know only ASCII)."""
    widget.setFocus()
    if text.isascii():
        desk_app.qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def choose_group(desk_app: DeskUnderTest, dialog: WalkInDialog, typed: str) -> None:
    """Type into the group field and take the first suggestion with Down and Enter."""
    type_text(desk_app, dialog.group_search, typed)
    desk_app.qtbot.waitUntil(lambda: bool(dialog.candidates), timeout=10000)
    desk_app.settle()
    popup = dialog.completer.popup()
    assert popup is not None
    if not popup.isVisible():
        # The list opens by itself; staff whose list has gone (a click elsewhere, Esc, a
        # window that took the focus a moment) bring it back with ↓ in the field.
        desk_app.qtbot.keyClick(dialog.group_search, Qt.Key.Key_Down)
    desk_app.qtbot.waitUntil(popup.isVisible)
    popup.setCurrentIndex(dialog.completer.completionModel().index(-1, 0))
    desk_app.qtbot.keyClick(popup, Qt.Key.Key_Down)
    desk_app.qtbot.keyClick(popup, Qt.Key.Key_Return)
    desk_app.qtbot.waitUntil(lambda: dialog.group is not None)


def type_headcount(desk_app: DeskUnderTest, dialog: WalkInDialog, count: int) -> None:
    dialog.headcount.setFocus()
    dialog.headcount.selectAll()
    desk_app.qtbot.keyClicks(dialog.headcount, str(count))


def press_enter(desk_app: DeskUnderTest, dialog: WalkInDialog) -> None:
    desk_app.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    desk_app.settle()


def tomorrow(desk_app: DeskUnderTest) -> date:
    return tokyo_date(desk_app.clock.now()) + timedelta(days=1)


# --- tests -------------------------------------------------------------------------------


def test_a_taken_slot_is_refused_next_to_the_form_and_nothing_is_lost(
    desk_app: DeskUnderTest,
) -> None:
    view = availability(desk_app)
    cell = free_cell(view, tomorrow(desk_app))
    dialog = open_from_grid(desk_app, view, cell)
    choose_group(desk_app, dialog, "いご")  # hiragana finds the katakana furigana
    dialog.purpose.setText("囲碁の対局")
    type_headcount(desk_app, dialog, 6)
    typed = (dialog.group_search.text(), dialog.purpose.text(), dialog.headcount.value())

    # Meanwhile another walk-in takes the slot (the grid was read before it).
    off_gui(
        desk_app,
        lambda: desk_app.ctx.ops.book_walk_in(
            WalkIn(cell.room_id, cell.day, cell.slot_id, 3, individual_name="窓口 試験")
            if _room(desk_app, cell.room_id).individuals_allowed
            else WalkIn(cell.room_id, cell.day, cell.slot_id, 3, user_id=_other_group(desk_app))
        ),
    )
    press_enter(desk_app, dialog)

    assert dialog.problem.isVisible()
    assert "That slot is already booked." in dialog.problem.text()
    assert "Choose another room or slot." in dialog.problem.text()
    assert not dialog.showing_result
    assert (dialog.group_search.text(), dialog.purpose.text(), dialog.headcount.value()) == typed
    assert dialog.group is not None and dialog.group.name == "小平囲碁クラブ"


def test_over_capacity_is_said_while_typing_and_refused_with_the_next_step(
    desk_app: DeskUnderTest,
) -> None:
    view = availability(desk_app)
    cell = free_cell(view, tomorrow(desk_app))
    capacity = _room(desk_app, cell.room_id).capacity
    dialog = open_from_grid(desk_app, view, cell)
    choose_group(desk_app, dialog, "いご")
    type_headcount(desk_app, dialog, capacity + 1)
    assert "More than this room holds" in dialog.capacity_note.text()
    assert str(capacity) in dialog.capacity_note.text()

    press_enter(desk_app, dialog)
    assert clipped_texts(dialog) == []
    assert "That is more people than the room holds." in dialog.problem.text()
    assert "Lower the headcount or choose a larger room." in dialog.problem.text()
    assert dialog.headcount.value() == capacity + 1
    assert dialog.group is not None

    type_headcount(desk_app, dialog, capacity)
    assert "This room holds up to" in dialog.capacity_note.text()
    press_enter(desk_app, dialog)
    assert dialog.showing_result, dialog.problem.text()
    assert clipped_texts(dialog) == []


def test_several_slots_of_one_day_make_one_booking_each(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    day = tomorrow(desk_app)
    # A room with at least two free slots tomorrow.
    by_room: dict[str, list[Cell]] = {}
    for cell in view.week_grid.cells.values():
        if cell.day == day and cell.state is CellState.FREE:
            by_room.setdefault(cell.room_id, []).append(cell)
    room_id, cells = next((r, c) for r, c in by_room.items() if len(c) >= 2)
    dialog = open_from_grid(desk_app, view, cells[0])
    dialog.slot_boxes[cells[1].slot_id].setChecked(True)
    choose_group(desk_app, dialog, "いご")
    type_headcount(desk_app, dialog, 4)
    assert "Nominal" in dialog.fee_label.text()
    press_enter(desk_app, dialog)

    assert dialog.showing_result, dialog.problem.text()
    assert len(dialog.made) == 2
    assert {r.slot_id for r in dialog.made} == {cells[0].slot_id, cells[1].slot_id}
    assert all(r.sync_state == "pending" and r.room_id == room_id for r in dialog.made)
    for r in dialog.made:
        assert r.approval_number in dialog.done_list.text()


def test_an_individual_only_in_a_room_open_to_individuals(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    day = tomorrow(desk_app)
    center = desk_app.ctx.center
    assert center is not None
    groups_only = next(
        c
        for c in view.week_grid.cells.values()
        if c.day == day
        and c.state is CellState.FREE
        and not _room(desk_app, c.room_id).individuals_allowed
    )
    dialog = open_from_grid(desk_app, view, groups_only)
    dialog.as_individual.setChecked(True)
    dialog.individual_name.setText("小平 一郎")
    type_headcount(desk_app, dialog, 2)
    assert dialog.room_note.isVisible()  # says which rooms individuals may use
    press_enter(desk_app, dialog)
    assert "Only registered groups may use this room." in dialog.problem.text()
    assert dialog.individual_name.text() == "小平 一郎"

    # Moving to a room open to individuals keeps the name and books.
    allowed = free_cell(view, day, individuals=True)
    dialog.room.setCurrentIndex(dialog.room.findData(allowed.room_id))
    desk_app.settle()
    for box in dialog.slot_boxes.values():
        box.setChecked(False)
    dialog.slot_boxes[allowed.slot_id].setChecked(True)
    press_enter(desk_app, dialog)
    assert dialog.showing_result, dialog.problem.text()
    assert dialog.made[0].individual_name == "小平 一郎"
    assert dialog.made[0].user_id is None


def test_a_walk_in_for_a_group_starts_with_the_group_chosen(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    user_id = _other_group(desk_app)
    dialog = WalkInDialog(desk_app.ctx, user_id=user_id, parent=desk_app.window)
    desk_app.qtbot.addWidget(dialog)
    dialog.open()
    desk_app.qtbot.waitUntil(lambda: dialog.group is not None, timeout=10000)
    desk_app.settle()
    assert dialog.group is not None and dialog.group.user_id == user_id
    assert dialog.purpose.text() == dialog.group.form.activity
    # Esc closes without booking.
    desk_app.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.made == []


# --- small look-ups -------------------------------------------------------------------------


def _room(desk_app: DeskUnderTest, room_id: str):  # type: ignore[no-untyped-def]
    center = desk_app.ctx.center
    assert center is not None
    return center.room(room_id)


def _other_group(desk_app: DeskUnderTest) -> str:
    """A group other than 小平囲碁クラブ, eligible, from the cache."""
    from center_desk.store import groups as cached_groups

    found = on_cache(desk_app, lambda db: cached_groups.search(db, "書道"))
    return found[0].user_id


def bookings_on(desk_app: DeskUnderTest, day: date) -> list[CachedReservation]:
    center_id = desk_app.ctx.center_id
    return on_cache(desk_app, lambda db: cached.between(db, center_id, day, day))
