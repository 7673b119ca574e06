"""When an offline mutation happened, on the server's clock (domain/offline_time.py): the edges
a counter PC's clock really reaches, and ones only a hostile push sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from center_desk.domain.offline_time import MAX_OFFLINE_AGE, decision_time, desk_skew

NOW = datetime(2027, 2, 10, 1, 0, tzinfo=UTC)


def test_a_desk_whose_clock_reset_to_1970_is_judged_at_the_moment_it_really_recorded() -> None:
    # The desk booked an hour ago by the server's clock, with its CMOS clock back in 1970.
    desk_now = datetime(1970, 1, 1, tzinfo=UTC)
    skew = desk_skew(desk_now, NOW)
    recorded = desk_now - timedelta(hours=1)
    assert decision_time(recorded, NOW, skew=skew) == NOW - timedelta(hours=1)


def test_times_beyond_the_calendar_fall_back_to_the_servers_present() -> None:
    far_future = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    skew = desk_skew(far_future, NOW)
    # A mutation recorded at the calendar's first moment, shifted back by ~8,000 years.
    assert decision_time(datetime(1, 1, 1, tzinfo=UTC), NOW, skew=skew) == NOW
    assert decision_time(far_future, NOW, skew=-skew) == NOW


def test_older_than_the_offline_limit_or_in_the_future_is_judged_now() -> None:
    assert decision_time(NOW - MAX_OFFLINE_AGE - timedelta(minutes=1), NOW) == NOW
    assert decision_time(NOW + timedelta(minutes=10), NOW) == NOW
    assert decision_time(NOW - timedelta(days=2), NOW) == NOW - timedelta(days=2)


def test_a_desk_sending_in_the_year_9999_or_1_is_judged_at_the_servers_present() -> None:
    recorded = NOW - timedelta(hours=1)
    for sent in (
        datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    ):
        skew = desk_skew(sent, NOW)
        assert decision_time(recorded, NOW, skew=skew) == NOW


def test_a_slow_desk_is_still_corrected_by_its_skew() -> None:
    skew = desk_skew(NOW - timedelta(days=3), NOW)
    recorded = NOW - timedelta(days=3, hours=1)
    assert decision_time(recorded, NOW, skew=skew) == NOW - timedelta(hours=1)
