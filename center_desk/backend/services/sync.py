"""A desk's pull, on the backend (DESIGN.md §4): changes since an opaque cursor, in the desk's
scope (its center, the groups its center references, the catalog), paged. An unknown, foreign
or too-old cursor gets a full snapshot (sync_cursor.py).

The push is in sync_push.py; what each pull reads before its changes, in pull_state.py.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic_core import to_json, to_jsonable_python
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from center_desk.domain import tokyo_date
from center_desk.protocol.paging import paused_cycle_collection
from center_desk.protocol.sync import PullResponse, construct_change

from ..config import BackendSettings
from ..models import CenterGroupRow, ChangeRow, DeviceRow
from ..security import token_hash
from . import auth, change_rows, pull_state, sync_cursor
from .sync_cursor import Cursor


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
        seq = decoded.seq if decoded is not None else 0
        state = pull_state.read_with_device(session, hashed, seq, known)
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
    ``state``: :func:`pull_state.read`'s row for this cursor when it was read already."""
    decoded = Cursor.decode(cursor_text)
    if state is None:
        state = pull_state.read(session, device, decoded.seq if decoded is not None else 0)
    epoch = state.epoch or sync_cursor.stored_value(
        session, sync_cursor.EPOCH_KEY, lambda: secrets.token_hex(8)
    )
    horizon = int(
        state.horizon or sync_cursor.stored_value(session, sync_cursor.HORIZON_KEY, lambda: "0")
    )
    at_cursor = state if state.entity is not None else None
    usable = decoded is not None and sync_cursor.usable(session, decoded, epoch, horizon, at_cursor)
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
    mark = sync_cursor.fingerprint(rows[-1]) if rows else cursor.mark
    next_cursor = Cursor(epoch, last_seq, snapshot=cursor.snapshot and has_more, mark=mark)
    head = PullResponse(
        desk=pull_state.desk_state_from(session, device, state.highest),
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
