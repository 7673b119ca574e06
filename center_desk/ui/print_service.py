"""Printing from the counter's screens (issue 6, part 3): both slips for a booking, 利用申請書 and
利用承認書, in one job to the desk's printer; and an in-app preview of them.

Everything slow runs off the GUI thread through ``ctx.tasks``: reading the booking and its group
from the cache, building the PDF (reportlab), sending it to CUPS, rendering preview pages. The
PDF holds personal data, so it stays in memory (DESIGN.md §5). Each print is an audit event
("printed", subject the approval number); a booking printed before at this desk is printed again
marked as a reprint (再発行).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import Center, ExemptionReason, Fee, SlotDef, tokyo_date
from center_desk.printing import (
    PRODUCTION,
    BookingSlip,
    FormPdf,
    Issuer,
    Person,
    PreviewError,
    PrinterConfig,
    PrintError,
    PrintPolicy,
    PrintProblem,
    PrintRecord,
    booking_slips_pdf,
    print_pdf,
    render_png_pages,
)
from center_desk.printing.dispatch import check_allowed
from center_desk.store import Connection, audit
from center_desk.store import catalog as cached_catalog
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation
from center_desk.sync.config import DeskConfig

from . import messages
from .context import DeskContext

#: The audit event of every print; a reprint's subject carries this suffix.
PRINTED_EVENT = "printed"
REPRINT_SUFFIX = " reprint"

#: How a form reaches paper: CUPS ``lp`` on Linux, Qt printing on Windows.
SendPdf = Callable[[FormPdf, PrinterConfig, PrintPolicy], PrintRecord]


def default_sender() -> SendPdf:
    if sys.platform == "win32":
        from center_desk.printing.dispatch_qt import print_pdf_qt

        return print_pdf_qt
    return print_pdf


# --- building the slip (no Qt below this line until the dialog) ------------------------------


@dataclass(frozen=True)
class BookingForPrint:
    """What the slips need, read from the cache in one go on its thread."""

    reservation: CachedReservation
    group: CachedGroup | None
    center: Center | None
    slots: tuple[SlotDef, ...]
    printed_before: bool


def _printed_before(db: Connection, approval_number: str) -> bool:
    # The local audit trail is the record of what this desk has printed.
    return audit.any_of(db, PRINTED_EVENT, (approval_number, approval_number + REPRINT_SUFFIX))


def load_for_print(db: Connection, reservation_id: str) -> BookingForPrint:
    """On the cache's thread: the booking, its group, the center and the slots."""
    reservation = cached.get(db, reservation_id)
    if reservation is None:
        raise KeyError("the booking is no longer in this desk's cache")
    group = cached_groups.get(db, reservation.user_id) if reservation.user_id else None
    return BookingForPrint(
        reservation=reservation,
        group=group,
        center=cached_catalog.center(db, reservation.center_id),
        slots=cached_catalog.slots(db),
        printed_before=_printed_before(db, reservation.approval_number),
    )


def _person_address(postal_code: str, address: str) -> str:
    return f"〒{postal_code} {address}" if postal_code else address


def booking_slip(source: BookingForPrint, *, issuer: Issuer, issued_on: date) -> BookingSlip:
    """The two slips' content for one booking (both show the representative and the person
    responsible; an individual is both)."""
    r = source.reservation
    slot = next((s for s in source.slots if s.id == r.slot_id), None)
    if slot is None:
        raise KeyError(f"slot {r.slot_id} is not in the catalog")
    room_name = r.room_id
    if source.center is not None:
        room_name = next((room.name for room in source.center.rooms if room.id == r.room_id), "")
    if source.group is not None:
        form = source.group.form
        representative = Person(
            form.representative.name,
            _person_address(form.representative.postal_code, form.representative.address),
            form.representative.phone,
        )
        responsible = Person(
            form.responsible.name,
            _person_address(form.responsible.postal_code, form.responsible.address),
            form.responsible.phone,
        )
        group_name, user_id = source.group.name, source.group.user_id
    else:
        # 個人利用: the slip names the individual; the desk holds no address for them.
        name = r.individual_name or r.holder
        representative = responsible = Person(name, "")
        group_name, user_id = r.group_name or name, r.user_id or ""
    exemption = ExemptionReason(r.fee_exemption) if r.fee_exemption else None
    applied_on = date.fromisoformat(r.created_at[:10]) if r.created_at else None
    return BookingSlip(
        approval_number=r.approval_number,
        issued_on=issued_on,
        issuer=issuer,
        group_name=group_name,
        user_id=user_id,
        representative=representative,
        responsible=responsible,
        center_name=source.center.name if source.center else issuer.center_name,
        room_name=room_name,
        use_date=r.use_date,
        slot_label=slot.label,
        start=slot.start,
        end=slot.end,
        purpose=r.purpose,
        headcount=r.headcount or 0,
        fee=Fee(r.fee_nominal, r.fee_charged, exemption, r.fee_exemption_note),
        paid=r.fee_paid,
        reprint=source.printed_before,
        applied_on=applied_on,
    )


