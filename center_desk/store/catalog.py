"""This center's catalog and calendar, read from the cache as domain values."""

from __future__ import annotations

from datetime import date, time

from center_desk.domain import (
    Catalog,
    Center,
    CenterCalendar,
    Room,
    RoomKind,
    SlotDef,
    TemporaryClosure,
)

from .dbapi import Connection


def slots(db: Connection) -> tuple[SlotDef, ...]:
    rows = db.execute(
        "SELECT slot_id, label, starts_at, ends_at FROM slots ORDER BY starts_at"
    ).fetchall()
    return tuple(
        SlotDef(
            r["slot_id"],
            r["label"],
            time.fromisoformat(r["starts_at"]),
            time.fromisoformat(r["ends_at"]),
        )
        for r in rows
    )


def center(db: Connection, center_id: str) -> Center | None:
    row = db.execute("SELECT name FROM centers WHERE center_id = ?", (center_id,)).fetchone()
    if row is None:
        return None
    rooms = []
    for room in db.execute(
        "SELECT room_id, name, kind, capacity, individuals_allowed FROM rooms "
        "WHERE center_id = ? ORDER BY sort_order, room_id",
        (center_id,),
    ).fetchall():
        fees = {
            str(f["slot_id"]): int(f["fee_yen"])
            for f in db.execute(
                "SELECT slot_id, fee_yen FROM room_slots WHERE room_id = ?", (room["room_id"],)
            ).fetchall()
        }
        if not fees:
            continue  # a room no longer let
        rooms.append(
            Room(
                id=room["room_id"],
                center_id=center_id,
                name=room["name"],
                kind=RoomKind(room["kind"]),
                capacity=int(room["capacity"]),
                individuals_allowed=bool(room["individuals_allowed"]),
                fees=fees,
            )
        )
    return Center(id=center_id, name=str(row["name"]), rooms=tuple(rooms))


def catalog(db: Connection, center_id: str) -> Catalog | None:
    found = center(db, center_id)
    if found is None:
        return None
    return Catalog(slots=slots(db), centers=(found,))


def calendar(db: Connection, center_id: str) -> CenterCalendar:
    rows = db.execute(
        "SELECT closed_on, reason FROM closures WHERE center_id = ?", (center_id,)
    ).fetchall()
    return CenterCalendar(
        TemporaryClosure(date.fromisoformat(r["closed_on"]), r["reason"]) for r in rows
    )
