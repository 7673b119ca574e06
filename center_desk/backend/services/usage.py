"""Usage figures (利用状況) from the database: the month's facts by Core SELECTs, the figures by
:mod:`center_desk.domain.usage` (the one place they are computed).

Only columns without personal data are read: room, day, slot, kind, status, fees, receipts, and
for lottery entries room, day, slot and status.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_desk.domain import Center
from center_desk.domain.usage import (
    BookingFact,
    CenterUsage,
    LotteryEntryFact,
    center_usage,
    facts_window,
)

from ..models import CenterRow, FeeReceiptRow, LotteryEntryRow, ReservationRow
from .catalog import calendar_for, domain_room, domain_slots, get_center, rooms_of


def _center(session: Session, row: CenterRow) -> Center:
    return Center(
        id=row.id,
        name=row.name,
        rooms=tuple(domain_room(room) for room in rooms_of(session, row.id)),
    )


def _booking_facts(
    session: Session, center_ids: list[str], start: date, end: date
) -> dict[str, list[BookingFact]]:
    r, receipt = ReservationRow, FeeReceiptRow
    statement = (
        select(
            r.center_id,
            r.room_id,
            r.use_date,
            r.slot_id,
            r.kind,
            r.status,
            r.fee_nominal,
            r.fee_charged,
            r.fee_exemption,
            receipt.amount,
        )
        .outerjoin(receipt, receipt.reservation_id == r.id)
        .where(r.center_id.in_(center_ids), r.use_date >= start, r.use_date <= end)
    )
    facts: dict[str, list[BookingFact]] = defaultdict(list)
    for row in session.execute(statement):
        facts[row[0]].append(
            BookingFact(
                room_id=row[1],
                use_date=row[2],
                slot_id=row[3],
                kind=row[4],
                status=row[5],
                fee_nominal=row[6],
                fee_charged=row[7],
                fee_exemption=row[8],
                fee_received=row[9],
            )
        )
    return facts


def _entry_facts(
    session: Session, center_ids: list[str], start: date, end: date
) -> dict[str, list[LotteryEntryFact]]:
    e = LotteryEntryRow
    statement = select(e.center_id, e.room_id, e.use_date, e.slot_id, e.status).where(
        e.center_id.in_(center_ids), e.use_date >= start, e.use_date <= end
    )
    facts: dict[str, list[LotteryEntryFact]] = defaultdict(list)
    for row in session.execute(statement):
        facts[row[0]].append(LotteryEntryFact(row[1], row[2], row[3], row[4]))
    return facts


def usage_for_centers(session: Session, center_ids: list[str], month: date) -> list[CenterUsage]:
    """The figures of each center in ``center_ids`` (in that order) for ``month``."""
    start, end = facts_window(month)
    bookings = _booking_facts(session, center_ids, start, end)
    entries = _entry_facts(session, center_ids, start, end)
    slots = domain_slots(session)
    result = []
    for center_id in center_ids:
        row = get_center(session, center_id)
        result.append(
            center_usage(
                _center(session, row),
                slots,
                calendar_for(session, center_id),
                month,
                bookings.get(center_id, []),
                entries.get(center_id, []),
            )
        )
    return result


def usage_of_center(session: Session, center_id: str, month: date) -> CenterUsage:
    return usage_for_centers(session, [center_id], month)[0]


def usage_of_all(session: Session, month: date) -> list[CenterUsage]:
    """Every center of the catalog, in catalog order (the city office's report)."""
    ids = list(session.scalars(select(CenterRow.id).order_by(CenterRow.position, CenterRow.id)))
    return usage_for_centers(session, ids, month)
