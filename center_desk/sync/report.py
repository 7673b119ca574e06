"""What one sync did (:meth:`engine.SyncEngine.sync_once`): counts of what went each way, the
mutations the backend refused, and the error that stopped it, if any. Filled in by the push
(push.py) and the pull (pull.py) as they go."""

from __future__ import annotations

from dataclasses import dataclass, field

from center_desk.protocol.sync import MutationResult


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    rejected: list[MutationResult] = field(default_factory=list)
    pulled: int = 0
    snapshot: bool = False
    #: Outbox rows settled as already applied, or sent again after a restored backend.
    reopened: int = 0
    error: str = ""
