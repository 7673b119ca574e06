"""The counter's work on the board's bookings: choosing one, finding it by approval number,
printing its slips, check-in, usage report, fee, cancellation and no-show."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QMenu,
    QTreeWidgetItem,
    QWidget,
)

from center_desk.printing import PrintRecord
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from ...context import DeskContext
from ...dialogs.booking_details import BookingDetailsDialog
from ...dialogs.day_actions import (
    ActionDialog,
    CancelDialog,
    FeeDialog,
    NoShowDialog,
    UsageReportDialog,
)
from ...print_service import describe, print_service
from ...widgets.background import notify_changed, run_for
from ...widgets.booking_words import (
    ERROR_STYLE,
    holder_text,
)
from .board import TodayBoard, allowed_actions, normalize_approval_number


class TodayCounterWork(TodayBoard):
    """What staff do with the chosen booking; the view lays it out."""

    # --- selection --------------------------------------------------------------------------

    def current_reservation(self) -> CachedReservation | None:
        item = self.tree.currentItem()
        if item is None or self.board is None:
            return None
        rid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((b for b in self.board.bookings if b.id == rid), None)

    def rows(self) -> list[QTreeWidgetItem]:
        """The booking rows, in board order (slot headers left out)."""
        found: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    found.append(child)
        return found

    def select_reservation(self, reservation_id: str) -> bool:
        for item in self.rows():
            if item.data(0, Qt.ItemDataRole.UserRole) == reservation_id:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return True
        return False

    def _update_actions(self) -> None:
        r = self.current_reservation()
        allowed = allowed_actions(r, self.ctx.slot(r.slot_id) if r else None, self.ctx.clock.now())
        self.details_action.setEnabled(allowed.details)
        self.print_action.setEnabled(allowed.print)
        self.preview_action.setEnabled(allowed.print)
        self.check_in_action.setEnabled(allowed.check_in)
        self.usage_action.setEnabled(allowed.usage)
        self.fee_action.setEnabled(allowed.fee)
        self.cancel_action.setEnabled(allowed.cancel)
        self.no_show_action.setEnabled(allowed.no_show)

    def _context_menu(self, position: QPoint) -> None:
        if self.current_reservation() is None:
            return
        menu = QMenu(self)
        for action in (
            self.details_action,
            self.print_action,
            self.preview_action,
            None,
            self.check_in_action,
            self.usage_action,
            self.fee_action,
            None,
            self.cancel_action,
            self.no_show_action,
        ):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.tree.viewport().mapToGlobal(position))

    # --- the approval-number search ---------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def open_approval_number(self) -> None:
        number = normalize_approval_number(self.search.text())
        if not number:
            return

        def find() -> CachedReservation | None:
            return self.ctx.db.call(lambda db: cached.by_approval_number(db, number))

        run_for(self, self.ctx, find, lambda r: self._found(number, r), self._failed)

    def _found(self, number: str, r: CachedReservation | None) -> None:
        if r is None or r.center_id != self.ctx.center_id:
            self.show_message(
                self.tr("No booking numbered %1 is held at this desk.").replace("%1", number)
                + "\n"
                + self.tr("Check the number; bookings of other centers are not shown here."),
                error=True,
            )
            self.search.selectAll()
            return
        self.search.clear()
        self.hide_message()
        if r.use_date != self.day:
            # Select and open it once the other day has loaded.
            self._select_after_load = r.id
            self._open_after_load = True
            self.set_day(r.use_date)
            return
        if self.select_reservation(r.id):
            self.open_details()
        else:
            self._select_after_load = r.id
            self._open_after_load = True
            self.refresh()

    # --- actions ----------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()  # the previous one, closed by now
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self.tree.setFocus())
        dialog.open()

    def start_walk_in(self) -> None:
        """直前予約 for the day on the board (the dialog keeps to the counter window)."""
        from ...dialogs.walk_in import WalkInDialog

        self._open(WalkInDialog(self.ctx, day=self.day, parent=self))

    def open_details(self) -> None:
        r = self.current_reservation()
        if r is None:
            return
        dialog = BookingDetailsDialog(self.ctx, r, self)
        dialog.print_requested.connect(lambda: self._print([r.id], dialog))
        dialog.preview_requested.connect(lambda: self._preview(r.id))
        self._open(dialog)

    def print_slips(self) -> None:
        r = self.current_reservation()
        if r is not None and r.live:
            self._print([r.id], None)

    def _print(self, ids: list[str], details: BookingDetailsDialog | None) -> None:
        self.show_message(self.tr("Printing…"))

        def done(records: list[PrintRecord]) -> None:
            numbers = ", ".join(rec.approval_number or "" for rec in records)
            text = self.tr("Both slips sent to the printer: %1.").replace("%1", numbers)
            if any(rec.reprint for rec in records):
                text += " " + self.tr("Marked as a reprint.")
            self.show_message(text)
            if details is not None and details.isVisible():
                details.show_message(text)

        def failed(error: BaseException) -> None:
            self._failed(error)
            if details is not None and details.isVisible():
                details.show_message(describe(error).text(), error=True)

        print_service(self.ctx).print_slips(ids, done, failed)

    def preview_slips(self) -> None:
        r = self.current_reservation()
        if r is not None and r.live:
            self._preview(r.id)

    def _preview(self, reservation_id: str) -> None:
        def printed(records: list[PrintRecord]) -> None:
            self.show_message(
                self.tr("Both slips sent to the printer: %1.").replace(
                    "%1", ", ".join(rec.approval_number or "" for rec in records)
                )
            )

        print_service(self.ctx).preview(reservation_id, self, self._failed, printed)

    def check_in(self) -> None:
        r = self.current_reservation()
        if r is None:
            return
        name = holder_text(r)

        def done(_updated: CachedReservation) -> None:
            self.show_message(self.tr("Checked in: %1.").replace("%1", name))
            notify_changed(self.ctx)

        run_for(self, self.ctx, lambda: self.ctx.ops.check_in(r.id), done, self._failed)

    def _with_dialog(
        self, dialog_class: Callable[[DeskContext, CachedReservation, QWidget], ActionDialog]
    ) -> None:
        r = self.current_reservation()
        if r is None:
            return
        self._open(dialog_class(self.ctx, r, self))

    def usage_report(self) -> None:
        self._with_dialog(UsageReportDialog)

    def record_fee(self) -> None:
        self._with_dialog(FeeDialog)

    def cancel_booking(self) -> None:
        self._with_dialog(CancelDialog)

    def no_show(self) -> None:
        self._with_dialog(NoShowDialog)

    # --- messages ---------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20; padding: 4px;")
        self.message.setText(text)
        self.message.show()

    def hide_message(self) -> None:
        self.message.hide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The scanner types into whatever has focus: start where a scan belongs.
        if self.dialog is None or not self.dialog.isVisible():
            self.search.setFocus()
