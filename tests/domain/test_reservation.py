"""The guards of a reservation's life after booking (domain/reservation.py), as tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from center_desk.domain import (
    CHARGE_FEE,
    TOKYO,
    AllowedActions,
    BookingKind,
    CenterCalendar,
    Channel,
    Decision,
    ExemptionReason,
    QuotaPolicy,
    ReasonCode,
    ReservationFacts,
    ReservationStatus,
    SlotDef,
    allowed_actions,
    center_quota_kinds,
    decide_cancel,
    decide_check_in,
    decide_fee_receipt,
    decide_no_show,
    decide_usage_report,
    exemption_request,
    resolve_exemption,
)
from center_desk.domain.errors import WindowClosed, WrongStatus

AFTERNOON = SlotDef("afternoon", "午後", *(datetime(2000, 1, 1, h).time() for h in (13, 17)))
USE = date(2027, 2, 15)  # a Monday; the counter window opens 2027-02-08
BOOKED = ReservationFacts(
    status=ReservationStatus.BOOKED,
    use_date=USE,
    slot=AFTERNOON,
    checked_in=False,
    fee_charged=900,
    fee_paid=False,
)
CHECKED_IN = replace(BOOKED, checked_in=True)
USED = replace(BOOKED, status=ReservationStatus.USED, checked_in=True)
NO_SHOW = replace(BOOKED, status=ReservationStatus.NO_SHOW)
CANCELLED = replace(BOOKED, status=ReservationStatus.CANCELLED)
PAID = replace(BOOKED, fee_paid=True)
EXEMPT = replace(BOOKED, fee_charged=0, fee_paid=True)
NO_SLOT = replace(BOOKED, slot=None)

OK = "ok"  # the action goes ahead
DONE = "done"  # already taken: nothing to do


def at(day: int, hour: int, minute: int = 0, month: int = 2) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=TOKYO)


def outcome(decision: Decision) -> str:
    if not decision.allowed:
        assert decision.reason is not None
        return decision.reason.value
    assert decision.reason is None
    return DONE if decision.already_done else OK


@pytest.mark.parametrize(
    ("facts", "when", "expected"),
    [
        (BOOKED, at(15, 8, 30), OK),
        (BOOKED, at(15, 21, 59), OK),
        (BOOKED, at(14, 23, 59), ReasonCode.OUTSIDE_WINDOW),
        (BOOKED, at(16, 0, 0), ReasonCode.OUTSIDE_WINDOW),
        (CHECKED_IN, at(15, 13), DONE),
        (CANCELLED, at(15, 12), ReasonCode.WRONG_STATUS),
        (USED, at(15, 18), ReasonCode.WRONG_STATUS),
        (NO_SHOW, at(15, 18), ReasonCode.WRONG_STATUS),
    ],
)
def test_check_in(facts: ReservationFacts, when: datetime, expected: str) -> None:
    assert outcome(decide_check_in(facts, when)) == expected


@pytest.mark.parametrize(
    ("facts", "when", "expected"),
    [
        (BOOKED, at(15, 17, 30), OK),
        (BOOKED, at(15, 9), OK),  # the day of use: the report may come right after the slot
        (BOOKED, at(14, 23, 59), ReasonCode.OUTSIDE_WINDOW),
        (USED, at(20, 10), OK),  # a report can be corrected
        (CANCELLED, at(15, 18), ReasonCode.WRONG_STATUS),
        (NO_SHOW, at(16, 10), ReasonCode.WRONG_STATUS),
    ],
)
def test_usage_report(facts: ReservationFacts, when: datetime, expected: str) -> None:
    assert outcome(decide_usage_report(facts, when)) == expected


@pytest.mark.parametrize(
    ("facts", "amount", "expected"),
    [
        (BOOKED, 900, OK),
        (BOOKED, None, OK),
        (BOOKED, 700, ReasonCode.INVALID_INPUT),
        (PAID, 900, DONE),
        (EXEMPT, 0, DONE),
        (USED, 900, OK),
        (NO_SHOW, 900, OK),
        (CANCELLED, 900, ReasonCode.WRONG_STATUS),
    ],
)
def test_fee_receipt(facts: ReservationFacts, amount: int | None, expected: str) -> None:
    assert outcome(decide_fee_receipt(facts, amount)) == expected


@pytest.mark.parametrize(
    ("facts", "when", "channel", "expected"),
    [
        (BOOKED, at(13, 10), Channel.COUNTER, OK),
        (BOOKED, at(15, 12, 59), Channel.COUNTER, OK),
        (BOOKED, at(15, 13), Channel.COUNTER, ReasonCode.SLOT_STARTED),
        (BOOKED, at(15, 18), Channel.COUNTER, ReasonCode.SLOT_STARTED),
        (BOOKED, at(15, 13), Channel.ONLINE, ReasonCode.SLOT_STARTED),
        (BOOKED, at(7, 23, 59), Channel.ONLINE, OK),  # 8 days before: still first-come
        (BOOKED, at(8, 0, 0), Channel.ONLINE, ReasonCode.COUNTER_ONLY),
        (CHECKED_IN, at(15, 12, 45), Channel.COUNTER, ReasonCode.CHECKED_IN),
        (CANCELLED, at(15, 18), Channel.COUNTER, DONE),
        (USED, at(15, 12), Channel.COUNTER, ReasonCode.WRONG_STATUS),
        (NO_SHOW, at(16, 10), Channel.COUNTER, ReasonCode.WRONG_STATUS),
        (NO_SLOT, at(13, 10), Channel.COUNTER, ReasonCode.UNKNOWN_SLOT),
    ],
)
def test_cancel(facts: ReservationFacts, when: datetime, channel: Channel, expected: str) -> None:
    assert outcome(decide_cancel(facts, when, channel, CenterCalendar())) == expected


def test_an_online_cancel_needs_the_calendar() -> None:
    with pytest.raises(ValueError):
        decide_cancel(BOOKED, at(1, 10), Channel.ONLINE)


@pytest.mark.parametrize(
    ("facts", "when", "expected"),
    [
        (BOOKED, at(15, 17), OK),
        (BOOKED, at(16, 10), OK),
        (BOOKED, at(15, 16, 59), ReasonCode.SLOT_NOT_ENDED),
        (CHECKED_IN, at(15, 17, 30), ReasonCode.CHECKED_IN),
        (NO_SHOW, at(15, 18), DONE),
        (CANCELLED, at(15, 18), ReasonCode.WRONG_STATUS),
        (USED, at(15, 18), ReasonCode.WRONG_STATUS),
        (NO_SLOT, at(16, 10), ReasonCode.UNKNOWN_SLOT),
    ],
)
def test_no_show(facts: ReservationFacts, when: datetime, expected: str) -> None:
    assert outcome(decide_no_show(facts, when)) == expected


def test_refusals_raise_their_own_typed_error() -> None:
    with pytest.raises(WrongStatus) as wrong:
        decide_check_in(CANCELLED, at(15, 12)).raise_if_refused()
    assert wrong.value.code is ReasonCode.WRONG_STATUS
    with pytest.raises(WindowClosed) as started:
        decide_cancel(BOOKED, at(15, 13)).raise_if_refused()
    assert started.value.code is ReasonCode.SLOT_STARTED


@pytest.mark.parametrize(
    ("facts", "when", "expected"),
    [
        (None, at(15, 12), AllowedActions()),
        (
            BOOKED,
            at(15, 12),
            AllowedActions(
                details=True, print=True, check_in=True, usage=True, fee=True, cancel=True
            ),
        ),
        (
            BOOKED,
            at(15, 17, 30),
            AllowedActions(
                details=True, print=True, check_in=True, usage=True, fee=True, no_show=True
            ),
        ),
        (
            CHECKED_IN,
            at(15, 13, 30),
            AllowedActions(details=True, print=True, usage=True, fee=True),
        ),
        (BOOKED, at(13, 10), AllowedActions(details=True, print=True, fee=True, cancel=True)),
        (EXEMPT, at(13, 10), AllowedActions(details=True, print=True, cancel=True)),
        (CANCELLED, at(15, 12), AllowedActions(details=True)),
        (USED, at(16, 10), AllowedActions(details=True, print=True, usage=True, fee=True)),
        (NO_SHOW, at(16, 10), AllowedActions(details=True, print=True, fee=True)),
    ],
)
def test_allowed_actions_are_the_guards(
    facts: ReservationFacts | None, when: datetime, expected: AllowedActions
) -> None:
    assert allowed_actions(facts, when) == expected


@pytest.mark.parametrize(
    ("requested", "note", "registered", "registered_note", "expected"),
    [
        (None, "", None, "", (None, "")),
        (None, "", "school_pta", "第二小PTA", (ExemptionReason.SCHOOL_PTA, "第二小PTA")),
        (None, "今回のみ", "school_pta", "第二小PTA", (ExemptionReason.SCHOOL_PTA, "今回のみ")),
        (CHARGE_FEE, "", "school_pta", "第二小PTA", (None, "")),
        ("city_subsidy", "", "school_pta", "第二小PTA", (ExemptionReason.CITY_SUBSIDY, "")),
        ("school_pta", " ", "school_pta", "第二小PTA", (ExemptionReason.SCHOOL_PTA, "第二小PTA")),
        ("other", "市長承認", None, "", (ExemptionReason.OTHER, "市長承認")),
    ],
)
def test_exemption_is_resolved_once(
    requested: str | None,
    note: str,
    registered: str | None,
    registered_note: str,
    expected: tuple[ExemptionReason | None, str],
) -> None:
    got = resolve_exemption(requested, note, registered=registered, registered_note=registered_note)
    assert got == expected


def test_an_unknown_exemption_is_refused() -> None:
    with pytest.raises(ValueError):
        resolve_exemption("free", "", registered=None)


def test_exemption_request_on_the_wire() -> None:
    assert exemption_request(ExemptionReason.SCHOOL_PTA, charge_fee=False) == "school_pta"
    assert exemption_request(None, charge_fee=True) == CHARGE_FEE
    assert exemption_request(None, charge_fee=False) is None


def test_which_kinds_count_toward_the_center_quota() -> None:
    assert center_quota_kinds() == (BookingKind.LOTTERY, BookingKind.FIRST_COME)
    counting = QuotaPolicy(last_minute_counts_against_center_quota=True)
    assert BookingKind.LAST_MINUTE in center_quota_kinds(counting)


def test_status_values_are_the_wire_values() -> None:
    assert [s.value for s in ReservationStatus] == ["booked", "used", "no_show", "cancelled"]
    assert [s.live for s in ReservationStatus] == [True, True, True, False]
