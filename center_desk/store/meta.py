"""The cache's own key/value facts: which desk and center it belongs to, and sync state.

Keys are constants here, not strings scattered through callers (STYLE.md §4). Secrets never
go here: the device token lives in the OS keyring.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from .dbapi import Connection

CENTER_ID: Final = "center_id"
DEVICE_ID: Final = "device_id"
DEVICE_NUMBER: Final = "device_number"
#: The opaque pull cursor the backend gave last.
PULL_CURSOR: Final = "pull_cursor"
#: True once the backend has told this cache where its mutation ids must continue.
OUTBOX_FLOOR_KNOWN: Final = "outbox_floor_known"
#: The last counter used in this desk's offline approval numbers (K012-000153).
APPROVAL_COUNTER: Final = "approval_counter"
LAST_SYNC_AT: Final = "last_sync_at"
#: Seconds the backend's clock is ahead of the desk's (negative: behind).
SERVER_CLOCK_OFFSET: Final = "server_clock_offset"
#: Every key that holds a lock draft (what staff had typed: names, addresses) starts so.
DRAFT_PREFIX: Final = "draft:"
#: When the drafts were last kept (ISO 8601, with offset); under the prefix, so it goes with them.
DRAFTS_KEPT_AT: Final = DRAFT_PREFIX + "kept_at"


def get(db: Connection, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row is not None else default


def put(db: Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def get_int(db: Connection, key: str, default: int = 0) -> int:
    value = get(db, key)
    return int(value) if value is not None else default


def server_clock_offset(db: Connection) -> timedelta | None:
    """The backend's clock minus this PC's, as measured at the last contact (None: never, or
    a value that does not read as seconds, which the next contact writes again)."""
    stored = get(db, SERVER_CLOCK_OFFSET)
    try:
        return timedelta(seconds=float(stored)) if stored else None
    except (ValueError, OverflowError):
        return None


def purge_drafts(db: Connection, before: datetime) -> int:
    """Forget the lock drafts if they were kept before ``before`` (retention: they name the
    people staff were typing about). Drafts with no time kept are of unknown age and go too.
    Returns how many draft entries were removed."""
    kept_at = get(db, DRAFTS_KEPT_AT)
    if kept_at and datetime.fromisoformat(kept_at) >= before:
        return 0
    # substr, not LIKE: "_" in the prefix would be a wildcard there.
    cursor = db.execute(
        "DELETE FROM meta WHERE substr(key, 1, ?) = ? AND key != ? AND value != ''",
        (len(DRAFT_PREFIX), DRAFT_PREFIX, DRAFTS_KEPT_AT),
    )
    db.execute("DELETE FROM meta WHERE substr(key, 1, ?) = ?", (len(DRAFT_PREFIX), DRAFT_PREFIX))
    return int(cursor.rowcount)
