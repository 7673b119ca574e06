"""What leaves the desk's cache, and when (DESIGN.md §3, data minimisation): sent mutations and
synced audit events after the retention period, lock drafts after a day, reservations out of
the sync window and the data of groups with no booking here for a long time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from center_desk.domain import TOKYO, Clock, tokyo_date
from center_desk.store import Connection, audit, meta, mirror, outbox, transaction

from .runner import DbRunner

#: Applied outbox rows and synced audit events are kept this many days, then purged: the
#: backend has them, and their payloads name people.
RETENTION_DAYS = 30
#: Reservations older than this leave the cache; groups unseen this long lose their data.
KEEP_DAYS_BACK = 30
GROUP_IDLE_DAYS = 90
#: That purge runs after every sync that brought or sent something, and otherwise at most
#: this often: its scope moves by days, and a sync with nothing new, every few seconds, paid
#: for two scans of the cache each time (issue 13).
PURGE_EVERY = timedelta(hours=1)


def drafts_kept_from(now: datetime) -> datetime:
    """The oldest lock draft worth keeping: one kept yesterday or today (Japan time).

    A draft is what staff typed for a citizen at the counter when the desk locked. It is of use
    when staff come back to it, the same day or, after a lock at closing time, the next
    morning; after that the citizen has long gone and the draft is only a name and address
    lying in the cache, so it does not wait for the 30-day retention of sent changes.
    """
    yesterday = tokyo_date(now) - timedelta(days=1)
    return datetime.combine(yesterday, time(0, 0), tzinfo=TOKYO)


class CacheRetention:
    """The purges one sync engine runs on its cache, and when it last ran the costly one."""

    def __init__(self, db: DbRunner, clock: Clock, retention_days: int = RETENTION_DAYS) -> None:
        self._db = db
        self._clock = clock
        self._retention = timedelta(days=retention_days)
        #: When the data-minimisation purge last ran (None: not yet).
        self._purged_at: datetime | None = None

    def retain(self) -> tuple[int, int]:
        """Retention: applied mutations and synced audit events older than the retention
        period leave the cache, and lock drafts from before yesterday
        (:func:`drafts_kept_from`). Returns how many mutations and audit events went."""
        now = self._clock.now()
        before = (now - self._retention).isoformat()

        def purge(db: Connection) -> tuple[int, int]:
            with transaction(db):
                meta.purge_drafts(db, drafts_kept_from(now))
                return outbox.purge_applied(db, before), audit.purge_synced(db, before)

        return self._db(purge)

    def purge_if_due(self, *, wrote: bool) -> None:
        """The data-minimisation purge, after a sync that ``wrote`` to the cache, or when it
        last ran PURGE_EVERY ago or longer (or never)."""
        now = self._clock.now()
        if wrote or self._purged_at is None or abs(now - self._purged_at) >= PURGE_EVERY:
            self._purge()
            self._purged_at = now

    def _purge(self) -> None:
        today = self._clock.now().date()
        keep_from = (today - timedelta(days=KEEP_DAYS_BACK)).isoformat()
        idle = (self._clock.now() - timedelta(days=GROUP_IDLE_DAYS)).isoformat()
        self._db(
            lambda db: _in_tx(
                db, lambda: mirror.purge_stale(db, keep_from=keep_from, group_idle_before=idle)
            )
        )


def _in_tx(db: Connection, work: Callable[[], Any]) -> Any:
    with transaction(db):
        return work()
