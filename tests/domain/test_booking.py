from datetime import date, datetime

import pytest

from center_desk.domain import (
    TOKYO,
    Applicant,
    ApplicantKind,
    BookingKind,
    BookingRequest,
    CenterCalendar,
    Channel,
    GroupUsage,
    QuotaExceeded,
    QuotaPolicy,
    ReasonCode,
    Room,
    RoomKind,
    decide_booking,
)

FEES = {"morning": 700, "afternoon": 900, "evening": 900}
HALL = Room("c1/1-shukai", "c1", "第一集会室", RoomKind.WESTERN, 40, False, FEES)
SMALL_TATAMI = Room("c1/2-goraku", "c1", "第二娯楽室", RoomKind.TATAMI, 15, True, FEES)
USE_DATE = date(2027, 2, 15)  # Monday; lottery 2026-12-10..19, first-come 2027-01-04 09:00..02-07

LOTTERY_TIME = datetime(2026, 12, 12, 10, 0, tzinfo=TOKYO)
FIRST_COME_TIME = datetime(2027, 1, 10, 10, 0, tzinfo=TOKYO)
COUNTER_TIME = datetime(2027, 2, 10, 10, 0, tzinfo=TOKYO)
GROUP = Applicant(ApplicantKind.GROUP, True, date(2029, 3, 31))


def decide(
    kind: BookingKind,
    channel: Channel,
    now: datetime,
    *,
    room: Room = HALL,
    slot: str = "afternoon",
    use_date: date = USE_DATE,
    applicant: Applicant = GROUP,
    usage: GroupUsage = GroupUsage(),
    taken: bool = False,
    calendar: CenterCalendar | None = None,
    policy: QuotaPolicy = QuotaPolicy(),
) -> ReasonCode | None:
    decision = decide_booking(
        BookingRequest(kind, channel, room, slot, use_date),
        now=now,
        calendar=calendar or CenterCalendar(),
        applicant=applicant,
        usage=usage,
        slot_taken=taken,
        policy=policy,
    )
    assert decision.allowed is (decision.reason is None)
    return decision.reason


L, F, M = BookingKind.LOTTERY, BookingKind.FIRST_COME, BookingKind.LAST_MINUTE
ON, CTR = Channel.ONLINE, Channel.COUNTER


@pytest.mark.parametrize(
    ("kind", "channel", "now", "expected"),
    [
        (L, ON, LOTTERY_TIME, None),
        (L, CTR, LOTTERY_TIME, None),  # proxy for people without a device
        (L, ON, FIRST_COME_TIME, ReasonCode.OUTSIDE_WINDOW),
        (F, ON, LOTTERY_TIME, ReasonCode.OUTSIDE_WINDOW),
        (F, ON, datetime(2027, 1, 4, 8, 59, tzinfo=TOKYO), ReasonCode.OUTSIDE_WINDOW),
        (F, ON, datetime(2027, 1, 4, 9, 0, tzinfo=TOKYO), None),
        (F, CTR, FIRST_COME_TIME, None),
        (F, ON, datetime(2027, 2, 7, 23, 0, tzinfo=TOKYO), None),
        (F, ON, COUNTER_TIME, ReasonCode.COUNTER_ONLY),  # last seven days: counter only
        (L, ON, COUNTER_TIME, ReasonCode.COUNTER_ONLY),
        (M, ON, COUNTER_TIME, ReasonCode.COUNTER_ONLY),
        (M, CTR, COUNTER_TIME, None),
        (M, CTR, datetime(2027, 2, 15, 18, 0, tzinfo=TOKYO), None),  # the day itself
        (M, CTR, FIRST_COME_TIME, ReasonCode.OUTSIDE_WINDOW),
        (M, CTR, datetime(2027, 2, 16, 9, 0, tzinfo=TOKYO), ReasonCode.OUTSIDE_WINDOW),
    ],
)
def test_windows_and_channels(
    kind: BookingKind, channel: Channel, now: datetime, expected: ReasonCode | None
) -> None:
    assert decide(kind, channel, now) == expected


def test_closed_day_is_refused_in_every_window() -> None:
    closed = date(2027, 2, 16)  # 3rd Tuesday
    for kind, now in ((L, LOTTERY_TIME), (F, FIRST_COME_TIME), (M, COUNTER_TIME)):
        assert decide(kind, CTR, now, use_date=closed) == ReasonCode.CLOSED_DAY


