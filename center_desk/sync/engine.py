"""The sync engine: push the outbox, then pull changes, on a timer that runs whether or not
there are new writes, and right after each local change (DESIGN.md §4).

The engine does the network work on the caller's thread and reaches the cache only through a
:class:`DbRunner`, so the GUI runs it on a thread of its own while one worker owns SQLCipher.
Transport errors and 5xx raise no exception out of :meth:`SyncEngine.sync_once`: they become
state (offline, with the number of mutations waiting) and a back-off for the next attempt.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from center_desk.domain import TOKYO, Clock, tokyo_date
from center_desk.protocol.sync import (
    MAX_PULL_PAGE,
    MAX_PUSH_BATCH,
    AuditEventIn,
    DeskState,
    LastMinuteBooking,
    MutationBody,
    MutationEnvelope,
    MutationResult,
    PullResponse,
)
from center_desk.store import Connection, StoreError, audit, meta, mirror, outbox, transaction
from center_desk.store import reservations as cached

from .backoff import Backoff
from .client import BackendClient
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
from .runner import DbRunner
from .status import SyncStatus as SyncStatus  # where it lived first; the GUI imports status
from .sync_lock import SyncLock

log = logging.getLogger("center_desk.sync")

#: Changes per pull request: the most the backend serves. A snapshot page costs the backend a
#: few queries whatever its size, and each page is a round trip and a committed (fsynced)
#: transaction on the desk, so a first sync of 18,000 rows takes 5 pages rather than 19
#: (issue 13). A page still commits with its cursor, so an interrupted snapshot resumes.
PULL_PAGE = MAX_PULL_PAGE
#: The first page of a pull: most pulls are this or less; a snapshot's first page arrives
#: sooner, and the desk is writing it while the backend builds the next.
FIRST_PULL_PAGE = 1000
#: Mutations per push request: small enough that a loaded 2-core server answers each well
#: inside the desk's 10 s timeout, large enough that 1,000 waiting mutations take ten requests.
PUSH_CHUNK = 100
#: Applied outbox rows and synced audit events are kept this many days, then purged: the
#: backend has them, and their payloads name people.
RETENTION_DAYS = 30


def drafts_kept_from(now: datetime) -> datetime:
    """The oldest lock draft worth keeping: one kept yesterday or today (Japan time).

    A draft is what staff typed for a citizen at the counter when the desk locked. It is of use
    when staff come back to it, the same day or, after a lock at closing time, the next
    morning; after that the citizen has long gone and the draft is only a name and address
    lying in the cache, so it does not wait for the 30-day retention of sent changes.
    """
    yesterday = tokyo_date(now) - timedelta(days=1)
    return datetime.combine(yesterday, time(0, 0), tzinfo=TOKYO)


#: Reservations older than this leave the cache; groups unseen this long lose their data.
KEEP_DAYS_BACK = 30
GROUP_IDLE_DAYS = 90
#: That purge runs after every sync that brought or sent something, and otherwise at most
#: this often: its scope moves by days, and a sync with nothing new, every few seconds, paid
#: for two scans of the cache each time (issue 13).
PURGE_EVERY = timedelta(hours=1)
#: The cache's copy of the backend's clock offset is rewritten when it has moved this much.
#: The desk corrects its clock only beyond CLOCK_TOLERANCE (two minutes); rewriting a value
#: that moves by microseconds made every sync, even one with nothing new, a committed write.
OFFSET_STEP = timedelta(seconds=1)


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
        pull_page: int = PULL_PAGE,
        push_chunk: int = PUSH_CHUNK,
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
        self._retention = timedelta(days=retention_days)
        self._retained_at_start = False
        #: Backend clock minus desk clock, measured at the last reply; stored in the cache
        #: with the next write, not in a transaction of its own.
        self._offset: timedelta | None = None
        #: When this engine last ran the data-minimisation purge (None: not yet).
        self._purged_at: datetime | None = None
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
        now = self._clock.now()
        if self._wrote or self._purged_at is None or abs(now - self._purged_at) >= PURGE_EVERY:
            self._purge()
            self._purged_at = now
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
            envelopes = [
                MutationEnvelope(
                    id=e.mutation_id,
                    created_at=datetime.fromisoformat(e.created_at),
                    staff_id=e.staff_id,
                    body=e.body.model_dump(mode="json"),
                )
                for e in entries
            ]
            response = self._client.push(envelopes, sent_at=self._clock.now())
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
                report.reopened += self._db(partial(_close_gap, floor=floor))
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
        with transaction(db):
            self._store_offset(db)
            for result in results:
                entry = outbox.get(db, result.id)
                if entry is None or entry.state != "pending":
                    continue
                report.pushed += 1
                rejected = result.status == "rejected" or (
                    result.status == "duplicate" and result.reason_code is not None
                )
                if rejected:
                    code = result.reason_code or "rejected"
                    outbox.mark_rejected(db, result.id, code, result.message)
                    _undo(db, entry.body, entry.undo, code)
                    report.rejected.append(result)
                else:
                    outbox.mark_applied(db, result.id)
                    _settle(db, entry.body)
                    if result.status == "duplicate":
                        report.duplicates += 1
                    else:
                        report.applied += 1

    # --- pull ---------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        cursor = self._db(lambda db: meta.get(db, meta.PULL_CURSOR))
        # The first page is a small one: until it arrives the desk has nothing to write, and
        # the larger pages that follow are built by the backend while it writes (below).
        page = self._client.pull(cursor, min(self._pull_page, FIRST_PULL_PAGE))
        if not page.has_more:
            self._take_page(page, report, 0)
            return
        # Several pages (a snapshot, a long time offline): the next page is asked for while
        # this one is written, so the backend builds it while the desk's disk is busy rather
        # than both waiting on each other (issue 13). It asks from this page's cursor, which is
        # what the cache holds once this page commits; should the commit fail, the page
        # fetched ahead is dropped with the error and the next sync asks again from the cache.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead") as ahead:
            done = 0
            while True:
                following = (
                    ahead.submit(self._client.pull, page.cursor, self._pull_page)
                    if page.has_more
                    else None
                )
                try:
                    done = self._take_page(page, report, done)
                except BaseException:
                    if following is not None:
                        following.cancel()
                    raise
                if following is None:
                    return
                page = following.result()

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
        if _changes_nothing(db, page) and not self._offset_due(db):
            # Most pulls: nothing new, and the cache already holds this cursor and this desk
            # state. No transaction, so no commit and no fsync (issue 13).
            return 0
        self._wrote = True
        now = self._clock.now().isoformat()
        reopened = 0
        with transaction(db):
            _check_desk(db, page.desk)
            if page.snapshot_started:
                mirror.begin_snapshot(db)
            mirror.apply_changes(db, page.changes, now)
            if page.snapshot and not page.has_more:
                gone = mirror.finish_snapshot(db)
                if gone:
                    log.info("snapshot complete: %d rows no longer upstream removed", gone)
            desk = page.desk
            meta.put(db, meta.PULL_CURSOR, page.cursor)
            meta.put(db, meta.CENTER_ID, desk.center_id)
            meta.put(db, meta.DEVICE_ID, desk.device_id)
            meta.put(db, meta.DEVICE_NUMBER, str(desk.device_number))
            counter = max(meta.get_int(db, meta.APPROVAL_COUNTER), desk.last_approval_counter)
            meta.put(db, meta.APPROVAL_COUNTER, str(counter))
            if meta.get(db, meta.OUTBOX_FLOOR_KNOWN) != "1":
                outbox.rebase(db, desk.last_mutation_id)
                meta.put(db, meta.OUTBOX_FLOOR_KNOWN, "1")
            elif desk.last_mutation_id < outbox.highest_applied(db):
                # The backend's last id for us went back: it was restored from a backup.
                reopened = outbox.reopen_lost(db, desk.last_mutation_id)
                outbox.rebase(db, desk.last_mutation_id)
                log.warning("the backend lost %d applied mutation(s); sending again", reopened)
            self._store_offset(db)
        return reopened

    def _purge(self) -> None:
        today = self._clock.now().date()
        keep_from = (today - timedelta(days=KEEP_DAYS_BACK)).isoformat()
        idle = (self._clock.now() - timedelta(days=GROUP_IDLE_DAYS)).isoformat()
        self._db(
            lambda db: _in_tx(
                db, lambda: mirror.purge_stale(db, keep_from=keep_from, group_idle_before=idle)
            )
        )

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

    # --- status -------------------------------------------------------------------------

    def _measure(self, server_time: datetime) -> None:
        self._offset = server_time - self._clock.now()
        self.status = replace(self.status, clock_offset=self._offset)

    def _offset_due(self, db: Connection) -> bool:
        """Whether the measured clock offset differs from the cache's copy by OFFSET_STEP."""
        if self._offset is None:
            return False
        kept = meta.server_clock_offset(db)
        return kept is None or abs(self._offset - kept) >= OFFSET_STEP

    def _store_offset(self, db: Connection) -> None:
        if self._offset_due(db):
            assert self._offset is not None
            meta.put(db, meta.SERVER_CLOCK_OFFSET, str(self._offset.total_seconds()))

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


