"""The day's board of 本日: the bookings by slot and room, loaded from the cache, with the words
and colours of each row; and which actions a booking allows now."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from center_desk.domain import AllowedActions, SlotDef, format_era_date, tokyo_date
from center_desk.domain import allowed_actions as reservation_actions
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from ...context import DeskContext
from ...print_service import describe
from ...widgets.background import run_for
from ...widgets.booking_words import (
    closure_text,
    fee_text,
    holder_text,
    status_text,
    sync_text,
    time_range,
)

PENDING_BACKGROUND = QColor("#ffe8a3")
REFUSED_BACKGROUND = QColor("#f8c9cf")
CANCELLED_FOREGROUND = QColor("#8a8a8a")
SLOT_BACKGROUND = QColor("#e3ecf5")

COLUMNS = ("number", "time", "room", "holder", "people", "status", "fee", "sync")


def normalize_approval_number(text: str) -> str:
    """What a scanner or a hurried hand typed, as the cache stores it: full-width characters
    from a Japanese input method become ASCII, spaces go, letters are upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def allowed_actions(
    r: CachedReservation | None, slot: SlotDef | None, now: datetime
) -> AllowedActions:
    """Which actions make sense for a booking now: the guards the operations and the backend
    apply (domain/reservation.py), so an enabled action is one the counter will accept."""
    return reservation_actions(cached.facts(r, slot) if r is not None else None, now)


@dataclass(frozen=True)
class DayBoard:
    day: date
    bookings: list[CachedReservation]
    closure: str


