"""Retention on the backend: personal data is kept only as long as the city's period says
(``center-desk-backend retention run``, daily from a timer; ``POST /v1/admin/retention/run``).

Nothing is deleted: rows are anonymised so the city's figures (bookings per room and month,
fees, member counts, how many views and prints) stay countable.

- A de-registered group, ``personal_data_retention_days`` after de-registration: names,
  furigana, addresses, phones and e-mails of the representative and the person responsible,
  the group's name, activity and exemption note are blanked, and it can no longer sign in. The
  user id, member counts, exemption ground and its bookings stay.
- An individual's name on a booking (第二娯楽室, 遊戯室), the same period after the day of use.
- Audit events, ``audit_retention_days`` after they happened: the staff id and the subject are
  cleared; the kind of event, when, the center and the desk stay.

Desks that keep such a group receive its blanked row with their next pull.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from center_desk.domain import tokyo_date

from ..config import BackendSettings
from ..models import AuditEventRow, GroupRow, ReservationRow
from .changes import record_change, record_row_change
from .groups import PERSON_FIELDS

log = logging.getLogger(__name__)

#: What an anonymised group is called: no one's name, and visibly not a real group.
ANONYMISED_NAME = "（匿名化済み）"
#: Not an argon2 hash: no password matches it.
NO_PASSWORD = "!anonymised"


@dataclass(frozen=True)
class RetentionResult:
    groups: int
    individual_names: int
    audit_events: int

    def __str__(self) -> str:
        return (
            f"anonymised {self.groups} de-registered groups, {self.individual_names} individuals'"
            f" names on bookings, {self.audit_events} audit events"
        )


def _anonymise_group(row: GroupRow, now: datetime) -> None:
    row.name = ANONYMISED_NAME
    row.furigana = ""
    row.activity = ""
    row.fee_exemption_note = ""
    for prefix in ("rep", "resp"):
        for field in PERSON_FIELDS:
            setattr(row, f"{prefix}_{field}", None if field == "email" else "")
    row.password_hash = NO_PASSWORD
    row.updated_at = now


def run(session: Session, settings: BackendSettings, *, now: datetime) -> RetentionResult:
    """Anonymise what is past its period; running it again finds nothing more to do."""
    personal_cutoff = now - timedelta(days=settings.personal_data_retention_days)
    groups = list(
        session.scalars(
            select(GroupRow)
            .where(
                GroupRow.active.is_(False),
                GroupRow.deregistered_at.is_not(None),
                GroupRow.deregistered_at <= personal_cutoff,
                GroupRow.name != ANONYMISED_NAME,
            )
            .with_for_update()
        )
    )
    for group in groups:
        _anonymise_group(group, now)
    session.flush()

    last_use_day = tokyo_date(personal_cutoff)
    bookings = list(
        session.scalars(
            select(ReservationRow)
            .where(
                ReservationRow.individual_name.is_not(None),
                ReservationRow.individual_name != ANONYMISED_NAME,
                ReservationRow.use_date <= last_use_day,
            )
            .with_for_update()
        )
    )
    for booking in bookings:
        booking.individual_name = ANONYMISED_NAME
        booking.updated_at = now
    session.flush()

    audit_cutoff = now - timedelta(days=settings.audit_retention_days)
    events = session.execute(
        update(AuditEventRow)
        .where(
            AuditEventRow.at <= audit_cutoff,
            or_(AuditEventRow.staff_id.is_not(None), AuditEventRow.subject != ""),
        )
        .values(staff_id=None, subject="")
        .execution_options(synchronize_session=False)
    )
    # The change log last: it takes the log lock (changes.record_change).
    for group in groups:
        record_change(
            session, entity="group", entity_id=group.user_id, user_id=group.user_id, now=now
        )
    for booking in bookings:
        record_row_change(session, "reservation", booking, now)
    result = RetentionResult(len(groups), len(bookings), int(getattr(events, "rowcount", 0)))
    log.info("retention: %s", result)
    return result
