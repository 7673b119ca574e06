"""The one decision: may this applicant book this room and slot, now, as this kind of booking,
through this channel?

The backend asks it with the server's clock and the database's counts; the desk asks it with its
own clock and cache to answer at once and to work offline (DESIGN.md §1). The answer is a
:class:`Decision` with a :class:`ReasonCode` for every refusal, never a free-text message.

Quotas (DOMAIN.md, from the filing):

* lottery entries: 2 slots a month per group across all centers;
* first-come: 4 slots a month per group at one center, lottery wins included;
* last-minute (counter only): no limit stated, so none by default (``QuotaPolicy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .calendar import CenterCalendar
from .catalog import Room
from .clock import tokyo_date
from .errors import ReasonCode, error_for
from .group import GroupForm
from .group_eligibility import is_eligible
from .windows import Phase, application_windows


class BookingKind(StrEnum):
    LOTTERY = "lottery"  # 抽選予約
    FIRST_COME = "first_come"  # 先着予約
    LAST_MINUTE = "last_minute"  # 直前予約 (窓口のみ)


class Channel(StrEnum):
    ONLINE = "online"  # the citizens' web/phone system
    COUNTER = "counter"  # staff at a center, including proxies for people without a device


class ApplicantKind(StrEnum):
    GROUP = "group"  # 登録団体
    INDIVIDUAL = "individual"  # 個人 (第二娯楽室・遊戯室のみ)


@dataclass(frozen=True)
class Applicant:
    kind: ApplicantKind = ApplicantKind.GROUP
    #: Whether the group meets the registration requirements
    #: (see ``group_eligibility.is_eligible``).
    eligible: bool = True
    #: End of the registration's validity (翌々年度末); None for individuals.
    registration_valid_until: date | None = None

    @classmethod
    def registered_group(
        cls, form: GroupForm, *, active: bool, valid_until: date | None
    ) -> Applicant:
        """A registered group, as the desk's cache or the backend's database holds it: eligible
        while registered (not de-registered) and meeting the requirements (登録要件)."""
        return cls(
            ApplicantKind.GROUP,
            eligible=active and is_eligible(form),
            registration_valid_until=valid_until,
        )


@dataclass(frozen=True)
class GroupUsage:
    """What the group already holds for the use date's month (counted by the caller)."""

    #: Lottery entries for the use-month, across all centers.
    lottery_entries: int = 0
    #: Bookings at this center for the use-month that count against its quota: lottery wins
    #: and first-come bookings (and last-minute ones when the policy says so).
    center_bookings: int = 0
    #: The group has already entered the lottery for this very room, date and slot.
    entered_this_slot: bool = False


@dataclass(frozen=True)
class QuotaPolicy:
    """Quotas; city settings, with the filing's numbers as defaults."""

    lottery_slots_per_month: int = 2
    center_slots_per_month: int = 4
    #: The filing states no limit for last-minute bookings.
    last_minute_counts_against_center_quota: bool = False


@dataclass(frozen=True)
class BookingRequest:
    kind: BookingKind
    channel: Channel
    room: Room
    slot_id: str
    use_date: date
    #: Expected headcount; None when not known yet (a lottery entry, an availability check).
    headcount: int | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: ReasonCode | None = None
    #: For logs and developers; no personal data.
    detail: str = ""
    #: Allowed, but the action was already taken: a repeat changes nothing (a second check-in,
    #: a cancel of a cancelled booking), so a retried request is harmless.
    already_done: bool = False

    def raise_if_refused(self) -> None:
        if not self.allowed:
            assert self.reason is not None
            raise error_for(self.reason, self.detail)


ALLOWED = Decision(True)
ALREADY_DONE = Decision(True, detail="already done", already_done=True)


def _refuse(reason: ReasonCode, detail: str) -> Decision:
    return Decision(False, reason, detail)


