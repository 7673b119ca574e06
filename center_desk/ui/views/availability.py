"""空き状況 (availability): rooms × slots for today and the next 7 days, the counter window in
which only this desk books (直前予約); and a month view for first-come bookings made for
citizens without a device (先着予約の代理).

Every cell says its state in words (or a mark explained by the legend) as well as by colour:
free, booked, lottery, waiting to sync, closed (with the reason), ended, not open. A free cell
of the counter window starts a walk-in booking (double-click or Enter); a free cell of the
month view asks the proxy view for a first-come booking (:attr:`first_come_requested`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    TOKYO,
    Center,
    CenterCalendar,
    Closure,
    Phase,
    Room,
    SlotDef,
    application_windows,
    format_short_date,
    tokyo_date,
)
from center_desk.domain.eras import WEEKDAYS, era_year
from center_desk.domain.windows import COUNTER_DAYS_BEFORE, add_months
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from ..context import DeskContext
from ..dialogs.walk_in import WalkInDialog
from ..print_service import describe
from ..widgets.booking_words import ERROR_STYLE, closure_text, holder_text, time_range

# --- the state of one cell (no Qt) ------------------------------------------------------------


class CellState(StrEnum):
    FREE = "free"
    BOOKED = "booked"
    LOTTERY = "lottery"  # held by a lottery win (抽選)
    PENDING = "pending"  # booked at this desk, not yet confirmed by the backend
    CLOSED = "closed"  # 休館日
    ENDED = "ended"  # today's slot is over
    NOT_OPEN = "not_open"  # not bookable this way now (window, or the room is not let)


@dataclass(frozen=True)
class Cell:
    room_id: str
    day: date
    slot_id: str
    state: CellState
    booking: CachedReservation | None = None
    closure: Closure | None = None
    phase: Phase | None = None


Bookings = dict[tuple[str, date, str], CachedReservation]


def _booked_state(booking: CachedReservation) -> CellState:
    if booking.sync_state == "pending":
        return CellState.PENDING
    return CellState.LOTTERY if booking.kind == "lottery" else CellState.BOOKED


def _settled_cell(
    room: Room, slot: SlotDef, day: date, bookings: Bookings, calendar: CenterCalendar
) -> Cell | None:
    """What both views show regardless of the time: a booking, a closure, a slot the room
    does not offer. None when the cell's state depends on the window."""
    key = (room.id, day, slot.id)
    booking = bookings.get(key)
    if booking is not None:
        return Cell(*key, _booked_state(booking), booking=booking)
    closure = calendar.closure(day)
    if closure is not None:
        return Cell(*key, CellState.CLOSED, closure=closure)
    if not room.offers(slot.id):
        return Cell(*key, CellState.NOT_OPEN)
    return None


def counter_cell(
    room: Room,
    slot: SlotDef,
    day: date,
    bookings: Bookings,
    calendar: CenterCalendar,
    now: datetime,
) -> Cell:
    """A cell of the counter window (today and the next 7 days)."""
    key = (room.id, day, slot.id)
    settled = _settled_cell(room, slot, day, bookings, calendar)
    if settled is not None:
        return settled
    if now >= datetime.combine(day, slot.end, tzinfo=TOKYO):
        return Cell(*key, CellState.ENDED)
    return Cell(*key, CellState.FREE)


def first_come_cell(
    room: Room,
    slot: SlotDef,
    day: date,
    bookings: Bookings,
    calendar: CenterCalendar,
    now: datetime,
) -> Cell:
    """A cell of the month view: free only while the first-come window is open for the day."""
    key = (room.id, day, slot.id)
    settled = _settled_cell(room, slot, day, bookings, calendar)
    if settled is not None:
        return settled
    phase = application_windows(day, calendar).phase_at(now)
    if phase is not Phase.FIRST_COME:
        return Cell(*key, CellState.NOT_OPEN, phase=phase)
    return Cell(*key, CellState.FREE, phase=phase)


def proxy_cell(
    room: Room,
    slot: SlotDef,
    day: date,
    bookings: Bookings,
    calendar: CenterCalendar,
    now: datetime,
) -> Cell:
    """A cell of 抽選・先着's day panel: free while the lottery or first-come window is open
    for the day (a lottery entry does not hold the slot until the draw)."""
    key = (room.id, day, slot.id)
    settled = _settled_cell(room, slot, day, bookings, calendar)
    if settled is not None:
        return settled
    phase = application_windows(day, calendar).phase_at(now)
    if phase not in (Phase.LOTTERY, Phase.FIRST_COME):
        return Cell(*key, CellState.NOT_OPEN, phase=phase)
    return Cell(*key, CellState.FREE, phase=phase)


