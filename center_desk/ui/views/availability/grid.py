"""The availability grid: rows are each room's slots, columns are days; and the snapshot of the
cache it is filled from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from center_desk.domain import (
    Center,
    CenterCalendar,
    SlotDef,
    format_short_date,
)
from center_desk.domain.eras import WEEKDAYS
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached

from ...widgets.booking_words import closure_text, time_range
from ...widgets.cell_words import COLOURS, cell_tooltip, state_mark, state_word
from ...widgets.cells import Bookings, Cell, counter_cell, first_come_cell

# --- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    center: Center | None
    slots: tuple[SlotDef, ...]
    calendar: CenterCalendar
    bookings: Bookings


def load_snapshot(db: Connection, center_id: str, start: date, end: date) -> Snapshot:
    bookings: Bookings = {
        (b.room_id, b.use_date, b.slot_id): b for b in cached.between(db, center_id, start, end)
    }
    return Snapshot(
        center=cached_catalog.center(db, center_id),
        slots=cached_catalog.slots(db),
        calendar=cached_catalog.calendar(db, center_id),
        bookings=bookings,
    )


# --- the grid widget ---------------------------------------------------------------------------

ROOM_COLUMN, SLOT_COLUMN, FIRST_DAY_COLUMN = 0, 1, 2


class AvailabilityGrid(QTableWidget):
    """Rows: each room's slots; columns: days. Cells keep their :class:`Cell`."""

    def __init__(self, *, compact: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compact = compact
        self.days: list[date] = []
        self.cells: dict[tuple[int, int], Cell] = {}
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        line = self.fontMetrics().height()
        self.verticalHeader().setDefaultSectionSize(line + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def fill(
        self,
        snapshot: Snapshot,
        days: list[date],
        today: date,
        *,
        now: datetime,
        first_come: bool,
    ) -> None:
        self.clearSpans()
        self.clear()
        self.cells = {}
        self.days = days
        rooms = snapshot.center.rooms if snapshot.center else ()
        slots = snapshot.slots
        # The month's narrow columns carry the day in the header and the weekday in a first
        # row of their own (two-line titles would need wider columns than the screen has).
        offset = 1 if self.compact else 0
        self.setRowCount(offset + len(rooms) * len(slots))
        self.setColumnCount(FIRST_DAY_COLUMN + len(days))
        headers = [
            QCoreApplication.translate("Availability", "Room"),
            QCoreApplication.translate("Availability", "Slot"),
        ]
        for day in days:
            if self.compact:
                headers.append(str(day.day))
            else:
                label = format_short_date(day)
                headers.append(
                    label + "\n" + QCoreApplication.translate("Availability", "Today")
                    if day == today
                    else f"{label}\n"
                )
        self.setHorizontalHeaderLabels(headers)
        if self.compact:
            self._weekday_row(days)
        make = first_come_cell if first_come else counter_cell
        room_texts: list[str] = []
        for r_index, room in enumerate(rooms):
            top = offset + r_index * len(slots)
            room_text = (
                room.name
                + "\n"
                + QCoreApplication.translate("Availability", "Up to %1").replace(
                    "%1", str(room.capacity)
                )
            )
            if room.individuals_allowed:
                room_text += "\n" + QCoreApplication.translate("Availability", "Individuals OK")
            room_texts.append(room_text)
            self._fixed(top, ROOM_COLUMN, room_text)
            if len(slots) > 1:
                self.setSpan(top, ROOM_COLUMN, len(slots), 1)
            for s_index, slot in enumerate(slots):
                row = top + s_index
                slot_label = slot.label if self.compact else f"{slot.label} {time_range(slot)}"
                self._fixed(row, SLOT_COLUMN, slot_label)
                for d_index, day in enumerate(days):
                    cell = make(room, slot, day, snapshot.bookings, snapshot.calendar, now)
                    self._cell(row, FIRST_DAY_COLUMN + d_index, cell)
        if not self.compact:
            self._span_closed_days(days, snapshot)
        header = self.horizontalHeader()
        # The room cell spans its slots' rows, which ResizeToContents does not measure: size
        # it from its longest line, so a room's name is never cut.
        header.setSectionResizeMode(ROOM_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ROOM_COLUMN, self._text_width(room_texts) + 16)
        header.setSectionResizeMode(SLOT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(FIRST_DAY_COLUMN, self.columnCount()):
            # Days share what is left; the month's narrow marks need little.
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def _text_width(self, texts: list[str]) -> int:
        metrics = self.fontMetrics()
        lines = [line for text in texts for line in text.splitlines()] or [""]
        return max(metrics.horizontalAdvance(line) for line in lines)

    def minimum_day_width(self) -> int:
        """The width a day column needs so that no cell or header text is cut."""
        texts = [
            item.text()
            for (row, column) in self.cells
            if (item := self.item(row, column)) is not None and self.rowSpan(row, column) == 1
        ]
        for column in range(FIRST_DAY_COLUMN, self.columnCount()):
            header_item = self.horizontalHeaderItem(column)
            if header_item is not None:
                texts.append(header_item.text())
        return self._text_width(texts) + 8

    def _weekday_row(self, days: list[date]) -> None:
        self._fixed(0, ROOM_COLUMN, QCoreApplication.translate("Availability", "Weekday"))
        self.setSpan(0, ROOM_COLUMN, 1, 2)
        for d_index, day in enumerate(days):
            self._fixed(0, FIRST_DAY_COLUMN + d_index, WEEKDAYS[day.weekday()])
            item = self.item(0, FIRST_DAY_COLUMN + d_index)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if day.weekday() >= 5:  # 土 blue, 日 red, as on a Japanese calendar
                    item.setForeground(
                        QBrush(QColor("#1f4e9e" if day.weekday() == 5 else "#b00020"))
                    )

    def _fixed(self, row: int, column: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setBackground(QBrush(QColor("#f0f3f7")))
        self.setItem(row, column, item)

    def _cell(self, row: int, column: int, cell: Cell) -> None:
        self.cells[(row, column)] = cell
        text = state_mark(cell.state) if self.compact else state_word(cell.state)
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        background, foreground = COLOURS[cell.state]
        item.setBackground(QBrush(QColor(background)))
        item.setForeground(QBrush(QColor(foreground)))
        item.setToolTip(cell_tooltip(cell))
        item.setData(Qt.ItemDataRole.UserRole, cell.state.value)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.setItem(row, column, item)

    def _span_closed_days(self, days: list[date], snapshot: Snapshot) -> None:
        """A closed day is one tall cell naming the reason: the same word 18 times is noise."""
        if self.rowCount() == 0:
            return
        for d_index, day in enumerate(days):
            closure = snapshot.calendar.closure(day)
            column = FIRST_DAY_COLUMN + d_index
            if closure is None or any(
                self.cells[(row, column)].booking is not None for row in range(self.rowCount())
            ):
                continue
            self.setSpan(0, column, self.rowCount(), 1)
            item = self.item(0, column)
            if item is not None:
                item.setText(
                    QCoreApplication.translate("Availability", "Closed")
                    + "\n"
                    + closure_text(closure)
                )

    def cell_at(self, row: int, column: int) -> Cell | None:
        return self.cells.get((row, column))

    def current_cell(self) -> Cell | None:
        return self.cell_at(self.currentRow(), self.currentColumn())

    def position_of(self, room_id: str, day: date, slot_id: str) -> tuple[int, int] | None:
        for position, cell in self.cells.items():
            if (cell.room_id, cell.day, cell.slot_id) == (room_id, day, slot_id):
                return position
        return None