def printer_config(config: DeskConfig) -> PrinterConfig:
    """The desk's printer, refused unless it is on the allowed list (before any PDF is made)."""
    if not config.printer:
        raise PrintError(PrintProblem.NOT_ALLOWED, "no printer is set for this desk")
    printer = PrinterConfig(queue=config.printer, allowed_queues=frozenset(config.allowed_printers))
    check_allowed(printer)
    return printer


def describe(error: BaseException) -> messages.Message:
    """Words for a printing problem; anything else goes to :func:`messages.for_error`."""
    if isinstance(error, PrintError):
        table = {
            PrintProblem.NOT_ALLOWED: (
                QCoreApplication.translate(
                    "PrintService", "The desk's printer is not on the allowed list."
                ),
                QCoreApplication.translate(
                    "PrintService", "Ask the office to set the counter printer."
                ),
            ),
            PrintProblem.VIRTUAL_PRINTER: (
                QCoreApplication.translate(
                    "PrintService",
                    "That printer makes files, not paper, so the desk does not use it.",
                ),
                QCoreApplication.translate(
                    "PrintService", "Ask the office to set the counter printer."
                ),
            ),
            PrintProblem.UNAVAILABLE: (
                QCoreApplication.translate(
                    "PrintService", "The counter printer cannot be reached."
                ),
                QCoreApplication.translate(
                    "PrintService", "Check that it is on and connected, then print again."
                ),
            ),
            PrintProblem.MISSING_SOFTWARE: (
                QCoreApplication.translate("PrintService", "Printing is not installed on this PC."),
                QCoreApplication.translate("PrintService", "Ask the office."),
            ),
            PrintProblem.FAILED: (
                QCoreApplication.translate("PrintService", "The printer refused the job."),
                QCoreApplication.translate("PrintService", "Check the printer, then print again."),
            ),
        }
        sentence, next_step = table[error.problem]
        return messages.Message(sentence, next_step)
    if isinstance(error, PreviewError):
        return messages.Message(
            QCoreApplication.translate("PrintService", "The preview could not be shown."),
            QCoreApplication.translate("PrintService", "Print directly, or ask the office."),
        )
    if isinstance(error, KeyError):
        return messages.for_code("not_found")
    return messages.for_error(error)


