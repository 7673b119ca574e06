"""The backend's side of sync (DESIGN.md §4).

Push: a desk's mutations are applied in order, each in its own transaction together with the
device's ``last_mutation_id``. An id already taken is acknowledged again with no effect; a gap
stops the batch; a mutation the rules refuse is recorded as rejected with its reason code and
the queue moves on. The device row is locked for each step, so two pushes from one desk (a
retry racing the original) cannot apply the same id twice.

Pull: changes since an opaque cursor, in the desk's scope (its center, the groups its center
references, the catalog), paged. An unknown, foreign or too-old cursor gets a full snapshot.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from center_desk.domain import Channel, DomainError, QuotaPolicy, tokyo_date
from center_desk.protocol.sync import (
    DESK_APPROVAL_PATTERN,
    MUTATION_BODY,
    AuditEventIn,
    CancelReservation,
    Change,
    CheckIn,
    DeskState,
    LastMinuteBooking,
    MarkNoShow,
    MutationEnvelope,
    MutationResult,
    PullResponse,
    PushResponse,
    RecordFeeReceipt,
    RecordUsageReport,
)

from ..config import BackendSettings
from ..errors import ApiError
from ..models import (
    CenterGroupRow,
    ChangeRow,
    DeviceMutationRow,
    DeviceRow,
    MetaRow,
    ReservationRow,
)
from . import audit, change_rows, reservations
from .reservations import Caller

#: Desks and the server may disagree this much before the desk warns (DESIGN.md §4).
CLOCK_SKEW = timedelta(minutes=2)
#: An offline mutation is judged at the moment the desk recorded it, if that moment is
#: plausible: not in the future beyond the skew, not older than this.
MAX_OFFLINE_AGE = timedelta(days=7)


# --- push -------------------------------------------------------------------------------


def decision_time(recorded_at: datetime, now: datetime) -> datetime:
    """When to judge a desk's mutation. A walk-in booked offline at 21:50 on the day of use
    is valid when it reaches us the next morning; a desk clock far off is not trusted."""
    if recorded_at.tzinfo is None:
        return now
    if now - MAX_OFFLINE_AGE <= recorded_at <= now + CLOCK_SKEW:
        return min(recorded_at, now)
    return now


def _apply(
    session: Session,
    device: DeviceRow,
    envelope: MutationEnvelope,
    *,
    now: datetime,
    policy: QuotaPolicy,
) -> None:
    body = MUTATION_BODY.validate_python(envelope.body)
    when = decision_time(envelope.created_at, now)
    label = f"device:{device.number}" + (f"/staff:{envelope.staff_id}" if envelope.staff_id else "")
    caller = Caller(Channel.COUNTER, label, device.center_id)
    if isinstance(body, LastMinuteBooking):
        if body.reservation.kind != "last_minute":
            raise ApiError(422, "invalid_input", "a desk mutation books last-minute only")
        match = re.match(DESK_APPROVAL_PATTERN, body.approval_number)
        if match is None or int(match.group(1)) != device.number:
            raise ApiError(422, "invalid_input", "approval number of another desk")
        reservations.book(
            session,
            body.reservation,
            caller=caller,
            now=when,
            policy=policy,
            approval_number=body.approval_number,
        )
    elif isinstance(body, CancelReservation):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.cancel(session, row, body.reason, caller=caller, now=when)
    elif isinstance(body, CheckIn):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.check_in(session, row, at=decision_time(body.at, now), now=now)
    elif isinstance(body, MarkNoShow):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.mark_no_show(session, row, now=when)
    elif isinstance(body, RecordUsageReport):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.record_usage(session, row, body.report, by=label, now=when)
    elif isinstance(body, RecordFeeReceipt):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.record_fee(session, row, body.receipt, by=label, now=when)
    elif isinstance(body, AuditEventIn):
        audit.record(
            session,
            event=body.event,
            at=body.at,
            received_at=now,
            staff_id=body.staff_id or envelope.staff_id,
            device_id=device.id,
            center_id=device.center_id,
            subject=body.subject,
            event_id=body.event_id,
        )
    else:  # pragma: no cover - the union is exhaustive
        raise ApiError(422, "invalid_input", "unknown mutation kind")


def _validation_summary(error: ValidationError) -> str:
    # Field paths and error kinds only: the values may be personal data.
    parts = [".".join(str(p) for p in e["loc"]) + f":{e['type']}" for e in error.errors()]
    return "; ".join(parts)[:200]


def push(
    sessions: sessionmaker[Session],
    device_id: str,
    envelopes: list[MutationEnvelope],
    *,
    clock: Callable[[], datetime],
    policy: QuotaPolicy,
) -> PushResponse:
    results: list[MutationResult] = []
    stopped = False
    last = 0
    for envelope in sorted(envelopes, key=lambda e: e.id):
        with sessions() as session, session.begin():
            device = session.scalars(
                select(DeviceRow).where(DeviceRow.id == device_id).with_for_update()
            ).one()
            if device.revoked_at is not None:
                raise ApiError(403, "device_revoked", "this device has been revoked")
            last = device.last_mutation_id
            if envelope.id <= last:
                earlier = session.get(DeviceMutationRow, (device.id, envelope.id))
                results.append(
                    MutationResult(
                        id=envelope.id,
                        status="duplicate",
                        reason_code=earlier.reason_code if earlier else None,
                        message=earlier.status if earlier else "",
                    )
                )
                continue
            if envelope.id != last + 1:
                stopped = True
                break
            now = clock()
            status, code, message = "applied", None, ""
            try:
                with session.begin_nested():
                    _apply(session, device, envelope, now=now, policy=policy)
            except ValidationError as error:
                status, code, message = "rejected", "invalid_input", _validation_summary(error)
            except ApiError as error:
                status, code, message = "rejected", error.code, error.message[:200]
            except DomainError as error:
                status, code, message = "rejected", error.code.value, error.detail[:200]
            session.add(
                DeviceMutationRow(
                    device_id=device.id,
                    mutation_id=envelope.id,
                    status=status,
                    reason_code=code,
                    message=message,
                    applied_at=now,
                )
            )
            device.last_mutation_id = envelope.id
            device.last_seen_at = now
            last = envelope.id
            results.append(
                MutationResult(id=envelope.id, status=status, reason_code=code, message=message)
            )
    return PushResponse(
        results=results, last_applied_id=last, stopped_at_gap=stopped, server_time=clock()
    )


# --- pull -------------------------------------------------------------------------------

_EPOCH_KEY = "change_log_epoch"
_HORIZON_KEY = "change_log_horizon"


@dataclass(frozen=True)
class Cursor:
    epoch: str
    seq: int
    snapshot: bool = False

    def encode(self) -> str:
        raw = json.dumps({"e": self.epoch, "s": self.seq, "n": int(self.snapshot)})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode(text: str | None) -> Cursor | None:
        if not text:
            return None
        try:
            padded = text + "=" * (-len(text) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()))
            return Cursor(str(data["e"]), int(data["s"]), bool(data.get("n", 0)))
        except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None


def _meta(session: Session, key: str, default: Callable[[], str]) -> str:
    row = session.get(MetaRow, key)
    if row is None:
        row = MetaRow(key=key, value=default())
        session.add(row)
        session.flush()
    return row.value


def _scope(device: DeviceRow) -> Any:
    referenced = select(CenterGroupRow.user_id).where(CenterGroupRow.center_id == device.center_id)
    return or_(
        ChangeRow.center_id == device.center_id,
        and_(ChangeRow.entity == "group", ChangeRow.user_id.in_(referenced)),
        ChangeRow.entity == "slots",
    )


def desk_state(session: Session, device: DeviceRow) -> DeskState:
    prefix = f"K{device.number:03d}-"
    numbers = session.scalars(
        # A constant prefix pattern, so PostgreSQL serves it from the text_pattern_ops index
        # (migration 0002_i13) instead of reading every reservation on every pull.
        select(ReservationRow.approval_number).where(
            ReservationRow.approval_number.like(prefix + "%")
        )
    )
    counter = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return DeskState(
        device_id=device.id,
        center_id=device.center_id,
        device_number=device.number,
        last_mutation_id=device.last_mutation_id,
        last_approval_counter=counter,
    )


def pull(
    session: Session,
    device: DeviceRow,
    cursor_text: str | None,
    *,
    limit: int,
    now: datetime,
    settings: BackendSettings,
) -> PullResponse:
    epoch = _meta(session, _EPOCH_KEY, lambda: secrets.token_hex(8))
    horizon = int(_meta(session, _HORIZON_KEY, lambda: "0"))
    cursor = Cursor.decode(cursor_text)
    if cursor is None or cursor.epoch != epoch or cursor.seq < horizon:
        cursor = Cursor(epoch, 0, snapshot=True)
    scope = _scope(device)
    rows = list(
        session.scalars(
            select(ChangeRow)
            .where(ChangeRow.seq > cursor.seq, scope)
            .order_by(ChangeRow.seq)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    first_day = tokyo_date(now) - timedelta(days=settings.sync_days_back)
    last_day = tokyo_date(now) + timedelta(days=settings.sync_days_ahead)
    changes = _materialise(session, device, rows, first_day, last_day)
    last_seq = rows[-1].seq if rows else cursor.seq
    remaining = 0
    if has_more:
        remaining = int(
            session.scalar(
                select(func.count()).select_from(ChangeRow).where(ChangeRow.seq > last_seq, scope)
            )
            or 0
        )
    next_cursor = Cursor(epoch, last_seq, snapshot=cursor.snapshot and has_more)
    return PullResponse(
        desk=desk_state(session, device),
        changes=changes,
        cursor=next_cursor.encode(),
        has_more=has_more,
        snapshot=cursor.snapshot,
        remaining=remaining,
        server_time=now,
    )


def _materialise(
    session: Session,
    device: DeviceRow,
    rows: list[ChangeRow],
    first_day: Any,
    last_day: Any,
) -> list[Change]:
    """Turn log rows into changes with the entities' current data: a few Core queries per
    page, no ORM objects (see :mod:`.change_rows`)."""
    return change_rows.materialise(session, rows, first_day, last_day)


def compact(session: Session, *, now: datetime, settings: BackendSettings) -> int:
    """Drop tombstones older than the retention period; cursors older than the newest dropped
    tombstone then get a snapshot, so no desk misses a deletion."""
    cutoff = now - timedelta(days=settings.change_log_retention_days)
    old = list(
        session.scalars(
            select(ChangeRow).where(ChangeRow.op == "delete", ChangeRow.changed_at < cutoff)
        )
    )
    if not old:
        return 0
    horizon = max(r.seq for r in old)
    for row in old:
        session.delete(row)
    meta = session.get(MetaRow, _HORIZON_KEY)
    if meta is None:
        session.add(MetaRow(key=_HORIZON_KEY, value=str(horizon)))
    else:
        meta.value = str(max(int(meta.value), horizon))
    session.flush()
    return len(old)
