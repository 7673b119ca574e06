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
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import ValidationError
from pydantic_core import to_json, to_jsonable_python
from sqlalchemy import (
    BigInteger,
    BindParameter,
    String,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from center_desk.domain import Channel, DomainError, QuotaPolicy, tokyo_date
from center_desk.domain.offline_time import decision_time, desk_skew, refuse_past_day
from center_desk.protocol.paging import paused_cycle_collection
from center_desk.protocol.sync import (
    DESK_APPROVAL_PATTERN,
    MUTATION_BODY,
    AuditEventIn,
    CancelReservation,
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
    construct_change,
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
from ..security import token_hash
from . import attribution, audit, auth, change_rows, reservations
from .changes import latest_seq
from .reservations import Caller, DeskRef

# --- push -------------------------------------------------------------------------------


def _apply(
    session: Session,
    device: DeviceRow,
    envelope: MutationEnvelope,
    *,
    now: datetime,
    policy: QuotaPolicy,
    verified: bool,
    alert_per_hour: int,
    skew: timedelta = timedelta(0),
) -> None:
    body = MUTATION_BODY.validate_python(envelope.body)
    # Judged at the moment the desk recorded it, on our clock (the desk's own corrected by
    # the skew this push revealed), never at a moment the desk's clock merely claims.
    when = decision_time(envelope.created_at, now, skew=skew)
    label = _label(device, envelope.staff_id, verified)
    desk = DeskRef(device.id, envelope.staff_id or None, verified, alert_per_hour)
    caller = Caller(Channel.COUNTER, label, device.center_id, desk)
    if isinstance(body, LastMinuteBooking):
        if body.reservation.kind != "last_minute":
            raise ApiError(422, "invalid_input", "a desk mutation books last-minute only")
        match = re.match(DESK_APPROVAL_PATTERN, body.approval_number)
        if match is None or int(match.group(1)) != device.number:
            raise ApiError(422, "invalid_input", "approval number of another desk")
        refuse_past_day(body.reservation.use_date, now)
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
        reservations.check_in(session, row, at=decision_time(body.at, now, skew=skew), now=now)
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
        # Dated like any other mutation: the desk's time corrected by this push's measured
        # skew when that lands within the offline window, else our receipt time; never the
        # moment the desk's clock merely claims (the audit table keeps one time, ours).
        audit.record(
            session,
            event=body.event,
            at=decision_time(body.at, now, skew=skew),
            received_at=now,
            staff_id=body.staff_id or envelope.staff_id,
            device_id=device.id,
            center_id=device.center_id,
            subject=body.subject,
            event_id=body.event_id,
            staff_verified=(verified and not body.staff_id)
            or attribution.may_work_at(session, body.staff_id, device.center_id),
        )
    else:  # pragma: no cover - the union is exhaustive
        raise ApiError(422, "invalid_input", "unknown mutation kind")


def _label(device: DeviceRow, staff_id: str | None, verified: bool) -> str:
    """``created_by`` of what a desk's mutation makes: the device, and the staff member it
    names, marked when that claim did not check out (services/attribution.py)."""
    if not staff_id:
        return f"device:{device.number}"
    return f"device:{device.number}/{'staff' if verified else 'unverified-staff'}:{staff_id}"


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
    alert_per_hour: int,
    sent_at: datetime | None = None,
) -> PushResponse:
    skew = desk_skew(sent_at, clock())
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
            verified = attribution.may_work_at(session, envelope.staff_id, device.center_id)
            try:
                with session.begin_nested():
                    _apply(
                        session,
                        device,
                        envelope,
                        now=now,
                        policy=policy,
                        verified=verified,
                        alert_per_hour=alert_per_hour,
                        skew=skew,
                    )
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
                    staff_id=envelope.staff_id,
                    staff_verified=verified,
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
    """Where a desk is in the change log: the log's epoch, the last ``seq`` it has, whether
    it is inside a snapshot, and a fingerprint of the log row at ``seq`` (empty: none seen)."""

    epoch: str
    seq: int
    snapshot: bool = False
    mark: str = ""

    def encode(self) -> str:
        raw = json.dumps({"e": self.epoch, "s": self.seq, "n": int(self.snapshot), "h": self.mark})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode(text: str | None) -> Cursor | None:
        if not text:
            return None
        try:
            padded = text + "=" * (-len(text) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()))
            cursor = Cursor(
                str(data["e"]), int(data["s"]), bool(data.get("n", 0)), str(data.get("h", ""))
            )
        except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        # A sequence PostgreSQL's bigint cannot hold is no cursor of ours: a snapshot.
        return cursor if 0 <= cursor.seq < 2**63 else None


