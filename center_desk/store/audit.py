"""Audit events at the desk: kept locally for the day journal and queued for the backend in
the same transaction (DESIGN.md §5). ``subject`` is an id, never a person's name."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from . import outbox
from .dbapi import Connection


def record(
    db: Connection, *, event: str, at: datetime, staff_id: str | None, subject: str = ""
) -> str:
    assert db.in_transaction, "audit events share the transaction of what they record"
    # Imported here: the protocol package loads pydantic, which the desk's start need not wait
    # for (issue 13); the first event is recorded after it.
    from center_desk.protocol.audit_events import DESK_AUDIT_EVENTS, subject_problem
    from center_desk.protocol.sync import AuditEventIn

    # The backend refuses anything else (protocol/audit_events.py): an event it would reject
    # must not wait in the outbox for ever; a subject that is not an id is a bug here.
    if event not in DESK_AUDIT_EVENTS:
        raise ValueError(f"audit event {event!r} is not in protocol/audit_events.py")
    problem = subject_problem(subject)
    if problem is not None:
        raise ValueError(f"audit subject of {event!r}: {problem}")
    body = AuditEventIn.model_validate(
        {
            "event_id": uuid.uuid4(),
            "at": at,
            "event": event,
            "staff_id": staff_id,
            "subject": subject,
        }
    )
    event_id = str(body.event_id)
    db.execute(
        "INSERT INTO audit_events (at, kind, staff_id, subject, event_id) VALUES (?, ?, ?, ?, ?)",
        (at.isoformat(), event, staff_id, subject, event_id),
    )
    outbox.enqueue(
        db,
        body=body,
        created_at=at.isoformat(),
        staff_id=staff_id,
        summary=f"記録: {event} {subject}".strip(),
    )
    return event_id


def _day_range(day: date) -> tuple[str, str]:
    # ``at`` is ISO text with its offset, so the events of a day are the strings from the day
    # up to (not including) the next one: a range an index serves, unlike ``LIKE 'day%'``.
    return day.isoformat(), (day + timedelta(days=1)).isoformat()


def for_day(db: Connection, day: date) -> list[tuple[str, str, str | None, str]]:
    rows = db.execute(
        "SELECT at, kind, staff_id, subject FROM audit_events WHERE at >= ? AND at < ? ORDER BY at",
        _day_range(day),
    ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def mark_synced(db: Connection, event_id: str) -> None:
    """The backend has the event: it may go once the retention period has passed."""
    db.execute("UPDATE audit_events SET synced = 1 WHERE event_id = ?", (event_id,))


def purge_synced(db: Connection, before: str) -> int:
    """Forget synced events older than ``before`` (retention, issues 10, 13 and 15)."""
    cursor = db.execute("DELETE FROM audit_events WHERE synced = 1 AND at < ?", (before,))
    return int(cursor.rowcount)


def of_kind_on(db: Connection, kind: str, day: date) -> list[tuple[str, str | None, str]]:
    """(at, staff_id, subject) of the events of one kind on one day, oldest first."""
    start, end = _day_range(day)
    rows = db.execute(
        "SELECT at, staff_id, subject FROM audit_events WHERE kind = ? AND at >= ? AND at < ? "
        "ORDER BY at",
        (kind, start, end),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def any_of(db: Connection, kind: str, subjects: tuple[str, ...]) -> bool:
    """Whether an event of this kind about any of these subjects was recorded here."""
    marks = ", ".join("?" for _ in subjects)
    row = db.execute(
        f"SELECT 1 FROM audit_events WHERE kind = ? AND subject IN ({marks}) LIMIT 1",
        (kind, *subjects),
    ).fetchone()
    return row is not None