class PrintService:
    """Both slips for a booking, off the GUI thread. One per desk (:func:`print_service`)."""

    def __init__(
        self,
        ctx: DeskContext,
        *,
        send: SendPdf | None = None,
        policy: PrintPolicy = PRODUCTION,
    ) -> None:
        self._ctx = ctx
        self._send = send or default_sender()
        self._policy = policy

    # --- blocking steps: pool threads only ------------------------------------------------

    def build(self, reservation_id: str, issuer: Issuer) -> FormPdf:
        source = self._ctx.db.call(lambda db: load_for_print(db, reservation_id))
        slip = booking_slip(source, issuer=issuer, issued_on=tokyo_date(self._ctx.clock.now()))
        return booking_slips_pdf(slip)

    def print_now(self, reservation_id: str, issuer: Issuer) -> PrintRecord:
        config = printer_config(self._ctx.config)
        form = self.build(reservation_id, issuer)
        record = self._send(form, config, self._policy)
        number = form.approval_number or ""
        self._ctx.ops.record_audit(PRINTED_EVENT, number + (REPRINT_SUFFIX if form.reprint else ""))
        return record

    def print_form(self, form: FormPdf, subject: str) -> PrintRecord:
        """Any finished form (the monthly usage report) to the desk's printer, audited."""
        record = self._send(form, printer_config(self._ctx.config), self._policy)
        self._ctx.ops.record_audit(PRINTED_EVENT, subject)
        return record

    def preview_now(self, reservation_id: str, issuer: Issuer) -> tuple[FormPdf, list[bytes]]:
        form = self.build(reservation_id, issuer)
        source = self._ctx.db.call(lambda db: cached.get(db, reservation_id))
        if source is not None and source.user_id:
            # The preview shows the representative's name and address.
            self._ctx.ops.record_audit("group_viewed", source.user_id)
        return form, render_png_pages(form.data, dpi=90)

    # --- from the GUI ---------------------------------------------------------------------

    def issuer(self) -> Issuer:
        center = self._ctx.center
        staff = self._ctx.staff
        return Issuer(
            center_name=center.name if center else self._ctx.center_id,
            staff_name=staff.name if staff else "",
        )

    def print_slips(
        self,
        reservation_ids: list[str],
        on_done: Callable[[list[PrintRecord]], object],
        on_error: Callable[[BaseException], object],
    ) -> None:
        """Print both slips of each booking (one job per booking), then call ``on_done``."""
        issuer = self.issuer()
        self._ctx.tasks.run(
            lambda: [self.print_now(rid, issuer) for rid in reservation_ids], on_done, on_error
        )

    def preview(
        self,
        reservation_id: str,
        parent: QWidget,
        on_error: Callable[[BaseException], object],
        on_printed: Callable[[list[PrintRecord]], object] = lambda _r: None,
    ) -> None:
        """Render the slips and show them; the preview's Print button prints them."""

        def show(result: tuple[FormPdf, list[bytes]]) -> None:
            form, pages = result
            dialog = PreviewDialog(form.approval_number or "", pages, parent)
            dialog.print_requested.connect(
                lambda: self.print_slips([reservation_id], on_printed, on_error)
            )
            dialog.open()

        issuer = self.issuer()
        self._ctx.tasks.run(lambda: self.preview_now(reservation_id, issuer), show, on_error)


def print_service(ctx: DeskContext) -> PrintService:
    """The desk's print service, kept in ``ctx.printer`` (the context's printing hook)."""
    if isinstance(ctx.printer, PrintService):
        return ctx.printer
    service = PrintService(ctx)
    ctx.printer = service
    return service


class PreviewDialog(QDialog):
    """The slips as they will print. Pages scale to the dialog's width; Ctrl+P prints."""

    print_requested = Signal()

    def __init__(
        self,
        approval_number: str,
        pages: list[bytes],
        parent: QWidget,
        *,
        print_label: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("slipPreview")
        self.setWindowTitle(self.tr("Preview: %1").replace("%1", approval_number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 700)
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        holder = QWidget(scroll)
        column = QVBoxLayout(holder)
        self.page_labels: list[QLabel] = []
        for data in pages:
            pixmap = QPixmap()
            pixmap.loadFromData(data, "PNG")
            label = QLabel(holder)
            label.setPixmap(pixmap.scaledToWidth(680, Qt.TransformationMode.SmoothTransformation))
            label.setFrameShape(QLabel.Shape.Box)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(self)
        button_text = print_label or self.tr("Print both slips")
        self.print_button = buttons.addButton(button_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("print")
        self.print_button.setToolTip(
            self.tr("%1 (Ctrl+P)").replace("%1", button_text)
            if print_label
            else self.tr("Print both slips (Ctrl+P)")
        )
        self.print_button.setDefault(True)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip(self.tr("Close (Esc)"))
        buttons.accepted.connect(self._print)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        shortcut = QAction(self)
        shortcut.setShortcut(QKeySequence.StandardKey.Print)
        shortcut.triggered.connect(self._print)
        self.addAction(shortcut)

    def _print(self) -> None:
        self.print_requested.emit()
        self.accept()