class _LogRow(Protocol):
    """What a fingerprint reads of a log row: an ORM row or a Core ``Row`` of its columns."""

    entity: str
    entity_id: str
    op: str
    changed_at: datetime


def _fingerprint(row: _LogRow) -> str:
    """A short mark of one log row: after a restore from an older dump, the same ``seq`` is
    handed to a different change, and the mark no longer matches."""
    text = f"{row.entity}|{row.entity_id}|{row.op}|{row.changed_at.isoformat()}"
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def _usable(
    session: Session, cursor: Cursor | None, epoch: str, horizon: int, at_cursor: _LogRow | None
) -> bool:
    """Whether changes after ``cursor`` are exactly what the desk lacks. Not when the cursor is
    from another epoch (the log was rewound and the epoch bumped), older than the newest
    dropped tombstone, ahead of the log's head, or names a row the log now holds differently
    (a restore the epoch was not bumped for). ``at_cursor``: the log row at the cursor's seq,
    read with the pull's other look-ups (:func:`_pull_state`)."""
    if cursor is None or cursor.epoch != epoch or cursor.seq < horizon:
        return False
    if cursor.seq == 0:
        return True
    if at_cursor is None:
        # A row gone since (the entity changed again and moved on) proves nothing either way;
        # only then is the log's head looked up (a row there puts the cursor inside the log).
        return cursor.seq <= latest_seq(session)
    return not cursor.mark or _fingerprint(at_cursor) == cursor.mark


def new_epoch(session: Session) -> str:
    """Start a new epoch of the change log, after the database was restored from a backup:
    every desk's cursor becomes unusable and each desk gets a full snapshot next time."""
    epoch = secrets.token_hex(8)
    row = session.get(MetaRow, _EPOCH_KEY)
    if row is None:
        session.add(MetaRow(key=_EPOCH_KEY, value=epoch))
    else:
        row.value = epoch
    session.flush()
    return epoch


def _meta(session: Session, key: str, default: Callable[[], str]) -> str:
    row = session.get(MetaRow, key)
    if row is None:
        row = MetaRow(key=key, value=default())
        session.add(row)
        session.flush()
    return row.value


def _log_columns(session: Session) -> tuple[Any, ...]:
    """The log columns a pull reads, as a Core ``SELECT``: building an ORM object per row cost
    more than the rows' data (issue 13)."""
    return (
        ChangeRow.seq,
        ChangeRow.entity,
        ChangeRow.entity_id,
        ChangeRow.op,
        change_rows.moment_column(session, ChangeRow.changed_at),
    )


def _scope(device: DeviceRow) -> Any:
    referenced = select(CenterGroupRow.user_id).where(CenterGroupRow.center_id == device.center_id)
    return or_(
        ChangeRow.center_id == device.center_id,
        and_(ChangeRow.entity == "group", ChangeRow.user_id.in_(referenced)),
        ChangeRow.entity == "slots",
    )


def _desk_prefix(device: DeviceRow) -> str:
    return _number_prefix(device.number)


def _number_prefix(number: int) -> str:
    """The start of the approval numbers desk ``number`` issues offline (DESK_APPROVAL_PATTERN)."""
    return f"K{number:03d}-"


