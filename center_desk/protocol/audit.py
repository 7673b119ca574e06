"""The audit report's wire schema (admin API, ``/v1/admin/audit-events``).

An event names who (staff id), where (device, center), when and what, and the subject by id
(a user id, an approval number); never a person's name, address, phone or e-mail.
"""

from __future__ import annotations

from datetime import datetime

from .common import WireModel


class AuditEventOut(WireModel):
    at: datetime
    event: str
    staff_id: str | None
    #: False when the named staff member could not be verified for that center: the id is
    #: then only what the device claimed.
    staff_verified: bool = False
    device_id: str | None
    device_name: str | None
    center_id: str | None
    subject: str
    received_at: datetime


class WhoSawOut(WireModel):
    """One line of "who saw this group": a staff member at one desk, and what they did."""

    staff_id: str | None
    staff_verified: bool = False
    device_id: str | None
    device_name: str | None
    center_id: str | None
    events: dict[str, int]
    first_at: datetime
    last_at: datetime
