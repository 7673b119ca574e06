"""The backend's clock as the desk last measured it (DESIGN.md §4: the server's clock decides,
and the desk warns when its own is off by more than two minutes).

Every reply carries the backend's time; the offset is kept in memory and written to the cache
with the next write the sync makes anyway, never in a transaction of its own.
"""

from __future__ import annotations

from datetime import timedelta

from center_desk.store import Connection, meta

#: The cache's copy of the backend's clock offset is rewritten when it has moved this much.
#: The desk corrects its clock only beyond CLOCK_TOLERANCE (two minutes); rewriting a value
#: that moves by microseconds made every sync, even one with nothing new, a committed write.
OFFSET_STEP = timedelta(seconds=1)


class ClockOffset:
    def __init__(self) -> None:
        #: Backend clock minus desk clock, measured at the last reply (None: no reply yet).
        self.measured: timedelta | None = None

    def due(self, db: Connection) -> bool:
        """Whether the measured clock offset differs from the cache's copy by OFFSET_STEP."""
        if self.measured is None:
            return False
        kept = meta.server_clock_offset(db)
        return kept is None or abs(self.measured - kept) >= OFFSET_STEP

    def store(self, db: Connection) -> None:
        """Write the measured offset into the cache, inside the caller's transaction, when it
        is :meth:`due`."""
        if self.due(db):
            assert self.measured is not None
            meta.put(db, meta.SERVER_CLOCK_OFFSET, str(self.measured.total_seconds()))
