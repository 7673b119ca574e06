"""The day-of-use dialogs at the counter (issue 5, 本日): the usage report (利用報告書), the fee
receipt (使用料), a cancellation at the group's request, a no-show. (A booking's details are
in booking_details.py; the words for a booking's state in widgets/booking_words.py.)

Each dialog asks :class:`~center_desk.sync.operations.DeskOperations` off the GUI thread and
shows a refusal as one sentence with its next step next to the form, keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIntValidator, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from center_desk.store.reservations import CachedReservation

from .. import drafts, messages
from ..context import DeskContext
from ..widgets.background import notify_changed
from ..widgets.booking_words import (
    NOTE_STYLE,
    WARNING_STYLE,
    booking_summary,
    error_label,
    yen,
)

# --- a dialog that asks the operations once --------------------------------------------------


class ActionDialog(QDialog):
    """Summary of the booking, a form, the refusal (if any) and Confirm (Enter) / Back (Esc).

    A lock keeps what was typed (drafts.py); the window opens the dialog again from
    ``action`` and the booking's id."""

    #: The draft's name for this dialog (reopeners.py maps it back to the class).
    action = ""

    def __init__(
        self,
        ctx: DeskContext,
        reservation: CachedReservation,
        *,
        title: str,
        confirm: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reservation = reservation
        self.result_reservation: CachedReservation | None = None
        self._baseline: dict[str, str] | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.summary = QLabel(booking_summary(ctx, reservation), self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("confirm")
        self.confirm.setDefault(True)
        self.confirm.setToolTip(
            QCoreApplication.translate("ActionDialog", "%1 (Enter)").replace("%1", confirm)
        )
        back = buttons.addButton(
            QCoreApplication.translate("ActionDialog", "Back"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        back.setObjectName("back")
        back.setAutoDefault(False)
        back.setToolTip(
            QCoreApplication.translate("ActionDialog", "Close without changing anything (Esc)")
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        if self._baseline is None:
            self._baseline = drafts.collect(self)
        super().showEvent(event)

    def draft_origin(self) -> tuple[str, dict[str, str]]:
        return "booking_action", {"action": self.action, "reservation_id": self.reservation.id}

    def draft_values(self) -> dict[str, str] | None:
        values = drafts.collect(self)
        return values if values != self._baseline else None

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def run(self, work: Callable[[], CachedReservation]) -> None:
        self.confirm.setEnabled(False)
        self.error.hide()
        self.ctx.tasks.run(work, self._done, self._failed)

    def _done(self, reservation: CachedReservation) -> None:
        self.result_reservation = reservation
        notify_changed(self.ctx)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.confirm.setEnabled(True)
        self.show_problem(messages.for_error(error).text())


class UsageReportDialog(ActionDialog):
    """利用報告書: how many actually came, and remarks."""

    action = "usage_report"

    def __init__(
        self, ctx: DeskContext, reservation: CachedReservation, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            reservation,
            title=QCoreApplication.translate("Booking", "Usage report"),
            confirm=QCoreApplication.translate("Booking", "Record the report"),
            parent=parent,
        )
        self.setObjectName("usageReport")
        self.headcount = QSpinBox(self)
        self.headcount.setObjectName("actualHeadcount")
        self.headcount.setRange(0, 1000)
        self.headcount.setValue(reservation.actual_headcount or reservation.headcount or 0)
        self.headcount.setSuffix(self.tr(" people"))
        self.remarks = QLineEdit(reservation.remarks, self)
        self.remarks.setObjectName("remarks")
        self.remarks.setPlaceholderText(self.tr("Damage, lost property, anything to note"))
        self.form.addRow(self.tr("Actual headcount"), self.headcount)
        self.form.addRow(self.tr("Remarks"), self.remarks)
        self.headcount.selectAll()

    def submit(self) -> None:
        rid, count, remarks = self.reservation.id, self.headcount.value(), self.remarks.text()
        self.run(lambda: self.ctx.ops.record_usage(rid, count, remarks.strip()))


class FeeDialog(ActionDialog):
    """使用料: the amount received must be the fee due; the receipt's number is recorded."""

    action = "fee"

    def __init__(
        self, ctx: DeskContext, reservation: CachedReservation, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            reservation,
            title=QCoreApplication.translate("Booking", "Fee received"),
            confirm=QCoreApplication.translate("Booking", "Record the fee"),
            parent=parent,
        )
        self.setObjectName("feeReceipt")
        due = QLabel(yen(reservation.fee_charged), self)
        due.setObjectName("due")
        due.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.amount = QLineEdit(self)
        self.amount.setObjectName("amount")
        self.amount.setValidator(QIntValidator(0, 1_000_000, self.amount))
        self.amount.setPlaceholderText(str(reservation.fee_charged))
        self.receipt = QLineEdit(self)
        self.receipt.setObjectName("receiptNumber")
        self.receipt.setMaxLength(40)
        self.form.addRow(self.tr("Fee due"), due)
        self.form.addRow(self.tr("Amount received (yen)"), self.amount)
        self.form.addRow(self.tr("Receipt number"), self.receipt)
        note = QLabel(self.tr("Paid fees are not refunded."), self)
        note.setStyleSheet(NOTE_STYLE)
        self.form.addRow("", note)

    def submit(self) -> None:
        # The operations check the amount too; saying the fee here is the clearer answer.
        text = self.amount.text().strip()
        if not text or int(text) != self.reservation.fee_charged:
            self.show_problem(
                self.tr("The amount must be the fee due, %1.").replace(
                    "%1", yen(self.reservation.fee_charged)
                )
            )
            self.amount.setFocus()
            return
        if not self.receipt.text().strip():
            self.show_problem(self.tr("Type the receipt number."))
            self.receipt.setFocus()
            return
        rid, amount, receipt = self.reservation.id, int(text), self.receipt.text().strip()
        self.run(lambda: self.ctx.ops.record_fee(rid, amount, receipt))


class CancelDialog(ActionDialog):
    """取消 at the group's request: the reason is required and recorded."""

    action = "cancel"

    def __init__(
        self, ctx: DeskContext, reservation: CachedReservation, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            reservation,
            title=QCoreApplication.translate("Booking", "Cancel a booking"),
            confirm=QCoreApplication.translate("Booking", "Cancel the booking"),
            parent=parent,
        )
        self.setObjectName("cancelBooking")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("As the group gave it"))
        self.reason.setMaxLength(200)
        self.form.addRow(self.tr("Reason"), self.reason)
        if reservation.fee_paid and reservation.fee_charged > 0:
            warning = QLabel(self.tr("The fee was paid; paid fees are not refunded."), self)
            warning.setStyleSheet(WARNING_STYLE)
            warning.setWordWrap(True)
            self.form.addRow("", warning)

    def submit(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.show_problem(self.tr("Type the reason the group gave."))
            self.reason.setFocus()
            return
        rid = self.reservation.id
        self.run(lambda: self.ctx.ops.cancel(rid, reason))


class NoShowDialog(ActionDialog):
    """不参加: the slot has ended and nobody came."""

    action = "no_show"

    def __init__(
        self, ctx: DeskContext, reservation: CachedReservation, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            reservation,
            title=QCoreApplication.translate("Booking", "No-show"),
            confirm=QCoreApplication.translate("Booking", "Mark as no-show"),
            parent=parent,
        )
        self.setObjectName("noShow")
        text = QLabel(self.tr("Nobody came and the slot has ended."), self)
        text.setWordWrap(True)
        self.form.addRow(text)

    def submit(self) -> None:
        rid = self.reservation.id
        self.run(lambda: self.ctx.ops.mark_no_show(rid))
