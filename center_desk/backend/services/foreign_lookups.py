"""Look-ups of a group registered at another center (他センター登録団体の照会).

Any desk may read any group (staff rotate, groups book across the city), but user ids are
sequential: without a bound a desk could walk through every group's personal data. So a desk
reading a group registered elsewhere names why, each such read is audited with its reason, an
unusual rate raises an alert (a backend log line and an audit event the report shows), and at
the limit the desk is refused until the hour has passed. Counts come from the audit table, so
every ``serve`` process sees the same figures.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_desk.protocol.groups import LookupReason

from ..config import BackendSettings
from ..db import Database
from ..errors import ApiError
from ..models import AuditEventRow, GroupRow
from . import audit

log = logging.getLogger(__name__)

#: Audit events: a foreign look-up (subject "<user id> <reason>"), the alert, a refusal.
LOOKUP_EVENT = "group_viewed_foreign"
ALERT_EVENT = "foreign_lookup_alert"
REFUSED_EVENT = "foreign_lookup_refused"

WINDOW = timedelta(hours=1)


def is_foreign(row: GroupRow, center_id: str) -> bool:
    return row.registered_center_id != center_id


def recent_lookups(session: Session, device_id: str, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(
                AuditEventRow.device_id == device_id,
                AuditEventRow.event == LOOKUP_EVENT,
                AuditEventRow.at > now - WINDOW,
            )
        )
        or 0
    )


def admit(
    session: Session,
    db: Database,
    settings: BackendSettings,
    *,
    user_id: str,
    reason: LookupReason | None,
    staff_id: str,
    device_id: str,
    center_id: str,
    now: datetime,
) -> None:
    """Audit a look-up of a group registered elsewhere, or refuse it. The refusal is recorded
    in a transaction of its own: the request's own rolls back with the error."""
    if reason is None:
        raise ApiError(
            422,
            "lookup_reason_required",
            "this group is registered at another center: say why it is looked up",
        )
    admit_many(
        session,
        db,
        settings,
        user_ids=[user_id],
        reason=reason,
        how="",
        staff_id=staff_id,
        device_id=device_id,
        center_id=center_id,
        now=now,
    )


def admit_many(
    session: Session,
    db: Database,
    settings: BackendSettings,
    *,
    user_ids: Sequence[str],
    reason: LookupReason,
    how: str,
    staff_id: str,
    device_id: str,
    center_id: str,
    now: datetime,
) -> None:
    """Audit the disclosure of several other centers' groups at once (a search with a
    reason), each as one look-up: the per-desk limit counts groups seen, not requests, or one
    broad search would show more than an hour of single look-ups. All or none: a search that
    would cross the limit is refused whole. ``how`` ("search") is added to each subject."""
    if not user_ids:
        return

    def record(on: Session, event: str, subject: str) -> None:
        audit.record(
            on,
            event=event,
            at=now,
            received_at=now,
            staff_id=staff_id,
            device_id=device_id,
            center_id=center_id,
            subject=subject,
        )

    count = recent_lookups(session, device_id, now)
    if count + len(user_ids) > settings.foreign_lookups_per_hour:
        log.warning(
            "ALERT foreign group look-ups refused: device %s at %s, staff %s, %d in the last hour",
            device_id,
            center_id,
            staff_id,
            count,
        )
        refused = user_ids[0] if len(user_ids) == 1 else f"{how or 'lookup'} of {len(user_ids)}"
        with db.session() as own:
            record(own, REFUSED_EVENT, refused)
        raise ApiError(
            429,
            "lookup_rate_limited",
            "too many look-ups of groups registered elsewhere from this desk; try again later",
        )
    suffix = f" {how}" if how else ""
    for user_id in user_ids:
        # "<user id> <reason>[ search]": the audit report's "who saw this group" finds it.
        record(session, LOOKUP_EVENT, f"{user_id} {reason}{suffix}")
    after = count + len(user_ids)
    if count < settings.foreign_lookup_alert_per_hour <= after:
        # Once per crossing: the report then shows when the unusual hour began.
        log.warning(
            "ALERT unusual foreign group look-ups: device %s at %s, staff %s, %d in the last hour",
            device_id,
            center_id,
            staff_id,
            after,
        )
        record(session, ALERT_EVENT, f"{after}/h")


def note_booking(
    session: Session,
    *,
    user_id: str,
    staff_id: str | None,
    staff_verified: bool,
    device_id: str,
    center_id: str,
    alert_per_hour: int,
    now: datetime,
) -> None:
    """A desk booked for a group registered elsewhere, so its center now receives the group's
    personal data (the approval slip prints the representative's name and address): that is
    a look-up, audited as one (subject "<user id> booking": ``audit --who-saw`` lists the desk)
    and counted toward the desk's hour so the alert fires. It is never refused at the limit:
    a booking is never turned away because of the look-up count, only made visible."""
    count = recent_lookups(session, device_id, now)
    audit.record(
        session,
        event=LOOKUP_EVENT,
        at=now,
        received_at=now,
        staff_id=staff_id,
        device_id=device_id,
        center_id=center_id,
        subject=f"{user_id} booking",
        staff_verified=staff_verified,
    )
    if count < alert_per_hour <= count + 1:
        log.warning(
            "ALERT unusual foreign group look-ups: device %s at %s, staff %s, %d in the last hour",
            device_id,
            center_id,
            staff_id,
            count + 1,
        )
        audit.record(
            session,
            event=ALERT_EVENT,
            at=now,
            received_at=now,
            staff_id=staff_id,
            device_id=device_id,
            center_id=center_id,
            subject=f"{count + 1}/h",
            staff_verified=staff_verified,
        )