def _highest_number_query() -> Any:
    """The greatest approval number a desk issued offline, as a statement of the
    ``desk_prefix`` parameter (``K012-%``).

    A constant prefix pattern, so PostgreSQL serves it from the text_pattern_ops index
    (migration 0003) instead of reading every reservation on every pull. A desk's numbers have
    a fixed width (DESK_APPROVAL_PATTERN), so the greatest string is the greatest number: one
    value comes back, not every number the desk issued.

    The pattern is written into the statement, not sent as a parameter: psycopg prepares a
    statement it sees often, and PostgreSQL's generic plan for ``LIKE $1`` cannot use the
    prefix index, so it read every reservation (0.5 ms and growing, on every pull)."""
    pattern: BindParameter[str] = bindparam("desk_prefix", type_=String, literal_execute=True)
    mine = ReservationRow.approval_number.like(pattern)
    return select(func.max(ReservationRow.approval_number)).where(mine)


_HIGHEST_NUMBER = _highest_number_query()


def _highest_number(device: DeviceRow) -> Any:
    """:data:`_HIGHEST_NUMBER` for ``device``, as a scalar subquery (the parameter is bound on
    the statement: SQLAlchemy 2.1 binds no parameters on a subquery)."""
    return _HIGHEST_NUMBER.params(desk_prefix=_desk_prefix(device) + "%").scalar_subquery()


def _desk_state(session: Session, device: DeviceRow, highest: str | None) -> DeskState:
    prefix = _desk_prefix(device)
    if highest is None:
        counter = 0
    elif highest[len(prefix) :].isdigit():
        counter = int(highest[len(prefix) :])
    else:  # pragma: no cover - numbers not of the desk's form: read them all
        mine = ReservationRow.approval_number.like(prefix + "%")
        numbers = session.scalars(select(ReservationRow.approval_number).where(mine))
        tails = (n[len(prefix) :] for n in numbers)
        counter = max((int(t) for t in tails if t.isdigit()), default=0)
    return DeskState(
        device_id=device.id,
        center_id=device.center_id,
        device_number=device.number,
        last_mutation_id=device.last_mutation_id,
        last_approval_counter=counter,
    )


def desk_state(session: Session, device: DeviceRow) -> DeskState:
    return _desk_state(session, device, session.scalar(select(_highest_number(device))))


def _pull_state_query(*, with_device: bool = False) -> Any:
    """The statement of :func:`_pull_state`, built once: constructing its subqueries cost
    more than PostgreSQL takes to answer them. ``with_device``: also the device's row, found
    by its token's hash (:func:`pull_json_for_token`)."""
    seq = bindparam("seq", type_=BigInteger)
    center = bindparam("center_id", type_=String)

    def meta_value(key: str) -> Any:
        return select(MetaRow.value).where(MetaRow.key == key).scalar_subquery()

    def at_cursor(column: Any) -> Any:
        return select(column).where(ChangeRow.seq == seq).scalar_subquery()

    referenced = select(CenterGroupRow.user_id).where(CenterGroupRow.center_id == center)
    in_scope = or_(
        ChangeRow.center_id == center,
        and_(ChangeRow.entity == "group", ChangeRow.user_id.in_(referenced)),
        ChangeRow.entity == "slots",
    )
    state = (
        meta_value(_EPOCH_KEY).label("epoch"),
        meta_value(_HORIZON_KEY).label("horizon"),
        at_cursor(ChangeRow.entity).label("entity"),
        at_cursor(ChangeRow.entity_id).label("entity_id"),
        at_cursor(ChangeRow.op).label("op"),
        at_cursor(ChangeRow.changed_at).label("changed_at"),
        _HIGHEST_NUMBER.scalar_subquery().label("highest"),
        # Whether anything in scope follows the cursor (the same scope as :func:`_scope`):
        # when not (most pulls), the page's own query is not needed.
        exists().where(ChangeRow.seq > seq, in_scope).label("newer"),
    )
    if not with_device:
        return select(*state)
    d = DeviceRow
    return select(
        d.id.label("device_id"),
        d.center_id.label("device_center_id"),
        d.number.label("device_number"),
        d.revoked_at.label("device_revoked_at"),
        d.last_seen_at.label("device_last_seen_at"),
        d.last_mutation_id.label("device_last_mutation_id"),
        *state,
    ).where(d.token_hash == bindparam("token_hash", type_=String))


