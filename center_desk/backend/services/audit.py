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
    staff_verified: bool = False,
) -> bool:
    """Store one event; False when an event with this id was stored already (a desk's retry).
    ``staff_verified``: the caller checked that ``staff_id`` may work at ``center_id``
    (services/attribution.py); otherwise the id is kept as the desk's unverified claim."""
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
            staff_verified=staff_verified and staff_id is not None,
        )
    )
    session.flush()
    return True
