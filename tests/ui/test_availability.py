"""空き状況: the counter window and the month view, and a walk-in booked from the grid online
and offline (issue 5)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from center_desk.domain import tokyo_date
from center_desk.store import reservations as cached
from center_desk.ui.views.availability import FIRST_DAY_COLUMN, AvailabilityView
from center_desk.ui.views.today import TodayView
from center_desk.ui.widgets.cells import CellState
from tests.support.qt_layout import clipped_texts
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_walk_in import (
    availability,
    choose_group,
    free_cell,
    on_cache,
    open_from_grid,
    press_enter,
    tomorrow,
    type_headcount,
)

# Wording is checked by its English source; the Japanese by test_translations.
pytestmark = pytest.mark.usefixtures("english_ui")


def cell_text(view: AvailabilityView, room_id: str, day: date, slot_id: str) -> str:
    position = view.week_grid.position_of(room_id, day, slot_id)
    assert position is not None
    item = view.week_grid.item(*position)
    assert item is not None
    return item.text()


def book_from_grid(desk_app: DeskUnderTest, view: AvailabilityView) -> tuple[str, str, date, str]:
    """Book a free cell of tomorrow for 小平囲碁クラブ; (approval number, room, day, slot)."""
    cell = free_cell(view, tomorrow(desk_app))
    dialog = open_from_grid(desk_app, view, cell)
    choose_group(desk_app, dialog, "いご")
    type_headcount(desk_app, dialog, 7)
    press_enter(desk_app, dialog)
    assert dialog.showing_result, dialog.problem.text()
    number = dialog.made[0].approval_number
    desk_app.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    desk_app.settle()
    return number, cell.room_id, cell.day, cell.slot_id


def board_row(desk_app: DeskUnderTest, day: date, number: str) -> dict[str, str]:
    today = desk_app.window.show_view("today")
    assert isinstance(today, TodayView)
    today.set_day(day)
    desk_app.settle()
    for item in today.rows():
        if item.text(0) == number:
            return {"status": item.text(5), "sync": item.text(7), "group": item.text(3)}
    raise AssertionError(f"{number} is not on the board")


def test_the_counter_window_says_each_state_in_words(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    today = tokyo_date(desk_app.clock.now())
    grid = view.week_grid
    assert grid.days == [today + timedelta(days=n) for n in range(8)]
    words = {"Free", "Booked", "Lottery", "Ended", "Waiting to sync"}
    for (row, column), cell in grid.cells.items():
        item = grid.item(row, column)
        if grid.rowSpan(row, column) > 1 or grid.columnSpan(row, column) > 1:
            continue
        if cell.state is CellState.CLOSED:
            continue  # inside the closed day's tall cell
        assert item is not None and item.text() in words, (cell, item and item.text())
    # 2027-02-16 is the 3rd Tuesday: a regular closing day, one tall cell with the reason.
    closed = date(2027, 2, 16)
    column = FIRST_DAY_COLUMN + grid.days.index(closed)
    assert grid.rowSpan(0, column) == grid.rowCount()
    closed_item = grid.item(0, column)
    assert closed_item is not None
    assert closed_item.text() == "Closed\nRegular closing day"
    # At 10:00 nothing of today has ended; by 12:00 the morning has.
    assert not any(c.state is CellState.ENDED for c in grid.cells.values())
    desk_app.clock.set(desk_app.clock.now().replace(hour=12, minute=5))
    view.refresh()
    desk_app.settle()
    ended = {c.slot_id for c in grid.cells.values() if c.state is CellState.ENDED}
    assert ended == {"morning"}
    # No day column is narrower than its longest text at the counter screen's size.
    header = grid.horizontalHeader()
    needed = grid.minimum_day_width()
    for column in range(FIRST_DAY_COLUMN, grid.columnCount()):
        assert header.sectionSize(column) >= needed


def test_a_free_cell_of_the_month_asks_for_a_first_come_booking(
    desk_app: DeskUnderTest,
) -> None:
    view = availability(desk_app)
    view.pages.setCurrentIndex(1)
    desk_app.settle()
    assert clipped_texts(desk_app.window) == []
    grid = view.month_grid
    assert grid.days[0] == date(2027, 3, 1)  # next month: its first-come window is open
    assert "Regular closing day" in view.closures_label.text()
    (row, column), cell = next((p, c) for p, c in grid.cells.items() if c.state is CellState.FREE)
    grid.setFocus()
    grid.setCurrentCell(row, column)
    with desk_app.qtbot.waitSignal(view.first_come_requested, timeout=5000) as signal:
        desk_app.qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert signal.args == [cell.room_id, cell.day, cell.slot_id]
    # A month whose first-come window has not opened shows nothing free.
    view.next_month.click()
    view.next_month.click()
    desk_app.settle()
    assert grid.days[0] == date(2027, 5, 1)
    assert not any(c.state is CellState.FREE for c in grid.cells.values())


def test_walk_in_from_the_grid_online_reaches_the_backend(
    desk_app: DeskUnderTest, tmp_path: Path
) -> None:
    view = availability(desk_app)
    number, room_id, day, slot_id = book_from_grid(desk_app, view)

    # At once, before any sync: waiting on the board and in the grid.
    assert cell_text(view, room_id, day, slot_id) == "Waiting to sync"
    assert board_row(desk_app, day, number)["sync"] == "Waiting to sync"

    desk_app.sync()
    assert cell_text(view, room_id, day, slot_id) == "Booked"
    row = board_row(desk_app, day, number)
    assert row == {"status": "Booked", "sync": "Synced", "group": "小平囲碁クラブ"}
    mine = on_cache(desk_app, lambda db: cached.by_approval_number(db, number))
    assert mine is not None and mine.sync_state == "synced"
    backend_db = tmp_path / "data" / "demo-backend" / "backend.sqlite3"
    with sqlite3.connect(backend_db) as connection:
        found = connection.execute(
            "SELECT kind, status, headcount FROM reservations WHERE approval_number = ?",
            (number,),
        ).fetchall()
    assert found == [("last_minute", "booked", 7)]


def test_walk_in_from_the_grid_offline_waits_to_sync(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = availability(desk_app)
    desk_app.go_offline(monkeypatch)
    number, room_id, day, slot_id = book_from_grid(desk_app, view)
    desk_app.sync()  # fails: the line is down

    desk_app.qtbot.waitUntil(lambda: desk_app.window.sync_label.text().startswith("Offline"))
    assert cell_text(view, room_id, day, slot_id) == "Waiting to sync"
    assert board_row(desk_app, day, number)["sync"] == "Waiting to sync"
    mine = on_cache(desk_app, lambda db: cached.by_approval_number(db, number))
    assert mine is not None and mine.sync_state == "pending"


def test_a_reply_that_arrives_after_the_view_is_gone_is_dropped(desk_app: DeskUnderTest) -> None:
    """A load still in flight when its view is destroyed (the window closed at a lock or at
    the end of the day) must not reach the deleted grids: seen once as a RuntimeError in the
    Qt event loop. The cache's worker is held so the reply lands after the deletion."""
    view = availability(desk_app)
    with desk_app.cache_held():
        view.refresh()  # its load queues behind the held call
        desk_app.destroy(view)
    desk_app.settle()  # pytest-qt fails the test on an exception in the event loop
