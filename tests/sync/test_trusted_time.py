"""Time the server can trust (issue 10, item 2): a desk clock 3 days slow and 1 day fast,
offline bookings around the window edges. The push carries the desk's clock; the backend
judges each mutation at its recorded time corrected by the skew and books nothing for a day
already past; the desk applies its known offset to its own checks and says so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from center_desk.domain import DomainError, ManualClock, ReasonCode
from center_desk.store import meta, outbox
from center_desk.sync.operations import WalkIn
from tests.support.backend_app import HALL, Backend, tokyo
from tests.support.desk import Desk

SERVER_NOW = tokyo(2027, 2, 10, 10, 0)


def walk_in(user_id: str, day: date, slot: str = "afternoon") -> WalkIn:
    return WalkIn(
        room_id=HALL, use_date=day, slot_id=slot, headcount=10, purpose="練習", user_id=user_id
    )


def desk_with_clock(
    backend: Backend, desks: Callable[..., Desk], off_by: timedelta
) -> tuple[Desk, ManualClock, str]:
    backend.at(SERVER_NOW)
    user_id, _ = backend.register()
    clock = ManualClock(SERVER_NOW + off_by)
    desk = desks(clock=clock)
    assert desk.sync().error == ""
    assert desk.engine.status.clock_warning
    return desk, clock, user_id


def test_a_slow_desk_that_knows_its_offset_refuses_past_days_itself_and_says_so(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, _, user_id = desk_with_clock(backend, desks, -timedelta(days=3))
    desk.go_offline()
    for past in (date(2027, 2, 8), date(2027, 2, 9)):
        with pytest.raises(DomainError) as refused:
            desk.ops.book_walk_in(walk_in(user_id, past))
        assert refused.value.code is ReasonCode.OUTSIDE_WINDOW
        assert desk.ops.clock_corrected_by is not None
        assert abs(desk.ops.clock_corrected_by - timedelta(days=3)) < timedelta(minutes=1)
    good = desk.ops.book_walk_in(walk_in(user_id, date(2027, 2, 12)))
    desk.go_online()
    report = desk.sync()
    assert report.error == "" and report.rejected == []
    assert desk.scalar("SELECT sync_state FROM reservations WHERE id = ?", good.id) == "synced"


@pytest.mark.parametrize(
    ("off_by", "past_or_early", "good"),
    [
        # 3 days slow: 2/8 and 2/9 are future on the desk, past on the server.
        (
            -timedelta(days=3),
            [date(2027, 2, 8), date(2027, 2, 9)],
            [date(2027, 2, 10), date(2027, 2, 13)],
        ),
        # 1 day fast: 2/18 is in the desk's window (2/11 + 7), not yet in the server's.
        (timedelta(days=1), [date(2027, 2, 18)], [date(2027, 2, 11), date(2027, 2, 17)]),
    ],
)
def test_the_backend_judges_offline_bookings_at_its_own_time(
    backend: Backend,
    desks: Callable[..., Desk],
    off_by: timedelta,
    past_or_early: list[date],
    good: list[date],
) -> None:
    desk, _, user_id = desk_with_clock(backend, desks, off_by)
    # A desk that has not measured its offset yet (its clock drifted since the last contact).
    desk.db.execute("DELETE FROM meta WHERE key = ?", (meta.SERVER_CLOCK_OFFSET,))
    desk.go_offline()
    refused = [desk.ops.book_walk_in(walk_in(user_id, day)) for day in past_or_early]
    accepted = [desk.ops.book_walk_in(walk_in(user_id, day, "evening")) for day in good]
    assert desk.ops.clock_corrected_by is None
    desk.go_online()
    report = desk.sync()
    assert report.error == ""
    assert sorted(r.reason_code or "" for r in report.rejected) == ["outside_window"] * len(
        past_or_early
    )
    # The refused ones are under 要対応 and no longer hold their slots; the good ones synced.
    attention = outbox.needs_attention(desk.db)
    assert sorted(getattr(e.body, "approval_number", "") for e in attention) == sorted(
        r.approval_number for r in refused
    )
    for booking in refused:
        state = desk.scalar(
            "SELECT status || '/' || sync_state FROM reservations WHERE id = ?", booking.id
        )
        assert state == "cancelled/rejected"
    for booking in accepted:
        assert desk.scalar("SELECT sync_state FROM reservations WHERE id = ?", booking.id) == (
            "synced"
        )
