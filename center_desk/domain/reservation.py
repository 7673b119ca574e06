"""A reservation's life after booking, decided once for the desk, the backend and the screen.

Check-in (入館受付), the usage report (利用報告書), the fee receipt (使用料受領), cancellation at
the group's request (取消) and the no-show (不参加) each have one guard here. Each guard answers
with a :class:`~center_desk.domain.booking.Decision`: go ahead, nothing to do (the action was
already taken, so a repeat is harmless and changes nothing), or a refusal with its own
:class:`ReasonCode`. The desk asks before it writes to its cache, the backend before it writes
to the database, and the 本日 board greys out the actions :func:`allowed_actions` refuses, so
what the counter accepts is what the backend will accept.

Fee exemption (使用料免除) resolution and which booking kinds count toward the center quota also
live here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .booking import ALLOWED, ALREADY_DONE, BookingKind, Channel, Decision, QuotaPolicy
from .calendar import CenterCalendar
from .catalog import SlotDef
from .clock import TOKYO, tokyo_date
from .errors import ReasonCode
from .fees import ExemptionReason
from .windows import application_windows


class ReservationStatus(StrEnum):
    """Where a reservation stands. Values are stable wire and cache identifiers."""

    BOOKED = "booked"  # 予約済み
    USED = "used"  # 利用済み (利用報告あり)
    NO_SHOW = "no_show"  # 不参加
    CANCELLED = "cancelled"  # 取消

    @property
    def live(self) -> bool:
        """Holds its slot (a cancelled booking frees it)."""
        return self is not ReservationStatus.CANCELLED


@dataclass(frozen=True)
class ReservationFacts:
    """What the guards need to know about one reservation, whoever holds it (the desk's cache
    or the backend's database)."""

    status: ReservationStatus
    use_date: date
    #: The slot's times; None when the catalog does not know the slot (then nothing that
    #: depends on its times is allowed).
    slot: SlotDef | None
    checked_in: bool
    #: What the group pays (0 when exempt).
    fee_charged: int
    fee_paid: bool

    @property
    def starts_at(self) -> datetime | None:
        if self.slot is None:
            return None
        return datetime.combine(self.use_date, self.slot.start, tzinfo=TOKYO)

    @property
    def ends_at(self) -> datetime | None:
        if self.slot is None:
            return None
        return datetime.combine(self.use_date, self.slot.end, tzinfo=TOKYO)


def _refuse(reason: ReasonCode, detail: str) -> Decision:
    return Decision(False, reason, detail)


def _wrong_status(r: ReservationFacts) -> Decision:
    return _refuse(ReasonCode.WRONG_STATUS, f"reservation is {r.status.value}")


def decide_check_in(r: ReservationFacts, at: datetime) -> Decision:
    """入館受付: a booked reservation, on its day of use; a second check-in changes nothing."""
    if r.status is not ReservationStatus.BOOKED:
        return _wrong_status(r)
    if tokyo_date(at) != r.use_date:
        return _refuse(ReasonCode.OUTSIDE_WINDOW, "check-in is on the day of use")
    if r.checked_in:
        return ALREADY_DONE
    return ALLOWED


def decide_usage_report(r: ReservationFacts, now: datetime) -> Decision:
    """利用報告書: from the day of use on; a report already given may be corrected."""
    if r.status not in (ReservationStatus.BOOKED, ReservationStatus.USED):
        return _wrong_status(r)
    if tokyo_date(now) < r.use_date:
        return _refuse(ReasonCode.OUTSIDE_WINDOW, "the usage report comes after use")
    return ALLOWED


def decide_fee_receipt(r: ReservationFacts, amount: int | None = None) -> Decision:
    """使用料受領: the fee as charged, once, for any booking not cancelled. ``amount`` is what
    staff typed (None: only ask whether a receipt is possible)."""
    if r.status is ReservationStatus.CANCELLED:
        return _wrong_status(r)
    if r.fee_paid:
        return ALREADY_DONE
    if amount is not None and amount != r.fee_charged:
        return _refuse(ReasonCode.INVALID_INPUT, f"the fee is {r.fee_charged} yen")
    return ALLOWED


def decide_cancel(
    r: ReservationFacts,
    now: datetime,
    channel: Channel = Channel.COUNTER,
    calendar: CenterCalendar | None = None,
) -> Decision:
    """取消 at the group's request. Nobody cancels a slot that has begun or a group that has
    checked in. Online, a group may cancel until the first-come window ends (8 days before); in
    the last seven days only the counter cancels, as it books [assumption, by symmetry with
    booking]. ``calendar`` (the center's) is needed for the online window."""
    if r.status is ReservationStatus.CANCELLED:
        return ALREADY_DONE
    if r.status is not ReservationStatus.BOOKED:
        return _wrong_status(r)
    if r.checked_in:
        return _refuse(ReasonCode.CHECKED_IN, "the group has checked in")
    starts = r.starts_at
    if starts is None:
        return _refuse(ReasonCode.UNKNOWN_SLOT, "slot times unknown")
    if now >= starts:
        return _refuse(ReasonCode.SLOT_STARTED, "the slot has begun")
    if channel is Channel.ONLINE:
        if calendar is None:
            raise ValueError("an online cancellation needs the center's calendar")
        windows = application_windows(r.use_date, calendar)
        if tokyo_date(now) >= windows.counter_from:
            return _refuse(ReasonCode.COUNTER_ONLY, "cancel at the counter in the last 7 days")
    return ALLOWED


def decide_no_show(r: ReservationFacts, now: datetime) -> Decision:
    """不参加: a booked group that did not check in, once the slot is over (until then it may
    still come)."""
    if r.status is ReservationStatus.NO_SHOW:
        return ALREADY_DONE
    if r.status is not ReservationStatus.BOOKED:
        return _wrong_status(r)
    if r.checked_in:
        return _refuse(ReasonCode.CHECKED_IN, "the group has checked in")
    ends = r.ends_at
    if ends is None:
        return _refuse(ReasonCode.UNKNOWN_SLOT, "slot times unknown")
    if now < ends:
        return _refuse(ReasonCode.SLOT_NOT_ENDED, "a no-show is marked after the slot ends")
    return ALLOWED


@dataclass(frozen=True)
class AllowedActions:
    """Which of the counter's actions would do something for a reservation now: the 本日
    board enables exactly these."""

    details: bool = False
    print: bool = False
    check_in: bool = False
    usage: bool = False
    fee: bool = False
    cancel: bool = False
    no_show: bool = False


def _proceeds(decision: Decision) -> bool:
    return decision.allowed and not decision.already_done


def allowed_actions(r: ReservationFacts | None, now: datetime) -> AllowedActions:
    """The counter's actions, each from its guard (at the counter, with the desk's clock)."""
    if r is None:
        return AllowedActions()
    return AllowedActions(
        details=True,
        print=r.status.live,
        check_in=_proceeds(decide_check_in(r, now)),
        usage=_proceeds(decide_usage_report(r, now)),
        fee=_proceeds(decide_fee_receipt(r)),
        cancel=_proceeds(decide_cancel(r, now)),
        no_show=_proceeds(decide_no_show(r, now)),
    )


# --- fees and quotas ------------------------------------------------------------------------

#: The ``fee_exemption`` a booking request sends to charge the fee even to a group registered
#: as exempt (staff's explicit choice at the counter). Absent (None): the group's registered
#: exemption applies.
CHARGE_FEE = "none"


def exemption_request(exemption: ExemptionReason | None, *, charge_fee: bool) -> str | None:
    """The wire value for a booking's exemption choice."""
    if exemption is not None:
        return exemption.value
    return CHARGE_FEE if charge_fee else None


def resolve_exemption(
    requested: str | None,
    requested_note: str,
    *,
    registered: str | None,
    registered_note: str = "",
) -> tuple[ExemptionReason | None, str]:
    """The exemption a booking gets and its note.

    ``requested``: :data:`CHARGE_FEE` (the fee is charged), an :class:`ExemptionReason` value,
    or None (the group's ``registered`` exemption, if any). The registered note fills in when
    the registered reason applies and no note was typed. Raises ``ValueError`` for an unknown
    value.
    """
    if requested == CHARGE_FEE:
        return None, ""
    reason = requested or registered
    if not reason:
        return None, ""
    exemption = ExemptionReason(reason)
    note = requested_note.strip()
    if not note and registered is not None and reason == registered:
        note = registered_note
    return exemption, note


def center_quota_kinds(policy: QuotaPolicy = QuotaPolicy()) -> tuple[BookingKind, ...]:
    """The booking kinds that count toward a group's per-center monthly quota: lottery wins and
    first-come bookings, and last-minute ones only when the city says so."""
    kinds: tuple[BookingKind, ...] = (BookingKind.LOTTERY, BookingKind.FIRST_COME)
    if policy.last_minute_counts_against_center_quota:
        kinds += (BookingKind.LAST_MINUTE,)
    return kinds