def counter_days(today: date) -> list[date]:
    return [today + timedelta(days=n) for n in range(COUNTER_DAYS_BEFORE + 1)]


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    following = date(*add_months(year, month, 1), 1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


# --- words and colours --------------------------------------------------------------------------

COLOURS: dict[CellState, tuple[str, str]] = {
    # (background, text); the text colour keeps at least 4.5:1 contrast on its background.
    CellState.FREE: ("#d4f0d4", "#0f4d0f"),
    CellState.BOOKED: ("#cfd8e3", "#1d2a3a"),
    CellState.LOTTERY: ("#e4d5f2", "#40225c"),
    CellState.PENDING: ("#ffe08a", "#4d3800"),
    CellState.CLOSED: ("#7a7a7a", "#ffffff"),
    CellState.ENDED: ("#eeeeee", "#555555"),
    CellState.NOT_OPEN: ("#f6f6f6", "#666666"),
}


def state_word(state: CellState) -> str:
    words = {
        CellState.FREE: QCoreApplication.translate("Availability", "Free"),
        CellState.BOOKED: QCoreApplication.translate("Availability", "Booked"),
        CellState.LOTTERY: QCoreApplication.translate("Availability", "Lottery"),
        CellState.PENDING: QCoreApplication.translate("Availability", "Waiting to sync"),
        CellState.CLOSED: QCoreApplication.translate("Availability", "Closed"),
        CellState.ENDED: QCoreApplication.translate("Availability", "Ended"),
        CellState.NOT_OPEN: QCoreApplication.translate("Availability", "Not open"),
    }
    return words[state]


def state_mark(state: CellState) -> str:
    """One character for the month view's narrow cells; the legend says what each means."""
    marks = {
        CellState.FREE: QCoreApplication.translate("Availability", "○"),
        CellState.BOOKED: QCoreApplication.translate("Availability", "×"),
        CellState.LOTTERY: QCoreApplication.translate("Availability", "L"),
        CellState.PENDING: QCoreApplication.translate("Availability", "W"),
        CellState.CLOSED: QCoreApplication.translate("Availability", "C"),
        CellState.ENDED: QCoreApplication.translate("Availability", "–"),
        CellState.NOT_OPEN: QCoreApplication.translate("Availability", "–"),
    }
    return marks[state]


def phase_text(phase: Phase | None) -> str:
    texts = {
        Phase.NOT_YET_OPEN: QCoreApplication.translate(
            "Availability", "Booking has not opened for this day yet."
        ),
        Phase.LOTTERY: QCoreApplication.translate(
            "Availability", "Lottery applications are being taken for this day."
        ),
        Phase.LOTTERY_CLOSED: QCoreApplication.translate(
            "Availability", "First-come booking has not opened for this day yet."
        ),
        Phase.COUNTER: QCoreApplication.translate(
            "Availability", "In the last seven days only walk-in bookings at the counter."
        ),
        Phase.PAST: QCoreApplication.translate("Availability", "This day has passed."),
    }
    if phase is None:
        return QCoreApplication.translate("Availability", "This room is not let in this slot.")
    return texts.get(phase, "")


def cell_tooltip(cell: Cell) -> str:
    if cell.booking is not None:
        text = f"{cell.booking.approval_number} {holder_text(cell.booking)}"
        if cell.state is CellState.PENDING:
            text += "\n" + QCoreApplication.translate(
                "Availability", "Booked at this desk; waiting to be sent to the reservation system."
            )
        return text
    if cell.closure is not None:
        return QCoreApplication.translate("Availability", "Closed: %1").replace(
            "%1", closure_text(cell.closure)
        )
    if cell.state is CellState.FREE:
        return QCoreApplication.translate("Availability", "Free")
    if cell.state is CellState.ENDED:
        return QCoreApplication.translate("Availability", "This slot is over.")
    return phase_text(cell.phase)


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


def legend(parent: QWidget, *, compact: bool) -> QWidget:
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    # Each grid explains the states it can show.
    states = list(CellState)
    states.remove(CellState.ENDED if compact else CellState.NOT_OPEN)
    for state in states:
        background, foreground = COLOURS[state]
        swatch = QLabel(state_mark(state) if compact else "", box)
        swatch.setFixedSize(22, 18)
        swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        swatch.setStyleSheet(
            f"background: {background}; color: {foreground}; border: 1px solid #999;"
        )
        row.addWidget(swatch)
        row.addWidget(QLabel(state_word(state), box))
        row.addSpacing(8)
    row.addStretch(1)
    return box


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

        self.ctx.tasks.run(load, lambda snap: self._loaded(generation, snap, now), self._failed)

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

    def _week_activated(self, row: int, column: int) -> None:
        cell = self.week_grid.cell_at(row, column)
        if cell is None:
            return
        if cell.state is not CellState.FREE:
            self.show_message(
                self.tr("That cell is not free: %1.").replace("%1", state_word(cell.state))
                + "\n"
                + cell_tooltip(cell),
                error=True,
            )
            return
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
        cell = self.month_grid.cell_at(row, column)
        if cell is None:
            return
        if cell.state is not CellState.FREE:
            self.show_message(
                self.tr("That cell is not free: %1.").replace("%1", state_word(cell.state))
                + "\n"
                + cell_tooltip(cell),
                error=True,
            )
            return
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
