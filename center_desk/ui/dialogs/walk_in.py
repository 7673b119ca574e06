"""直前予約 (walk-in booking) at the counter, from a free cell of the availability grid or for a
group (issue 5, item 4).

The dialog collects the group (or an individual's name, for rooms open to individuals), the
room and one or more slots of one day (one booking each), purpose, headcount and the fee
exemption, and asks :meth:`DeskOperations.book_walk_in` off the GUI thread. The operations apply
the same rules as the backend on the desk's cache and write the booking with its outbox
mutation, so this works offline; the booking waits to sync and the board says so. A refusal is
shown next to the form as one sentence with the next step, and nothing typed is lost. After
booking, both slips can be printed at once (Enter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    CHARGE_FEE,
    TOKYO,
    Center,
    ExemptionReason,
    FeeError,
    Room,
    SlotDef,
    calculate_fee,
    format_era_date,
    format_short_date,
    resolve_exemption,
    tokyo_date,
)
from center_desk.domain.windows import COUNTER_DAYS_BEFORE
from center_desk.printing import PrintRecord
from center_desk.protocol.groups import GroupOut, GroupSummary
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation
from center_desk.sync.operations import WalkIn

from .. import messages
from ..context import DeskContext
from ..dates import DATE_INPUT_FORMAT
from ..print_service import describe, print_service
from ..widgets.group_search import cached_from_out
from .day_actions import (
    ERROR_STYLE,
    NOTE_STYLE,
    WARNING_STYLE,
    booking_summary,
    closure_text,
    exemption_label,
    notify_changed,
    time_range,
    yen,
)
from .group_form import run_for

SEARCH_DELAY_MS = 200
#: How far ahead the date field goes: the days this desk keeps (a later day is never a walk-in).
LAST_DAY_SHOWN = 92


class _DateEdit(QDateEdit):
    """Enter in the date moves on to the next field; it never books (the form is not yet
    looked at)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.focusNextChild()
            return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class DayFacts:
    """What the form needs to know about the chosen day, read from the cache."""

    center: Center | None
    slots: tuple[SlotDef, ...]
    closure: str
    #: (room id, slot id) -> approval number of the booking holding it.
    taken: dict[tuple[str, str], str]


@dataclass(frozen=True)
class Outcome:
    booked: list[CachedReservation]
    error: BaseException | None


def read_day(db: Connection, center_id: str, day: date) -> DayFacts:
    closure = cached_catalog.calendar(db, center_id).closure(day)
    return DayFacts(
        center=cached_catalog.center(db, center_id),
        slots=cached_catalog.slots(db),
        closure=closure_text(closure) if closure else "",
        taken={
            (b.room_id, b.slot_id): b.approval_number
            for b in cached.between(db, center_id, day, day)
        },
    )


def group_choice_text(group: CachedGroup) -> str:
    text = f"{group.name}（{group.form.furigana}） {group.user_id}"
    if not group.active:
        text += QCoreApplication.translate("WalkInDialog", " (de-registered)")
    return text


#: The exemption list's "the fee is charged" entry.
CHARGED = CHARGE_FEE


