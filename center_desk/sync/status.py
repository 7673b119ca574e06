"""What the GUI shows of the sync in its status bar (:class:`SyncStatus`).

A module of its own, apart from the engine: the window shows a status from its first paint,
and the engine (with the wire models it parses, pydantic) is made only after it (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from center_desk.domain.offline_time import CLOCK_TOLERANCE


@dataclass(frozen=True)
class SyncStatus:
    """What the GUI shows in its status bar, always."""

    online: bool | None = None  # None: not tried yet
    pending: int = 0
    needs_attention: int = 0
    last_sync_at: datetime | None = None
    last_error: str = ""
    #: Backend clock minus desk clock, at the last contact.
    clock_offset: timedelta | None = None
    revoked: bool = False
    unauthorized: bool = False

    @property
    def clock_warning(self) -> bool:
        return self.clock_offset is not None and abs(self.clock_offset) > CLOCK_TOLERANCE
