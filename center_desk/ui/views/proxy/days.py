"""The proxy view's day: when the chosen date can be booked (lottery, first-come, counter), and
which rooms and slots are free on it."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QTableWidgetItem,
)

from center_desk.domain import (
    TOKYO,
    ApplicationWindows,
    CenterCalendar,
    Phase,
    application_windows,
    format_era_date,
    parse_use_date,
    tokyo_date,
)
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached_reservations
from center_desk.store.groups import CachedGroup

from ...dates import typed_date
from ...widgets.background import run_for
from ...widgets.cell_words import COLOURS, state_word
from ...widgets.cells import Bookings, proxy_cell
from .state import ProxyState

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


class DateField(QLineEdit):
    """Up and Down move the date by a day, Page Up/Down by a month."""

    def __init__(self, view: ProxyDays) -> None:
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


class ProxyDays(ProxyState):
    """The date, its booking windows and the day's rooms and slots."""

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
        era_date = format_era_date
        lottery_period = self.window_rows["lottery"][0]
        lottery_period.setText(
            self.tr("Apply %1 – %2\nResults on %3")
            .replace("%1", era_date(windows.lottery_apply_from))
            .replace("%2", era_date(windows.lottery_apply_to))
            .replace("%3", era_date(windows.lottery_result_on))
        )
        opens = windows.first_come_opens_at.astimezone(TOKYO)
        first_period = self.window_rows["first_come"][0]
        first_period.setText(
            self.tr("From %1 %2 until %3")
            .replace("%1", era_date(opens.date()))
            .replace("%2", opens.strftime("%H:%M"))
            .replace("%3", era_date(windows.first_come_closes_on))
        )
        counter_period = self.window_rows["counter"][0]
        counter_period.setText(
            self.tr("%1 – %2, at this counter")
            .replace("%1", era_date(windows.counter_from))
            .replace("%2", era_date(windows.counter_to))
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
        stamp = f"{format_era_date(when.date())} {when.strftime('%H:%M')}"
        texts = {
            Phase.NOT_YET_OPEN: self.tr(
                "Now (%1): nothing is open yet; the lottery opens %2."
            ).replace("%2", format_era_date(windows.lottery_apply_from)),
            Phase.LOTTERY: self.tr("Now (%1): lottery applications are open."),
            Phase.LOTTERY_CLOSED: self.tr(
                "Now (%1): the lottery is closed; first-come opens %2."
            ).replace(
                "%2",
                f"{format_era_date(windows.first_come_opens_at.date())} "
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

    # --- what the group and application part does (ProxyApplying) ---------------------------

    def choose_group(self, group: CachedGroup | None) -> None:
        raise NotImplementedError

    def _load_group_state(self) -> None:
        raise NotImplementedError

    def _load_quota(self) -> None:
        raise NotImplementedError

    def _fill_rooms(self) -> None:
        raise NotImplementedError
