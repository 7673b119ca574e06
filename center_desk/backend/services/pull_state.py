"""What every pull reads before its changes, in one round trip (issue 13), and the desk's state
that each pull page carries.

Most pulls find nothing new, and each statement was a round trip to PostgreSQL: the log's epoch
and horizon, the log row at the cursor, the desk's highest offline approval number and whether
anything in scope follows the cursor come in one statement, built once per process. For a
device seen before (``sync.DeskKeys``) the device's own row comes in it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, BindParameter, String, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session

from center_desk.protocol.sync import DeskState

from ..models import CenterGroupRow, ChangeRow, DeviceRow, MetaRow, ReservationRow
from .sync_cursor import EPOCH_KEY, HORIZON_KEY


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


def desk_state_from(session: Session, device: DeviceRow, highest: str | None) -> DeskState:
    """The desk's state a pull page carries, given ``highest``: the greatest approval number
    the desk issued offline, as :func:`read` found it."""
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
    return desk_state_from(session, device, session.scalar(select(_highest_number(device))))


def _pull_state_query(*, with_device: bool = False) -> Any:
    """The statement of :func:`read`, built once: constructing its subqueries cost more than
    PostgreSQL takes to answer them. ``with_device``: also the device's row, found by its
    token's hash (:func:`read_with_device`)."""
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
        meta_value(EPOCH_KEY).label("epoch"),
        meta_value(HORIZON_KEY).label("horizon"),
        at_cursor(ChangeRow.entity).label("entity"),
        at_cursor(ChangeRow.entity_id).label("entity_id"),
        at_cursor(ChangeRow.op).label("op"),
        at_cursor(ChangeRow.changed_at).label("changed_at"),
        _HIGHEST_NUMBER.scalar_subquery().label("highest"),
        # Whether anything in scope follows the cursor (the same scope as the page's query,
        # ``sync._scope``):
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


def read(session: Session, device: DeviceRow, seq: int) -> Any:
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


def read_with_device(session: Session, hashed: str, seq: int, known: tuple[str, int]) -> Any:
    """:func:`read`'s row with the device's own columns (``device_…``), for the device whose
    token hashes to ``hashed`` and whose center and number are ``known`` (``sync.DeskKeys``);
    None when no device holds that token."""
    center_id, number = known
    params = {
        "token_hash": hashed,
        "seq": seq,
        "center_id": center_id,
        "desk_prefix": _number_prefix(number) + "%",
    }
    return session.connection().execute(_PULL_STATE_WITH_DEVICE, params).one_or_none()
