"""抽選・先着 (lottery and first-come by proxy): for citizens without a device, staff answer
"when can I book 2月15日?" at once, and enter the lottery or book first-come for the group.

The windows come from the domain rules and this center's closed days, on the desk's clock (the
backend's clock decides; the header warns when they differ). Both proxies compete with online
users, so they need the backend: offline, the view says so instead of queueing them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    TOKYO,
    ApplicationWindows,
    CenterCalendar,
    Phase,
    application_windows,
    format_era_date,
    format_short_date,
    parse_use_date,
    tokyo_date,
)
from center_desk.protocol.reservations import (
    LotteryEntryIn,
    LotteryEntryOut,
    QuotaOut,
    ReservationIn,
    ReservationOut,
)
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached_reservations
from center_desk.store.groups import CachedGroup
from center_desk.sync.engine import SyncStatus

from .. import messages
from ..context import DeskContext
from ..dates import typed_date
from ..widgets.background import run_for
from ..widgets.cell_words import COLOURS, state_word
from ..widgets.cells import Bookings, Cell, proxy_cell
from ..widgets.message_bar import MessageBar
from .groups import GroupSearchBox, quota_error_text, quota_text

log = logging.getLogger("center_desk.ui.proxy")

_PHASE_ORDER = (
    Phase.NOT_YET_OPEN,
    Phase.LOTTERY,
    Phase.LOTTERY_CLOSED,
    Phase.FIRST_COME,
    Phase.COUNTER,
    Phase.PAST,
)
#: The phase in which each window of the view is the open one.
_OPENS_IN = {"lottery": Phase.LOTTERY, "first_come": Phase.FIRST_COME, "counter": Phase.COUNTER}


@dataclass(frozen=True)
class _Request:
    kind: str
    user_id: str
    room_id: str
    use_date: date
    slot_id: str
    headcount: int
    purpose: str


class _DateField(QLineEdit):
    """Up and Down move the date by a day, Page Up/Down by a month."""

    def __init__(self, view: ProxyView) -> None:
        super().__init__(view)
        self._view = view

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Up: 1,
            Qt.Key.Key_Down: -1,
            Qt.Key.Key_PageUp: 30,
            Qt.Key.Key_PageDown: -30,
        }
        step = steps.get(Qt.Key(event.key()))
        if step is not None and self._view.use_date is not None:
            self._view.set_use_date(self._view.use_date + timedelta(days=step))
            return
        super().keyPressEvent(event)


class ProxyView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self.calendar = CenterCalendar()  # the regular closed days until the cache answers
        self.use_date: date | None = None
        self.windows: ApplicationWindows | None = None
        self.group: CachedGroup | None = None
        self.online: bool | None = None
        self._request_ids: dict[_Request, uuid.UUID] = {}
        self._busy = False

        columns = QHBoxLayout(self)
        columns.setContentsMargins(8, 8, 8, 8)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        left.addWidget(self._windows_box(), 0)
        left.addWidget(self._day_box(), 0)
        left.addWidget(self._results_box(), 1)
        right.addWidget(self._group_box(), 1)
        right.addWidget(self._application_box(), 0)

        QShortcut(QKeySequence("Ctrl+D"), self, self.focus_date)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_group)
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, self.enter_lottery)
        QShortcut(QKeySequence("Ctrl+Shift+B"), self, self.book_first_come)
        ctx.sync.status_changed.connect(self._sync_status)
        # The order staff work in: the date, the group, the application, then the entries.
        chain = [
            self.date_field,
            self.search.query,
            self.search.results,
            self.room,
            self.slot,
            self.headcount,
            self.purpose,
            self.lottery_button,
            self.first_come_button,
            self.results,
        ]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self._date_typed_by_staff = False
        self.set_use_date(self.first_open_day(tokyo_date(ctx.clock.now()) + timedelta(days=35)))

    # --- building ------------------------------------------------------------------------

    def _windows_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("When can it be booked?"), self)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Use date"), box))
        self.date_field = _DateField(self)
        self.date_field.setObjectName("useDate")
        self.date_field.setPlaceholderText(self.tr("e.g. 2/15"))
        self.date_field.setToolTip(
            self.tr("Type 2/15, 2月15日 or 2027/2/15 (Ctrl+D); Up/Down: a day, PgUp/PgDn: a month")
        )
        self.date_field.setMaximumWidth(170)
        self.date_field.textEdited.connect(self._date_typed)
        row.addWidget(self.date_field)
        self.date_label = QLabel("", box)
        self.date_label.setObjectName("useDateEra")
        self.date_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        row.addWidget(self.date_label, 1)
        layout.addLayout(row)
        self.closed_note = MessageBar(box)
        self.closed_note.setObjectName("closedNote")
        layout.addWidget(self.closed_note)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.window_rows: dict[str, tuple[QLabel, QLabel]] = {}
        names = (
            ("lottery", self.tr("Lottery")),
            ("first_come", self.tr("First-come")),
            ("counter", self.tr("Counter only")),
        )
        for index, (key, title) in enumerate(names):
            name = QLabel(title, box)
            name.setStyleSheet("font-weight: bold;")
            period = QLabel("", box)
            period.setObjectName(f"window:{key}")
            period.setWordWrap(True)
            state = QLabel("", box)
            state.setObjectName(f"state:{key}")
            grid.addWidget(name, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(period, index, 1)
            grid.addWidget(state, index, 2, Qt.AlignmentFlag.AlignTop)
            self.window_rows[key] = (period, state)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.now_label = QLabel("", box)
        self.now_label.setObjectName("openNow")
        self.now_label.setWordWrap(True)
        layout.addWidget(self.now_label)
        return box

    def _day_box(self) -> QGroupBox:
        """The chosen day's rooms and slots, coloured as in 空き状況: staff see a taken slot
        before they press 先着予約する."""
        box = QGroupBox(self.tr("That day at this center"), self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 4, 6, 4)
        self.day_grid = QTableWidget(0, 0, box)
        self.day_grid.setObjectName("proxyDayGrid")
        self.day_grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.day_grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.day_grid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.day_grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.day_grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.day_grid.verticalHeader().setDefaultSectionSize(24)
        self.day_grid.cellClicked.connect(self._day_cell_clicked)
        layout.addWidget(self.day_grid)
        self.day_cells: dict[tuple[str, str], Cell] = {}
        return box

    def _results_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("The group's lottery entries"), self)
        layout = QVBoxLayout(box)
        self.results_note = QLabel(self.tr("Choose a group to see its entries."), box)
        self.results_note.setObjectName("resultsNote")
        self.results_note.setWordWrap(True)
        layout.addWidget(self.results_note)
        self.results = QTableWidget(0, 4, box)
        self.results.setObjectName("lotteryResults")
        self.results.setHorizontalHeaderLabels(
            [self.tr("Use date"), self.tr("Room"), self.tr("Slot"), self.tr("Result")]
        )
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(72)
        layout.addWidget(self.results, 1)
        return box

    def _group_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Group"), self)
        layout = QVBoxLayout(box)
        self.search = GroupSearchBox(self.ctx, box)
        self.search.chosen.connect(self.choose_group)
        layout.addWidget(self.search, 1)
        self.group_label = QLabel(self.tr("No group chosen"), box)
        self.group_label.setObjectName("chosenGroup")
        self.group_label.setStyleSheet("font-weight: bold;")
        self.group_label.setWordWrap(True)
        layout.addWidget(self.group_label)
        self.quota_label = QLabel("", box)
        self.quota_label.setObjectName("proxyQuota")
        self.quota_label.setWordWrap(True)
        layout.addWidget(self.quota_label)
        return box

    def _application_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Application"), self)
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.room = QComboBox(box)
        self.room.setObjectName("proxyRoom")
        self.room.currentIndexChanged.connect(lambda _i: self._room_changed())
        self.slot = QComboBox(box)
        self.slot.setObjectName("proxySlot")
        self.headcount = QSpinBox(box)
        self.headcount.setObjectName("proxyHeadcount")
        self.headcount.setRange(1, 1000)
        self.headcount.setValue(10)
        self.headcount.setSuffix(self.tr(" people"))
        self.purpose = QLineEdit(box)
        self.purpose.setObjectName("proxyPurpose")
        self.purpose.setMaxLength(200)
        form.addRow(self.tr("Room"), self.room)
        form.addRow(self.tr("Slot"), self.slot)
        form.addRow(self.tr("Headcount"), self.headcount)
        form.addRow(self.tr("Purpose"), self.purpose)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.lottery_button = QPushButton(self.tr("Enter the lottery"), box)
        self.lottery_button.setObjectName("lotteryButton")
        self.lottery_button.setToolTip(self.tr("Enter the group in the lottery (Ctrl+Shift+L)"))
        self.lottery_button.clicked.connect(self.enter_lottery)
        self.first_come_button = QPushButton(self.tr("Book first-come"), box)
        self.first_come_button.setObjectName("firstComeButton")
        self.first_come_button.setToolTip(self.tr("Book the slot for the group (Ctrl+Shift+B)"))
        self.first_come_button.clicked.connect(self.book_first_come)
        buttons.addWidget(self.lottery_button)
        buttons.addWidget(self.first_come_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.outcome = MessageBar(box)
        self.outcome.setObjectName("proxyOutcome")
        layout.addWidget(self.outcome)
        self.purpose.returnPressed.connect(self._enter_pressed)
        return box

    # --- view protocol -------------------------------------------------------------------

    def refresh(self) -> None:
        """After a sync: this center's closed days (they move the first-come opening), its
        rooms, and the chosen group's standing."""
        if not self.isVisible():
            # Every sync refreshes every view; a hidden one catches up when it is shown, so
            # the backend is not asked for quotas nobody is looking at.
            self._stale = True
            return
        self._stale = False
        self._fill_rooms()
        self._load_day()
        center_id = self.ctx.center_id
        db = self.ctx.db
        run_for(
            self,
            self.ctx,
            lambda: db.call(lambda conn: cached_catalog.calendar(conn, center_id)),
            self._calendar_loaded,
            lambda e: log.warning("calendar not read: %s", type(e).__name__),
        )
        if self.search.query.text().strip():
            self.search.search_now()
        if self.group is not None:
            self._load_group_state()

    def _calendar_loaded(self, calendar: CenterCalendar) -> None:
        self.calendar = calendar
        if not self._date_typed_by_staff and self.use_date is not None:
            opened = self.first_open_day(self.use_date)
            if opened != self.use_date:
                self.set_use_date(opened)
                return
        self._show_windows()

    def first_open_day(self, day: date) -> date:
        """``day`` or the first day after it when the center is open (a start on a closed
        day shows nothing to book)."""
        for _ in range(31):
            if self.calendar.closure(day) is None:
                return day
            day += timedelta(days=1)
        return day

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            QTimer.singleShot(0, self.focus_date)

    def focus_date(self) -> None:
        self.date_field.setFocus()
        self.date_field.selectAll()

    def focus_group(self) -> None:
        self.search.query.setFocus()
        self.search.query.selectAll()

    def start_first_come(self, room_id: str, use_date: date, slot_id: str) -> None:
        """Called from the availability month view: a free cell becomes a first-come form."""
        self.start_for(use_date, room_id=room_id, slot_id=slot_id)

    def start_for(
        self,
        use_date: date,
        *,
        room_id: str | None = None,
        slot_id: str | None = None,
        user_id: str | None = None,
    ) -> None:
        """Open this view on ``use_date`` with the room, slot and group already chosen (from
        the month view's free cell, or from a walk-in form given a later day)."""
        window = self.window()
        show_view = getattr(window, "show_view", None)
        if callable(show_view):
            show_view("proxy")
        self.set_use_date(use_date)
        self._fill_rooms()
        index = self.room.findData(room_id) if room_id else -1
        if index >= 0:
            self.room.setCurrentIndex(index)
        index = self.slot.findData(slot_id) if slot_id else -1
        if index >= 0:
            self.slot.setCurrentIndex(index)
        self.outcome.clear_message()
        if user_id is not None and (self.group is None or self.group.user_id != user_id):
            db = self.ctx.db
            run_for(
                self,
                self.ctx,
                lambda: db.call(lambda conn: cached_groups.get(conn, user_id)),
                self._group_handed_over,
            )
            return
        if self.group is None:
            self.focus_group()
        else:
            self.headcount.setFocus()
            self.headcount.selectAll()

    def _group_handed_over(self, group: CachedGroup | None) -> None:
        if group is None:
            self.focus_group()
            return
        self.choose_group(group)
        self.headcount.setFocus()
        self.headcount.selectAll()

    # --- the date and its windows --------------------------------------------------------

    def set_use_date(self, day: date) -> None:
        self.date_field.setText(typed_date(day))
        self._date_changed(day)

    def _date_typed(self, text: str) -> None:
        self._date_typed_by_staff = True
        day = parse_use_date(text, tokyo_date(self.ctx.clock.now()))
        self._date_changed(day)

    def _date_changed(self, day: date | None) -> None:
        changed_month = (
            day is None
            or self.use_date is None
            or (day.year, day.month) != (self.use_date.year, self.use_date.month)
        )
        self.use_date = day
        self._show_windows()
        self._load_day()
        if changed_month and self.group is not None and day is not None:
            self._load_quota()

    def _show_windows(self) -> None:
        day = self.use_date
        if day is None:
            self.windows = None
            self.date_label.setText(self.tr("Type a date such as 2/15"))
            self.date_label.setStyleSheet("font-size: 11pt; color: #b00020;")
            for period, state in self.window_rows.values():
                period.setText("")
                state.setText("")
            self.closed_note.clear_message()
            self.now_label.setText("")
            return
        self.date_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.date_label.setText(format_era_date(day))
        closure = self.calendar.closure(day)
        if closure is not None:
            self.closed_note.show_message(
                "warning",
                self.tr("The center is closed on this day (%1).").replace(
                    "%1", closure.reason or self.tr("closed")
                ),
            )
        else:
            self.closed_note.clear_message()
        windows = application_windows(day, self.calendar)
        self.windows = windows
        now = self.ctx.clock.now()
        phase = windows.phase_at(now)
        short = format_short_date
        lottery_period = self.window_rows["lottery"][0]
        lottery_period.setText(
            self.tr("Apply %1 – %2\nResults on %3")
            .replace("%1", short(windows.lottery_apply_from))
            .replace("%2", short(windows.lottery_apply_to))
            .replace("%3", short(windows.lottery_result_on))
        )
        opens = windows.first_come_opens_at.astimezone(TOKYO)
        first_period = self.window_rows["first_come"][0]
        first_period.setText(
            self.tr("From %1 %2 until %3")
            .replace("%1", short(opens.date()))
            .replace("%2", opens.strftime("%H:%M"))
            .replace("%3", short(windows.first_come_closes_on))
        )
        counter_period = self.window_rows["counter"][0]
        counter_period.setText(
            self.tr("%1 – %2, at this counter")
            .replace("%1", short(windows.counter_from))
            .replace("%2", short(windows.counter_to))
        )
        open_key = {
            Phase.LOTTERY: "lottery",
            Phase.FIRST_COME: "first_come",
            Phase.COUNTER: "counter",
        }.get(phase)
        for key, (_period, state) in self.window_rows.items():
            if key == open_key:
                state.setText(self.tr("Open now"))
                state.setStyleSheet(
                    "background: #1e5631; color: white; padding: 1px 6px; font-weight: bold;"
                )
            else:
                state.setText(self._state_text(key, phase))
                state.setStyleSheet("color: #555;")
        self.now_label.setText(self._now_text(phase, now, windows))
        self.now_label.setStyleSheet(
            "font-weight: bold; color: #1e5631;" if open_key else "font-weight: bold; color: #555;"
        )

    def _state_text(self, key: str, phase: Phase) -> str:
        before = _PHASE_ORDER.index(phase) < _PHASE_ORDER.index(_OPENS_IN[key])
        return self.tr("Not yet") if before else self.tr("Over")

    def _now_text(self, phase: Phase, now: datetime, windows: ApplicationWindows) -> str:
        when = now.astimezone(TOKYO)
        stamp = f"{format_short_date(when.date())} {when.strftime('%H:%M')}"
        texts = {
            Phase.NOT_YET_OPEN: self.tr(
                "Now (%1): nothing is open yet; the lottery opens %2."
            ).replace("%2", format_short_date(windows.lottery_apply_from)),
            Phase.LOTTERY: self.tr("Now (%1): lottery applications are open."),
            Phase.LOTTERY_CLOSED: self.tr(
                "Now (%1): the lottery is closed; first-come opens %2."
            ).replace(
                "%2",
                f"{format_short_date(windows.first_come_opens_at.date())} "
                f"{windows.first_come_opens_at.strftime('%H:%M')}",
            ),
            Phase.FIRST_COME: self.tr("Now (%1): first-come booking is open."),
            Phase.COUNTER: self.tr(
                "Now (%1): only the counter can book: take it as a walk-in booking."
            ),
            Phase.PAST: self.tr("Now (%1): that day has passed."),
        }
        return texts[phase].replace("%1", stamp)

    # --- the day's availability ------------------------------------------------------------

    def _load_day(self) -> None:
        day = self.use_date
        if day is None:
            self.day_grid.setRowCount(0)
            self.day_cells = {}
            return
        center_id = self.ctx.center_id
        db = self.ctx.db

        def read(conn: Connection) -> tuple[CenterCalendar, Bookings]:
            bookings = {
                (b.room_id, b.use_date, b.slot_id): b
                for b in cached_reservations.between(conn, center_id, day, day)
            }
            return cached_catalog.calendar(conn, center_id), bookings

        run_for(
            self,
            self.ctx,
            lambda: db.call(read),
            lambda found: self._day_loaded(day, *found),
            lambda e: log.warning("day not read: %s", type(e).__name__),
        )

    def _day_loaded(self, day: date, calendar: CenterCalendar, bookings: Bookings) -> None:
        if day != self.use_date:
            return
        center = self.ctx.center
        rooms = center.rooms if center is not None else ()
        slots = self.ctx.slots
        now = self.ctx.clock.now()
        self.day_cells = {}
        self.day_grid.clear()
        self.day_grid.setRowCount(len(rooms))
        self.day_grid.setColumnCount(len(slots))
        self.day_grid.setHorizontalHeaderLabels([slot.label for slot in slots])
        self.day_grid.setVerticalHeaderLabels([room.name for room in rooms])
        for row, room in enumerate(rooms):
            for column, slot in enumerate(slots):
                cell = proxy_cell(room, slot, day, bookings, calendar, now)
                self.day_cells[(room.id, slot.id)] = cell
                background, foreground = COLOURS[cell.state]
                item = QTableWidgetItem(state_word(cell.state))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QColor(background))
                item.setForeground(QColor(foreground))
                self.day_grid.setItem(row, column, item)
        height = self.day_grid.horizontalHeader().height() + 4
        height += sum(self.day_grid.rowHeight(r) for r in range(len(rooms)))
        self.day_grid.setFixedHeight(height)

    def _day_cell_clicked(self, row: int, column: int) -> None:
        """A free cell chooses its room and slot for the application."""
        center = self.ctx.center
        if center is None or row >= len(center.rooms) or column >= len(self.ctx.slots):
            return
        room, slot = center.rooms[row], self.ctx.slots[column]
        index = self.room.findData(room.id)
        if index >= 0:
            self.room.setCurrentIndex(index)
        index = self.slot.findData(slot.id)
        if index >= 0:
            self.slot.setCurrentIndex(index)

    # --- the group -----------------------------------------------------------------------

    def choose_group(self, group: CachedGroup | None) -> None:
        if group is None:
            return
        changed = self.group is None or self.group.user_id != group.user_id
        self.group = group
        self.group_label.setText(
            self.tr("Applying for: %1 (user ID %2)")
            .replace("%1", group.name)
            .replace("%2", group.user_id)
        )
        if changed:
            self.purpose.setText(group.form.activity)
            self.outcome.clear_message()
        if not group.active:
            self.outcome.show_message("error", self._deregistered_text(group))
        self._load_group_state()

    def _deregistered_text(self, group: CachedGroup) -> str:
        return self.tr(
            "%1 is de-registered: it cannot book or enter the lottery. To book again it must "
            "register anew (Groups → Register a new group)."
        ).replace("%1", group.name)

    def _load_group_state(self) -> None:
        self._load_quota()
        self._load_results()

    def _load_quota(self) -> None:
        group, day = self.group, self.use_date
        if group is None or day is None:
            return
        user_id = group.user_id
        ops = self.ctx.ops

        def loaded(quota: QuotaOut) -> None:
            if self.group is not None and self.group.user_id == user_id:
                self.quota_label.setText(self.tr("Remaining — ") + quota_text(quota))

        def failed(error: BaseException) -> None:
            if self.group is not None and self.group.user_id == user_id:
                self.quota_label.setText(quota_error_text(error))

        self.quota_label.setText(self.tr("Remaining quota: asking the reservation system…"))
        run_for(self, self.ctx, lambda: ops.quota(user_id, day), loaded, failed)

    def _load_results(self) -> None:
        if self.group is None:
            return
        user_id = self.group.user_id
        ops = self.ctx.ops

        def loaded(entries: list[LotteryEntryOut]) -> None:
            if self.group is None or self.group.user_id != user_id:
                return
            self._fill_results(entries)

        def failed(error: BaseException) -> None:
            if self.group is None or self.group.user_id != user_id:
                return
            self.results.setRowCount(0)
            self.results_note.setText(messages.for_error(error).text())

        self.results_note.setText(self.tr("Asking the reservation system…"))
        run_for(self, self.ctx, lambda: ops.lottery_results(user_id), loaded, failed)

    def _fill_results(self, entries: list[LotteryEntryOut]) -> None:
        entries = sorted(entries, key=lambda e: (e.use_date, e.slot_id), reverse=True)
        self.results_note.setText(
            self.tr("Entries: %1").replace("%1", str(len(entries)))
            if entries
            else self.tr("No lottery entries.")
        )
        self.results.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            slot = self.ctx.slot(entry.slot_id)
            room = self.ctx.room_name(entry.room_id)
            if entry.center_id != self.ctx.center_id:
                room = self.tr("%1 (another center)").replace("%1", entry.room_id)
            cells = [
                format_short_date(entry.use_date),
                room,
                slot.label if slot else entry.slot_id,
                self._entry_state(entry),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if entry.status == "won":
                    item.setForeground(Qt.GlobalColor.darkGreen)
                self.results.setItem(row, column, item)

    def _entry_state(self, entry: LotteryEntryOut) -> str:
        if entry.status == "won":
            return self.tr("Won")
        if entry.status == "lost":
            return self.tr("Not drawn")
        if entry.status == "pending":
            result_on = application_windows(entry.use_date, self.calendar).lottery_result_on
            return self.tr("Waiting for the draw (results %1)").replace(
                "%1", format_short_date(result_on)
            )
        return entry.status

    # --- rooms and slots -----------------------------------------------------------------

    def _fill_rooms(self) -> None:
        center = self.ctx.center
        if center is None:
            return
        current = self.room.currentData()
        self.room.blockSignals(True)
        self.room.clear()
        for room in center.rooms:
            self.room.addItem(
                self.tr("%1 (up to %2)").replace("%1", room.name).replace("%2", str(room.capacity)),
                room.id,
            )
        index = self.room.findData(current)
        self.room.setCurrentIndex(max(index, 0))
        self.room.blockSignals(False)
        self._room_changed()

    def _room_changed(self) -> None:
        center = self.ctx.center
        room_id = self.room.currentData()
        room = next((r for r in center.rooms if r.id == room_id), None) if center else None
        current = self.slot.currentData()
        self.slot.clear()
        for slot in self.ctx.slots:
            if room is None or room.offers(slot.id):
                times = f"{slot.start.strftime('%H:%M')}–{slot.end.strftime('%H:%M')}"
                self.slot.addItem(f"{slot.label} {times}", slot.id)
        index = self.slot.findData(current)
        self.slot.setCurrentIndex(max(index, 0))
        if room is not None:
            self.headcount.setMaximum(room.capacity)

    # --- applying ------------------------------------------------------------------------

    def _enter_pressed(self) -> None:
        """Enter in the purpose field takes whichever window is open now."""
        if self.windows is None:
            return
        phase = self.windows.phase_at(self.ctx.clock.now())
        if phase is Phase.LOTTERY:
            self.enter_lottery()
        elif phase is Phase.FIRST_COME:
            self.book_first_come()

    def _request(self, kind: str) -> _Request | None:
        if self.group is None:
            self.outcome.show_message("error", self.tr("Choose the group first (Ctrl+F)."))
            self.focus_group()
            return None
        if not self.group.active:
            # Refused here, with the reason, not after a round trip with a vaguer one.
            self.outcome.show_message("error", self._deregistered_text(self.group))
            return None
        if self.use_date is None:
            self.outcome.show_message("error", self.tr("Type the use date first (Ctrl+D)."))
            self.focus_date()
            return None
        room_id, slot_id = self.room.currentData(), self.slot.currentData()
        if not room_id or not slot_id:
            self.outcome.show_message("error", self.tr("Choose the room and the slot."))
            return None
        return _Request(
            kind=kind,
            user_id=self.group.user_id,
            room_id=str(room_id),
            use_date=self.use_date,
            slot_id=str(slot_id),
            headcount=self.headcount.value(),
            purpose=self.purpose.text().strip(),
        )

    def _request_id(self, request: _Request) -> uuid.UUID:
        # The same request sent again (after a lost reply) keeps its id, so the backend
        # recognises it instead of booking twice.
        return self._request_ids.setdefault(request, uuid.uuid4())

    def enter_lottery(self) -> None:
        request = self._request("lottery")
        if request is None or self._busy:
            return
        entry = LotteryEntryIn(
            id=self._request_id(request),
            room_id=request.room_id,
            use_date=request.use_date,
            slot_id=request.slot_id,
            user_id=request.user_id,
            purpose=request.purpose,
            headcount=request.headcount,
        )
        ops = self.ctx.ops
        self._send(request, lambda: ops.proxy_lottery(entry))

    def book_first_come(self) -> None:
        request = self._request("first_come")
        if request is None or self._busy:
            return
        reservation = ReservationIn(
            id=self._request_id(request),
            room_id=request.room_id,
            use_date=request.use_date,
            slot_id=request.slot_id,
            kind="first_come",
            user_id=request.user_id,
            purpose=request.purpose,
            headcount=request.headcount,
        )
        ops = self.ctx.ops
        self._send(request, lambda: ops.proxy_first_come(reservation))

    def _send(self, request: _Request, work: Callable[[], object]) -> None:
        self._busy = True
        self.lottery_button.setEnabled(False)
        self.first_come_button.setEnabled(False)
        self.outcome.show_message("info", self.tr("Sending to the reservation system…"))
        run_for(
            self,
            self.ctx,
            work,
            lambda result: self._sent(request, result),
            lambda error: self._refused(request, error),
        )

    def _where(self, request: _Request) -> str:
        slot = self.ctx.slot(request.slot_id)
        return (
            f"{format_short_date(request.use_date)} {self.ctx.room_name(request.room_id)} "
            f"{slot.label if slot else request.slot_id}"
        )

    def _sent(self, request: _Request, result: object) -> None:
        self._idle()
        self._request_ids.pop(request, None)
        if isinstance(result, ReservationOut):
            self.outcome.show_message(
                "success",
                self.tr("Booked first-come: %1, approval number %2.")
                .replace("%1", self._where(request))
                .replace("%2", result.approval_number),
            )
            self.ctx.sync.nudge()
        else:
            result_on = application_windows(request.use_date, self.calendar).lottery_result_on
            self.outcome.show_message(
                "success",
                self.tr("Entered in the lottery: %1. Results on %2.")
                .replace("%1", self._where(request))
                .replace("%2", format_short_date(result_on)),
            )
        self._load_group_state()

    def _refused(self, request: _Request, error: BaseException) -> None:
        self._idle()
        log.info("proxy %s not accepted: %s", request.kind, type(error).__name__)
        self.outcome.show_message("error", messages.for_error(error).text())

    def _idle(self) -> None:
        self._busy = False
        self.lottery_button.setEnabled(True)
        self.first_come_button.setEnabled(True)

    def _sync_status(self, status: SyncStatus) -> None:
        was = self.online
        self.online = status.online
        if status.online is False and was is not False:
            self.outcome.show_message(
                "warning",
                self.tr(
                    "Offline: lottery entries and first-come bookings need the reservation "
                    "system. Take the details and enter them when the line is back."
                ),
            )
        elif status.online and was is False and self.outcome.kind == "warning":
            self.outcome.clear_message()
