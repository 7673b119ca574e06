"""Wipe and resync (DESIGN.md §3): when the cache key is gone, the file will not open, or the
city revoked the desk.

The backend is the system of record, so a rebuilt cache loses nothing but what was still
waiting in the outbox; the desk names that first. Because an unreadable cache cannot be asked,
a small ledger beside it lists the waiting mutations by id and kind (approval numbers, no
personal data) and is rewritten after every change to the outbox.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from center_desk.domain import Clock
from center_desk.protocol.sync import DESK_APPROVAL_PATTERN
from center_desk.store import (
    Cache,
    CacheKeyMissing,
    CacheKeyStore,
    CacheUnreadable,
    Connection,
    audit,
    meta,
    open_cache,
    outbox,
    transaction,
    wipe_cache,
)

#: A desk-issued approval number anywhere in a summary (K012-000153).
_APPROVAL_NUMBER = re.compile(
    r"\b" + DESK_APPROVAL_PATTERN.removeprefix("^").removesuffix("$") + r"\b"
)


@dataclass(frozen=True)
class WaitingWork:
    mutation_id: int
    kind: str
    summary: str
    created_at: str


@dataclass(frozen=True)
class Recovery:
    #: key_missing, unreadable or revoked
    reason: str
    #: What was still waiting to reach the backend, and is now lost.
    lost: tuple[WaitingWork, ...]
    #: False when neither the cache nor the ledger could say what was waiting.
    lost_known: bool


class OutboxLedger:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, entries: list[WaitingWork]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([asdict(e) for e in entries], handle, ensure_ascii=False)
        os.replace(temporary, self.path)

    def read(self) -> list[WaitingWork] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [WaitingWork(**item) for item in data]
        except (OSError, ValueError, TypeError):
            return None

    def refresh(self, db: Connection) -> None:
        self.write(waiting(db))


def ledger_for(cache_path: Path) -> OutboxLedger:
    return OutboxLedger(cache_path.with_name(cache_path.name + ".waiting.json"))


def waiting(db: Connection) -> list[WaitingWork]:
    return [
        WaitingWork(e.mutation_id, e.kind, e.summary, e.created_at)
        for e in outbox.pending(db, limit=100_000)
        # Audit events are not work staff could redo; they are counted, not listed.
        if e.kind != "audit_event"
    ]


def open_desk_cache(
    path: Path, key_store: CacheKeyStore, clock: Clock
) -> tuple[Cache, Recovery | None]:
    """Open the cache; when it cannot be opened, wipe it, start a fresh one, and say what was
    lost. The fresh cache pulls everything on its first sync."""
    ledger = ledger_for(path)
    try:
        return open_cache(path, key_store), None
    except (CacheKeyMissing, CacheUnreadable) as error:
        reason = "key_missing" if isinstance(error, CacheKeyMissing) else "unreadable"
    known = ledger.read()
    wipe_cache(path, key_store)
    cache = open_cache(path, key_store)
    lost = tuple(known or ())
    with transaction(cache.connection) as db:
        # The lost walk-ins' slips were printed with their approval numbers: the new cache
        # must not issue those numbers again (the backend only knows the ones it received).
        counter = highest_approval_counter(item.summary for item in lost)
        if counter:
            meta.put(db, meta.APPROVAL_COUNTER, str(counter))
        audit.record(
            db,
            event="cache_wiped",
            at=clock.now(),
            staff_id=None,
            subject=f"{reason}; {len(lost)} waiting lost",
        )
    ledger.refresh(cache.connection)
    return cache, Recovery(reason, lost, known is not None)


def highest_approval_counter(summaries: Iterable[str]) -> int:
    """The highest counter of the desk approval numbers named in ``summaries`` (0: none)."""
    return max(
        (int(m.group(2)) for text in summaries for m in _APPROVAL_NUMBER.finditer(text)),
        default=0,
    )


def wipe_revoked(cache: Cache, key_store: CacheKeyStore) -> Recovery:
    """The city revoked this desk: everything it holds goes, and it stops syncing."""
    lost = tuple(waiting(cache.connection))
    path = cache.path
    cache.close()
    wipe_cache(path, key_store)
    ledger_for(path).path.unlink(missing_ok=True)
    return Recovery("revoked", lost, True)