class TodayBoard(QWidget):
    """Loading and showing the day's bookings; the counter's work and the view build on it."""

    # Set up by TodayView.__init__; declared here so each part of the view is typed.
    ctx: DeskContext
    board: DayBoard | None
    dialog: QDialog | None
    _generation: int
    _select_after_load: str | None
    _open_after_load: bool
    previous_day: QToolButton
    date_edit: QDateEdit
    next_day: QToolButton
    today_button: QToolButton
    day_label: QLabel
    walk_in_button: QPushButton
    search: QLineEdit
    tree: QTreeWidget
    actions_row: QHBoxLayout
    details_action: QAction
    print_action: QAction
    preview_action: QAction
    check_in_action: QAction
    usage_action: QAction
    fee_action: QAction
    cancel_action: QAction
    no_show_action: QAction
    message: QLabel

    # --- loading ----------------------------------------------------------------------------

    @property
    def day(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def set_day(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def show_today(self) -> None:
        today = tokyo_date(self.ctx.clock.now())
        if self.day == today:
            self.refresh()
        else:
            self.set_day(today)

    def _move_day(self, delta: int) -> None:
        self.set_day(self.day + timedelta(days=delta))

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        day = self.day
        center_id = self.ctx.center_id

        def read(db: Connection) -> DayBoard:
            bookings = cached.between(db, center_id, day, day, include_cancelled=True)
            closure = cached_catalog.calendar(db, center_id).closure(day)
            return DayBoard(day, bookings, closure_text(closure) if closure else "")

        def load() -> DayBoard:
            return self.ctx.db.call(read)

        run_for(self, self.ctx, load, lambda board: self._loaded(generation, board), self._failed)

    def _loaded(self, generation: int, board: DayBoard) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        current = self.current_reservation()
        keep = self._select_after_load or (current.id if current else None)
        self.board = board
        self._fill(board)
        if keep is None or not self.select_reservation(keep):
            # Something is always selected, so the action keys work from the first moment.
            rows = self.rows()
            if rows:
                self.tree.setCurrentItem(rows[0])
        if self._select_after_load is not None and self._open_after_load:
            self._open_after_load = False
            self.open_details()
        self._select_after_load = None
        self._update_actions()

    def _fill(self, board: DayBoard) -> None:
        self.tree.clear()
        live = sum(1 for b in board.bookings if b.live)
        heading = f"{format_era_date(board.day)}  "
        if board.closure:
            heading += self.tr("Closed: %1").replace("%1", board.closure)
        else:
            heading += self.tr("%1 bookings").replace("%1", str(live))
        self.day_label.setText(heading)
        slots = list(self.ctx.slots)
        known = {s.id for s in slots}
        for extra in sorted({b.slot_id for b in board.bookings} - known):
            slots.append(SlotDef(extra, extra, datetime.min.time(), datetime.max.time()))
        room_order = (
            {room.id: i for i, room in enumerate(self.ctx.center.rooms)}
            if (self.ctx.center)
            else {}
        )
        bold = self.tree.font()
        bold.setBold(True)
        if not board.bookings:
            empty = QTreeWidgetItem(self.tree)
            empty.setText(0, self.tr("No bookings on this day."))
            empty.setFirstColumnSpanned(True)
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            return
        for slot in slots:
            rows = [b for b in board.bookings if b.slot_id == slot.id]
            rows.sort(key=lambda b: (room_order.get(b.room_id, 99), b.room_id, not b.live))
            header = QTreeWidgetItem(self.tree)
            count = sum(1 for b in rows if b.live)
            header.setText(
                0,
                self.tr("%1 %2 · %3 booked")
                .replace("%1", slot.label)
                .replace("%2", time_range(slot) if slot.id in known else "")
                .replace("%3", str(count)),
            )
            header.setFirstColumnSpanned(True)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setFont(0, bold)
            for column in range(len(COLUMNS)):
                header.setBackground(column, QBrush(SLOT_BACKGROUND))
            for booking in rows:
                self._add_row(header, booking, slot)
            header.setExpanded(True)
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.tree.header()
        title = self.tree.headerItem()
        metrics = header.fontMetrics()
        for index, name in enumerate(COLUMNS):
            if name == "holder" or title is None:
                continue
            needed = metrics.horizontalAdvance(title.text(index)) + 24
            header.resizeSection(index, max(self.tree.sizeHintForColumn(index), needed))

    def _add_row(self, parent: QTreeWidgetItem, r: CachedReservation, slot: SlotDef) -> None:
        item = QTreeWidgetItem(parent)
        people = str(r.headcount or "")
        if r.actual_headcount is not None:
            people = self.tr("%1 → %2").replace("%1", people).replace("%2", str(r.actual_headcount))
        values = (
            r.approval_number,
            time_range(slot) if slot.label != slot.id else "",
            self.ctx.room_name(r.room_id),
            holder_text(r),
            people,
            status_text(r),
            fee_text(r),
            sync_text(r),
        )
        for column, value in enumerate(values):
            item.setText(column, value)
        item.setData(0, Qt.ItemDataRole.UserRole, r.id)
        item.setTextAlignment(
            COLUMNS.index("people"), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        sync_column = COLUMNS.index("sync")
        if r.sync_state in ("pending", "rejected"):
            colour = PENDING_BACKGROUND if r.sync_state == "pending" else REFUSED_BACKGROUND
            item.setBackground(sync_column, QBrush(colour))
            bold = item.font(sync_column)
            bold.setBold(True)
            item.setFont(sync_column, bold)
        else:
            # Synced is the normal state: quiet, so the waiting ones stand out.
            item.setForeground(sync_column, QBrush(CANCELLED_FOREGROUND))
        if not r.live:
            for column in range(len(COLUMNS)):
                if column != sync_column:
                    item.setForeground(column, QBrush(CANCELLED_FOREGROUND))

    def _failed(self, error: BaseException) -> None:
        self.show_message(describe(error).text(), error=True)

    # --- what the counter's work does (TodayCounterWork) -------------------------------------

    def current_reservation(self) -> CachedReservation | None:
        raise NotImplementedError

    def rows(self) -> list[QTreeWidgetItem]:
        raise NotImplementedError

    def select_reservation(self, reservation_id: str) -> bool:
        raise NotImplementedError

    def open_details(self) -> None:
        raise NotImplementedError

    def _update_actions(self) -> None:
        raise NotImplementedError

    def show_message(self, text: str, *, error: bool = False) -> None:
        raise NotImplementedError