def _changes_nothing(db: Connection, page: PullResponse) -> bool:
    """Whether applying ``page`` would leave the cache as it is: no changes, no snapshot, the
    cursor the cache holds, the desk state it holds (so no other device's, no rebase, no
    mutation the backend lost)."""
    if page.changes or page.snapshot or page.has_more:
        return False
    desk = page.desk
    counter = meta.get(db, meta.APPROVAL_COUNTER)
    return (
        meta.get(db, meta.PULL_CURSOR) == page.cursor
        and meta.get(db, meta.CENTER_ID) == desk.center_id
        and meta.get(db, meta.DEVICE_ID) == desk.device_id
        and meta.get(db, meta.DEVICE_NUMBER) == str(desk.device_number)
        and counter is not None
        and counter.isdigit()
        and int(counter) >= desk.last_approval_counter
        and meta.get(db, meta.OUTBOX_FLOOR_KNOWN) == "1"
        and desk.last_mutation_id >= outbox.highest_applied(db)
    )


def _check_desk(db: Connection, desk: DeskState) -> None:
    known = meta.get(db, meta.DEVICE_ID)
    if known is not None and known != desk.device_id:
        raise WrongDesk("the cache was filled for another device")


def _close_gap(db: Connection, floor: int) -> int:
    with transaction(db):
        reopened = outbox.reopen_lost(db, floor)
        outbox.rebase(db, floor)
        return reopened


def _in_tx(db: Connection, work: Callable[[], Any]) -> Any:
    with transaction(db):
        return work()


def _settle(db: Connection, body: MutationBody) -> None:
    """The backend took it: the local row stops being 'pending' unless another mutation for
    it is still waiting; an audit event is marked synced (for retention)."""
    if isinstance(body, AuditEventIn):
        audit.mark_synced(db, str(body.event_id))
        return
    reservation_id = outbox.reservation_of(body)
    if reservation_id is None:
        return
    if not outbox.waiting_for_reservation(db, reservation_id):
        cached.settle(db, reservation_id)


def _undo(db: Connection, body: MutationBody, undo: dict[str, Any] | None, code: str) -> None:
    """A rejected mutation's local effect is taken back; the mutation itself stays in the
    outbox, marked rejected, for staff to act on (要対応)."""
    reservation_id = outbox.reservation_of(body)
    if reservation_id is None:
        return
    if isinstance(body, LastMinuteBooking):
        # Its local effect is a reservation row the desk created.
        cached.refuse_booking(db, reservation_id, code)
        return
    if undo:
        cached.restore(db, reservation_id, undo)
    cached.end_waiting(db, reservation_id)
