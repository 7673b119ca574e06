"""Wipe and resync (DESIGN.md §3): when the cache key is gone, the file will not open, or the
city revoked the desk.

The backend is the system of record, so a rebuilt cache loses nothing but what was still
waiting in the outbox; the desk names that first. Because an unreadable cache cannot be asked,
a small ledger beside it lists the waiting mutations by id and kind (approval numbers, no
personal data) and is rewritten after every change to the outbox.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from center_desk.domain import Clock
from center_desk.store import (
    Cache,
    CacheKeyMissing,
    CacheKeyStore,
    CacheUnreadable,
    Connection,
    MalformedKey,
    StoreError,
    audit,
    cache_id_for,
    companion_paths,
    meta,
    open_cache,
    outbox,
    transaction,
    wipe_cache,
)
from center_desk.store.salvage import read_pending_outbox


@functools.cache
def _approval_number() -> re.Pattern[str]:
    """A desk-issued approval number anywhere in a summary (K012-000153). Built on first use:
    the protocol package loads pydantic, which opening the cache at start need not wait for."""
    from center_desk.protocol.sync import DESK_APPROVAL_PATTERN

    return re.compile(r"\b" + DESK_APPROVAL_PATTERN.removeprefix("^").removesuffix("$") + r"\b")


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
        # Audit events too: after a loss they are counted, so the ledger must hold them.
        self.write(waiting(db, audit_events=True))


def ledger_for(cache_path: Path) -> OutboxLedger:
    return OutboxLedger(cache_path.with_name(cache_path.name + ".waiting.json"))


def waiting(db: Connection, *, audit_events: bool = False) -> list[WaitingWork]:
    return [
        WaitingWork(e.mutation_id, e.kind, e.summary, e.created_at)
        for e in outbox.pending(db, limit=100_000)
        # Audit events are not work staff could redo; they are counted, not listed.
        if audit_events or e.kind != "audit_event"
    ]


#: Days a cache set aside by "start a fresh cache" is kept, with its key, for the city's IT.
SET_ASIDE_DAYS = 30
SET_ASIDE_FOLDER = "set-aside"
_STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True)
class CacheTrouble:
    """A cache that will not open, waiting for a person to decide (DESIGN.md §3): nothing has
    been moved or deleted yet. ``waiting`` is what had not reached the backend (the work staff
    could redo, from the cache's outbox where it still reads, else from the ledger);
    ``audit_events`` counts the waiting audit events; ``salvaged`` are the outbox rows that
    still read, payloads and all, to be pushed from a fresh cache."""

    reason: str
    path: Path
    waiting: tuple[WaitingWork, ...]
    audit_events: int
    salvaged: tuple[outbox.OutboxEntry, ...]
    #: False when neither the cache nor the ledger could say what was waiting.
    known: bool


class CacheNeedsDecision(StoreError):
    """The cache will not open. Staff choose: try again (after IT restores the key) or start
    a fresh cache, the old one kept aside for IT (:func:`start_fresh`)."""

    def __init__(self, trouble: CacheTrouble) -> None:
        super().__init__(f"the desk cache {trouble.path.name} cannot be opened ({trouble.reason})")
        self.trouble = trouble


def open_desk_cache(
    path: Path, key_store: CacheKeyStore, clock: Clock
) -> tuple[Cache, Recovery | None]:
    """Open the cache. When it cannot be opened, nothing is deleted: raises
    :class:`CacheNeedsDecision` naming what is waiting. (The second element of the result is
    kept for callers that show a recovery made by :func:`start_fresh`; it is None here.)"""
    try:
        return open_cache(path, key_store), None
    except (CacheKeyMissing, CacheUnreadable) as error:
        reason = "key_missing" if isinstance(error, CacheKeyMissing) else "unreadable"
    raise CacheNeedsDecision(inspect_unreadable(path, key_store, reason))


def inspect_unreadable(path: Path, key_store: CacheKeyStore, reason: str) -> CacheTrouble:
    """What the unreadable cache still tells: its outbox where the pages read, else the
    ledger beside it. Reads only; never writes to the damaged file."""
    salvaged = _salvage(path, key_store)
    ledger = ledger_for(path).read()
    if salvaged is not None:
        entries = tuple(salvaged)
        work = tuple(
            WaitingWork(e.mutation_id, e.kind, e.summary, e.created_at)
            for e in entries
            if e.kind != "audit_event"
        )
        audits = sum(1 for e in entries if e.kind == "audit_event")
        # A row the damaged pages hide but the ledger names is waiting too, without payload.
        read_ids = {e.mutation_id for e in entries}
        extra = tuple(w for w in ledger or () if w.mutation_id not in read_ids)
        work += tuple(w for w in extra if w.kind != "audit_event")
        audits += sum(1 for w in extra if w.kind == "audit_event")
        return CacheTrouble(reason, path, work, audits, entries, True)
    if ledger is None:
        return CacheTrouble(reason, path, (), 0, (), False)
    work = tuple(w for w in ledger if w.kind != "audit_event")
    audits = sum(1 for w in ledger if w.kind == "audit_event")
    return CacheTrouble(reason, path, work, audits, (), True)


def _salvage(path: Path, key_store: CacheKeyStore) -> list[outbox.OutboxEntry] | None:
    """The pending outbox rows that still read (None: none could be read at all)."""
    try:
        key = key_store.load_key(cache_id_for(path))
    except (MalformedKey, StoreError):
        return None
    if key is None:
        return None
    return read_pending_outbox(path, key)


def start_fresh(
    trouble: CacheTrouble, key_store: CacheKeyStore, clock: Clock
) -> tuple[Cache, Recovery]:
    """Staff chose a fresh cache: the old file moves aside with its key (for IT, kept
    :data:`SET_ASIDE_DAYS` days), a new cache is made, the salvaged mutations go into its
    outbox to be pushed, and what could not be salvaged is named as lost."""
    path = trouble.path
    aside = set_aside(path, key_store, clock, trouble.reason)
    cache = open_cache(path, key_store)
    salvaged_ids = {e.mutation_id for e in trouble.salvaged if e.kind != "audit_event"}
    lost = tuple(w for w in trouble.waiting if w.mutation_id not in salvaged_ids)
    with transaction(cache.connection) as db:
        outbox.add_salvaged(db, list(trouble.salvaged))
        # The lost and salvaged walk-ins' slips were printed with their approval numbers: the
        # new cache must not issue those numbers again.
        summaries = [w.summary for w in trouble.waiting] + [e.summary for e in trouble.salvaged]
        counter = highest_approval_counter(summaries)
        if counter:
            meta.put(db, meta.APPROVAL_COUNTER, str(counter))
        audit.record(
            db,
            event="cache_set_aside",
            at=clock.now(),
            staff_id=None,
            subject=(
                f"{trouble.reason}; {len(trouble.salvaged)} salvaged, {len(lost)} lost;"
                f" {aside.name}"
            )[:128],
        )
    ledger_for(path).refresh(cache.connection)
    return cache, Recovery(trouble.reason, lost, trouble.known)


def set_aside(path: Path, key_store: CacheKeyStore, clock: Clock, reason: str) -> Path:
    """Move the cache file (and its WAL) into a dated folder beside it, its key refiled
    under the moved file's id. Returns the folder."""
    stamp = clock.now().strftime(_STAMP)
    folder = path.parent / SET_ASIDE_FOLDER / f"{stamp}-{reason}"
    n = 1
    while folder.exists():
        n += 1
        folder = path.parent / SET_ASIDE_FOLDER / f"{stamp}-{reason}-{n}"
    folder.mkdir(parents=True, mode=0o700)
    target = folder / path.name
    try:
        key = key_store.load_key(cache_id_for(path))
    except MalformedKey:
        key = None
    if key is not None:
        key_store.store_key(cache_id_for(target), key)
    for source in (path, *companion_paths(path)):
        if source.exists():
            os.replace(source, folder / source.name)
    ledger = ledger_for(path)
    if ledger.path.exists():
        shutil.copy2(ledger.path, folder / ledger.path.name)
    # The old key stays only under the moved file's id; the fresh cache gets its own.
    key_store.delete_key(cache_id_for(path))
    return folder


def purge_set_aside(
    data_dir: Path, key_store: CacheKeyStore, clock: Clock, keep_days: int = SET_ASIDE_DAYS
) -> int:
    """Delete caches set aside more than ``keep_days`` ago, and their keys (the retention
    staff were told of when they chose a fresh cache). Returns how many."""
    root = data_dir / SET_ASIDE_FOLDER
    if not root.is_dir():
        return 0
    cutoff = clock.now() - timedelta(days=keep_days)
    removed = 0
    for folder in sorted(root.iterdir()):
        # The folder's name carries when it was set aside, on the desk's clock.
        try:
            stamp = datetime.strptime(folder.name[:15], _STAMP).replace(tzinfo=cutoff.tzinfo)
        except ValueError:
            continue
        if not folder.is_dir() or stamp >= cutoff:
            continue
        for item in folder.iterdir():
            if item.suffix == ".sqlcipher":
                key_store.delete_key(cache_id_for(item))
        shutil.rmtree(folder)
        removed += 1
    return removed


def highest_approval_counter(summaries: Iterable[str]) -> int:
    """The highest counter of the desk approval numbers named in ``summaries`` (0: none)."""
    return max(
        (int(m.group(2)) for text in summaries for m in _approval_number().finditer(text)),
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
