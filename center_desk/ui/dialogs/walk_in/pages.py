"""The walk-in dialog's two pages built: the form (date, who, room, slots, purpose,
headcount, fee exemption, with what the rules said beside it), and the result that takes its
place after booking (what was booked, and printing both slips).

Only the widgets and their wiring live here; what they do is in day.py, who.py and booking.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
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

from center_desk.domain import ExemptionReason

from ...dates import DATE_INPUT_FORMAT
from ...widgets.booking_words import ERROR_STYLE, NOTE_STYLE, WARNING_STYLE, exemption_label
from .booking import WalkInBooking
from .parts import CHARGED, LAST_DAY_SHOWN, DateEdit, qdate


class WalkInPages(WalkInBooking):
    """The form page and the result page; :class:`~.dialog.WalkInDialog` puts them in place."""

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
        self.date_edit = DateEdit(page)
        self.date_edit.setObjectName("date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(DATE_INPUT_FORMAT)
        self.date_edit.setDateRange(qdate(today), qdate(today + timedelta(days=LAST_DAY_SHOWN)))
        self.date_edit.setDate(qdate(max(day, today)))
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
        self.group_search.installEventFilter(self)
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
