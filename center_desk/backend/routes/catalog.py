"""The catalog and availability: public information, no personal data."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Query
from sqlalchemy import select

from center_desk.protocol.catalog import (
    AvailabilityCell,
    AvailabilityOut,
    CatalogOut,
    CenterOut,
    ClosureOut,
    RoomOut,
    SlotOut,
)

from ..deps import Db
from ..errors import check_dates, invalid
from ..models import CenterRow, RoomRow
from ..services import catalog, reservations

router = APIRouter(tags=["catalog"])

MAX_RANGE_DAYS = 92


def room_out(row: RoomRow) -> RoomOut:
    return RoomOut(
        id=row.id,
        center_id=row.center_id,
        name=row.name,
        kind=row.kind,
        capacity=row.capacity,
        individuals_allowed=row.individuals_allowed,
        fees={str(k): int(v) for k, v in row.fees.items()},
        position=row.position,
    )


def center_out(session: Db, row: CenterRow) -> CenterOut:
    return CenterOut(
        id=row.id,
        name=row.name,
        rooms=[room_out(r) for r in catalog.rooms_of(session, row.id)],
    )


@router.get("/v1/catalog")
def get_catalog(session: Db) -> CatalogOut:
    centers = session.scalars(select(CenterRow).order_by(CenterRow.position))
    return CatalogOut(
        slots=[
            SlotOut(id=s.id, label=s.label, start=s.start, end=s.end)
            for s in catalog.slots(session)
        ],
        centers=[center_out(session, c) for c in centers],
    )


def _range(start: date, end: date) -> None:
    check_dates(from_=start, to=end)
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        raise invalid(f"the range must run forward and span at most {MAX_RANGE_DAYS} days")


@router.get("/v1/centers/{center_id}/closures")
def closures(
    center_id: str, session: Db, start: date = Query(alias="from"), end: date = Query(alias="to")
) -> list[ClosureOut]:
    _range(start, end)
    catalog.get_center(session, center_id)
    calendar = catalog.calendar_for(session, center_id)
    return [
        ClosureOut(center_id=center_id, day=c.day, reason=c.reason or c.kind.value)
        for c in calendar.closures_between(start, end)
    ]


@router.get("/v1/centers/{center_id}/availability")
def availability(
    center_id: str, session: Db, start: date = Query(alias="from"), end: date = Query(alias="to")
) -> AvailabilityOut:
    _range(start, end)
    catalog.get_center(session, center_id)
    calendar = catalog.calendar_for(session, center_id)
    booked = {
        (r.room_id, r.use_date, r.slot_id)
        for r in reservations.list_for_center(session, center_id, start, end)
    }
    cells: list[AvailabilityCell] = []
    rooms = catalog.rooms_of(session, center_id)
    slots = catalog.slots(session)
    day = start
    while day <= end:
        closure = calendar.closure(day)
        for room in rooms:
            for slot in slots:
                if slot.id not in room.fees:
                    continue
                if closure is not None:
                    state, reason = "closed", closure.reason or closure.kind.value
                elif (room.id, day, slot.id) in booked:
                    state, reason = "booked", ""
                else:
                    state, reason = "free", ""
                cells.append(
                    AvailabilityCell(
                        room_id=room.id,
                        use_date=day,
                        slot_id=slot.id,
                        state=state,
                        closed_reason=reason,
                    )
                )
        day += timedelta(days=1)
    return AvailabilityOut(center_id=center_id, cells=cells)