class WalkInDialog(QDialog):
    #: Emitted with the list of bookings made (each is also in the cache, waiting to sync).
    booked = Signal(list)

    def __init__(
        self,
        ctx: DeskContext,
        *,
        day: date | None = None,
        room_id: str | None = None,
        slot_id: str | None = None,
        user_id: str | None = None,
        looked_up: CachedGroup | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``looked_up``: the group as the reservation system sent it (the groups view's
        look-up), used while this desk's cache does not have it yet."""
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("walkIn")
        self.setWindowTitle(self.tr("Walk-in booking"))
        self.facts: DayFacts | None = None
        self.group: CachedGroup | None = None
        self.candidates: list[CachedGroup] = []
        #: Hits of a search at the reservation system: the completer's text → user id.
        self.remote_candidates: dict[str, str] = {}
        #: A group looked up at the reservation system that this desk's cache has not yet.
        self._awaiting_cache: str | None = None
        self.made: list[CachedReservation] = []
        self._wanted_room = room_id
        self._wanted_slots = {slot_id} if slot_id else set()
        self._draft: dict[str, str] | None = None
        self._search_generation = 0
        self.slot_boxes: dict[str, QCheckBox] = {}
        today = tokyo_date(ctx.clock.now())

        outer = QVBoxLayout(self)
        # The form, then the result in its place (hidden widgets take no room, so the dialog
        # shrinks to the short result).
        self.form_page = self._build_form(today, day or today)
        self.done_page = self._build_done()
        self.done_page.hide()
        outer.addWidget(self.form_page)
        outer.addWidget(self.done_page)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_groups)
        ctx.sync.synced.connect(self._synced)

        self.setMinimumWidth(980)
        self._load_day()
        if user_id:
            self._load_group(user_id, looked_up)
        else:
            self.group_search.setFocus()

    # --- building ---------------------------------------------------------------------------

    def _build_form(self, today: date, day: date) -> QWidget:
        page = QWidget(self)
        columns = QHBoxLayout(page)
        columns.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        # Date: only the counter window (today and the next 7 days) is a walk-in's to book;
        # a later day may be typed, and the form says where it belongs instead of stopping.
        date_box = QVBoxLayout()
        date_row = QHBoxLayout()
        self.date_edit = _DateEdit(page)
        self.date_edit.setObjectName("date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(DATE_INPUT_FORMAT)
        self.date_edit.setDateRange(_qdate(today), _qdate(today + timedelta(days=LAST_DAY_SHOWN)))
        self.date_edit.setDate(_qdate(max(day, today)))
        self.date_edit.dateChanged.connect(lambda _d: self._load_day())
        self.date_label = QLabel("", page)
        self.date_label.setObjectName("eraDate")
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.date_label, 1)
        date_box.addLayout(date_row)
        self.window_note = QFrame(page)
        self.window_note.setObjectName("windowNote")
        note_row = QVBoxLayout(self.window_note)
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.setSpacing(2)
        self.window_text = QLabel("", self.window_note)
        self.window_text.setObjectName("windowText")
        # Lines broken by hand: a word-wrapped label in a form row is given too little height
        # by QFormLayout and runs over the next row.
        self.window_text.setWordWrap(False)
        self.window_text.setStyleSheet(WARNING_STYLE)
        self.proxy_button = QPushButton(self.tr("Open Lottery / first-come"), self.window_note)
        self.proxy_button.setObjectName("openProxy")
        self.proxy_button.setAutoDefault(False)
        self.proxy_button.clicked.connect(self.open_proxy)
        note_row.addWidget(self.window_text)
        note_row.addWidget(self.proxy_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.window_note.hide()
        date_box.addWidget(self.window_note)
        form.addRow(self.tr("Date"), date_box)

        who = QHBoxLayout()
        self.as_group = QRadioButton(self.tr("Registered group"), page)
        self.as_group.setObjectName("asGroup")
        self.as_individual = QRadioButton(self.tr("Individual"), page)
        self.as_individual.setObjectName("asIndividual")
        self.applicant = QButtonGroup(page)
        self.applicant.addButton(self.as_group)
        self.applicant.addButton(self.as_individual)
        self.as_group.setChecked(True)
        self.as_group.toggled.connect(lambda _on: self._applicant_changed())
        who.addWidget(self.as_group)
        who.addWidget(self.as_individual)
        who.addStretch(1)
        form.addRow(self.tr("Booking for"), who)

        group_box = QVBoxLayout()
        self.group_search = QLineEdit(page)
        self.group_search.setObjectName("groupSearch")
        self.group_search.setPlaceholderText(
            self.tr("Name, furigana, user ID or phone; choose from the list")
        )
        self.group_search.textEdited.connect(self._group_text_edited)
        self.group_model = QStandardItemModel(self)
        self.completer = QCompleter(self.group_model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(10)
        self.completer.activated.connect(self._completion_chosen)
        self.group_search.setCompleter(self.completer)
        self.group_label = QLabel(self.tr("No group chosen yet."), page)
        self.group_label.setObjectName("chosenGroup")
        # Its lines are broken by hand (see window_text): no word wrap to run over the next row.
        self.group_label.setWordWrap(False)
        self.group_label.setStyleSheet(NOTE_STYLE)
        # A group this desk does not keep (registered and booking elsewhere until now): the
        # reservation system finds it by name or user id across every center, without anyone's
        # personal data; choosing it is a look-up with the reason "walk-in" (audited, counted).
        self.search_all_button = QPushButton(self.tr("Search every center…"), page)
        self.search_all_button.setObjectName("searchAllCenters")
        self.search_all_button.setToolTip(
            self.tr("Find a group registered at another center by its name or user ID")
        )
        self.search_all_button.clicked.connect(self.search_all_centers)
        self.search_all_button.hide()
        group_box.addWidget(self.group_search)
        group_box.addWidget(self.search_all_button)
        group_box.addWidget(self.group_label)
        form.addRow(self.tr("Group"), group_box)

        self.individual_name = QLineEdit(page)
        self.individual_name.setObjectName("individualName")
        self.individual_name.setMaxLength(60)
        self.individual_name.setEnabled(False)
        form.addRow(self.tr("Individual's name"), self.individual_name)

        room_box = QVBoxLayout()
        self.room = QComboBox(page)
        self.room.setObjectName("room")
        self.room.currentIndexChanged.connect(lambda _i: self._room_changed())
        self.room_note = QLabel("", page)
        self.room_note.setObjectName("roomNote")
        self.room_note.setWordWrap(True)
        self.room_note.setStyleSheet(WARNING_STYLE)
        self.room_note.hide()
        room_box.addWidget(self.room)
        room_box.addWidget(self.room_note)
        form.addRow(self.tr("Room"), room_box)

        # One slot a line: each may carry why it cannot be chosen, and nothing gets cut.
        self.slots_row = QVBoxLayout()
        self.slots_row.setSpacing(2)
        form.addRow(self.tr("Slots"), self.slots_row)

        self.purpose = QLineEdit(page)
        self.purpose.setObjectName("purpose")
        self.purpose.setMaxLength(100)
        form.addRow(self.tr("Purpose"), self.purpose)

        people = QHBoxLayout()
        self.headcount = QSpinBox(page)
        self.headcount.setObjectName("headcount")
        self.headcount.setRange(0, 999)
        self.headcount.setSpecialValueText(" ")  # 0: not typed yet
        self.headcount.setSuffix(self.tr(" people"))
        self.headcount.setMinimumWidth(110)
        self.headcount.valueChanged.connect(lambda _v: self._check_headcount())
        self.capacity_note = QLabel("", page)
        self.capacity_note.setObjectName("capacityNote")
        self.capacity_note.setWordWrap(True)
        people.addWidget(self.headcount)
        people.addWidget(self.capacity_note, 1)
        form.addRow(self.tr("Headcount"), people)

        exemption_row = QHBoxLayout()
        self.exemption = QComboBox(page)
        self.exemption.setObjectName("exemption")
        # A string, not None, as the item's data: "charged" is a choice of its own.
        self.exemption.addItem(self.tr("None: the fee is charged"), CHARGED)
        for reason in ExemptionReason:
            self.exemption.addItem(exemption_label(reason.value), reason.value)
        self.exemption.currentIndexChanged.connect(lambda _i: self._update_fee())
        self.exemption_note = QLineEdit(page)
        self.exemption_note.setObjectName("exemptionNote")
        self.exemption_note.setMaxLength(100)
        self.exemption_note.setPlaceholderText(self.tr("Reason, if it differs from the group's"))
        self.exemption_note.textChanged.connect(lambda _t: self._update_fee())
        exemption_row.addWidget(self.exemption)
        exemption_row.addWidget(self.exemption_note, 1)
        form.addRow(self.tr("Fee exemption"), exemption_row)

        self.fee_label = QLabel("", page)
        self.fee_label.setObjectName("fee")
        self.fee_label.setWordWrap(True)
        self.fee_label.setStyleSheet("font-weight: bold;")
        form.addRow(self.tr("Fee"), self.fee_label)
        left.addLayout(form)
        left.addStretch(1)
        columns.addLayout(left, 3)

        # Next to the form: what the rules said, and what to do next.
        side = QVBoxLayout()
        self.problem = QLabel("", page)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        self.offline_note = QLabel(
            self.tr(
                "Walk-in bookings work offline too: they wait at this desk and are sent "
                "when the line is back."
            ),
            page,
        )
        self.offline_note.setWordWrap(True)
        self.offline_note.setStyleSheet(NOTE_STYLE)
        side.addWidget(self.problem)
        side.addStretch(1)
        side.addWidget(self.offline_note)
        side_frame = QFrame(page)
        side_frame.setLayout(side)
        side_frame.setFixedWidth(280)
        columns.addWidget(side_frame)

        buttons = QDialogButtonBox(page)
        self.book_button = buttons.addButton(
            self.tr("Book"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setObjectName("book")
        self.book_button.setDefault(True)
        self.book_button.setToolTip(self.tr("Book the chosen slots (Enter)"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        cancel.setToolTip(self.tr("Close without booking (Esc)"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        wrapper = QWidget(self)
        stack = QVBoxLayout(wrapper)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(page, 1)
        stack.addWidget(buttons)
        return wrapper

    def _build_done(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        heading = QLabel(self.tr("Booked."), page)
        heading.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1b5e20;")
        layout.addWidget(heading)
        self.done_list = QLabel("", page)
        self.done_list.setObjectName("doneList")
        self.done_list.setWordWrap(True)
        self.done_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.done_list)
        self.done_note = QLabel(
            self.tr(
                "The booking waits at this desk until the reservation system confirms it; "
                "the board shows it as waiting to sync until then."
            ),
            page,
        )
        self.done_note.setWordWrap(True)
        self.done_note.setStyleSheet(NOTE_STYLE)
        layout.addWidget(self.done_note)
        ask = QLabel(
            self.tr("Print both slips now? The group takes the approval slip. Press Enter."),
            page,
        )
        ask.setObjectName("askPrint")
        ask.setWordWrap(True)
        ask.setStyleSheet("font-weight: bold;")
        layout.addWidget(ask)
        self.print_message = QLabel("", page)
        self.print_message.setObjectName("printMessage")
        self.print_message.setWordWrap(True)
        self.print_message.hide()
        layout.addWidget(self.print_message)
        layout.addStretch(1)
        buttons = QDialogButtonBox(page)
        self.print_button = QPushButton(self.tr("Print both slips"), page)
        self.print_button.setObjectName("print")
        self.print_button.setToolTip(self.tr("Print both slips for each booking (Enter, Ctrl+P)"))
        self.print_button.clicked.connect(self.print_slips)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button = QPushButton(self.tr("Preview…"), page)
        self.preview_button.setObjectName("preview")
        self.preview_button.setToolTip(self.tr("Preview the slips (Ctrl+Shift+P)"))
        self.preview_button.clicked.connect(self.preview_slips)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Print, page, self._print_if_done)
        QShortcut(QKeySequence("Ctrl+Shift+P"), page, self.preview_slips)
        return page

    # --- drafts (a lock keeps what was typed: drafts.py) -------------------------------------

    def draft_origin(self) -> tuple[str, dict[str, str]]:
        return "walk_in", {}

    def draft_values(self) -> dict[str, str] | None:
        if self.showing_result:
            return None
        typed = {
            "search": self.group_search.text().strip(),
            "user_id": self.group.user_id if self.group is not None else "",
            "individual": self.individual_name.text().strip(),
            "purpose": self.purpose.text().strip(),
            "headcount": str(self.headcount.value()) if self.headcount.value() else "",
            "exemption_note": self.exemption_note.text().strip(),
        }
        if not any(typed.values()):
            return None
        room = self.current_room()
        return {
            **typed,
            "date": self.day.isoformat(),
            "as_individual": "1" if self.as_individual.isChecked() else "",
            "room_id": room.id if room is not None else (self._wanted_room or ""),
            "slots": ",".join(self.chosen_slots()),
            "exemption": str(self.exemption.currentData() or ""),
        }

    @classmethod
    def from_draft(
        cls, ctx: DeskContext, values: dict[str, str], parent: QWidget | None = None
    ) -> WalkInDialog:
        try:
            day: date | None = date.fromisoformat(values.get("date", ""))
        except ValueError:
            day = None
        dialog = cls(
            ctx,
            day=day,
            room_id=values.get("room_id") or None,
            user_id=values.get("user_id") or None,
            parent=parent,
        )
        dialog._wanted_slots = {s for s in values.get("slots", "").split(",") if s}
        dialog._draft = values
        if values.get("as_individual"):
            dialog.as_individual.setChecked(True)
            dialog.individual_name.setText(values.get("individual", ""))
        elif not values.get("user_id"):
            dialog.group_search.setText(values.get("search", ""))
        dialog.purpose.setText(values.get("purpose", ""))
        dialog.headcount.setValue(int(values.get("headcount") or 0))
        dialog._restore_exemption()
        return dialog

    def _restore_exemption(self) -> None:
        if self._draft is None:
            return
        index = self.exemption.findData(self._draft.get("exemption") or CHARGED)
        if index >= 0:
            self.exemption.setCurrentIndex(index)
        self.exemption_note.setText(self._draft.get("exemption_note", ""))

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
        self.ctx.tasks.run(
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

    # --- who -------------------------------------------------------------------------------

    def _applicant_changed(self) -> None:
        as_group = self.as_group.isChecked()
        self.group_search.setEnabled(as_group)
        self.individual_name.setEnabled(not as_group)
        room = self.current_room()
        if not as_group and room is not None and not room.individuals_allowed:
            allowed = [
                r.name
                for r in (self.facts.center.rooms if self.facts and self.facts.center else ())
                if r.individuals_allowed
            ]
            self.room_note.setText(
                self.tr("Individuals may use only: %1.").replace("%1", "、".join(allowed))
            )
            self.room_note.show()
        else:
            self.room_note.hide()
        self._reset_exemption()

    def _group_text_edited(self, _text: str) -> None:
        if self.group is not None:
            self.group = None
            self._show_group()
        self._search_timer.start()

    def _search_groups(self) -> None:
        text = self.group_search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self._set_candidates(generation, [])
            return
        self.ctx.tasks.run(
            lambda: self.ctx.db.call(lambda db: cached_groups.search(db, text, limit=20)),
            lambda found: self._set_candidates(generation, found),
            self._failed,
        )

    def _set_candidates(self, generation: int, found: list[CachedGroup]) -> None:
        if generation != self._search_generation:
            return
        self.candidates = found
        self.remote_candidates = {}
        self.search_all_button.setVisible(not found and bool(self.group_search.text().strip()))
        self.group_model.clear()
        for group in found:
            item = QStandardItem(group_choice_text(group))
            if not group.active:
                item.setForeground(QColor("#b00020"))
            item.setData(group.user_id, Qt.ItemDataRole.UserRole)
            self.group_model.appendRow(item)
        if found and self.group_search.hasFocus():
            self.completer.complete()
        if not found and self.group_search.text().strip():
            self.group_label.setText(self.tr("No registered group matches."))

    def _completion_chosen(self, text: str) -> None:
        group = next((g for g in self.candidates if group_choice_text(g) == text), None)
        if group is not None:
            self.choose_group(group)
        elif text in self.remote_candidates:
            self._fetch_remote(self.remote_candidates[text])

    def search_all_centers(self) -> None:
        text = self.group_search.text().strip()
        if not text:
            return
        self._search_generation += 1
        generation = self._search_generation
        ops = self.ctx.ops
        self.search_all_button.setEnabled(False)

        def found(hits: list[GroupSummary]) -> None:
            self.search_all_button.setEnabled(True)
            if generation != self._search_generation:
                return
            self.remote_candidates = {}
            self.group_model.clear()
            for hit in hits:
                label = f"{hit.name}（{hit.furigana}） {hit.user_id}"
                if hit.registered_elsewhere:
                    label += self.tr(" · another center")
                self.remote_candidates[label] = hit.user_id
                item = QStandardItem(label)
                item.setData(hit.user_id, Qt.ItemDataRole.UserRole)
                self.group_model.appendRow(item)
            if hits:
                self.group_search.setFocus()
                self.completer.complete()
            else:
                self.group_label.setText(self.tr("No group at any center matches."))

        def failed(error: BaseException) -> None:
            self.search_all_button.setEnabled(True)
            self._failed(error)

        # No reason on the search itself: names and user ids need none, and only the group
        # staff pick is looked up (with "walk-in"), so only it counts against this desk.
        self.ctx.tasks.run(lambda: ops.search_groups(text), found, failed)

    def _synced(self, _report: object) -> None:
        user_id = self._awaiting_cache
        if user_id is None:
            return

        def loaded(group: CachedGroup | None) -> None:
            if group is None or self._awaiting_cache != user_id:
                return
            self._awaiting_cache = None
            if self.group is not None and self.group.user_id == user_id:
                self.group = group
                self._show_group()

        self.ctx.tasks.run(
            lambda: self.ctx.db.call(lambda db: cached_groups.get(db, user_id)),
            loaded,
            self._failed,
        )

    def _fetch_remote(self, user_id: str) -> None:
        ops = self.ctx.ops

        def found(group: GroupOut) -> None:
            self.search_all_button.hide()
            # The backend now lets this center keep the group; a booking refers to the
            # group in the cache, so it waits until the next sync has brought it here.
            self._awaiting_cache = group.user_id
            self.choose_group(cached_from_out(group))
            self.ctx.sync.nudge()

        self.ctx.tasks.run(lambda: ops.fetch_group(user_id, "walk_in"), found, self._failed)

    def choose_group(self, group: CachedGroup) -> None:
        self.group = group
        self.group_search.setText(group_choice_text(group))
        if not self.purpose.text().strip():
            self.purpose.setText(group.form.activity)
        self._show_group()
        self._reset_exemption()
        self._restore_exemption()
        self.headcount.setFocus()
        self.headcount.selectAll()

    def _load_group(self, user_id: str, looked_up: CachedGroup | None = None) -> None:
        def found(group: CachedGroup | None) -> None:
            if group is None and looked_up is not None and looked_up.user_id == user_id:
                # Looked up a moment ago; the sync brings it into the cache.
                self._awaiting_cache = user_id
                self.choose_group(looked_up)
                self.ctx.sync.nudge()
                return
            if group is None:
                self.show_problem(messages.for_code("not_found").text())
                return
            self.choose_group(group)

        self.ctx.tasks.run(
            lambda: self.ctx.db.call(lambda db: cached_groups.get(db, user_id)),
            found,
            self._failed,
        )

    def deregistered_text(self, group: CachedGroup) -> str:
        return self.tr(
            "%1 is de-registered: it cannot book. To book again it must register anew "
            "(Groups → Register a new group)."
        ).replace("%1", group.name)

    def _show_group(self) -> None:
        group = self.group
        if group is None:
            self.group_label.setText(self.tr("No group chosen yet."))
            self.group_label.setStyleSheet(NOTE_STYLE)
            return
        parts = [self.tr("User ID %1").replace("%1", group.user_id)]
        if group.form.fee_exemption:
            parts.append(
                self.tr("Exempt: %1").replace("%1", exemption_label(group.form.fee_exemption))
            )
        warning = ""
        if not group.active:
            warning = self.tr("This group is de-registered.")
            self.show_problem(self.deregistered_text(group))
        elif group.valid_until < tokyo_date(self.ctx.clock.now()):
            warning = self.tr("This group's registration has expired.")
        text = f"{group.name} · " + " · ".join(parts)
        self.group_label.setText(f"{text}\n{warning}" if warning else text)
        self.group_label.setStyleSheet(WARNING_STYLE if warning else "color: #1b5e20;")

    # --- headcount and fee ----------------------------------------------------------------

    def _check_headcount(self) -> None:
        room = self.current_room()
        if room is None:
            self.capacity_note.clear()
            return
        over = self.headcount.value() > room.capacity
        text = (
            self.tr("More than this room holds (up to %1).")
            if over
            else self.tr("This room holds up to %1.")
        )
        self.capacity_note.setText(text.replace("%1", str(room.capacity)))
        self.capacity_note.setStyleSheet(WARNING_STYLE if over else NOTE_STYLE)

    def _default_exemption(self) -> str | None:
        if self.as_group.isChecked() and self.group is not None:
            return self.group.form.fee_exemption
        return None

    def _reset_exemption(self) -> None:
        """The group's registered exemption by default (none for an individual)."""
        default = self._default_exemption()
        self.exemption.setCurrentIndex(max(self.exemption.findData(default or CHARGED), 0))
        self._update_fee()

    def _exemption_choice(self) -> tuple[ExemptionReason | None, str]:
        """The exemption the booking gets, resolved as the operations and the backend do."""
        registered = self._default_exemption()
        typed = self.exemption_note.text().strip()
        reason, note = resolve_exemption(
            self.exemption.currentData() or CHARGED,
            typed,
            registered=registered,
            registered_note=self.group.form.fee_exemption_note if registered and self.group else "",
        )
        # Charging a group registered as exempt also wants its reason typed (see below).
        return reason, note or typed

    def _exemption_problem(self) -> str:
        reason, note = self._exemption_choice()
        changed = (reason.value if reason else None) != self._default_exemption()
        if (changed or reason is ExemptionReason.OTHER) and not note:
            return self.tr("Give the reason for this exemption.")
        return ""

    def _update_fee(self) -> None:
        room = self.current_room()
        slots = self.chosen_slots()
        if room is None or not slots:
            self.fee_label.setText(self.tr("Choose at least one slot."))
            return
        reason, note = self._exemption_choice()
        try:
            fee = calculate_fee(room, slots, reason, note or "-")
        except (FeeError, KeyError):
            self.fee_label.setText("")
            return
        text = self.tr("Nominal %1 · to pay %2").replace("%1", yen(fee.nominal))
        text = text.replace("%2", yen(fee.charged))
        if fee.exemption is not None:
            text += " " + self.tr("(exempt: %1)").replace("%1", exemption_label(fee.exemption))
        problem = self._exemption_problem()
        self.fee_label.setText(f"{text}\n{problem}" if problem else text)

    # --- booking ----------------------------------------------------------------------------

    def _form_problem(self) -> tuple[str, QWidget | None]:
        """What is missing from the form; the rules themselves are the operations' to judge."""
        if self.as_group.isChecked():
            if self.group is None and len(self.candidates) == 1:
                self.choose_group(self.candidates[0])
            if self.group is None:
                return (
                    self.tr(
                        "Choose the group from the list: type part of its name, furigana, "
                        "user ID or phone."
                    ),
                    self.group_search,
                )
            if not self.group.active:
                return self.deregistered_text(self.group), self.group_search
            if self.group.user_id == self._awaiting_cache:
                self.ctx.sync.nudge()
                return (
                    self.tr(
                        "The group is being copied to this desk from the reservation system. "
                        "Book again in a moment."
                    ),
                    None,
                )
        elif not self.individual_name.text().strip():
            return self.tr("Type the individual's name."), self.individual_name
        if self.current_room() is None:
            return self.tr("Choose a room."), self.room
        if not self.chosen_slots():
            return self.tr("Choose at least one free slot."), None
        if self.headcount.value() < 1:
            return self.tr("Type the expected headcount."), self.headcount
        problem = self._exemption_problem()
        if problem:
            return problem, self.exemption_note
        return "", None

    def requests(self) -> list[WalkIn]:
        room = self.current_room()
        assert room is not None
        reason, note = self._exemption_choice()
        as_group = self.as_group.isChecked()
        return [
            WalkIn(
                room_id=room.id,
                use_date=self.day,
                slot_id=slot_id,
                headcount=self.headcount.value(),
                purpose=self.purpose.text().strip(),
                user_id=self.group.user_id if as_group and self.group else None,
                individual_name=None if as_group else self.individual_name.text().strip(),
                fee_exemption=reason,
                fee_exemption_note=note,
                # Charging a group registered as exempt is staff's explicit choice.
                charge_fee=reason is None and self._default_exemption() is not None,
            )
            for slot_id in self.chosen_slots()
        ]

    def submit(self) -> None:
        if self.showing_result or not self.book_button.isEnabled():
            return
        problem, field = self._form_problem()
        if problem:
            self.show_problem(problem)
            if field is not None:
                field.setFocus()
            return
        self.problem.hide()
        requests = self.requests()
        self.book_button.setEnabled(False)

        def book_all() -> Outcome:
            done: list[CachedReservation] = []
            for request in requests:
                try:
                    done.append(self.ctx.ops.book_walk_in(request))
                except Exception as exc:  # shown to staff; the rest of the slots wait
                    return Outcome(done, exc)
            return Outcome(done, None)

        self.ctx.tasks.run(book_all, self._booked, self._failed)

    def _booked(self, outcome: Outcome) -> None:
        self.book_button.setEnabled(True)
        if outcome.booked:
            self.made.extend(outcome.booked)
            notify_changed(self.ctx)
            self.booked.emit(list(outcome.booked))
        if outcome.error is not None:
            text = messages.for_error(outcome.error).text()
            if outcome.booked:
                text += "\n" + self.tr("Already booked: %1.").replace(
                    "%1", ", ".join(r.approval_number for r in outcome.booked)
                )
                # Those slots are taken now (by this group); show them so.
                self._load_day()
            self.show_problem(text)
            return
        self._show_done()

    def _failed(self, error: BaseException) -> None:
        self.book_button.setEnabled(True)
        self.show_problem(describe(error).text())

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    # --- after booking ----------------------------------------------------------------------

    @property
    def showing_result(self) -> bool:
        """The bookings are made and the dialog offers to print their slips."""
        return not self.done_page.isHidden()

    def _show_done(self) -> None:
        self.done_list.setText("\n".join(booking_summary(self.ctx, r) for r in self.made))
        self.done_note.hide()
        self._refresh_done_note()
        # The note about waiting goes once the reservation system has confirmed them.
        self.ctx.sync.synced.connect(self._refresh_done_note)
        self.ctx.sync.nudge()
        self.form_page.hide()
        self.done_page.show()
        self.adjustSize()
        self.print_button.setDefault(True)
        self.print_button.setFocus()

    def _refresh_done_note(self, _report: object = None) -> None:
        ids = [r.id for r in self.made]
        db = self.ctx.db

        def states() -> list[str]:
            def read(conn: Connection) -> list[str]:
                found = (cached.get(conn, rid) for rid in ids)
                return [r.sync_state for r in found if r is not None]

            return db.call(read)

        run_for(self, self.ctx, states, self._show_done_note)

    def _show_done_note(self, states: list[str]) -> None:
        self.done_note.setVisible("pending" in states)
        self.adjustSize()

    def _print_if_done(self) -> None:
        if self.showing_result:
            self.print_slips()

    def print_slips(self) -> None:
        if not self.made:
            return
        self.print_button.setEnabled(False)
        self._print_note(self.tr("Printing…"), error=False)

        def done(records: list[PrintRecord]) -> None:
            self.print_button.setEnabled(True)
            self._print_note(
                self.tr("Both slips sent to the printer: %1.").replace(
                    "%1", ", ".join(r.approval_number or "" for r in records)
                ),
                error=False,
            )
            self.close_button.setDefault(True)
            self.close_button.setFocus()

        def failed(error: BaseException) -> None:
            self.print_button.setEnabled(True)
            self._print_note(describe(error).text(), error=True)

        print_service(self.ctx).print_slips([r.id for r in self.made], done, failed)

    def preview_slips(self) -> None:
        if not self.showing_result or not self.made:
            return
        print_service(self.ctx).preview(
            self.made[0].id, self, lambda e: self._print_note(describe(e).text(), error=True)
        )

    def _print_note(self, text: str, *, error: bool) -> None:
        self.print_message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.print_message.setText(text)
        self.print_message.show()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