_PULL_STATE = _pull_state_query()
_PULL_STATE_WITH_DEVICE = _pull_state_query(with_device=True)


def _pull_state(session: Session, device: DeviceRow, seq: int) -> Any:
    """What every pull reads before its changes, in one round trip (issue 13: most pulls find
    nothing new, and each statement was a round trip to PostgreSQL): the log's epoch and
    horizon, the log row at the cursor (``entity`` is NULL when there is none), the desk's
    highest offline approval number, and whether any change in scope follows the cursor."""
    params = {
        "seq": seq,
        "center_id": device.center_id,
        "desk_prefix": _desk_prefix(device) + "%",
    }
    # On the connection: a Core statement needs none of the ORM session's execution steps.
    return session.connection().execute(_PULL_STATE, params).one()


class DeskKeys:
    """What the pull statement needs to know of a device before reading the device's row:
    its center and its number, by its token's hash. Neither ever changes for a device, and
    the statement reads the row as well and is used only when the row agrees, so an entry that
    is wrong costs a second statement, never a wrong answer. Per process, bounded."""

    LIMIT = 4096

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, int]] = {}

    def get(self, hashed: str) -> tuple[str, int] | None:
        return self._known.get(hashed)

    def remember(self, hashed: str, device: DeviceRow) -> None:
        if len(self._known) >= self.LIMIT:
            self._known.clear()
        self._known[hashed] = (device.center_id, device.number)


def pull_json_for_token(
    session: Session,
    token: str | None,
    cursor_text: str | None,
    *,
    limit: int,
    now: datetime,
    settings: BackendSettings,
    keys: DeskKeys,
) -> bytes:
    """:func:`pull_json` for the device holding ``token``, authenticated as
    :func:`auth.device_for_token` does (unknown: 401; revoked: 403; last seen noted to the
    minute). For a device seen before (``keys``), the device's row and what every pull reads
    before its changes come in one statement: a pull with nothing new is then one round trip
    to PostgreSQL (issue 13). Anything else, an unknown or revoked device included, takes the
    ordinary way."""
    hashed = token_hash(token) if token else ""
    known = keys.get(hashed) if hashed else None
    if known is not None:
        decoded = Cursor.decode(cursor_text)
        center_id, number = known
        params = {
            "token_hash": hashed,
            "seq": decoded.seq if decoded is not None else 0,
            "center_id": center_id,
            "desk_prefix": _number_prefix(number) + "%",
        }
        state = session.connection().execute(_PULL_STATE_WITH_DEVICE, params).one_or_none()
        if (
            state is not None
            and state.device_revoked_at is None
            and (state.device_center_id, state.device_number) == known
        ):
            seen = state.device_last_seen_at
            if seen is None or abs(now - seen) >= auth.LAST_SEEN_PRECISION:
                session.connection().execute(
                    update(DeviceRow)
                    .where(DeviceRow.id == state.device_id)
                    .values(last_seen_at=now)
                )
            # Not added to the session: what the page needs of the device, nothing to write.
            device = DeviceRow(
                id=state.device_id,
                center_id=center_id,
                number=number,
                last_mutation_id=state.device_last_mutation_id,
            )
            head, changes = _pull(
                session, device, cursor_text, limit=limit, now=now, settings=settings, state=state
            )
            return _page_json(head, changes)
    device = auth.device_for_token(session, token, now=now)
    keys.remember(hashed, device)
    return pull_json(session, device, cursor_text, limit=limit, now=now, settings=settings)


