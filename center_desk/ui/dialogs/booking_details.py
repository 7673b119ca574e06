"""A booking's details at the counter (本日): everything about it, with the group's
representative and person responsible, and its slips to print or preview."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import format_era_date
from center_desk.store import groups as cached_groups
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation

from .. import messages
from ..context import DeskContext
from ..widgets.booking_words import (
    ERROR_STYLE,
    fee_text,
    slot_text,
    status_text,
    sync_text,
    yen,
)


class BookingDetailsDialog(QDialog):
    """Everything about one booking, with the group's representative and person responsible.

    Opening it shows personal data, so it records a "group_viewed" audit event (DESIGN.md §5).
    """

    print_requested = Signal()
    preview_requested = Signal()

    def __init__(
        self, ctx: DeskContext, reservation: CachedReservation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reservation = reservation
        self.group: CachedGroup | None = None
        self.setObjectName("bookingDetails")
        self.setWindowTitle(self.tr("Booking %1").replace("%1", reservation.approval_number))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        r = reservation
        slot = ctx.slot(r.slot_id)
        self.fields: dict[str, QLabel] = {}

        def row(name: str, label: str, value: str) -> None:
            widget = QLabel(value, self)
            widget.setObjectName(name)
            widget.setWordWrap(True)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = widget
            form.addRow(label, widget)

        row("approvalNumber", self.tr("Approval number"), r.approval_number)
        row(
            "when",
            self.tr("Date and time"),
            f"{format_era_date(r.use_date)} {slot_text(slot, r.slot_id)}",
        )
        row("room", self.tr("Room"), ctx.room_name(r.room_id))
        if r.user_id:
            row("group", self.tr("Group"), f"{r.group_name or ''} ({r.user_id})")
            row("representative", self.tr("Representative"), self.tr("Loading…"))
            row("responsible", self.tr("Person responsible"), self.tr("Loading…"))
        else:
            row("group", self.tr("Individual"), r.individual_name or "")
        row("purpose", self.tr("Purpose"), r.purpose)
        people = str(r.headcount or "")
        if r.actual_headcount is not None:
            people = self.tr("%1 expected, %2 came").replace("%1", people)
            people = people.replace("%2", str(r.actual_headcount))
        row("headcount", self.tr("Headcount"), people)
        fee = fee_text(r)
        if r.fee_nominal:
            fee += "  " + self.tr("(nominal %1)").replace("%1", yen(r.fee_nominal))
        row("fee", self.tr("Fee"), fee)
        row("status", self.tr("Status"), status_text(r))
        if r.remarks:
            row("remarks", self.tr("Remarks"), r.remarks)
        if r.cancelled_reason:
            row("cancelledReason", self.tr("Reason for cancelling"), r.cancelled_reason)
        row("sync", self.tr("Sync"), sync_text(r))
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(self.tr("Print both slips"), self)
        self.print_button.setObjectName("print")
        self.print_button.setToolTip(self.tr("Print both slips (Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.setEnabled(r.live)
        self.print_button.clicked.connect(self.print_requested)
        self.preview_button = QPushButton(self.tr("Preview…"), self)
        self.preview_button.setObjectName("preview")
        self.preview_button.setToolTip(self.tr("Preview both slips (Ctrl+Shift+P)"))
        self.preview_button.setShortcut("Ctrl+Shift+P")
        self.preview_button.setEnabled(r.live)
        self.preview_button.clicked.connect(self.preview_requested)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip(self.tr("Close (Esc)"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if r.user_id:
            user_id = r.user_id
            ctx.tasks.run(lambda: self._load_group(user_id), self._group_loaded, self._failed)

    def _load_group(self, user_id: str) -> CachedGroup | None:
        group = self.ctx.db.call(lambda db: cached_groups.get(db, user_id))
        if group is not None:
            self.ctx.ops.record_audit("group_viewed", user_id)
        return group

    def _group_loaded(self, group: CachedGroup | None) -> None:
        self.group = group
        if group is None:
            missing = self.tr("Not held at this desk.")
            self.fields["representative"].setText(missing)
            self.fields["responsible"].setText(missing)
            self.adjustSize()
            return
        for name, person in (
            ("representative", group.form.representative),
            ("responsible", group.form.responsible),
        ):
            self.fields[name].setText(
                f"{person.name}\n〒{person.postal_code} {person.address}\n{person.phone}"
            )
        self.adjustSize()  # three lines each where "Loading…" had one

    def _failed(self, error: BaseException) -> None:
        self.show_message(messages.for_error(error).text(), error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.message.setText(text)
        self.message.show()
