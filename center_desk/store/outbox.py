"""The outbox: every change made at the desk, numbered 1, 2, 3… for this device (DESIGN.md §4).

A mutation is written in the same transaction as its local effect, so a desk killed between
the two never has one without the other. ``undo`` holds what the local effect replaced, so a
rejection by the backend can put it back; ``summary`` names the mutation for staff with ids
only (approval number, user id), never a person's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dbapi import Connection, Row

if TYPE_CHECKING:
    # At run time imported where used: the protocol package loads pydantic, which the desk's
    # first paint need not wait for (issue 13, tests/ui/test_cold_start.py).
    from center_desk.protocol.sync import MutationBody


@dataclass(frozen=True)
class OutboxEntry:
    mutation_id: int
    kind: str
    payload: dict[str, Any]
    created_at: str
    state: str
    reason_code: str | None
    result_detail: str | None
    summary: str
    undo: dict[str, Any] | None
    resolved_at: str | None

    @property
    def staff_id(self) -> str | None:
        value = self.payload.get("staff_id")
        return str(value) if value else None

    @property
    def body(self) -> MutationBody:
        """The mutation as the protocol's model: rows are stored as its JSON form, so rows
        written before the outbox took models read back the same way."""
        from center_desk.protocol.sync import MUTATION_BODY

        return MUTATION_BODY.validate_python(self.payload.get("body", {}))

    @property
    def reservation_id(self) -> str | None:
        """The reservation the mutation concerns (its booking or a change), if any."""
        return reservation_of(self.body)


def reservation_of(body: MutationBody) -> str | None:
    """The reservation a mutation concerns: the booked one, or the one it changes."""
    from center_desk.protocol.sync import AuditEventIn, LastMinuteBooking

    if isinstance(body, LastMinuteBooking):
        return str(body.reservation.id)
    if isinstance(body, AuditEventIn):
        return None
    return str(body.reservation_id)


def entry_from_row(row: Row) -> OutboxEntry:
    return OutboxEntry(
        mutation_id=int(row["mutation_id"]),
        kind=str(row["kind"]),
        payload=json.loads(row["payload"]),
        created_at=str(row["created_at"]),
        state=str(row["state"]),
        reason_code=row["reason_code"],
        result_detail=row["result_detail"],
        summary=str(row["summary"]),
        undo=json.loads(row["undo"]) if row["undo"] else None,
        resolved_at=row["resolved_at"],
    )


_COLUMNS = (
    "mutation_id, kind, payload, created_at, state, reason_code, result_detail, summary, undo,"
    " resolved_at"
)


def entry_columns() -> str:
    """The columns :func:`entry_from_row` reads, for a SELECT."""
    return _COLUMNS


def enqueue(
    db: Connection,
    *,
    body: MutationBody,
    created_at: str,
    staff_id: str | None,
    summary: str,
    undo: dict[str, Any] | None = None,
) -> int:
    """Add a mutation; returns its id. Call inside the transaction of its local effect.

    The row keeps the body's JSON form (what is pushed) and its ``kind``, taken from the model."""
    assert db.in_transaction, "an outbox write must share its local effect's transaction"
    wire = body.model_dump(mode="json")
    cursor = db.execute(
        "INSERT INTO outbox (kind, payload, created_at, summary, undo) VALUES (?, ?, ?, ?, ?)",
        (
            body.kind,
            json.dumps({"body": wire, "staff_id": staff_id}, ensure_ascii=False),
            created_at,
            summary,
            json.dumps(undo, ensure_ascii=False) if undo is not None else None,
        ),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def pending_after(db: Connection, after: int, limit: int) -> list[OutboxEntry]:
    """Pending mutations with ids above ``after``, oldest first: the next chunk to push."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND mutation_id > ? "
        "ORDER BY mutation_id LIMIT ?",
        (after, limit),
    ).fetchall()
    return [entry_from_row(r) for r in rows]


def pending(db: Connection, limit: int = 500) -> list[OutboxEntry]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' ORDER BY mutation_id LIMIT ?",
        (limit,),
    ).fetchall()
    return [entry_from_row(r) for r in rows]


def get(db: Connection, mutation_id: int) -> OutboxEntry | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE mutation_id = ?", (mutation_id,)
    ).fetchone()
    return entry_from_row(row) if row is not None else None


def pending_count(db: Connection) -> int:
    row = db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()
    return int(row[0]) if row is not None else 0


def waiting_for_reservation(db: Connection, reservation_id: str) -> bool:
    """Whether a pending mutation still concerns this reservation (its booking or a change)."""
    row = db.execute(
        "SELECT 1 FROM outbox WHERE state = 'pending' AND ("
        "json_extract(payload, '$.body.reservation_id') = :id OR "
        "json_extract(payload, '$.body.reservation.id') = :id) LIMIT 1",
        {"id": reservation_id},
    ).fetchone()
    return row is not None


def mark_applied(db: Connection, mutation_id: int) -> None:
    db.execute(
        "UPDATE outbox SET state = 'applied', reason_code = NULL WHERE mutation_id = ?",
        (mutation_id,),
    )


def mark_rejected(db: Connection, mutation_id: int, reason_code: str, detail: str) -> None:
    db.execute(
        "UPDATE outbox SET state = 'rejected', reason_code = ?, result_detail = ? "
        "WHERE mutation_id = ?",
        (reason_code, detail, mutation_id),
    )


def needs_attention(db: Connection) -> list[OutboxEntry]:
    """Rejected mutations staff have not dealt with yet (要対応), oldest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state = 'rejected' AND resolved_at IS NULL "
        "ORDER BY mutation_id"
    ).fetchall()
    return [entry_from_row(r) for r in rows]


