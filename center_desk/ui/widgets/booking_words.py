"""The words for a booking's state (status, fee, sync, closure, holder), so the board, the
availability grid and the dialogs all say the same thing; and the styles of their notes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from center_desk.domain import Closure, ClosureKind, SlotDef, format_short_date
from center_desk.store.reservations import CachedReservation

from ..context import DeskContext

ERROR_STYLE = (
    "QLabel { color: #8a0016; background: #fdecee; border: 1px solid #e7a1ab;"
    " border-radius: 3px; padding: 6px; }"
)
NOTE_STYLE = "color: #555;"
WARNING_STYLE = "color: #8a0016; font-weight: bold;"


def time_range(slot: SlotDef) -> str:
    return f"{slot.start.hour}:{slot.start.minute:02d}–{slot.end.hour}:{slot.end.minute:02d}"


def slot_text(slot: SlotDef | None, slot_id: str) -> str:
    return f"{slot.label} {time_range(slot)}" if slot else slot_id


def yen(amount: int) -> str:
    return f"¥{amount:,}"


def exemption_label(reason: str | None) -> str:
    labels = {
        "city_subsidy": QCoreApplication.translate("Booking", "City subsidy"),
        "school_pta": QCoreApplication.translate("Booking", "School PTA"),
        "shakyo_subsidy": QCoreApplication.translate("Booking", "Social welfare council"),
        "other": QCoreApplication.translate("Booking", "Other"),
    }
    return labels.get(reason or "", reason or "")


def status_text(r: CachedReservation) -> str:
    if r.status == "cancelled":
        return QCoreApplication.translate("Booking", "Cancelled")
    if r.status == "no_show":
        return QCoreApplication.translate("Booking", "No-show")
    if r.status == "used":
        return QCoreApplication.translate("Booking", "Used")
    if r.checked_in_at:
        return QCoreApplication.translate("Booking", "Checked in")
    return QCoreApplication.translate("Booking", "Booked")


def fee_text(r: CachedReservation) -> str:
    if r.fee_exemption:
        return QCoreApplication.translate("Booking", "Exempt (%1)").replace(
            "%1", exemption_label(r.fee_exemption)
        )
    if r.fee_charged == 0:
        return QCoreApplication.translate("Booking", "No charge")
    text = (
        QCoreApplication.translate("Booking", "%1 paid")
        if r.fee_paid
        else QCoreApplication.translate("Booking", "%1 not paid")
    )
    return text.replace("%1", yen(r.fee_charged))


def sync_text(r: CachedReservation) -> str:
    if r.sync_state == "pending":
        return QCoreApplication.translate("Booking", "Waiting to sync")
    if r.sync_state == "rejected":
        return QCoreApplication.translate("Booking", "Refused: see Needs attention")
    return QCoreApplication.translate("Booking", "Synced")


def closure_text(closure: Closure) -> str:
    """Why the center is closed: 定期休館日, 年末年始, or the city's reason for a temporary one."""
    if closure.kind is ClosureKind.REGULAR:
        return QCoreApplication.translate("Booking", "Regular closing day")
    if closure.kind is ClosureKind.YEAR_END:
        return QCoreApplication.translate("Booking", "Year-end holidays")
    return closure.reason or QCoreApplication.translate("Booking", "Temporary closure")


def holder_text(r: CachedReservation) -> str:
    """Who the booking is for, as the board may show it: the group's name, never an
    individual's (their name is personal data, shown only in the details)."""
    return r.group_name or (
        QCoreApplication.translate("Booking", "Individual use") if r.individual_name else r.holder
    )


def booking_summary(ctx: DeskContext, r: CachedReservation) -> str:
    return " · ".join(
        (
            r.approval_number,
            format_short_date(r.use_date),
            slot_text(ctx.slot(r.slot_id), r.slot_id),
            ctx.room_name(r.room_id),
            holder_text(r),
        )
    )


def error_label(parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label
