"""When an offline mutation happened, on the server's clock (DESIGN.md §4, issue 10).

A desk records each mutation at its own clock's time. When it pushes, it also sends its clock
at sending; the server's clock at receipt minus that is the desk's skew, and the recorded time
plus the skew is the moment on the server's clock. Both ends use these functions: the backend
to judge a push, the desk to apply the same rules offline with the offset it last measured.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .clock import tokyo_date
from .errors import WindowClosed

#: Desk and server may disagree this much before the desk warns and corrects.
CLOCK_TOLERANCE = timedelta(minutes=2)
#: An offline mutation is judged at its (corrected) recorded moment if that is no older than
#: this; anything older, or in the future, is judged at the server's present.
MAX_OFFLINE_AGE = timedelta(days=7)


def desk_skew(desk_sent_at: datetime | None, received_at: datetime) -> timedelta:
    """How far the desk's clock is behind the server's (negative: ahead). Zero when the desk
    did not say (an older desk) or sent a naive time."""
    if desk_sent_at is None or desk_sent_at.tzinfo is None:
        return timedelta(0)
    return received_at - desk_sent_at


def decision_time(
    recorded_at: datetime, now: datetime, *, skew: timedelta = timedelta(0)
) -> datetime:
    """The server-clock moment at which to judge a mutation the desk recorded at
    ``recorded_at`` on its own clock, ``skew`` behind the server's."""
    if recorded_at.tzinfo is None:
        return now
    try:
        corrected = recorded_at + skew
    except OverflowError:
        # A desk claiming to send in the year 9999 (or 1): no moment to trust, and the
        # arithmetic must not turn the whole push into a 500.
        return now
    if now - MAX_OFFLINE_AGE <= corrected <= now + CLOCK_TOLERANCE:
        return min(corrected, now)
    return now


def trusted_now(desk_now: datetime, server_offset: timedelta | None) -> datetime:
    """The desk's best idea of the server's present: its own clock corrected by the offset it
    measured at the last contact, when that offset is beyond the tolerance."""
    if server_offset is None or abs(server_offset) <= CLOCK_TOLERANCE:
        return desk_now
    return desk_now + server_offset


def refuse_past_day(use_date: date, now: datetime) -> None:
    """Nothing is booked for a day already past on the server's clock, whenever the desk
    recorded it (DESIGN.md §4)."""
    if use_date < tokyo_date(now):
        raise WindowClosed(f"{use_date.isoformat()} is already past")