def resolve(db: Connection, mutation_id: int, at: str) -> None:
    db.execute(
        "UPDATE outbox SET resolved_at = ? WHERE mutation_id = ? AND state = 'rejected'",
        (at, mutation_id),
    )


def last_id(db: Connection) -> int:
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    return int(row[0]) if row is not None else 0


def rebase(db: Connection, floor: int) -> int:
    """Make pending mutations continue right after ``floor``, the backend's last id for this
    device; returns how many were renumbered.

    Two ways the numbers drift: a rebuilt cache counts from 1 again (the backend would drop
    those ids as duplicates), and a cache restored from an older copy may start beyond the
    backend's next one (the backend would stop at the gap). Pending mutations have never been
    taken by the backend, so renumbering them, in order, is safe, with one exception: rows
    salvaged from an unreadable cache kept the ids that cache gave them, and those at or
    below ``floor`` did reach the backend (only the reply was lost): they are settled as
    applied, not sent again under a new number.

    No renumbering can collide: settled rows (applied, rejected) with ids above ``floor`` are
    moved below every id in use first; they are history, and the backend does not know them by
    those ids (it was re-enrolled, or restored from a backup taken before them).
    """
    assert db.in_transaction
    db.execute(
        "UPDATE outbox SET state = 'applied', salvaged = 0 "
        "WHERE state = 'pending' AND salvaged = 1 AND mutation_id <= ?",
        (floor,),
    )
    db.execute("UPDATE outbox SET salvaged = 0 WHERE state = 'pending'")
    rows = db.execute(
        "SELECT mutation_id FROM outbox WHERE state = 'pending' ORDER BY mutation_id"
    ).fetchall()
    moved = 0
    stale_history = db.execute(
        "SELECT 1 FROM outbox WHERE state <> 'pending' AND mutation_id > ? LIMIT 1", (floor,)
    ).fetchone()
    renumber = (bool(rows) and int(rows[0][0]) != floor + 1) or stale_history is not None
    if renumber:
        # Pending rows out of the way first (negative ids beyond any in use), then settled
        # rows above the floor, then the pending rows to floor+1, floor+2, …
        low = _lowest_id(db)
        db.execute(
            "UPDATE outbox SET mutation_id = ? - mutation_id WHERE state = 'pending'", (low - 1,)
        )
        low = _lowest_id(db)
        db.execute(
            "UPDATE outbox SET mutation_id = ? - mutation_id "
            "WHERE state <> 'pending' AND mutation_id > ?",
            (low - 1, floor),
        )
        pending_ids = db.execute(
            "SELECT mutation_id FROM outbox WHERE state = 'pending' ORDER BY mutation_id DESC"
        ).fetchall()
        # ``low - 1 - id`` reversed the order: the most negative id is the newest mutation.
        db.executemany(
            "UPDATE outbox SET mutation_id = ? WHERE mutation_id = ?",
            [(floor + offset, int(row[0])) for offset, row in enumerate(pending_ids, start=1)],
        )
        moved = len(rows)
    top = floor + len(rows) if renumber else max(last_id(db), floor)
    if db.execute("SELECT 1 FROM sqlite_sequence WHERE name = 'outbox'").fetchone():
        db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'", (top,))
    else:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", (top,))
    return moved


def _lowest_id(db: Connection) -> int:
    row = db.execute("SELECT min(0, coalesce(min(mutation_id), 0)) FROM outbox").fetchone()
    return int(row[0]) if row is not None else 0


def highest_applied(db: Connection) -> int:
    row = db.execute(
        "SELECT coalesce(max(mutation_id), 0) FROM outbox WHERE state = 'applied'"
    ).fetchone()
    return int(row[0]) if row is not None else 0


def reopen_lost(db: Connection, floor: int) -> int:
    """The backend's last id for this device is ``floor``, below mutations it once applied:
    it was restored from a backup taken before them. They are sent again, with their ids,
    so the backend converges; returns how many. Rejected ones stay as staff saw them."""
    assert db.in_transaction
    cursor = db.execute(
        "UPDATE outbox SET state = 'pending' WHERE state = 'applied' AND mutation_id > ?",
        (floor,),
    )
    return int(cursor.rowcount)


def add_salvaged(db: Connection, entries: list[OutboxEntry]) -> int:
    """Put mutations read back from an unreadable cache into this (fresh) one, with their
    ids, as pending and marked salvaged (see :func:`rebase`)."""
    assert db.in_transaction
    db.executemany(
        "INSERT INTO outbox (mutation_id, kind, payload, created_at, state, summary, undo, "
        "salvaged) VALUES (?, ?, ?, ?, 'pending', ?, ?, 1)",
        [
            (
                e.mutation_id,
                e.kind,
                json.dumps(e.payload, ensure_ascii=False),
                e.created_at,
                e.summary,
                json.dumps(e.undo, ensure_ascii=False) if e.undo is not None else None,
            )
            for e in entries
        ],
    )
    return len(entries)


def purge_applied(db: Connection, before: str) -> int:
    """Forget applied mutations older than ``before``: the backend has them, and their
    payloads name people (retention, issues 10, 13 and 15)."""
    cursor = db.execute("DELETE FROM outbox WHERE state = 'applied' AND created_at < ?", (before,))
    return int(cursor.rowcount)
