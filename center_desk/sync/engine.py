"""The sync engine: push the outbox, then pull changes, on a timer that runs whether or not
there are new writes, and right after each local change (DESIGN.md §4).

The engine does the network work on the caller's thread and reaches the cache only through a
:class:`DbRunner`, so the GUI runs it on a thread of its own while one worker owns SQLCipher.
Transport errors and 5xx raise no exception out of :meth:`SyncEngine.sync_once`: they become
state (offline, with the number of mutations waiting) and a back-off for the next attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from center_desk.domain import Clock
from center_desk.protocol.sync import (
    MAX_PUSH_BATCH,
    MutationEnvelope,
    MutationResult,
    PullResponse,
)
from center_desk.store import Connection, meta, mirror, outbox, transaction
from center_desk.store import reservations as cached

from .backoff import Backoff
from .client import BackendClient
from .errors import DeviceRevoked, Offline, ServerUnavailable, SyncError, Unauthorized
from .recovery import OutboxLedger
from .runner import DbRunner

log = logging.getLogger("center_desk.sync")

#: The desk warns when its clock and the backend's differ by more than this.
CLOCK_TOLERANCE = timedelta(minutes=2)
PULL_PAGE = 1000
#: Reservations older than this leave the cache; groups unseen this long lose their data.
KEEP_DAYS_BACK = 30
GROUP_IDLE_DAYS = 90

#: Kinds of mutation whose local effect is a reservation row the desk created.
_BOOKING_KINDS = {"last_minute_booking"}


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


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    rejected: list[MutationResult] = field(default_factory=list)
    pulled: int = 0
    snapshot: bool = False
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
        pull_page: int = PULL_PAGE,
        ledger: OutboxLedger | None = None,
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
        self._pull_page = pull_page
        self.status = SyncStatus()

    # --- the loop -----------------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """One push and one pull. Never raises for the network: see ``status``."""
        report = SyncReport()
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
        self.backoff.success()
        self._set_status(
            online=True, last_error="", unauthorized=False, last_sync_at=self._clock.now()
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
        if not self._db(lambda db: meta.get(db, meta.OUTBOX_FLOOR_KNOWN) == "1"):
            # A new or rebuilt cache must learn where this device's ids continue before it
            # pushes, or the backend would take new mutations for old ones.
            self._pull(report)
        self._push(report)
        self._pull(report)
        self._purge()
        if self._ledger is not None:
            self._db(self._ledger.refresh)
        self.refresh_status()

    # --- push ---------------------------------------------------------------------------

    def _push(self, report: SyncReport) -> None:
        renumbered = False
        while True:
            entries = self._db(lambda db: outbox.pending(db, MAX_PUSH_BATCH))
            if not entries:
                return
            envelopes = [
                MutationEnvelope(
                    id=e.mutation_id,
                    created_at=datetime.fromisoformat(e.created_at),
                    staff_id=e.staff_id,
                    body=e.body,
                )
                for e in entries
            ]
            response = self._client.push(envelopes)
            self._note_clock(response.server_time)
            report.pushed += len(response.results)
            self._db(partial(self._apply_results, results=response.results, report=report))
            if response.stopped_at_gap and not response.results:
                if renumbered:
                    raise SyncError("the backend keeps reporting a gap")
                # Our ids start beyond the backend's next one (a restored cache): close the
                # gap by renumbering what the backend has never seen.
                floor = response.last_applied_id
                self._db(partial(_rebase, floor=floor))
                renumbered = True
                continue
            if response.stopped_at_gap or len(entries) < MAX_PUSH_BATCH:
                return

    def _apply_results(
        self, db: Connection, results: list[MutationResult], report: SyncReport
    ) -> None:
        with transaction(db):
            for result in results:
                entry = outbox.get(db, result.id)
                if entry is None or entry.state != "pending":
                    continue
                rejected = result.status == "rejected" or (
                    result.status == "duplicate" and result.reason_code is not None
                )
                if rejected:
                    code = result.reason_code or "rejected"
                    outbox.mark_rejected(db, result.id, code, result.message)
                    _undo(db, entry.kind, entry.body, entry.undo, code)
                    report.rejected.append(result)
                else:
                    outbox.mark_applied(db, result.id)
                    _settle(db, entry.kind, entry.body)
                    if result.status == "duplicate":
                        report.duplicates += 1
                    else:
                        report.applied += 1

    # --- pull ---------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        done = 0
        first_page = True
        while True:
            cursor = self._db(lambda db: meta.get(db, meta.PULL_CURSOR))
            page = self._client.pull(cursor, self._pull_page)
            self._note_clock(page.server_time)
            clear = page.snapshot and first_page
            self._db(partial(self._apply_page, page=page, clear=clear))
            report.pulled += len(page.changes)
            report.snapshot = report.snapshot or page.snapshot
            done += len(page.changes)
            self._on_progress(done, page.remaining)
            first_page = False
            if not page.has_more:
                return

    def _apply_page(self, db: Connection, page: PullResponse, *, clear: bool) -> None:
        now = self._clock.now().isoformat()
        with transaction(db):
            if clear:
                mirror.clear_mirror(db)
            for change in page.changes:
                mirror.apply_change(db, change.entity, change.op, change.id, change.data, now)
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

    def _purge(self) -> None:
        today = self._clock.now().date()
        keep_from = (today - timedelta(days=KEEP_DAYS_BACK)).isoformat()
        idle = (self._clock.now() - timedelta(days=GROUP_IDLE_DAYS)).isoformat()
        self._db(
            lambda db: _in_tx(
                db, lambda: mirror.purge_stale(db, keep_from=keep_from, group_idle_before=idle)
            )
        )

    # --- status -------------------------------------------------------------------------

    def _note_clock(self, server_time: datetime) -> None:
        offset = server_time - self._clock.now()
        self._db(
            lambda db: _in_tx(
                db, lambda: meta.put(db, meta.SERVER_CLOCK_OFFSET, str(offset.total_seconds()))
            )
        )
        self.status = replace(self.status, clock_offset=offset)

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
            except Exception:
                pass
        self.status = replace(self.status, **changes)
        self._on_status(self.status)
        return self.status


def _rebase(db: Connection, floor: int) -> int:
    with transaction(db):
        return outbox.rebase(db, floor)


def _in_tx(db: Connection, work: Callable[[], Any]) -> Any:
    with transaction(db):
        return work()


def _reservation_id(body: dict[str, Any]) -> str | None:
    if "reservation" in body:
        value = body["reservation"].get("id")
        return str(value) if value else None
    value = body.get("reservation_id")
    return str(value) if value else None


def _settle(db: Connection, kind: str, body: dict[str, Any]) -> None:
    """The backend took it: the local row stops being 'pending' unless another mutation for
    it is still waiting."""
    reservation_id = _reservation_id(body)
    if reservation_id is None:
        return
    if not outbox.waiting_for_reservation(db, reservation_id):
        db.execute(
            "UPDATE reservations SET sync_state = 'synced' WHERE id = ? AND sync_state <> "
            "'rejected'",
            (reservation_id,),
        )


def _undo(
    db: Connection, kind: str, body: dict[str, Any], undo: dict[str, Any] | None, code: str
) -> None:
    """A rejected mutation's local effect is taken back; the mutation itself stays in the
    outbox, marked rejected, for staff to act on (要対応)."""
    reservation_id = _reservation_id(body)
    if reservation_id is None:
        return
    if kind in _BOOKING_KINDS:
        db.execute(
            "UPDATE reservations SET status = 'cancelled', sync_state = 'rejected', "
            "cancelled_reason = ? WHERE id = ?",
            (f"rejected:{code}", reservation_id),
        )
        return
    if undo:
        cached.restore(db, reservation_id, undo)
    db.execute(
        "UPDATE reservations SET sync_state = 'synced' WHERE id = ? AND sync_state = 'pending'",
        (reservation_id,),
    )
