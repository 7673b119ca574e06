"""The walk-in form's day: the counter window, the rooms and which of their slots are free."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import (
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    TOKYO,
    Room,
    SlotDef,
    format_era_date,
    format_short_date,
    tokyo_date,
)
from center_desk.domain.windows import COUNTER_DAYS_BEFORE
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation

from ... import messages
from ...context import DeskContext
from ...widgets.background import run_for
from ...widgets.booking_words import time_range
from .parts import DateEdit, DayFacts, read_day


class WalkInDay(QDialog):
    """The state of the walk-in form, and its day, room and slots."""

    #: Emitted with the list of bookings made (each is also in the cache, waiting to sync).
    booked = Signal(list)

    # Set up by WalkInDialog.__init__ and its building; declared here so each part is typed.
    ctx: DeskContext
    facts: DayFacts | None
    group: CachedGroup | None
    candidates: list[CachedGroup]
    remote_candidates: dict[str, str]
    _awaiting_cache: str | None
    made: list[CachedReservation]
    _wanted_room: str | None
    _wanted_slots: set[str]
    _draft: dict[str, str] | None
    _search_generation: int
    _suggest_when_active: bool
    slot_boxes: dict[str, QCheckBox]
    form_page: QWidget
    done_page: QWidget
    _search_timer: QTimer
    date_edit: DateEdit
    date_label: QLabel
    window_note: QFrame
    window_text: QLabel
    proxy_button: QPushButton
    as_group: QRadioButton
    as_individual: QRadioButton
    applicant: QButtonGroup
    group_search: QLineEdit
    group_model: QStandardItemModel
    completer: QCompleter
    group_label: QLabel
    search_all_button: QPushButton
    individual_name: QLineEdit
    room: QComboBox
    room_note: QLabel
    slots_row: QVBoxLayout
    purpose: QLineEdit
    headcount: QSpinBox
    capacity_note: QLabel
    exemption: QComboBox
    exemption_note: QLineEdit
    fee_label: QLabel
    problem: QLabel
    offline_note: QLabel
    book_button: QPushButton
    done_list: QLabel
    done_note: QLabel
    print_message: QLabel
    print_button: QPushButton
    preview_button: QPushButton
    close_button: QPushButton

    # --- the day and its free slots ---------------------------------------------------------

    @property
    def day(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def _load_day(self) -> None:
        day = self.day
        self.date_label.setText(format_era_date(day))
        self._show_window_note(day)
        center_id = self.ctx.center_id
        run_for(
            self,
            self.ctx,
            lambda: self.ctx.db.call(lambda db: read_day(db, center_id, day)),
            lambda facts: self._day_loaded(day, facts),
            self._failed,
        )

    def in_counter_window(self, day: date) -> bool:
        today = tokyo_date(self.ctx.clock.now())
        return today <= day <= today + timedelta(days=COUNTER_DAYS_BEFORE)

    def _show_window_note(self, day: date) -> None:
        """A day past the counter window belongs to 抽選・先着: say so and offer to go there."""
        if self.in_counter_window(day):
            self.window_note.hide()
            self.book_button.setEnabled(True)
            return
        last = tokyo_date(self.ctx.clock.now()) + timedelta(days=COUNTER_DAYS_BEFORE)
        self.window_text.setText(
            self.tr(
                "Walk-in booking takes today up to %1 (7 days ahead).\n%2 is booked first-come "
                "or by lottery: take it in Lottery / first-come."
            )
            .replace("%1", format_short_date(last))
            .replace("%2", format_short_date(day))
        )
        self.window_note.show()
        self.book_button.setEnabled(False)

    def open_proxy(self) -> None:
        """Hand the day (and room, slot, group) to 抽選・先着 and close this form."""
        parent = self.parentWidget()
        opener = getattr(parent.window(), "open_proxy_for", None) if parent else None
        if not callable(opener):
            return
        slots = self.chosen_slots() or sorted(self._wanted_slots)
        room = self.current_room()
        opener(
            self.day,
            room.id if room is not None else self._wanted_room,
            slots[0] if slots else None,
            self.group.user_id if self.group is not None else None,
        )
        self.reject()

    def _day_loaded(self, day: date, facts: DayFacts) -> None:
        if day != self.day:
            return
        current = self.current_room()
        keep_room = current.id if current is not None else self._wanted_room
        self.facts = facts
        self.room.blockSignals(True)
        self.room.clear()
        for room in facts.center.rooms if facts.center else ():
            label = self.tr("%1 (up to %2)").replace("%1", room.name)
            self.room.addItem(label.replace("%2", str(room.capacity)), room.id)
        index = self.room.findData(keep_room) if keep_room else 0
        self.room.setCurrentIndex(max(index, 0))
        self.room.blockSignals(False)
        self._room_changed()

    def current_room(self) -> Room | None:
        if self.facts is None or self.facts.center is None:
            return None
        room_id = self.room.currentData()
        return next((r for r in self.facts.center.rooms if r.id == room_id), None)

    def _room_changed(self) -> None:
        self._rebuild_slots()
        self._applicant_changed()
        self._check_headcount()
        self._update_fee()

    def _rebuild_slots(self) -> None:
        checked = {sid for sid, box in self.slot_boxes.items() if box.isChecked()}
        checked |= self._wanted_slots
        self._wanted_slots = set()
        for box in self.slot_boxes.values():
            self.slots_row.removeWidget(box)
            box.deleteLater()
        self.slot_boxes = {}
        facts, room = self.facts, self.current_room()
        if facts is None or room is None:
            return
        now = self.ctx.clock.now()
        for position, slot in enumerate(facts.slots):
            box = QCheckBox(f"{slot.label} {time_range(slot)}", self)
            box.setObjectName(f"slot_{slot.id}")
            reason = self._slot_unavailable(room, slot, now)
            if reason:
                box.setText(f"{box.text()}（{reason}）")
                box.setEnabled(False)
            else:
                box.setChecked(slot.id in checked)
            box.toggled.connect(lambda _on: self._update_fee())
            self.slots_row.insertWidget(position, box)
            self.slot_boxes[slot.id] = box
        # New boxes would otherwise come last in the tab order, after the buttons.
        chain: list[QWidget] = [self.room, *self.slot_boxes.values(), self.purpose]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        if facts.closure:
            self.show_problem(messages.for_code("closed_day").text() + f"\n（{facts.closure}）")
        elif self.problem.text().startswith(messages.for_code("closed_day").text()):
            self.problem.hide()

    def _slot_unavailable(self, room: Room, slot: SlotDef, now: datetime) -> str:
        assert self.facts is not None
        if self.facts.closure:
            return self.tr("closed")
        if not room.offers(slot.id):
            return self.tr("not let")
        if (room.id, slot.id) in self.facts.taken:
            return self.tr("booked")
        if now >= datetime.combine(self.day, slot.end, tzinfo=TOKYO):
            return self.tr("ended")
        if not self.in_counter_window(self.day):
            return self.tr("not a walk-in day")
        return ""

    def chosen_slots(self) -> list[str]:
        return [sid for sid, box in self.slot_boxes.items() if box.isChecked() and box.isEnabled()]

    # --- what the other parts do (WalkInWho, WalkInBooking, WalkInDialog) -------------------

    def _applicant_changed(self) -> None:
        raise NotImplementedError

    def _check_headcount(self) -> None:
        raise NotImplementedError

    def _update_fee(self) -> None:
        raise NotImplementedError

    def _restore_exemption(self) -> None:
        raise NotImplementedError

    def _failed(self, error: BaseException) -> None:
        raise NotImplementedError

    def show_problem(self, text: str) -> None:
        raise NotImplementedError
