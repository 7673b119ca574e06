"""The day journal (日報) from the desk's cache: the day's bookings, walk-ins, usage reports,
fees received, and what is still waiting to reach the backend."""

from __future__ import annotations

from datetime import date, datetime, time

from center_desk.domain import Center, ExemptionReason, Fee, SlotDef
from center_desk.protocol.sync import AuditEventIn, LastMinuteBooking
from center_desk.store import Connection, audit, outbox
from center_desk.store import reservations as cached

from .day_journal import DayJournal, FeeReceipt, JournalBooking, PendingSync, UsageReport

#: Staff's words for each kind of waiting mutation.
WHAT = {
    "last_minute_booking": "直前予約",
    "cancel_reservation": "予約取消",
    "check_in": "入館受付",
    "mark_no_show": "不参加",
    "usage_report": "利用報告",
    "fee_receipt": "使用料収納",
    "audit_event": "操作記録",
}


def build_day_journal(
    db: Connection,
    *,
    center: Center,
    slots: tuple[SlotDef, ...],
    day: date,
    printed_at: datetime,
    staff_name: str,
) -> DayJournal:
    slot_of = {s.id: s for s in slots}
    room_name = {r.id: r.name for r in center.rooms}
    bookings = []
    by_number: dict[str, cached.CachedReservation] = {}
    for r in cached.between(db, center.id, day, day):
        by_number[r.approval_number] = r
        slot = slot_of.get(r.slot_id)
        bookings.append(
            JournalBooking(
                approval_number=r.approval_number,
                room_name=room_name.get(r.room_id, r.room_id),
                slot_label=slot.label if slot else r.slot_id,
                start=slot.start if slot else time(0, 0),
                end=slot.end if slot else time(0, 0),
                group_name=r.holder,
                user_id=r.user_id or "",
                walk_in=r.kind == "last_minute" and r.channel == "counter",
                expected_headcount=r.headcount or 0,
                fee=Fee(
                    nominal=r.fee_nominal,
                    charged=r.fee_charged,
                    exemption=ExemptionReason(r.fee_exemption) if r.fee_exemption else None,
                    exemption_note=r.fee_exemption_note,
                ),
                paid=r.fee_paid,
                report=UsageReport(r.actual_headcount, r.remarks)
                if r.actual_headcount is not None
                else None,
            )
        )
    bookings.sort(key=lambda b: (b.start, b.room_name))
    receipts = []
    for at, _staff, subject in audit.of_kind_on(db, "fee_receipt", day):
        booking = by_number.get(subject) or cached.by_approval_number(db, subject)
        if booking is not None and booking.fee_charged > 0:
            receipts.append(
                FeeReceipt(
                    approval_number=subject,
                    group_name=booking.holder,
                    amount=booking.fee_charged,
                    received_at=datetime.fromisoformat(at),
                )
            )
    pending = []
    for entry in outbox.pending(db, limit=10_000):
        body = entry.body
        if isinstance(body, AuditEventIn):
            continue
        if isinstance(body, LastMinuteBooking):
            reference = body.approval_number
        else:
            found = cached.get(db, str(body.reservation_id))
            reference = found.approval_number if found else ""
        pending.append(
            PendingSync(
                what=WHAT.get(entry.kind, entry.kind),
                reference=reference or f"#{entry.mutation_id}",
                queued_at=datetime.fromisoformat(entry.created_at),
            )
        )
    return DayJournal(
        center_name=center.name,
        day=day,
        printed_at=printed_at,
        staff_name=staff_name,
        bookings=tuple(bookings),
        receipts=tuple(receipts),
        pending=tuple(pending),
    )
