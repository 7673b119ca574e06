"""Audit events at the desk: kept locally for the day journal and queued for the backend in
the same transaction (DESIGN.md §5). ``subject`` is an id, never a person's name."""

from __future__ import annotations

import uuid
from datetime import datetime

from . import outbox
from .dbapi import Connection


def record(
    db: Connection, *, event: str, at: datetime, staff_id: str | None, subject: str = ""
) -> str:
    assert db.in_transaction, "audit events share the transaction of what they record"
    event_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO audit_events (at, kind, staff_id, subject, event_id) VALUES (?, ?, ?, ?, ?)",
        (at.isoformat(), event, staff_id, subject, event_id),
    )
    outbox.enqueue(
        db,
        kind="audit_event",
        body={
            "kind": "audit_event",
            "event_id": event_id,
            "at": at.isoformat(),
            "event": event,
            "staff_id": staff_id,
            "subject": subject,
        },
        created_at=at.isoformat(),
        staff_id=staff_id,
        summary=f"記録: {event} {subject}".strip(),
    )
    return event_id
