"""Applying what the backend sends (pulled changes) to the cache.

The cache mirrors the backend for this center: catalog, closures, reservations from 30 days
back to 3 months ahead, the groups this center references, their lottery entries. A row the
desk changed and has not pushed yet (``sync_state = 'pending'``) keeps the desk's version until
its mutation is answered; the backend's version then arrives with the next pull.
"""

from __future__ import annotations

from typing import Any

from .dbapi import Connection

#: Personal data: kept only here, in the encrypted cache (DESIGN.md §3).
_PERSON_FIELDS = ("name", "furigana", "postal_code", "address", "phone", "email")


def apply_change(
    db: Connection, entity: str, op: str, entity_id: str, data: dict[str, Any] | None, now: str
) -> None:
    if entity == "reservation":
        _reservation(db, op, entity_id, data)
    elif entity == "group":
        _group(db, op, entity_id, data, now)
    elif entity == "closure":
        _closure(db, op, entity_id, data)
    elif entity == "center":
        _center(db, op, entity_id, data)
    elif entity == "slots":
        _slots(db, data)
    elif entity == "lottery_entry":
        _lottery_entry(db, op, entity_id, data)
    # Unknown entities come from a newer backend: ignoring them keeps an old desk working.


def _reservation(db: Connection, op: str, entity_id: str, data: dict[str, Any] | None) -> None:
    local = db.execute("SELECT sync_state FROM reservations WHERE id = ?", (entity_id,)).fetchone()
    if local is not None and local[0] == "pending":
        return
    if op == "delete" or data is None:
        db.execute("DELETE FROM reservations WHERE id = ?", (entity_id,))
        return
    # The approval number is unique: a row the backend renumbered must not collide.
    db.execute(
        "DELETE FROM reservations WHERE approval_number = ? AND id <> ?",
        (data["approval_number"], entity_id),
    )
    db.execute(
        """
        INSERT INTO reservations (
            id, approval_number, center_id, room_id, use_date, slot_id, applicant_kind, user_id,
            group_name, kind, channel, status, purpose, headcount, fee_nominal_yen, fee_yen,
            fee_exempt_reason, fee_exempt_note, fee_paid, checked_in_at, cancelled_reason,
            created_at, sync_state)
        VALUES (:id, :approval_number, :center_id, :room_id, :use_date, :slot_id,
                :applicant_kind, :user_id, :group_name, :kind, :channel, :status, :purpose,
                :headcount, :fee_nominal, :fee_charged, :fee_exemption, :fee_exemption_note,
                :fee_paid, :checked_in_at, :cancelled_reason, :created_at, 'synced')
        ON CONFLICT (id) DO UPDATE SET
            approval_number = excluded.approval_number, room_id = excluded.room_id,
            use_date = excluded.use_date, slot_id = excluded.slot_id,
            applicant_kind = excluded.applicant_kind, user_id = excluded.user_id,
            group_name = excluded.group_name, kind = excluded.kind, channel = excluded.channel,
            status = excluded.status, purpose = excluded.purpose, headcount = excluded.headcount,
            fee_nominal_yen = excluded.fee_nominal_yen, fee_yen = excluded.fee_yen,
            fee_exempt_reason = excluded.fee_exempt_reason,
            fee_exempt_note = excluded.fee_exempt_note, fee_paid = excluded.fee_paid,
            checked_in_at = excluded.checked_in_at,
            cancelled_reason = excluded.cancelled_reason, sync_state = 'synced'
        """,
        {
            **data,
            "id": entity_id,
            "applicant_kind": "group" if data.get("user_id") else "individual",
            "fee_paid": 1 if data.get("fee_paid") else 0,
        },
    )


def _group(db: Connection, op: str, user_id: str, data: dict[str, Any] | None, now: str) -> None:
    if op == "delete" or data is None:
        db.execute("DELETE FROM groups WHERE user_id = ?", (user_id,))
        return
    values: dict[str, Any] = {
        "user_id": user_id,
        "name": data["name"],
        "furigana": data["furigana"],
        "activity": data.get("activity", ""),
        "member_count": data["member_count"],
        "kodaira_member_count": data["kodaira_member_count"],
        "representative_is_resident": 1 if data.get("representative_is_resident") else 0,
        "fee_exemption": data.get("fee_exemption"),
        "fee_exemption_note": data.get("fee_exemption_note", ""),
        "valid_until": data["valid_until"],
        "last_seen_here_at": now,
    }
    for role, prefix in (("representative", "representative"), ("responsible", "responsible")):
        person = data[role]
        for field in _PERSON_FIELDS:
            values[f"{prefix}_{field}"] = person.get(field)
    columns = ", ".join(values)
    placeholders = ", ".join(f":{c}" for c in values)
    updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "user_id")
    db.execute(
        f"INSERT INTO groups ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT (user_id) DO UPDATE SET {updates}",
        values,
    )
    # A de-registered group keeps its row (its past bookings still name it) but is marked so.
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"group_active:{user_id}", "1" if data.get("active", True) else "0"),
    )


