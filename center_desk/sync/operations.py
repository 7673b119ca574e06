"""The counter's work, as the GUI asks for it (DESIGN.md §4, "What works offline").

Offline-capable: last-minute bookings (直前予約) for this center's rooms, check-in, usage
reports, fee receipts, cancellations at the group's request, no-shows, audit events. Each writes
its local effect and its outbox mutation in one SQLCipher transaction, decided first by the same
domain rules the backend applies (the backend still has the last word).

Backend-only: group registration and changes, lottery and first-come proxies. They raise
:class:`NeedsBackend` when the backend cannot be reached, so the screen can say why.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError

from center_desk.domain import (
    Applicant,
    ApplicantKind,
    BookingKind,
    BookingRequest,
    Channel,
    Clock,
    Decision,
    DomainError,
    ExemptionReason,
    FeeError,
    GroupUsage,
    QuotaPolicy,
    ReasonCode,
    ReservationFacts,
    ReservationStatus,
    SlotTaken,
    calculate_fee,
    center_quota_kinds,
    decide_booking,
    decide_cancel,
    decide_check_in,
    decide_fee_receipt,
    decide_no_show,
    decide_usage_report,
    exemption_request,
    resolve_exemption,
)
from center_desk.domain.offline_time import trusted_now
from center_desk.protocol.groups import (
    GroupIn,
    GroupOut,
    GroupRegistered,
    GroupSummary,
    LookupReason,
)
from center_desk.protocol.reservations import (
    FeeReceiptIn,
    LotteryEntryIn,
    LotteryEntryOut,
    QuotaOut,
    ReservationIn,
    ReservationOut,
    UsageReportIn,
)
from center_desk.protocol.sync import (
    CancelReservation,
    CheckIn,
    LastMinuteBooking,
    MarkNoShow,
    RecordFeeReceipt,
    RecordUsageReport,
    desk_approval_number,
)
from center_desk.protocol.usage import CenterUsageOut
from center_desk.store import Connection, IntegrityError, audit, meta, outbox, transaction
from center_desk.store import catalog as cached_catalog
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from .client import BackendClient
from .errors import NeedsBackend, Offline, ServerUnavailable
from .recovery import OutboxLedger
from .runner import DbRunner

log = logging.getLogger("center_desk.sync")

T = TypeVar("T")

#: The mutations that change a reservation the cache holds (:meth:`DeskOperations._change`).
ChangeBody = CancelReservation | CheckIn | MarkNoShow | RecordUsageReport | RecordFeeReceipt


@dataclass(frozen=True)
class WalkIn:
    """A last-minute booking request from the counter (直前予約)."""

    room_id: str
    use_date: date
    slot_id: str
    headcount: int
    purpose: str = ""
    user_id: str | None = None
    #: For an individual (個人利用) in a room open to individuals.
    individual_name: str | None = None
    fee_exemption: ExemptionReason | None = None
    fee_exemption_note: str = ""
    #: Charge the fee even though the group is registered as exempt (staff decided so at the
    #: counter); otherwise a group's registered exemption applies when none is given.
    charge_fee: bool = False


class NotFound(DomainError):
    code = ReasonCode.INVALID_INPUT


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
        rule_now = self._rule_time(db, now)
        center_id = _require(meta.get(db, meta.CENTER_ID), "this desk is not enrolled")
        center = cached_catalog.center(db, center_id)
        if center is None:
            raise DomainError("the catalog has not been synced yet", code=ReasonCode.INVALID_INPUT)
        room = next((r for r in center.rooms if r.id == request.room_id), None)
        if room is None:
            raise DomainError("room not at this center", code=ReasonCode.UNKNOWN_SLOT)

        group = cached_groups.get(db, request.user_id) if request.user_id else None
        if request.user_id and group is None:
            raise NotFound("group not in this desk's cache")
        if group is None and not (request.individual_name or "").strip():
            raise DomainError("a group or an individual's name is needed")
        applicant = (
            Applicant.registered_group(
                group.form, active=group.active, valid_until=group.valid_until
            )
            if group
            else Applicant(ApplicantKind.INDIVIDUAL)
        )
        kinds = tuple(kind.value for kind in center_quota_kinds(self._policy))
        bookings = (
            cached.center_bookings(
                db, group.user_id, center_id, request.use_date.year, request.use_date.month, kinds
            )
            if group
            else 0
        )
        decision = decide_booking(
            BookingRequest(
                BookingKind.LAST_MINUTE,
                Channel.COUNTER,
                room,
                request.slot_id,
                request.use_date,
                headcount=request.headcount,
            ),
            now=rule_now,
            calendar=cached_catalog.calendar(db, center_id),
            applicant=applicant,
            usage=GroupUsage(center_bookings=bookings),
            slot_taken=cached.slot_taken(db, room.id, request.use_date, request.slot_id),
            policy=self._policy,
        )
        decision.raise_if_refused()

        requested = exemption_request(request.fee_exemption, charge_fee=request.charge_fee)
        exemption, note = resolve_exemption(
            requested,
            request.fee_exemption_note,
            registered=group.form.fee_exemption if group else None,
            registered_note=group.form.fee_exemption_note if group else "",
        )
        try:
            fee = calculate_fee(room, [request.slot_id], exemption, note)
        except FeeError as exc:
            raise DomainError(str(exc), code=ReasonCode.INVALID_INPUT) from None

        with transaction(db):
            # Again inside the write transaction: another desk process on this cache may
            # have booked the slot since the decision above (the unique index is the last word).
            if cached.slot_taken(db, room.id, request.use_date, request.slot_id):
                raise SlotTaken("booked meanwhile at this desk")
            counter = meta.get_int(db, meta.APPROVAL_COUNTER) + 1
            meta.put(db, meta.APPROVAL_COUNTER, str(counter))
            number = desk_approval_number(meta.get_int(db, meta.DEVICE_NUMBER), counter)
            reservation = CachedReservation(
                id=str(uuid.uuid4()),
                approval_number=number,
                center_id=center_id,
                room_id=room.id,
                use_date=request.use_date,
                slot_id=request.slot_id,
                user_id=group.user_id if group else None,
                group_name=group.name if group else None,
                individual_name=None if group else (request.individual_name or "").strip(),
                kind=BookingKind.LAST_MINUTE.value,
                channel=Channel.COUNTER.value,
                status=ReservationStatus.BOOKED.value,
                purpose=request.purpose,
                headcount=request.headcount,
                fee_nominal=fee.nominal,
                fee_charged=fee.charged,
                fee_exemption=fee.exemption.value if fee.exemption else None,
                fee_exemption_note=fee.exemption_note,
                fee_paid=fee.charged == 0,
                checked_in_at=None,
                actual_headcount=None,
                remarks="",
                cancelled_reason="",
                created_at=now.isoformat(),
                sync_state="pending",
            )
            try:
                cached.insert_local(db, reservation)
            except IntegrityError:
                raise SlotTaken("booked meanwhile at this desk") from None
            wire = ReservationIn(
                id=uuid.UUID(reservation.id),
                room_id=room.id,
                use_date=request.use_date,
                slot_id=request.slot_id,
                kind=BookingKind.LAST_MINUTE.value,
                user_id=reservation.user_id,
                purpose=request.purpose,
                headcount=request.headcount,
                fee_exemption=requested,
                fee_exemption_note=request.fee_exemption_note,
                individual_name=reservation.individual_name,
            )
            outbox.enqueue(
                db,
                body=LastMinuteBooking(reservation=wire, approval_number=number),
                created_at=now.isoformat(),
                staff_id=self._staff_id(),
                # Staff read this (要対応, end of day, an unreadable cache): the slot's own
                # label (午後), not its id (afternoon).
                summary=f"直前予約 {number} {request.use_date.isoformat()} {room.name} "
                f"{_slot_label(db, request.slot_id)}",
            )
            audit.record(
                db, event="walk_in_booked", at=now, staff_id=self._staff_id(), subject=number
            )
        return reservation

    def _change(
        self,
        reservation_id: str,
        body: ChangeBody,
        fields: dict[str, Any],
        summary: str,
        guard: Callable[[ReservationFacts], Decision],
    ) -> CachedReservation:
        """Apply one action after its guard (domain/reservation.py) allows it; an action
        already taken is answered with the reservation as it is, and sends nothing."""

        def work(db: Connection) -> CachedReservation:
            now = self._clock.now()
            with transaction(db):
                current = cached.get(db, reservation_id)
                if current is None:
                    raise NotFound("reservation not in this desk's cache")
                slot = next((s for s in cached_catalog.slots(db) if s.id == current.slot_id), None)
                decision = guard(cached.facts(current, slot))
                decision.raise_if_refused()
                if decision.already_done:
                    return current
                before = cached.update(db, reservation_id, **fields, sync_state="pending")
                outbox.enqueue(
                    db,
                    body=body,
                    created_at=now.isoformat(),
                    staff_id=self._staff_id(),
                    summary=f"{summary} {current.approval_number}",
                    undo=before,
                )
                audit.record(
                    db,
                    event=body.kind,
                    at=now,
                    staff_id=self._staff_id(),
                    subject=current.approval_number,
                )
            updated = cached.get(db, reservation_id)
            assert updated is not None
            return updated

        result = self._db(work)
        self._changed()
        return result

    def check_in(self, reservation_id: str) -> CachedReservation:
        now = self._clock.now()

        return self._change(
            reservation_id,
            _wire(lambda: CheckIn(reservation_id=uuid.UUID(reservation_id), at=now)),
            {"checked_in_at": now.isoformat()},
            "入館受付",
            lambda r: decide_check_in(r, now),
        )

    def record_usage(
        self, reservation_id: str, actual_headcount: int, remarks: str
    ) -> CachedReservation:
        if not 0 <= actual_headcount <= 1000:
            raise DomainError("actual_headcount out of range", code=ReasonCode.INVALID_INPUT)
        now = self._clock.now()
        return self._change(
            reservation_id,
            _wire(
                lambda: RecordUsageReport(
                    reservation_id=uuid.UUID(reservation_id),
                    report=UsageReportIn(actual_headcount=actual_headcount, remarks=remarks),
                )
            ),
            {
                "status": ReservationStatus.USED.value,
                "actual_headcount": actual_headcount,
                "remarks": remarks,
            },
            "利用報告",
            lambda r: decide_usage_report(r, now),
        )

    def record_fee(
        self, reservation_id: str, amount: int, receipt_number: str
    ) -> CachedReservation:
        return self._change(
            reservation_id,
            _wire(
                lambda: RecordFeeReceipt(
                    reservation_id=uuid.UUID(reservation_id),
                    receipt=FeeReceiptIn(amount=amount, receipt_number=receipt_number),
                )
            ),
            {"fee_paid": 1},
            "使用料受領",
            lambda r: decide_fee_receipt(r, amount),
        )

    def cancel(self, reservation_id: str, reason: str) -> CachedReservation:
        if not reason.strip():
            raise DomainError("a reason is needed", code=ReasonCode.INVALID_INPUT)

        now = self._clock.now()
        return self._change(
            reservation_id,
            _wire(
                lambda: CancelReservation(reservation_id=uuid.UUID(reservation_id), reason=reason)
            ),
            {"status": ReservationStatus.CANCELLED.value, "cancelled_reason": reason},
            "取消",
            # The counter's own channel: refused once the slot has begun, as the backend will.
            lambda r: decide_cancel(r, now, Channel.COUNTER),
        )

    def mark_no_show(self, reservation_id: str) -> CachedReservation:
        now = self._clock.now()
        return self._change(
            reservation_id,
            _wire(lambda: MarkNoShow(reservation_id=uuid.UUID(reservation_id))),
            {"status": ReservationStatus.NO_SHOW.value},
            "不参加",
            lambda r: decide_no_show(r, now),
        )

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


def _wire(build: Callable[[], T]) -> T:
    """A mutation as the protocol's model: what the backend would refuse as malformed (a
    reason too long, an id that is not one) is refused here, before anything is written."""
    try:
        return build()
    except (ValidationError, ValueError) as exc:
        raise DomainError(
            f"not a valid mutation: {type(exc).__name__}", code=ReasonCode.INVALID_INPUT
        ) from None


def _require(value: str | None, message: str) -> str:
    if value is None:
        raise DomainError(message, code=ReasonCode.INVALID_INPUT)
    return value


def _slot_label(db: Connection, slot_id: str) -> str:
    """午前 / 午後 / 夜間 as the catalog names the slot; its id if the catalog lacks it."""
    return next((s.label for s in cached_catalog.slots(db) if s.id == slot_id), slot_id)
