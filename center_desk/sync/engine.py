"""The sync engine: push the outbox, then pull changes, on a timer that runs whether or not
there are new writes, and right after each local change (DESIGN.md §4).

The engine does the network work on the caller's thread and reaches the cache only through a
:class:`DbRunner`, so the GUI runs it on a thread of its own while one worker owns SQLCipher.
Transport errors and 5xx raise no exception out of :meth:`SyncEngine.sync_once`: they become
state (offline, with the number of mutations waiting) and a back-off for the next attempt.

What a push and a pull do to the cache is in push.py and pull.py, the backend's clock as
measured in clock_offset.py, what leaves the cache in retention.py.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from center_desk.domain import Clock
from center_desk.protocol.sync import MAX_PUSH_BATCH, MutationResult, PullResponse
from center_desk.store import Connection, StoreError, meta, outbox

from . import pull, push
from .backoff import Backoff
from .client import BackendClient
from .clock_offset import ClockOffset
from .errors import (
    DeviceRevoked,
    Offline,
    ServerUnavailable,
    SyncError,
    SyncInProgress,
    Unauthorized,
    WrongDesk,
)
from .recovery import OutboxLedger
from .report import SyncReport as SyncReport  # where it lived first; callers import it here
from .retention import RETENTION_DAYS, CacheRetention
from .runner import DbRunner
from .status import SyncStatus as SyncStatus  # where it lived first; the GUI imports status
from .sync_lock import SyncLock

log = logging.getLogger("center_desk.sync")


class SyncEngine:
    def __init__(
        self,
        db: DbRunner,
        client: BackendClient,
        clock: Clock,
        *,
        backoff: Backoff | None = None,
        on_unauthorized: Callable[[], bool] = lambda: False,
        on_revoked: Callable[[], None] = lambda: None,
        on_status: Callable[[SyncStatus], None] = lambda _: None,
        on_progress: Callable[[int, int], None] = lambda done, remaining: None,
        on_push_progress: Callable[[int, int], None] = lambda done, remaining: None,
        pull_page: int = pull.PULL_PAGE,
        push_chunk: int = push.PUSH_CHUNK,
        ledger: OutboxLedger | None = None,
        sync_lock: SyncLock | None = None,
        device_id: str | None = None,
        retention_days: int = RETENTION_DAYS,
    ) -> None:
        self._ledger = ledger
        self._db = db
        self._client = client
        self._clock = clock
        self.backoff = backoff or Backoff()
        self._on_unauthorized = on_unauthorized
        self._on_revoked = on_revoked
        self._on_status = on_status
        self._on_progress = on_progress
        self._on_push_progress = on_push_progress
        self._pull_page = pull_page
        self._push_chunk = max(1, min(push_chunk, MAX_PUSH_BATCH))
        self._lock = sync_lock
        #: The device this desk is enrolled as (its settings): a cache filled for another is
        #: never pushed from.
        self._device_id = device_id
        self._retention = CacheRetention(db, clock, retention_days)
        self._retained_at_start = False
        self._offset = ClockOffset()
        #: Whether the sync under way wrote to the cache (a pulled page, push results).
        self._wrote = False
        self.status = SyncStatus()

    # --- the loop -----------------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """One push and one pull. Never raises: failures become ``report.error`` and
        ``status`` (the network ones also a back-off)."""
        report = SyncReport()
        if self._lock is not None and not self._lock.acquire():
            report.error = SyncInProgress.__name__
            log.info("sync skipped: another sync of this cache is running")
            return report
        try:
            return self._sync_reported(report)
        finally:
            if self._lock is not None:
                self._lock.release()

    def _sync_reported(self, report: SyncReport) -> SyncReport:
        try:
            self._with_reauth(lambda: self._sync(report))
        except (Offline, ServerUnavailable) as exc:
            self.backoff.failure(exc.retry_after if isinstance(exc, ServerUnavailable) else None)
            report.error = type(exc).__name__
            self._set_status(online=False, last_error=report.error)
            log.info(
                "sync deferred: %s (retry in about %.0fs)", report.error, self.backoff.next_delay()
            )
            return report
        except DeviceRevoked:
            report.error = "DeviceRevoked"
            self._set_status(revoked=True, online=True, last_error=report.error)
            self._on_revoked()
            return report
        except Unauthorized:
            self.backoff.failure()
            report.error = "Unauthorized"
            self._set_status(unauthorized=True, online=True, last_error=report.error)
            return report
        except SyncError as exc:
            self.backoff.failure()
            report.error = type(exc).__name__
            self._set_status(online=True, last_error=report.error)
            log.warning("sync failed: %s", report.error)
            return report
        except StoreError as exc:
            # The cache refused (a full disk, say): nothing was half-written; try again later.
            self.backoff.failure()
            report.error = type(exc).__name__
            self._set_status(last_error=report.error)
            log.warning("sync stopped by the cache: %s", report.error)
            return report
        except Exception as exc:
            # A bug must not take the sync loop (or the CLI) down with a traceback that may
            # hold data: the kind and where, for IT; the message stays out of the log.
            self.backoff.failure()
            report.error = f"Unexpected:{type(exc).__name__}"
            self._set_status(last_error=report.error)
            log.error(
                "sync failed unexpectedly: %s\n%s",
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            return report
        self.backoff.success()
        # The counts are those _sync read last (refresh_status): not read a second time.
        self._set_status(
            online=True,
            last_error="",
            unauthorized=False,
            last_sync_at=self._clock.now(),
            pending=self.status.pending,
            needs_attention=self.status.needs_attention,
        )
        return report

    def next_delay(self) -> float:
        return self.backoff.next_delay()

    def _with_reauth(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Unauthorized:
            # 401: sign in again (a fresh device or staff token), then retry once.
            if not self._on_unauthorized():
                raise
            work()

    def _sync(self, report: SyncReport) -> None:
        self._wrote = False
        if not self._retained_at_start:
            self.retain()
            self._retained_at_start = True
        self._check_device()
        if not self._db(lambda db: meta.get(db, meta.OUTBOX_FLOOR_KNOWN) == "1"):
            # A new or rebuilt cache must learn where this device's ids continue before it
            # pushes, or the backend would take new mutations for old ones.
            self._pull(report)
        self._push(report)
        if report.pushed:
            self.retain()
        reopened = report.reopened
        self._pull(report)
        if report.reopened > reopened:
            # The backend was restored from a backup and lost mutations it had applied: they
            # are waiting again, and go now rather than at the next sync.
            self._push(report)
            self._pull(report)
        self._retention.purge_if_due(wrote=self._wrote)
        if self._ledger is not None and self._wrote:
            # Only what this sync changed in the outbox (results, a rebase, mutations
            # reopened) is news to the ledger; local changes refresh it as they are made.
            self._db(self._ledger.refresh)
        self.refresh_status()

    def _check_device(self) -> None:
        if self._device_id is None:
            return
        known = self._db(lambda db: meta.get(db, meta.DEVICE_ID))
        if known is not None and known != self._device_id:
            raise WrongDesk("the cache was filled for another device")

    # --- push ---------------------------------------------------------------------------

    def _push(self, report: SyncReport) -> None:
        renumbered = False
        after = 0
        done = 0
        while True:
            entries = self._db(partial(outbox.pending_after, after=after, limit=self._push_chunk))
            if not entries:
                return
            response = self._client.push(push.envelopes(entries), sent_at=self._clock.now())
            self._measure(response.server_time)
            self._db(partial(self._apply_results, results=response.results, report=report))
            done += len(response.results)
            self._on_push_progress(done, self._db(outbox.pending_count))
            if response.stopped_at_gap and not response.results:
                if renumbered:
                    raise SyncError("the backend keeps reporting a gap")
                # Our ids do not continue the backend's: a cache restored from an older copy
                # (ids beyond its next one), or a backend restored from an older backup (it
                # lost mutations it had applied): close the gap, sending those again.
                floor = response.last_applied_id
                report.reopened += self._db(partial(push.close_gap, floor=floor))
                renumbered = True
                after = 0
                continue
            if response.stopped_at_gap or len(entries) < self._push_chunk:
                return
            after = entries[-1].mutation_id

    def _apply_results(
        self, db: Connection, results: list[MutationResult], report: SyncReport
    ) -> None:
        self._wrote = True
        push.apply_results(db, results, report, self._offset)

    # --- pull ---------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        cursor = self._db(lambda db: meta.get(db, meta.PULL_CURSOR))
        pull.pull_pages(
            self._client,
            cursor,
            self._pull_page,
            lambda page, done: self._take_page(page, report, done),
        )

    def _take_page(self, page: PullResponse, report: SyncReport, done: int) -> int:
        """Apply one pulled page and report it; returns how many changes are done so far."""
        self._measure(page.server_time)
        # Each page commits with its cursor: an interruption after page N resumes at N+1
        # and keeps what N pages brought (DESIGN.md §4).
        report.reopened += self._db(partial(self._apply_page, page=page))
        report.pulled += len(page.changes)
        report.snapshot = report.snapshot or page.snapshot
        done += len(page.changes)
        self._on_progress(done, page.remaining)
        return done

    def _apply_page(self, db: Connection, page: PullResponse) -> int:
        """Apply one page with its cursor; returns how many applied mutations the backend
        turned out to have lost (they wait to be pushed again)."""
        if pull.changes_nothing(db, page) and not self._offset.due(db):
            # Most pulls: nothing new, and the cache already holds this cursor and this desk
            # state. No transaction, so no commit and no fsync (issue 13).
            return 0
        self._wrote = True
        return pull.apply_page(db, page, now=self._clock.now().isoformat(), offset=self._offset)

    def retain(self) -> tuple[int, int]:
        """Retention: applied mutations and synced audit events older than the retention
        period leave the cache, and lock drafts from before yesterday
        (:func:`retention.drafts_kept_from`). Returns how many mutations and audit events
        went."""
        return self._retention.retain()

    # --- status -------------------------------------------------------------------------

    def _measure(self, server_time: datetime) -> None:
        self._offset.measured = server_time - self._clock.now()
        self.status = replace(self.status, clock_offset=self._offset.measured)

    def refresh_status(self) -> SyncStatus:
        pending, attention = self._db(
            lambda db: (outbox.pending_count(db), len(outbox.needs_attention(db)))
        )
        return self._set_status(pending=pending, needs_attention=attention)

    def _set_status(self, **changes: Any) -> SyncStatus:
        if "pending" not in changes:
            try:
                changes["pending"] = self._db(outbox.pending_count)
                changes["needs_attention"] = self._db(lambda db: len(outbox.needs_attention(db)))
            except StoreError as exc:
                # The counts stay as last known; the error itself is reported by the caller.
                log.warning("sync status without counts: %s", type(exc).__name__)
        self.status = replace(self.status, **changes)
        self._on_status(self.status)
        return self.status