def _closure(db: Connection, op: str, entity_id: str, data: dict[str, Any] | None) -> None:
    center_id, day = entity_id.split(":", 1)
    if op == "delete" or data is None:
        db.execute("DELETE FROM closures WHERE center_id = ? AND closed_on = ?", (center_id, day))
        return
    _ensure_center(db, center_id)
    db.execute(
        "INSERT INTO closures (center_id, closed_on, reason) VALUES (?, ?, ?) "
        "ON CONFLICT (center_id, closed_on) DO UPDATE SET reason = excluded.reason",
        (center_id, day, data.get("reason", "")),
    )


def _ensure_center(db: Connection, center_id: str) -> None:
    db.execute(
        "INSERT INTO centers (center_id, name) VALUES (?, ?) ON CONFLICT (center_id) DO NOTHING",
        (center_id, center_id),
    )


def _center(db: Connection, op: str, center_id: str, data: dict[str, Any] | None) -> None:
    if op == "delete" or data is None:
        return  # centers are never deleted; their rooms may be deactivated
    db.execute(
        "INSERT INTO centers (center_id, name) VALUES (?, ?) "
        "ON CONFLICT (center_id) DO UPDATE SET name = excluded.name",
        (center_id, data["name"]),
    )
    listed = []
    for position, room in enumerate(data.get("rooms", [])):
        listed.append(room["id"])
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
                room["id"],
                center_id,
                room["name"],
                room["kind"],
                room["capacity"],
                1 if room.get("individuals_allowed") else 0,
                room.get("position", position),
            ),
        )
        db.execute("DELETE FROM room_slots WHERE room_id = ?", (room["id"],))
        for slot_id, fee in room.get("fees", {}).items():
            db.execute(
                "INSERT OR IGNORE INTO slots (slot_id, label, starts_at, ends_at) "
                "VALUES (?, ?, '00:00', '23:59')",
                (slot_id, slot_id),
            )
            db.execute(
                "INSERT INTO room_slots (room_id, slot_id, fee_yen) VALUES (?, ?, ?)",
                (room["id"], slot_id, int(fee)),
            )
    # Rooms no longer offered: their slots go, so the grid stops showing them.
    placeholders = ", ".join("?" for _ in listed) or "''"
    db.execute(
        f"DELETE FROM room_slots WHERE room_id IN (SELECT room_id FROM rooms WHERE center_id = ? "
        f"AND room_id NOT IN ({placeholders}))",
        (center_id, *listed),
    )


def _slots(db: Connection, data: dict[str, Any] | None) -> None:
    if data is None:
        return
    for slot in data.get("slots", []):
        db.execute(
            "INSERT INTO slots (slot_id, label, starts_at, ends_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (slot_id) DO UPDATE SET label = excluded.label, "
            "starts_at = excluded.starts_at, ends_at = excluded.ends_at",
            (slot["id"], slot["label"], slot["start"][:5], slot["end"][:5]),
        )


def _lottery_entry(db: Connection, op: str, entry_id: str, data: dict[str, Any] | None) -> None:
    if op == "delete" or data is None:
        db.execute("DELETE FROM lottery_entries WHERE id = ?", (entry_id,))
        return
    db.execute(
        """
        INSERT INTO lottery_entries (id, user_id, center_id, room_id, use_date, slot_id, channel,
                                     status, created_at)
        VALUES (:id, :user_id, :center_id, :room_id, :use_date, :slot_id, :channel, :status,
                :created_at)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status
        """,
        {**data, "id": entry_id},
    )


def clear_mirror(db: Connection) -> None:
    """Forget everything pulled (before a snapshot is applied), keeping what is still waiting
    to be pushed."""
    db.execute("DELETE FROM reservations WHERE sync_state = 'synced'")
    db.execute("DELETE FROM lottery_entries")
    db.execute("DELETE FROM closures")


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