def _window_decision(request: BookingRequest, now: datetime, calendar: CenterCalendar) -> Decision:
    windows = application_windows(request.use_date, calendar)
    phase = windows.phase_at(now)
    if request.kind is BookingKind.LAST_MINUTE:
        if request.channel is not Channel.COUNTER:
            return _refuse(ReasonCode.COUNTER_ONLY, "last-minute bookings are taken at the counter")
        if phase is not Phase.COUNTER:
            return _refuse(
                ReasonCode.OUTSIDE_WINDOW,
                f"counter window is {windows.counter_from}–{windows.counter_to}, now {phase}",
            )
        return ALLOWED
    if phase is Phase.COUNTER:
        # In the last seven days only the counter books; saying so helps more than "closed".
        return _refuse(ReasonCode.COUNTER_ONLY, f"{request.kind} is over; the counter books now")
    wanted = Phase.LOTTERY if request.kind is BookingKind.LOTTERY else Phase.FIRST_COME
    if phase is not wanted:
        return _refuse(ReasonCode.OUTSIDE_WINDOW, f"{request.kind} not open: phase is {phase}")
    return ALLOWED


def decide_booking(
    request: BookingRequest,
    *,
    now: datetime,
    calendar: CenterCalendar,
    applicant: Applicant,
    usage: GroupUsage,
    slot_taken: bool,
    policy: QuotaPolicy = QuotaPolicy(),
) -> Decision:
    """Decide one slot. Checks run from the most fundamental to the most circumstantial, so the
    reason given is the one staff can act on first."""
    room = request.room
    if not room.offers(request.slot_id):
        return _refuse(ReasonCode.UNKNOWN_SLOT, f"room {room.id} has no slot {request.slot_id}")
    if request.headcount is not None:
        if request.headcount < 1:
            return _refuse(ReasonCode.INVALID_INPUT, "headcount must be at least 1")
        if request.headcount > room.capacity:
            return _refuse(ReasonCode.OVER_CAPACITY, f"room holds {room.capacity}")
    if applicant.kind is ApplicantKind.INDIVIDUAL and not room.individuals_allowed:
        return _refuse(ReasonCode.ROOM_NOT_FOR_USER, f"room {room.id} is for registered groups")
    if applicant.kind is ApplicantKind.GROUP:
        if not applicant.eligible:
            return _refuse(ReasonCode.GROUP_NOT_ELIGIBLE, "group does not meet the requirements")
        valid_until = applicant.registration_valid_until
        if valid_until is not None and tokyo_date(now) > valid_until:
            return _refuse(ReasonCode.REGISTRATION_EXPIRED, f"registration ended {valid_until}")
    closure = calendar.closure(request.use_date)
    if closure is not None:
        return _refuse(ReasonCode.CLOSED_DAY, f"{request.use_date} is closed ({closure.kind})")
    window = _window_decision(request, now, calendar)
    if not window.allowed:
        return window

    if request.kind is BookingKind.LOTTERY:
        # Lottery entries compete for a slot, so a taken slot is not a reason here; entering
        # the same slot twice is.
        if usage.entered_this_slot:
            return _refuse(ReasonCode.ALREADY_ENTERED, "already entered for this slot")
        if (
            applicant.kind is ApplicantKind.GROUP
            and usage.lottery_entries >= policy.lottery_slots_per_month
        ):
            return _refuse(
                ReasonCode.LOTTERY_QUOTA,
                f"{usage.lottery_entries} of {policy.lottery_slots_per_month} lottery slots used",
            )
        return ALLOWED

    if slot_taken:
        return _refuse(ReasonCode.SLOT_TAKEN, "slot already booked")
    counts = request.kind is BookingKind.FIRST_COME or (
        policy.last_minute_counts_against_center_quota
    )
    if (
        counts
        and applicant.kind is ApplicantKind.GROUP
        and usage.center_bookings >= policy.center_slots_per_month
    ):
        return _refuse(
            ReasonCode.CENTER_QUOTA,
            f"{usage.center_bookings} of {policy.center_slots_per_month} slots at this center used",
        )
    return ALLOWED


def use_month(day: date) -> tuple[int, int]:
    """The (year, month) a booking counts against for quotas."""
    return day.year, day.month