def pull(
    session: Session,
    device: DeviceRow,
    cursor_text: str | None,
    *,
    limit: int,
    now: datetime,
    settings: BackendSettings,
) -> PullResponse:
    """A page of changes after ``cursor_text`` (see the module's docstring)."""
    head, changes = _pull(session, device, cursor_text, limit=limit, now=now, settings=settings)
    # One pass of pydantic-core's serialiser over the page: dates, moments and UUIDs come out
    # exactly as the wire models' ``model_dump(mode="json")`` writes them.
    built = [construct_change(change) for change in to_jsonable_python(changes)]
    return head.model_copy(update={"changes": built})


def pull_json(
    session: Session,
    device: DeviceRow,
    cursor_text: str | None,
    *,
    limit: int,
    now: datetime,
    settings: BackendSettings,
) -> bytes:
    """:func:`pull`'s page as the JSON the endpoint sends, serialised in one pass from the
    changes' fields, with no model object per change: for a snapshot page of thousands of
    rows, building them cost more than the serialising (issue 13). The same bytes as
    ``pull(...).model_dump_json()``."""
    head, changes = _pull(session, device, cursor_text, limit=limit, now=now, settings=settings)
    return _page_json(head, changes)


def _page_json(head: PullResponse, changes: list[dict[str, Any]]) -> bytes:
    body = head.model_dump(mode="json")
    body["changes"] = changes
    return to_json(body)


def _pull(
    session: Session,
    device: DeviceRow,
    cursor_text: str | None,
    *,
    limit: int,
    now: datetime,
    settings: BackendSettings,
    state: Any = None,
) -> tuple[PullResponse, list[dict[str, Any]]]:
    """The page without its changes, and its changes' fields (change_rows.page_changes).
    ``state``: :func:`_pull_state`'s row for this cursor when it was read already."""
    decoded = Cursor.decode(cursor_text)
    if state is None:
        state = _pull_state(session, device, decoded.seq if decoded is not None else 0)
    epoch = state.epoch or _meta(session, _EPOCH_KEY, lambda: secrets.token_hex(8))
    horizon = int(state.horizon or _meta(session, _HORIZON_KEY, lambda: "0"))
    at_cursor = state if state.entity is not None else None
    usable = decoded is not None and _usable(session, decoded, epoch, horizon, at_cursor)
    cursor = decoded if usable else None
    if cursor is None:
        cursor = Cursor(epoch, 0, snapshot=True)
    rows: list[Any] = []
    changes: list[dict[str, Any]] = []
    first_day = tokyo_date(now) - timedelta(days=settings.sync_days_back)
    last_day = tokyo_date(now) + timedelta(days=settings.sync_days_ahead)
    # Built only when used: an empty pull has no need of it, and building it costs.
    scope = _scope(device) if state.newer or cursor is not decoded else None
    if scope is not None:
        with paused_cycle_collection():
            # On the connection: Core rows, without the ORM's per-row steps, in one fetch.
            rows = list(
                session.connection()
                .execute(
                    select(*_log_columns(session))
                    .where(ChangeRow.seq > cursor.seq, scope)
                    .order_by(ChangeRow.seq)
                    .limit(limit + 1)
                )
                .all()
            )
            changes = change_rows.page_changes(session, rows[:limit], first_day, last_day)
    has_more = len(rows) > limit
    rows = rows[:limit]
    last_seq = rows[-1].seq if rows else cursor.seq
    remaining = 0
    if has_more and scope is not None:
        remaining = int(
            session.connection()
            .execute(
                select(func.count()).select_from(ChangeRow).where(ChangeRow.seq > last_seq, scope)
            )
            .scalar()
            or 0
        )
    mark = _fingerprint(rows[-1]) if rows else cursor.mark
    next_cursor = Cursor(epoch, last_seq, snapshot=cursor.snapshot and has_more, mark=mark)
    head = PullResponse(
        desk=_desk_state(session, device, state.highest),
        changes=[],
        cursor=next_cursor.encode(),
        has_more=has_more,
        snapshot=cursor.snapshot,
        # A fresh snapshot starts at the log's beginning; a resumed one carries on from its seq.
        snapshot_started=cursor.snapshot and cursor.seq == 0,
        remaining=remaining,
        server_time=now,
    )
    return head, changes


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
