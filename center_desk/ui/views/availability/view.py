"""空き状況 (availability): rooms × slots for today and the next 7 days, the counter window in
which only this desk books (直前予約); and a month view for first-come bookings made for
citizens without a device (先着予約の代理).

Every cell says its state in words (or a mark explained by the legend) as well as by colour:
free, booked, lottery, waiting to sync, closed (with the reason), ended, not open. A free cell
of the counter window starts a walk-in booking (double-click or Enter); a free cell of the
month view asks the proxy view for a first-come booking (:attr:`first_come_requested`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    format_short_date,
    tokyo_date,
)
from center_desk.domain.eras import era_year
from center_desk.domain.windows import COUNTER_DAYS_BEFORE, add_months

from ...context import DeskContext
from ...dialogs.walk_in import WalkInDialog
from ...print_service import describe
from ...widgets.background import run_for
from ...widgets.booking_words import ERROR_STYLE, closure_text, time_range
from ...widgets.cell_words import cell_tooltip, legend, state_word
from ...widgets.cells import Cell, CellState, counter_days, month_days
from .grid import AvailabilityGrid, Snapshot, load_snapshot

# --- the view ----------------------------------------------------------------------------------


class AvailabilityView(QWidget):
    #: A free cell of the month view was chosen: (room id, date, slot id).
    first_come_requested = Signal(str, object, str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog | None = None
        self.snapshot: Snapshot | None = None
        self._generation = 0
        today = tokyo_date(ctx.clock.now())
        self.month = add_months(today.year, today.month, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("availabilityPages")
        layout.addWidget(self.pages, 1)

        # The counter window: today and the next 7 days.
        week = QWidget(self.pages)
        week_layout = QVBoxLayout(week)
        week_layout.setContentsMargins(4, 6, 4, 4)
        hint = QLabel(
            self.tr("Double-click a free cell, or select it and press Enter, to book a walk-in."),
            week,
        )
        hint.setWordWrap(True)
        week_layout.addWidget(hint)
        self.week_grid = AvailabilityGrid(compact=False, parent=week)
        self.week_grid.setObjectName("weekGrid")
        self.week_grid.cellActivated.connect(self._week_activated)
        self.week_grid.currentCellChanged.connect(lambda *_a: self._describe_current())
        week_layout.addWidget(self.week_grid, 1)
        week_layout.addWidget(legend(week, compact=False))
        self.pages.addTab(week, self.tr("Next 8 days (walk-in)"))

        # The month: first-come bookings for citizens without a device.
        month = QWidget(self.pages)
        month_layout = QVBoxLayout(month)
        month_layout.setContentsMargins(4, 6, 4, 4)
        bar = QHBoxLayout()
        self.previous_month = QToolButton(month)
        self.previous_month.setText(self.tr("◀"))
        self.previous_month.setToolTip(self.tr("Previous month (Alt+Page Up)"))
        self.previous_month.clicked.connect(lambda: self._move_month(-1))
        self.month_label = QLabel("", month)
        self.month_label.setObjectName("monthLabel")
        self.month_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.next_month = QToolButton(month)
        self.next_month.setText(self.tr("▶"))
        self.next_month.setToolTip(self.tr("Next month (Alt+Page Down)"))
        self.next_month.clicked.connect(lambda: self._move_month(1))
        bar.addWidget(self.previous_month)
        bar.addWidget(self.month_label)
        bar.addWidget(self.next_month)
        bar.addSpacing(16)
        month_hint = QLabel(
            self.tr("Choose a free cell (○) and press Enter for a first-come booking."), month
        )
        bar.addWidget(month_hint, 1)
        month_layout.addLayout(bar)
        self.month_grid = AvailabilityGrid(compact=True, parent=month)
        self.month_grid.setObjectName("monthGrid")
        self.month_grid.cellActivated.connect(self._month_activated)
        self.month_grid.currentCellChanged.connect(lambda *_a: self._describe_current())
        month_layout.addWidget(self.month_grid, 1)
        self.closures_label = QLabel("", month)
        self.closures_label.setObjectName("closures")
        self.closures_label.setWordWrap(True)
        month_layout.addWidget(self.closures_label)
        month_layout.addWidget(legend(month, compact=True))
        self.pages.addTab(month, self.tr("Month (first-come)"))
        self.pages.currentChanged.connect(lambda _i: self._describe_current())
        # Keys for this view only (WidgetWithChildrenShortcut): other views may use the same.
        for keys, slot in (
            ("Alt+PgUp", lambda: self._move_month(-1)),
            ("Alt+PgDown", lambda: self._move_month(1)),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        ctx.listeners.append(self.refresh)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        now = self.ctx.clock.now()
        today = tokyo_date(now)
        days = month_days(*self.month)
        start = min(today, days[0])
        end = max(today + timedelta(days=COUNTER_DAYS_BEFORE), days[-1])
        center_id = self.ctx.center_id

        def load() -> Snapshot:
            return self.ctx.db.call(lambda db: load_snapshot(db, center_id, start, end))

        # For this view: a reply after the window closed (a lock, the end of the day) is dropped.
        run_for(
            self, self.ctx, load, lambda snap: self._loaded(generation, snap, now), self._failed
        )

    def _loaded(self, generation: int, snapshot: Snapshot, now: datetime) -> None:
        if generation != self._generation:
            return
        self.snapshot = snapshot
        today = tokyo_date(now)
        for grid, days, first_come in (
            (self.week_grid, counter_days(today), False),
            (self.month_grid, month_days(*self.month), True),
        ):
            position = (grid.currentRow(), grid.currentColumn())
            grid.fill(snapshot, days, today, now=now, first_come=first_come)
            if position[0] >= 0 and grid.cell_at(*position) is not None:
                grid.setCurrentCell(*position)
        year, month = self.month
        era, era_number = era_year(date(year, month, 1))
        self.month_label.setText(f"{era}{era_number}年{month}月（{year}年）")
        closed = snapshot.calendar.closures_between(*_month_bounds(self.month))
        self.closures_label.setText(
            self.tr("Closed days: %1").replace(
                "%1",
                "、".join(f"{format_short_date(c.day)} {closure_text(c)}" for c in closed)
                or self.tr("none"),
            )
        )
        self._describe_current()

    def _failed(self, error: BaseException) -> None:
        self.show_message(describe(error).text(), error=True)

    def _move_month(self, delta: int) -> None:
        self.month = add_months(*self.month, delta)
        self.refresh()

    # --- choosing a cell --------------------------------------------------------------------

    def _current_grid(self) -> AvailabilityGrid:
        return self.week_grid if self.pages.currentIndex() == 0 else self.month_grid

    def _describe_current(self) -> None:
        grid = self._current_grid()
        cell = grid.current_cell()
        if cell is None:
            self.show_message("")
            return
        text = " · ".join(
            (
                self.ctx.room_name(cell.room_id),
                format_short_date(cell.day),
                _slot_label(self.ctx, cell.slot_id),
                state_word(cell.state),
            )
        )
        # A free cell's explanation is the state word again (「空き／空き」): say it once.
        detail = cell_tooltip(cell)
        self.show_message(text if detail == state_word(cell.state) else f"{text}\n{detail}")

    def _free_cell(self, cell: Cell | None) -> Cell | None:
        """The activated cell if it is free; otherwise say why not (and return None)."""
        if cell is None:
            return None
        if cell.state is not CellState.FREE:
            self.show_message(
                self.tr("That cell is not free: %1.").replace("%1", state_word(cell.state))
                + "\n"
                + cell_tooltip(cell),
                error=True,
            )
            return None
        return cell

    def _week_activated(self, row: int, column: int) -> None:
        cell = self._free_cell(self.week_grid.cell_at(row, column))
        if cell is not None:
            self.start_walk_in(cell.room_id, cell.day, cell.slot_id)

    def start_walk_in(self, room_id: str, day: date, slot_id: str) -> WalkInDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = WalkInDialog(self.ctx, day=day, room_id=room_id, slot_id=slot_id, parent=self)
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self.week_grid.setFocus())
        dialog.open()
        return dialog

    def _month_activated(self, row: int, column: int) -> None:
        cell = self._free_cell(self.month_grid.cell_at(row, column))
        if cell is not None:
            self.first_come_requested.emit(cell.room_id, cell.day, cell.slot_id)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #333; padding: 4px;")
        self.message.setText(text)
        self.message.setVisible(bool(text))


def _month_bounds(month: tuple[int, int]) -> tuple[date, date]:
    days = month_days(*month)
    return days[0], days[-1]


def _slot_label(ctx: DeskContext, slot_id: str) -> str:
    slot = ctx.slot(slot_id)
    return f"{slot.label} {time_range(slot)}" if slot else slot_id
