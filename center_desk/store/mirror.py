"""Applying what the backend sends (pulled changes) to the cache.

The cache mirrors the backend for this center: catalog, closures, reservations from 30 days
back to 3 months ahead, the groups this center references, their lottery entries. A row the
desk changed and has not pushed yet (``sync_state = 'pending'``) keeps the desk's version until
its mutation is answered; the backend's version then arrives with the next pull.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from center_desk.protocol.catalog import CenterOut, SlotsOut
from center_desk.protocol.groups import GroupOut
from center_desk.protocol.reservations import LotteryEntryOut, ReservationOut
from center_desk.protocol.sync import (
    CenterChange,
    Change,
    ClosureChange,
    GroupChange,
    LotteryEntryChange,
    ReservationChange,
    SlotsChange,
)

from .dbapi import Connection, IntegrityError

#: Personal data: kept only here, in the encrypted cache (DESIGN.md §3).
_PERSON_FIELDS = ("name", "furigana", "postal_code", "address", "phone", "email")


def apply_change(db: Connection, change: Change, now: str) -> None:
    """One change; :func:`apply_changes` applies a page of them with a few statements."""
    apply_changes(db, [change], now)


def apply_changes(db: Connection, changes: Sequence[Change], now: str) -> None:
    """A pulled page, kind by kind with ``executemany`` (issue 13): no look-up per row.

    Call inside the page's transaction. Pulled rows that a snapshot in progress had marked
    stale are confirmed (``snapshot_stale = 0``) by being written again.
    """
    reservation_rows: list[tuple[Any, ...]] = []
    reservation_deletes: list[tuple[str]] = []
    group_rows: list[tuple[Any, ...]] = []
    group_deletes: list[tuple[str]] = []
    entry_rows: list[tuple[Any, ...]] = []
    entry_deletes: list[tuple[str]] = []
    for change in changes:
        if isinstance(change, ReservationChange):
            if change.op == "delete" or change.data is None:
                reservation_deletes.append((change.id,))
            else:
                reservation_rows.append(_reservation_values(change.id, change.data))
        elif isinstance(change, GroupChange):
            if change.op == "delete" or change.data is None:
                group_deletes.append((change.id,))
            else:
                group_rows.append(_group_values(change.id, change.data, now))
        elif isinstance(change, LotteryEntryChange):
            if change.op == "delete" or change.data is None:
                entry_deletes.append((change.id,))
            else:
                entry_rows.append(_entry_values(change.id, change.data))
        elif isinstance(change, ClosureChange):
            _closure(db, change)
        elif isinstance(change, CenterChange):
            _center(db, change.id, change.data)
        elif isinstance(change, SlotsChange):
            _slots(db, change.data)
        # UnknownChange: an entity from a newer backend; skipping it keeps an old desk working.
    if reservation_deletes:
        # A row the desk changed and has not pushed keeps the desk's version until its
        # mutation is answered; the backend's version arrives with a later pull.
        db.executemany(
            "DELETE FROM reservations WHERE id = ? AND sync_state <> 'pending'",
            reservation_deletes,
        )
    if reservation_rows:
        _upsert_reservations(db, reservation_rows)
    if group_deletes:
        db.executemany("DELETE FROM groups WHERE user_id = ?", group_deletes)
    if group_rows:
        db.executemany(_GROUP_UPSERT, group_rows)
    if entry_deletes:
        db.executemany("DELETE FROM lottery_entries WHERE id = ?", entry_deletes)
    if entry_rows:
        db.executemany(
            """
            INSERT INTO lottery_entries (id, user_id, center_id, room_id, use_date, slot_id,
                                         channel, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, snapshot_stale = 0
            """,
            entry_rows,
        )


def _entry_values(entry_id: str, data: LotteryEntryOut) -> tuple[Any, ...]:
    return (
        entry_id,
        data.user_id,
        data.center_id,
        data.room_id,
        data.use_date.isoformat(),
        data.slot_id,
        data.channel,
        data.status,
        data.created_at.isoformat(),
    )


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _reservation_values(entity_id: str, data: ReservationOut) -> tuple[Any, ...]:
    """The row as positional parameters, in the order of :data:`_RESERVATION_UPSERT`: sqlite
    binds ``?`` several times faster than ``:name`` looked up in a dict, which mattered at
    15,000 rows (issue 13)."""
    return (
        entity_id,
        data.approval_number,
        data.center_id,
        data.room_id,
        data.use_date.isoformat(),
        data.slot_id,
        "group" if data.user_id else "individual",
        data.user_id,
        data.group_name,
        data.kind,
        data.channel,
        data.status,
        data.purpose,
        data.headcount,
        data.fee_nominal,
        data.fee_charged,
        data.fee_exemption,
        data.fee_exemption_note,
        1 if data.fee_paid else 0,
        _moment(data.checked_in_at),
        data.cancelled_reason,
        data.created_at.isoformat(),
    )


_RESERVATION_UPSERT: Final = """
    INSERT INTO reservations (
        id, approval_number, center_id, room_id, use_date, slot_id, applicant_kind, user_id,
        group_name, kind, channel, status, purpose, headcount, fee_nominal, fee_charged,
        fee_exemption, fee_exemption_note, fee_paid, checked_in_at, cancelled_reason,
        created_at, sync_state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced')
    ON CONFLICT (id) DO UPDATE SET
        approval_number = excluded.approval_number, room_id = excluded.room_id,
        use_date = excluded.use_date, slot_id = excluded.slot_id,
        applicant_kind = excluded.applicant_kind, user_id = excluded.user_id,
        group_name = excluded.group_name, kind = excluded.kind, channel = excluded.channel,
        status = excluded.status, purpose = excluded.purpose, headcount = excluded.headcount,
        fee_nominal = excluded.fee_nominal, fee_charged = excluded.fee_charged,
        fee_exemption = excluded.fee_exemption,
        fee_exemption_note = excluded.fee_exemption_note, fee_paid = excluded.fee_paid,
        checked_in_at = excluded.checked_in_at,
        cancelled_reason = excluded.cancelled_reason, sync_state = 'synced',
        snapshot_stale = 0
    WHERE reservations.sync_state <> 'pending'
"""


def _upsert_reservations(db: Connection, rows: list[tuple[Any, ...]]) -> None:
    # Confirmed for a snapshot in progress even where the desk's pending version stays; only
    # looked for when a snapshot has marked rows (a partial index answers at once), so a first
    # sync into an empty cache skips it (issue 13).
    if db.execute("SELECT 1 FROM reservations WHERE snapshot_stale = 1 LIMIT 1").fetchone():
        db.execute(
            "UPDATE reservations SET snapshot_stale = 0 WHERE snapshot_stale = 1 AND id IN "
            "(SELECT value FROM json_each(?))",
            (json.dumps([r[0] for r in rows]),),
        )
    # The approval number is unique: a row the backend renumbered must not collide. That is
    # rare, so the page is first written as it is; only if a number is taken by another row
    # is the write undone and the colliding rows dropped first, in one statement for the page.
    db.execute("SAVEPOINT pulled_reservations")
    try:
        db.executemany(_RESERVATION_UPSERT, rows)
    except IntegrityError:
        db.execute("ROLLBACK TO pulled_reservations")
        db.execute(
            """
            DELETE FROM reservations WHERE id IN (
                SELECT r.id FROM reservations AS r
                JOIN json_each(?) AS j ON r.approval_number = json_extract(j.value, '$[0]')
                WHERE r.id <> json_extract(j.value, '$[1]'))
            """,
            (json.dumps([[r[1], r[0]] for r in rows]),),
        )
        db.executemany(_RESERVATION_UPSERT, rows)
    finally:
        db.execute("RELEASE pulled_reservations")


def _group_values(user_id: str, data: GroupOut, now: str) -> tuple[Any, ...]:
    """The row in the order of :data:`_GROUP_COLUMNS` (positional, as above)."""
    return (
        user_id,
        data.name,
        data.furigana,
        data.activity,
        data.member_count,
        data.kodaira_member_count,
        1 if data.representative_is_resident else 0,
        data.fee_exemption,
        data.fee_exemption_note,
        data.valid_until.isoformat(),
        now,
        # A de-registered group keeps its row (its past bookings still name it), marked so.
        1 if data.active else 0,
        *(
            getattr(person, field)
            for person in (data.representative, data.responsible)
            for field in _PERSON_FIELDS
        ),
    )


_GROUP_COLUMNS: Final = (
    "user_id",
    "name",
    "furigana",
    "activity",
    "member_count",
    "kodaira_member_count",
    "representative_is_resident",
    "fee_exemption",
    "fee_exemption_note",
    "valid_until",
    "last_seen_here_at",
    "active",
    *(f"{role}_{field}" for role in ("representative", "responsible") for field in _PERSON_FIELDS),
)
_GROUP_UPSERT: Final = (
    f"INSERT INTO groups ({', '.join(_GROUP_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _GROUP_COLUMNS)}) "
    "ON CONFLICT (user_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _GROUP_COLUMNS if c != "user_id")
)


def _closure(db: Connection, change: ClosureChange) -> None:
    center_id, day = change.id.split(":", 1)
    if change.op == "delete" or change.data is None:
        db.execute("DELETE FROM closures WHERE center_id = ? AND closed_on = ?", (center_id, day))
        return
    _ensure_center(db, center_id)
    db.execute(
        "INSERT INTO closures (center_id, closed_on, reason) VALUES (?, ?, ?) "
        "ON CONFLICT (center_id, closed_on) DO UPDATE SET reason = excluded.reason, "
        "snapshot_stale = 0",
        (center_id, day, change.data.reason),
    )


def _ensure_center(db: Connection, center_id: str) -> None:
    db.execute(
        "INSERT INTO centers (center_id, name) VALUES (?, ?) ON CONFLICT (center_id) DO NOTHING",
        (center_id, center_id),
    )


def _center(db: Connection, center_id: str, data: CenterOut | None) -> None:
    if data is None:
        return  # centers are never deleted; their rooms may be deactivated
    db.execute(
        "INSERT INTO centers (center_id, name) VALUES (?, ?) "
        "ON CONFLICT (center_id) DO UPDATE SET name = excluded.name",
        (center_id, data.name),
    )
    listed = []
    for room in data.rooms:
        listed.append(room.id)
        db.execute(
            """
            INSERT INTO rooms (room_id, center_id, name, kind, capacity, individuals_allowed,
                               sort_order)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (room_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                capacity = excluded.capacity, individuals_allowed = excluded.individuals_allowed,
                sort_order = excluded.sort_order
            """,
            (
                room.id,
                center_id,
                room.name,
                room.kind,
                room.capacity,
                1 if room.individuals_allowed else 0,
                room.position,
            ),
        )
        db.execute("DELETE FROM room_slots WHERE room_id = ?", (room.id,))
        for slot_id, fee in room.fees.items():
            db.execute(
                "INSERT OR IGNORE INTO slots (slot_id, label, starts_at, ends_at) "
                "VALUES (?, ?, '00:00', '23:59')",
                (slot_id, slot_id),
            )
            db.execute(
                "INSERT INTO room_slots (room_id, slot_id, fee_yen) VALUES (?, ?, ?)",
                (room.id, slot_id, fee),
            )
    # Rooms no longer offered: their slots go, so the grid stops showing them.
    placeholders = ", ".join("?" for _ in listed) or "''"
    db.execute(
        f"DELETE FROM room_slots WHERE room_id IN (SELECT room_id FROM rooms WHERE center_id = ? "
        f"AND room_id NOT IN ({placeholders}))",
        (center_id, *listed),
    )


def _slots(db: Connection, data: SlotsOut | None) -> None:
    if data is None:
        return
    for slot in data.slots:
        db.execute(
            "INSERT INTO slots (slot_id, label, starts_at, ends_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (slot_id) DO UPDATE SET label = excluded.label, "
            "starts_at = excluded.starts_at, ends_at = excluded.ends_at",
            (slot.id, slot.label, slot.start.strftime("%H:%M"), slot.end.strftime("%H:%M")),
        )


def begin_snapshot(db: Connection) -> None:
    """A snapshot starts from the beginning of the backend's log: mark every pulled row stale.

    Nothing is deleted yet: the rows stay on the 本日 board while the snapshot's pages arrive
    (and across an interruption); each page confirms the rows it carries, and
    :func:`finish_snapshot` removes the rest. What waits to be pushed is never marked.
    """
    db.execute(
        "UPDATE reservations SET snapshot_stale = 1 WHERE sync_state = 'synced' "
        "AND snapshot_stale = 0"
    )
    db.execute("UPDATE lottery_entries SET snapshot_stale = 1 WHERE snapshot_stale = 0")
    db.execute("UPDATE closures SET snapshot_stale = 1 WHERE snapshot_stale = 0")


def finish_snapshot(db: Connection) -> int:
    """The snapshot's last page is in: what it did not confirm no longer exists upstream."""
    gone = db.execute(
        "DELETE FROM reservations WHERE snapshot_stale = 1 AND sync_state = 'synced'"
    ).rowcount
    gone += db.execute("DELETE FROM lottery_entries WHERE snapshot_stale = 1").rowcount
    gone += db.execute("DELETE FROM closures WHERE snapshot_stale = 1").rowcount
    return int(gone)


def purge_stale(db: Connection, *, keep_from: str, group_idle_before: str) -> tuple[int, int]:
    """Data minimisation (DESIGN.md §3): drop reservations older than the scope, and groups
    with no booking here since ``group_idle_before`` (their personal data goes with them)."""
    old = db.execute(
        "DELETE FROM reservations WHERE use_date < ? AND sync_state = 'synced'", (keep_from,)
    ).rowcount
    groups = db.execute(
        """
        DELETE FROM groups WHERE last_seen_here_at < ? AND user_id NOT IN (
            SELECT user_id FROM reservations WHERE user_id IS NOT NULL
            AND use_date >= substr(?, 1, 10))
        """,
        (group_idle_before, group_idle_before),
    ).rowcount
    return int(old), int(groups)
