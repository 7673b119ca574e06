"""Where a desk is in the change log, and whether that place still holds (DESIGN.md §4).

A desk's pull names its place with an opaque :class:`Cursor`. The log has an epoch (a new one
after a restore from a backup) and a horizon (the newest tombstone compacted away); a cursor from
another epoch, older than the horizon, ahead of the log's head or naming a row the log now holds
differently is unusable, and the desk gets a full snapshot.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import BackendSettings
from ..models import ChangeRow, MetaRow
from .changes import latest_seq

EPOCH_KEY = "change_log_epoch"
HORIZON_KEY = "change_log_horizon"


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


def fingerprint(row: _LogRow) -> str:
    """A short mark of one log row: after a restore from an older dump, the same ``seq`` is
    handed to a different change, and the mark no longer matches."""
    text = f"{row.entity}|{row.entity_id}|{row.op}|{row.changed_at.isoformat()}"
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def usable(
    session: Session, cursor: Cursor | None, epoch: str, horizon: int, at_cursor: _LogRow | None
) -> bool:
    """Whether changes after ``cursor`` are exactly what the desk lacks. Not when the cursor is
    from another epoch (the log was rewound and the epoch bumped), older than the newest
    dropped tombstone, ahead of the log's head, or names a row the log now holds differently
    (a restore the epoch was not bumped for). ``at_cursor``: the log row at the cursor's seq,
    read with the pull's other look-ups (:func:`pull_state.read`)."""
    if cursor is None or cursor.epoch != epoch or cursor.seq < horizon:
        return False
    if cursor.seq == 0:
        return True
    if at_cursor is None:
        # A row gone since (the entity changed again and moved on) proves nothing either way;
        # only then is the log's head looked up (a row there puts the cursor inside the log).
        return cursor.seq <= latest_seq(session)
    return not cursor.mark or fingerprint(at_cursor) == cursor.mark


def new_epoch(session: Session) -> str:
    """Start a new epoch of the change log, after the database was restored from a backup:
    every desk's cursor becomes unusable and each desk gets a full snapshot next time."""
    epoch = secrets.token_hex(8)
    row = session.get(MetaRow, EPOCH_KEY)
    if row is None:
        session.add(MetaRow(key=EPOCH_KEY, value=epoch))
    else:
        row.value = epoch
    session.flush()
    return epoch


def stored_value(session: Session, key: str, default: Callable[[], str]) -> str:
    """The log's value under ``key`` (:data:`EPOCH_KEY`, :data:`HORIZON_KEY`), stored first
    as ``default()`` in a database that has none yet."""
    row = session.get(MetaRow, key)
    if row is None:
        row = MetaRow(key=key, value=default())
        session.add(row)
        session.flush()
    return row.value


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
    meta = session.get(MetaRow, HORIZON_KEY)
    if meta is None:
        session.add(MetaRow(key=HORIZON_KEY, value=str(horizon)))
    else:
        meta.value = str(max(int(meta.value), horizon))
    session.flush()
    return len(old)
