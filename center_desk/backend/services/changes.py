"""The change log that desks pull (DESIGN.md §4).

Each entity has one row, moved to a fresh ``seq`` whenever it changes. On PostgreSQL, sequence
numbers are handed out before commit, so two transactions could commit out of order and a desk
that pulled in between would skip the lower one for good. A transaction-scoped advisory lock,
taken right before the log is written and held to commit, makes ``seq`` order equal commit
order. SQLite serialises writers anyway.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import CenterGroupRow, ChangeRow

#: An arbitrary constant: the advisory lock's identity.
_CHANGE_LOG_LOCK = 0x63656E74  # "cent"


def _serialise_log_writers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHANGE_LOG_LOCK})


def record_change(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    now: datetime,
    center_id: str | None = None,
    user_id: str | None = None,
    op: str = "upsert",
) -> None:
    """Note that an entity changed. Call it last in a transaction (it takes the log lock)."""
    _serialise_log_writers(session)
    session.execute(
        delete(ChangeRow).where(ChangeRow.entity == entity, ChangeRow.entity_id == entity_id)
    )
    session.add(
        ChangeRow(
            entity=entity,
            entity_id=entity_id,
            center_id=center_id,
            user_id=user_id,
            op=op,
            changed_at=now,
        )
    )
    session.flush()


class CenterRow(Protocol):
    """A reservation or a lottery entry: seen by its center's desks and its group."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def center_id(self) -> str: ...
    @property
    def user_id(self) -> str | None: ...


def record_row_change(session: Session, entity: str, row: CenterRow, now: datetime) -> None:
    record_change(
        session,
        entity=entity,
        entity_id=str(row.id),
        center_id=row.center_id,
        user_id=row.user_id,
        now=now,
    )


def reference_group(session: Session, *, center_id: str, user_id: str, now: datetime) -> bool:
    """Let ``center_id``'s desks see a group. When the reference is new the group's log row
    moves forward, so desks whose cursor is already past it still receive it. True when the
    reference is new (the center's desks receive the group's personal data from now on)."""
    if session.get(CenterGroupRow, (center_id, user_id)) is not None:
        return False
    # Two desks of one center may open the same group at the same moment: the second insert
    # quietly does nothing instead of failing the request.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(CenterGroupRow)
        .values(center_id=center_id, user_id=user_id, since=now)
        .on_conflict_do_nothing(index_elements=["center_id", "user_id"])
    )
    if getattr(inserted, "rowcount", 1) == 0:
        return False
    record_change(session, entity="group", entity_id=user_id, now=now, user_id=user_id)
    return True


def latest_seq(session: Session) -> int:
    """The log's head: a desk cursor past it comes from a log that was rewound (a restore)."""
    return int(session.scalar(select(func.coalesce(func.max(ChangeRow.seq), 0))) or 0)
