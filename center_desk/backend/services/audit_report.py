"""Reading the audit trail: the city's privacy officer asks who did what, where and when
(``center-desk-backend audit``, ``GET /v1/admin/audit-events``).

Events carry ids only (staff id, device, center, a user id or approval number as subject), so a
report is safe to hand over as CSV: it holds no one's name, address, phone or e-mail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from center_desk.domain import TOKYO
from center_desk.domain.months import FIRST_YEAR, LAST_YEAR, within_service_years
from center_desk.protocol.audit import AuditEventOut, WhoSawOut

from ..models import AuditEventRow, DeviceRow, ReservationRow

#: Never more rows than this in one report; a narrower filter gives the rest.
MAX_ROWS = 50_000


@dataclass(frozen=True)
class AuditFilter:
    """Every field narrows the report; ``first_day``/``last_day`` are Tokyo dates, inclusive."""

    center_id: str | None = None
    staff_id: str | None = None
    device_id: str | None = None
    #: A group's user id: its own events and those of its reservations' approval numbers.
    user_id: str | None = None
    event: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    limit: int = MAX_ROWS

    def __post_init__(self) -> None:
        # 9999-12-31 + one day (the exclusive end) would overflow: a 500, not an answer.
        for day in (self.first_day, self.last_day):
            if day is not None and not within_service_years(day):
                raise ValueError(f"dates must lie in the years {FIRST_YEAR} to {LAST_YEAR}")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValueError("the date range must run forward")
        for day in (self.first_day, self.last_day):
            # The CLI reaches here without the API's check: no overflow at 9999-12-31.
            if day is not None and not within_service_years(day):
                raise ValueError(f"dates run from {FIRST_YEAR} to {LAST_YEAR}")
        if not 1 <= self.limit <= MAX_ROWS:
            raise ValueError(f"the limit must be between 1 and {MAX_ROWS}")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TOKYO)


def subjects_of_group(session: Session, user_id: str) -> list[str]:
    """The subjects under which a group's personal data is shown: its user id, and the
    approval numbers of its reservations (printed slips carry the names and addresses)."""
    numbers = session.scalars(
        select(ReservationRow.approval_number).where(ReservationRow.user_id == user_id)
    )
    return [user_id, *(n for n in numbers if n)]


def query(session: Session, where: AuditFilter) -> list[AuditEventOut]:
    """The events that match, oldest first."""
    stmt = select(AuditEventRow, DeviceRow.name).outerjoin(
        DeviceRow, DeviceRow.id == AuditEventRow.device_id
    )
    if where.center_id:
        stmt = stmt.where(AuditEventRow.center_id == where.center_id)
    if where.staff_id:
        stmt = stmt.where(AuditEventRow.staff_id == where.staff_id)
    if where.device_id:
        stmt = stmt.where(AuditEventRow.device_id == where.device_id)
    if where.event:
        stmt = stmt.where(AuditEventRow.event == where.event)
    if where.first_day:
        stmt = stmt.where(AuditEventRow.at >= _start_of(where.first_day))
    if where.last_day:
        stmt = stmt.where(AuditEventRow.at < _start_of(where.last_day + timedelta(days=1)))
    if where.user_id:
        subjects = subjects_of_group(session, where.user_id)
        # A reprint's subject is "<number> reprint" (ui/print_service.py).
        stmt = stmt.where(
            or_(
                AuditEventRow.subject.in_(subjects),
                *(AuditEventRow.subject.startswith(f"{s} ", autoescape=True) for s in subjects),
            )
        )
    stmt = stmt.order_by(AuditEventRow.at, AuditEventRow.received_at).limit(where.limit)
    return [_out(row, name) for row, name in session.execute(stmt)]


def _out(row: AuditEventRow, device_name: str | None) -> AuditEventOut:
    return AuditEventOut(
        at=row.at,
        event=row.event,
        staff_id=row.staff_id,
        staff_verified=row.staff_verified,
        device_id=row.device_id,
        device_name=device_name,
        center_id=row.center_id,
        subject=row.subject,
        received_at=row.received_at,
    )


def who_saw(events: Sequence[AuditEventOut]) -> list[WhoSawOut]:
    """One line per staff member and desk that touched the group, busiest first."""
    lines: dict[tuple[str | None, bool, str | None], WhoSawOut] = {}
    for e in events:
        key = (e.staff_id, e.staff_verified, e.device_id)
        seen = lines.get(key)
        counts = dict(seen.events) if seen else {}
        counts[e.event] = counts.get(e.event, 0) + 1
        lines[key] = WhoSawOut(
            staff_id=e.staff_id,
            staff_verified=e.staff_verified,
            device_id=e.device_id,
            device_name=e.device_name,
            center_id=e.center_id,
            events=counts,
            first_at=seen.first_at if seen else e.at,
            last_at=e.at,
        )
    return sorted(lines.values(), key=lambda w: (-sum(w.events.values()), w.first_at))


# -- rendering ----------------------------------------------------------------------------------

#: The report's columns, in order; CSV headers are these names.
COLUMNS = (
    "at",
    "event",
    "staff_id",
    "staff_verified",
    "device_id",
    "device_name",
    "center_id",
    "subject",
)


def _local(moment: datetime) -> str:
    return moment.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M:%S")


def _verified(staff_id: str | None, verified: bool) -> str:
    # An unverified id is only the device's claim: the privacy officer must see the difference.
    if not staff_id:
        return ""
    return "yes" if verified else "no (claimed by the device)"


def _cells(e: AuditEventOut) -> list[str]:
    return [
        _local(e.at),
        e.event,
        e.staff_id or "",
        _verified(e.staff_id, e.staff_verified),
        e.device_id or "",
        e.device_name or "",
        e.center_id or "",
        e.subject,
    ]


def to_csv(events: Sequence[AuditEventOut]) -> str:
    """CSV for the privacy officer (UTF-8; times in Asia/Tokyo)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in events:
        writer.writerow(_cells(e))
    return out.getvalue()


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    return "\n".join(lines)


def to_table(events: Sequence[AuditEventOut]) -> str:
    if not events:
        return "no audit events match"
    return _table(COLUMNS, [_cells(e) for e in events]) + f"\n{len(events)} events"


def who_saw_table(user_id: str, lines: Sequence[WhoSawOut]) -> str:
    if not lines:
        return f"no one has viewed or printed group {user_id}"
    header = ("staff_id", "verified", "center_id", "device", "first", "last", "events")
    rows = [
        (
            w.staff_id or "",
            _verified(w.staff_id, w.staff_verified),
            w.center_id or "",
            w.device_name or w.device_id or "",
            _local(w.first_at),
            _local(w.last_at),
            ", ".join(f"{k}×{n}" for k, n in sorted(w.events.items())),
        )
        for w in lines
    ]
    return f"who saw group {user_id}:\n" + _table(header, rows)
