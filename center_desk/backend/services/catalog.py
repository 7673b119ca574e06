"""The catalog in the database, and its domain view (rooms, calendars)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_desk.domain import (
    Catalog,
    CenterCalendar,
    Room,
    RoomKind,
    TemporaryClosure,
)

from ..errors import not_found
from ..models import CenterRow, ClosureRow, RoomRow, SlotRow
from .changes import record_change


def load_catalog(session: Session, catalog: Catalog, now: datetime) -> None:
    """Insert or update every center, room and slot of ``catalog``. Rooms missing from the
    file are deactivated, not deleted: past reservations still point at them."""
    for position, slot in enumerate(catalog.slots):
        row = session.get(SlotRow, slot.id) or SlotRow(id=slot.id)
        row.label, row.start, row.end, row.position = slot.label, slot.start, slot.end, position
        session.add(row)
    listed: set[str] = set()
    for c_pos, center in enumerate(catalog.centers):
        center_row = session.get(CenterRow, center.id) or CenterRow(id=center.id)
        center_row.name, center_row.position = center.name, c_pos
        session.add(center_row)
        session.flush()
        for r_pos, room in enumerate(center.rooms):
            listed.add(room.id)
            room_row = session.get(RoomRow, room.id) or RoomRow(id=room.id)
            room_row.center_id = center.id
            room_row.name = room.name
            room_row.kind = room.kind.value
            room_row.capacity = room.capacity
            room_row.individuals_allowed = room.individuals_allowed
            room_row.fees = dict(room.fees)
            room_row.position = r_pos
            room_row.active = True
            session.add(room_row)
        session.flush()
        record_change(session, entity="center", entity_id=center.id, center_id=center.id, now=now)
    for room_row in session.scalars(select(RoomRow)):
        if room_row.id not in listed and room_row.active:
            room_row.active = False
            record_change(
                session,
                entity="center",
                entity_id=room_row.center_id,
                center_id=room_row.center_id,
                now=now,
            )
    record_change(session, entity="slots", entity_id="all", now=now)


def domain_room(row: RoomRow) -> Room:
    return Room(
        id=row.id,
        center_id=row.center_id,
        name=row.name,
        kind=RoomKind(row.kind),
        capacity=row.capacity,
        individuals_allowed=row.individuals_allowed,
        fees={str(k): int(v) for k, v in row.fees.items()},
    )


def get_room(session: Session, room_id: str, *, field: str | None = None) -> RoomRow:
    row = session.get(RoomRow, room_id)
    if row is None or not row.active:
        raise not_found("room", field)
    return row


def get_center(session: Session, center_id: str, *, field: str | None = None) -> CenterRow:
    row = session.get(CenterRow, center_id)
    if row is None:
        raise not_found("center", field)
    return row


def slots(session: Session) -> list[SlotRow]:
    return list(session.scalars(select(SlotRow).order_by(SlotRow.position)))


def rooms_of(session: Session, center_id: str) -> list[RoomRow]:
    return list(
        session.scalars(
            select(RoomRow)
            .where(RoomRow.center_id == center_id, RoomRow.active.is_(True))
            .order_by(RoomRow.position)
        )
    )


def calendar_for(session: Session, center_id: str) -> CenterCalendar:
    closures = session.scalars(select(ClosureRow).where(ClosureRow.center_id == center_id))
    return CenterCalendar(TemporaryClosure(c.day, c.reason) for c in closures)


def set_closure(
    session: Session, center_id: str, day: date, reason: str, now: datetime
) -> ClosureRow:
    get_center(session, center_id, field="center_id")
    row = session.scalars(
        select(ClosureRow).where(ClosureRow.center_id == center_id, ClosureRow.day == day)
    ).one_or_none()
    if row is None:
        row = ClosureRow(center_id=center_id, day=day, reason=reason, created_at=now)
        session.add(row)
    else:
        row.reason = reason
    session.flush()
    record_change(
        session,
        entity="closure",
        entity_id=f"{center_id}:{day.isoformat()}",
        center_id=center_id,
        now=now,
    )
    return row


def remove_closure(session: Session, center_id: str, day: date, now: datetime) -> bool:
    row = session.scalars(
        select(ClosureRow).where(ClosureRow.center_id == center_id, ClosureRow.day == day)
    ).one_or_none()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    record_change(
        session,
        entity="closure",
        entity_id=f"{center_id}:{day.isoformat()}",
        center_id=center_id,
        now=now,
        op="delete",
    )
    return True
