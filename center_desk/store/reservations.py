"""Reservations in the cache: the day's board, the availability grid, and the desk's own
changes (written with their outbox mutation in one transaction by the caller)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from center_desk.domain import ReservationFacts, ReservationStatus, SlotDef

from .dbapi import Connection, Row


@dataclass(frozen=True)
class CachedReservation:
    id: str
    approval_number: str
    center_id: str
    room_id: str
    use_date: date
    slot_id: str
    user_id: str | None
    group_name: str | None
    individual_name: str | None
    kind: str
    channel: str
    status: str
    purpose: str
    headcount: int | None
    fee_nominal: int
    fee_charged: int
    fee_exemption: str | None
    fee_exemption_note: str
    fee_paid: bool
    checked_in_at: str | None
    actual_headcount: int | None
    remarks: str
    cancelled_reason: str
    created_at: str
    sync_state: str

    @property
    def live(self) -> bool:
        return ReservationStatus(self.status).live

    @property
    def holder(self) -> str:
        """Who the booking is for, as the board shows it (group name, or the individual)."""
        return self.group_name or self.individual_name or self.user_id or ""


def facts(r: CachedReservation, slot: SlotDef | None) -> ReservationFacts:
    """What the reservation guards (domain/reservation.py) need to know of a cached booking."""
    return ReservationFacts(
        status=ReservationStatus(r.status),
        use_date=r.use_date,
        slot=slot,
        checked_in=bool(r.checked_in_at),
        fee_charged=r.fee_charged,
        fee_paid=r.fee_paid,
    )


_COLUMNS = (
    "id, approval_number, center_id, room_id, use_date, slot_id, user_id, group_name,"
    " individual_name, kind, channel, status, purpose, headcount, fee_nominal, fee_charged,"
    " fee_exemption, fee_exemption_note, fee_paid, checked_in_at, actual_headcount,"
    " remarks, cancelled_reason, created_at, sync_state"
)


def _from_row(row: Row) -> CachedReservation:
    return CachedReservation(
        id=row["id"],
        approval_number=row["approval_number"],
        center_id=row["center_id"],
        room_id=row["room_id"],
        use_date=date.fromisoformat(row["use_date"]),
        slot_id=row["slot_id"],
        user_id=row["user_id"],
        group_name=row["group_name"],
        individual_name=row["individual_name"],
        kind=row["kind"],
        channel=row["channel"],
        status=row["status"],
        purpose=row["purpose"],
        headcount=row["headcount"],
        fee_nominal=int(row["fee_nominal"]),
        fee_charged=int(row["fee_charged"]),
        fee_exemption=row["fee_exemption"],
        fee_exemption_note=row["fee_exemption_note"],
        fee_paid=bool(row["fee_paid"]),
        checked_in_at=row["checked_in_at"],
        actual_headcount=row["actual_headcount"],
        remarks=row["remarks"],
        cancelled_reason=row["cancelled_reason"],
        created_at=row["created_at"],
        sync_state=row["sync_state"],
    )


def get(db: Connection, reservation_id: str) -> CachedReservation | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM reservations WHERE id = ?", (reservation_id,)
    ).fetchone()
    return _from_row(row) if row is not None else None


def by_approval_number(db: Connection, number: str) -> CachedReservation | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM reservations WHERE approval_number = ?",
        (number.strip().upper(),),
    ).fetchone()
    return _from_row(row) if row is not None else None


def between(
    db: Connection, center_id: str, start: date, end: date, *, include_cancelled: bool = False
) -> list[CachedReservation]:
    status_clause = "" if include_cancelled else "AND status <> 'cancelled'"
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM reservations WHERE center_id = ? AND use_date BETWEEN ? AND ? "
        f"{status_clause} ORDER BY use_date, slot_id, room_id",
        (center_id, start.isoformat(), end.isoformat()),
    ).fetchall()
    return [_from_row(r) for r in rows]


def for_group(db: Connection, user_id: str, since: date) -> list[CachedReservation]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM reservations WHERE user_id = ? AND use_date >= ? "
        "ORDER BY use_date, slot_id",
        (user_id, since.isoformat()),
    ).fetchall()
    return [_from_row(r) for r in rows]


def slot_taken(db: Connection, room_id: str, day: date, slot_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM reservations WHERE room_id = ? AND use_date = ? AND slot_id = ? "
        "AND status <> 'cancelled' LIMIT 1",
        (room_id, day.isoformat(), slot_id),
    ).fetchone()
    return row is not None


def center_bookings(
    db: Connection, user_id: str, center_id: str, year: int, month: int, kinds: tuple[str, ...]
) -> int:
    prefix = f"{year:04d}-{month:02d}-"
    placeholders = ", ".join("?" for _ in kinds)
    row = db.execute(
        f"SELECT count(*) FROM reservations WHERE user_id = ? AND center_id = ? "
        f"AND use_date LIKE ? AND status <> 'cancelled' AND kind IN ({placeholders})",
        (user_id, center_id, prefix + "%", *kinds),
    ).fetchone()
    return int(row[0]) if row else 0


def insert_local(db: Connection, reservation: CachedReservation) -> None:
    values = asdict(reservation)
    values["use_date"] = reservation.use_date.isoformat()
    values["fee_paid"] = 1 if reservation.fee_paid else 0
    values["applicant_kind"] = "group" if reservation.user_id else "individual"
    columns = ", ".join(values)
    placeholders = ", ".join(f":{c}" for c in values)
    db.execute(f"INSERT INTO reservations ({columns}) VALUES ({placeholders})", values)


_UPDATABLE = frozenset(
    {
        "status",
        "checked_in_at",
        "actual_headcount",
        "remarks",
        "fee_paid",
        "cancelled_reason",
        "sync_state",
    }
)


def update(db: Connection, reservation_id: str, **fields: Any) -> dict[str, Any]:
    """Change some fields; returns their previous values (the outbox's undo)."""
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    names = sorted(fields)
    before = db.execute(
        f"SELECT {', '.join(names)} FROM reservations WHERE id = ?", (reservation_id,)
    ).fetchone()
    if before is None:
        raise KeyError(reservation_id)
    assignments = ", ".join(f"{n} = :{n}" for n in names)
    db.execute(
        f"UPDATE reservations SET {assignments} WHERE id = :id", {**fields, "id": reservation_id}
    )
    return {n: before[n] for n in names}


def restore(db: Connection, reservation_id: str, values: dict[str, Any]) -> None:
    """Put back what :func:`update` returned (a rejected mutation's undo)."""
    safe = {k: v for k, v in values.items() if k in _UPDATABLE}
    if not safe:
        return
    assignments = ", ".join(f"{n} = :{n}" for n in sorted(safe))
    db.execute(
        f"UPDATE reservations SET {assignments} WHERE id = :id", {**safe, "id": reservation_id}
    )


def pending_count(db: Connection) -> int:
    row = db.execute("SELECT count(*) FROM reservations WHERE sync_state = 'pending'").fetchone()
    return int(row[0]) if row else 0


def settle(db: Connection, reservation_id: str) -> None:
    """The backend took every mutation for this row: it stops being 'pending' (a rejected
    booking stays as staff saw it under 要対応)."""
    db.execute(
        "UPDATE reservations SET sync_state = 'synced' WHERE id = ? AND sync_state <> 'rejected'",
        (reservation_id,),
    )


def refuse_booking(db: Connection, reservation_id: str, reason_code: str) -> None:
    """The backend refused a booking the desk made: it no longer holds the slot here."""
    db.execute(
        "UPDATE reservations SET status = 'cancelled', sync_state = 'rejected', "
        "cancelled_reason = ? WHERE id = ?",
        (f"rejected:{reason_code}", reservation_id),
    )


def end_waiting(db: Connection, reservation_id: str) -> None:
    """A refused change was undone: the row is the backend's again."""
    db.execute(
        "UPDATE reservations SET sync_state = 'synced' WHERE id = ? AND sync_state = 'pending'",
        (reservation_id,),
    )