def test_temporary_closure_is_refused() -> None:
    calendar = CenterCalendar(temporary_closures=[USE_DATE])
    assert decide(M, CTR, COUNTER_TIME, calendar=calendar) == ReasonCode.CLOSED_DAY


def test_lottery_quota_two_slots_a_month_across_centers() -> None:
    assert decide(L, ON, LOTTERY_TIME, usage=GroupUsage(lottery_entries=1)) is None
    assert decide(L, ON, LOTTERY_TIME, usage=GroupUsage(lottery_entries=2)) == (
        ReasonCode.LOTTERY_QUOTA
    )


def test_lottery_ignores_taken_but_refuses_a_second_entry_for_the_same_slot() -> None:
    assert decide(L, ON, LOTTERY_TIME, taken=True) is None
    assert decide(L, ON, LOTTERY_TIME, usage=GroupUsage(entered_this_slot=True)) == (
        ReasonCode.ALREADY_ENTERED
    )


def test_center_quota_four_slots_including_lottery_wins() -> None:
    assert decide(F, ON, FIRST_COME_TIME, usage=GroupUsage(center_bookings=3)) is None
    assert decide(F, ON, FIRST_COME_TIME, usage=GroupUsage(center_bookings=4)) == (
        ReasonCode.CENTER_QUOTA
    )


def test_last_minute_has_no_quota_unless_the_city_sets_one() -> None:
    busy = GroupUsage(center_bookings=9, lottery_entries=2)
    assert decide(M, CTR, COUNTER_TIME, usage=busy) is None
    strict = QuotaPolicy(last_minute_counts_against_center_quota=True)
    assert decide(M, CTR, COUNTER_TIME, usage=busy, policy=strict) == ReasonCode.CENTER_QUOTA


def test_slot_taken() -> None:
    assert decide(F, ON, FIRST_COME_TIME, taken=True) == ReasonCode.SLOT_TAKEN
    assert decide(M, CTR, COUNTER_TIME, taken=True) == ReasonCode.SLOT_TAKEN


def test_individuals_only_in_rooms_open_to_them() -> None:
    person = Applicant(ApplicantKind.INDIVIDUAL)
    assert decide(M, CTR, COUNTER_TIME, applicant=person) == ReasonCode.ROOM_NOT_FOR_USER
    assert decide(M, CTR, COUNTER_TIME, applicant=person, room=SMALL_TATAMI) is None


def test_group_not_eligible_and_expired_registration() -> None:
    assert decide(F, ON, FIRST_COME_TIME, applicant=Applicant(eligible=False)) == (
        ReasonCode.GROUP_NOT_ELIGIBLE
    )
    expired = Applicant(registration_valid_until=date(2026, 3, 31))
    assert decide(F, ON, FIRST_COME_TIME, applicant=expired) == ReasonCode.REGISTRATION_EXPIRED


def test_unknown_slot() -> None:
    assert decide(M, CTR, COUNTER_TIME, slot="midnight") == ReasonCode.UNKNOWN_SLOT


def test_refusal_raises_its_typed_error() -> None:
    decision = decide_booking(
        BookingRequest(F, ON, HALL, "morning", USE_DATE),
        now=FIRST_COME_TIME,
        calendar=CenterCalendar(),
        applicant=GROUP,
        usage=GroupUsage(center_bookings=4),
        slot_taken=False,
    )
    with pytest.raises(QuotaExceeded) as info:
        decision.raise_if_refused()
    assert info.value.code is ReasonCode.CENTER_QUOTA


@pytest.mark.parametrize(
    ("headcount", "expected"),
    [
        (None, None),
        (1, None),
        (40, None),
        (41, ReasonCode.OVER_CAPACITY),
        (0, ReasonCode.INVALID_INPUT),
    ],
)
def test_capacity_is_part_of_the_decision(
    headcount: int | None, expected: ReasonCode | None
) -> None:
    decision = decide_booking(
        BookingRequest(M, CTR, HALL, "afternoon", USE_DATE, headcount=headcount),
        now=COUNTER_TIME,
        calendar=CenterCalendar(),
        applicant=GROUP,
        usage=GroupUsage(),
        slot_taken=False,
    )
    assert decision.reason == expected
