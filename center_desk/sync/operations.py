"""The counter's work, as the GUI asks for it (DESIGN.md §4, "What works offline").

Offline-capable: last-minute bookings (直前予約) for this center's rooms (:mod:`.walk_in`),
check-in, usage reports, fee receipts, cancellations at the group's request, no-shows
(:mod:`.reservation_changes`), audit events. Each writes its local effect and its outbox
mutation in one SQLCipher transaction, decided first by the same domain rules the backend
applies (the backend still has the last word).

Backend-only: group registration and changes, lottery and first-come proxies. They raise
:class:`NeedsBackend` when the backend cannot be reached, so the screen can say why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from center_desk.domain import Clock, QuotaPolicy
from center_desk.domain.offline_time import trusted_now
from center_desk.protocol.groups import (
    GroupIn,
    GroupOut,
    GroupRegistered,
    GroupSummary,
    LookupReason,
)
from center_desk.protocol.reservations import (
    LotteryEntryIn,
    LotteryEntryOut,
    QuotaOut,
    ReservationIn,
    ReservationOut,
)
from center_desk.protocol.usage import CenterUsageOut
from center_desk.store import Connection, audit, meta, outbox, transaction
from center_desk.store.reservations import CachedReservation

from . import reservation_changes as changes
from .cache_errors import NotFound
from .client import BackendClient
from .errors import NeedsBackend, Offline, ServerUnavailable
from .recovery import OutboxLedger
from .reservation_changes import ChangeBody, ReservationChange
from .runner import DbRunner
from .walk_in import WalkIn, book_walk_in

# Where callers have always imported them from: the GUI, the command line and the tests.
__all__ = ["ChangeBody", "DeskOperations", "NotFound", "WalkIn"]

log = logging.getLogger("center_desk.sync")

T = TypeVar("T")


class DeskOperations:
    def __init__(
        self,
        db: DbRunner,
        client: BackendClient | None,
        clock: Clock,
        *,
        staff_id: Callable[[], str | None],
        after_change: Callable[[], None] = lambda: None,
        policy: QuotaPolicy = QuotaPolicy(),
        ledger: OutboxLedger | None = None,
    ) -> None:
        self._ledger = ledger
        self._db = db
        self._client = client
        self._clock = clock
        self._staff_id = staff_id
        self._after_change = after_change
        self._policy = policy
        #: The reason the clerk chose when looking up another center's group, per user id:
        #: changing or de-registering that group is a look-up too and says the same reason.
        self._lookup_reasons: dict[str, LookupReason] = {}
        #: Set when the last booking decision used the backend's time instead of this PC's
        #: clock (off by more than the tolerance): the UI says so.
        self.clock_corrected_by: timedelta | None = None

    def _rule_time(self, db: Connection, now: datetime) -> datetime:
        """The desk's clock corrected by the backend's offset measured at the last contact,
        when that is beyond the tolerance (the status bar already warns of it)."""
        judged = trusted_now(now, meta.server_clock_offset(db))
        self.clock_corrected_by = judged - now if judged != now else None
        if self.clock_corrected_by is not None:
            log.info("booking rules judged at the backend's time (desk clock corrected)")
        return judged

    def _changed(self) -> None:
        """After every local change: keep the waiting-work ledger current (for recovery) and
        let the sync loop push right away."""
        if self._ledger is not None:
            self._db(self._ledger.refresh)
        self._after_change()

    # --- offline-capable ----------------------------------------------------------------

    def book_walk_in(self, request: WalkIn) -> CachedReservation:
        """Decide with the domain rules on the desk's cache, then record the booking and its
        mutation together. Raises :class:`DomainError` with the reason code when refused."""
        booked = self._db(lambda db: self._book_walk_in(db, request))
        self._changed()
        return booked

    def _book_walk_in(self, db: Connection, request: WalkIn) -> CachedReservation:
        # Recorded at the desk's own clock (the backend corrects it by the skew the push
        # reveals); judged here at the backend's time as last measured, as the backend will.
        now = self._clock.now()
        return book_walk_in(
            db,
            request,
            now=now,
            rule_now=self._rule_time(db, now),
            policy=self._policy,
            staff_id=self._staff_id,
        )

    def _change(self, reservation_id: str, change: ReservationChange) -> CachedReservation:
        """Apply one action to the cached reservation and its outbox, then let sync push it."""
        result = self._db(
            lambda db: changes.apply_change(
                db, reservation_id, change, now=self._clock.now(), staff_id=self._staff_id
            )
        )
        self._changed()
        return result

    def check_in(self, reservation_id: str) -> CachedReservation:
        return self._change(reservation_id, changes.check_in(reservation_id, self._clock.now()))

    def record_usage(
        self, reservation_id: str, actual_headcount: int, remarks: str
    ) -> CachedReservation:
        return self._change(
            reservation_id,
            changes.usage_report(reservation_id, actual_headcount, remarks, self._clock.now()),
        )

    def record_fee(
        self, reservation_id: str, amount: int, receipt_number: str
    ) -> CachedReservation:
        return self._change(
            reservation_id, changes.fee_receipt(reservation_id, amount, receipt_number)
        )

    def cancel(self, reservation_id: str, reason: str) -> CachedReservation:
        return self._change(
            reservation_id, changes.cancellation(reservation_id, reason, self._clock.now())
        )

    def mark_no_show(self, reservation_id: str) -> CachedReservation:
        return self._change(reservation_id, changes.no_show(reservation_id, self._clock.now()))

    def known_clock_offset(self) -> timedelta | None:
        """The backend's clock minus this PC's, as measured at the last contact (kept in the
        cache): what the desk corrects its own rule checks by while offline."""
        return self._db(meta.server_clock_offset)

    def record_audit(self, event: str, subject: str = "") -> None:
        self._db(lambda db: _audit(db, event, self._clock.now(), self._staff_id(), subject))
        self._changed()

    def resolve_attention(self, mutation_id: int) -> None:
        """Staff have dealt with a rejected mutation (phoned the group, rebooked…)."""
        now = self._clock.now().isoformat()

        def work(db: Connection) -> None:
            with transaction(db):
                outbox.resolve(db, mutation_id, now)
                audit.record(
                    db,
                    event="attention_resolved",
                    at=self._clock.now(),
                    staff_id=self._staff_id(),
                    subject=str(mutation_id),
                )

        self._db(work)

    # --- backend-only -------------------------------------------------------------------

    def _online(self, operation: str, call: Callable[[BackendClient], T]) -> T:
        if self._client is None:
            raise NeedsBackend(operation)
        try:
            result = call(self._client)
        except (Offline, ServerUnavailable) as exc:
            raise NeedsBackend(operation) from exc
        self._after_change()
        return result

    def register_group(self, group: GroupIn) -> GroupRegistered:
        registered = self._online("group_registration", lambda c: c.register_group(group))
        self.record_audit("group_registered", registered.group.user_id)
        return registered

    def _reason_for(self, user_id: str) -> LookupReason:
        """Why this desk changes a group (the backend asks only for another center's group):
        the reason the clerk chose when looking it up, else the change itself, which is what
        the clerk is visibly doing (a group this center came to keep through a booking)."""
        return self._lookup_reasons.get(user_id, "change")

    def change_group(self, user_id: str, group: GroupIn) -> GroupOut:
        reason = self._reason_for(user_id)
        changed = self._online("group_change", lambda c: c.change_group(user_id, group, reason))
        self.record_audit("group_changed", user_id)
        return changed

    def deregister_group(self, user_id: str, reason: str) -> GroupOut:
        why = self._reason_for(user_id)
        return self._online("group_change", lambda c: c.deregister_group(user_id, reason, why))

    def similar_groups(self, name: str, phone: str) -> list[GroupSummary]:
        return self._online("group_search", lambda c: c.similar_groups(name, phone))

    def search_groups(self, query: str, reason: LookupReason | None = None) -> list[GroupSummary]:
        """Search every center's groups at the backend; another center's group needs the
        clerk's ``reason`` to be found by a person's name or phone, or to show its
        representative (see :meth:`BackendClient.search_groups`)."""
        return self._online("group_search_all", lambda c: c.search_groups(query, reason))

    def fetch_group(self, user_id: str, reason: LookupReason | None = None) -> GroupOut:
        """Look a group up at the backend (it is then kept in this desk's cache). A group
        registered at another center needs a ``reason``; the backend refuses without one."""
        found = self._online("group_lookup", lambda c: c.get_group(user_id, reason))
        if reason is not None:
            self._lookup_reasons[user_id] = reason
        return found

    def proxy_first_come(self, reservation: ReservationIn) -> ReservationOut:
        return self._online("first_come_proxy", lambda c: c.book(reservation))

    def proxy_lottery(self, entry: LotteryEntryIn) -> LotteryEntryOut:
        return self._online("lottery_proxy", lambda c: c.enter_lottery(entry))

    def lottery_results(self, user_id: str) -> list[LotteryEntryOut]:
        return self._online("lottery_results", lambda c: c.lottery_entries(user_id))

    def quota(self, user_id: str, day: date) -> QuotaOut:
        return self._online("quota", lambda c: c.quota(user_id, day.isoformat()))

    def usage(self, center_id: str, month: str) -> CenterUsageOut:
        """利用状況 for a month: the cache keeps 30 days, so the backend counts."""
        return self._online("usage_figures", lambda c: c.center_usage(center_id, month))


def _audit(db: Connection, event: str, at: datetime, staff_id: str | None, subject: str) -> None:
    with transaction(db):
        audit.record(db, event=event, at=at, staff_id=staff_id, subject=subject)
