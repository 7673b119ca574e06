"""Audit events: who did what, when, where; never a person's name or address."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from ..models import AuditEventRow


def record(
    session: Session,
    *,
    event: str,
    at: datetime,
    received_at: datetime,
    staff_id: str | None = None,
    device_id: str | None = None,
    center_id: str | None = None,
    subject: str = "",
    event_id: uuid.UUID | None = None,
) -> bool:
    """Store one event; False when an event with this id was stored already (a desk's retry)."""
    if event_id is not None and session.get(AuditEventRow, event_id) is not None:
        return False
    session.add(
        AuditEventRow(
            id=event_id or uuid.uuid4(),
            at=at,
            event=event,
            staff_id=staff_id,
            device_id=device_id,
            center_id=center_id,
            subject=subject,
            received_at=received_at,
        )
    )
    session.flush()
    return True
