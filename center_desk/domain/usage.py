"""How the rooms are used (利用状況): the figures of one center for a month, its fiscal year to
date, and the same month a year earlier.

Computed here once, for the desk's view, the backend's API and the city office's monthly report
(月次利用状況報告), from plain facts about bookings and lottery entries: room, day, slot, kind,
status and fee. No group, no name, no user id goes in, so no figure can carry personal data.

Definitions (what staff and the city office read the numbers as):

* **offered slots** (提供コマ数): every slot a room offers on every day the center is open;
  closed days (定期休館日, 年末年始, 臨時休館日) offer nothing.
* **used slots** (利用コマ数): live bookings (booked, used or no-show) on offered slots; a
  no-show still held the room, so it counts as occupied. Occupancy = used / offered.
* **bookings by kind**: live bookings by 抽選 / 先着 / 直前 (the counter-only kind).
* **lottery demand** (抽選倍率): entries that were not withdrawn, per slot applied for.
* **cancellations** and **no-shows** are counted separately; neither is a live booking's fate
  the other counts.
* **fees**: nominal fees of live bookings, what was charged, what was received (fee receipts),
  and the live bookings exempted, by reason.
* the **year to date** is the fiscal year (年度, from 1 April), as the city reports by it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .booking import BookingKind
from .calendar import CenterCalendar
from .catalog import Center, SlotDef
from .months import FIRST_YEAR, LAST_YEAR

#: Statuses of a booking that holds its room (a no-show held it too).
LIVE_STATUSES = frozenset({"booked", "used", "no_show"})
CANCELLED = "cancelled"
NO_SHOW = "no_show"
#: Lottery entries that count as demand: all but those the group withdrew.
WITHDRAWN = "withdrawn"

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


class MonthError(ValueError):
    """A month that is not written YYYY-MM (``2027-02``)."""


def parse_month(text: str) -> date:
    """The first day of the month written strictly as ``YYYY-MM``."""
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        raise MonthError(f"{text!r} is not a month like 2027-02 (YYYY-MM)")
    year = int(match.group(1))
    # Year 1 or 9999 would overflow the previous-year and month-end arithmetic (a 500).
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MonthError(f"{text!r}: the year must be {FIRST_YEAR} to {LAST_YEAR} (YYYY-MM)")
    return date(year, int(match.group(2)), 1)


def month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def fiscal_year_start(day: date) -> date:
    """1 April of the fiscal year (年度) ``day`` belongs to."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def previous_year(first: date) -> date:
    return date(first.year - 1, first.month, 1)


@dataclass(frozen=True)
class BookingFact:
    """One reservation, as far as the figures need it (no group, no name)."""

    room_id: str
    use_date: date
    slot_id: str
    kind: str  # a BookingKind value
    status: str  # booked / used / no_show / cancelled
    fee_nominal: int = 0
    fee_charged: int = 0
    fee_exemption: str | None = None
    #: Yen received for it (利用料の領収), None when no receipt was issued.
    fee_received: int | None = None


@dataclass(frozen=True)
class LotteryEntryFact:
    room_id: str
    use_date: date
    slot_id: str
    status: str  # pending / won / lost / withdrawn


@dataclass(frozen=True)
class RoomSlotUsage:
    """One cell of the heat map: a room in one slot over the period."""

    room_id: str
    slot_id: str
    offered: int
    used: int

    @property
    def occupancy(self) -> float:
        return self.used / self.offered if self.offered else 0.0


@dataclass(frozen=True)
class PeriodUsage:
    start: date
    end: date
    cells: tuple[RoomSlotUsage, ...]
    #: Live bookings by BookingKind value (every kind present, zero included).
    by_kind: dict[str, int]
    lottery_entries: int
    #: Distinct room-day-slots that had at least one entry.
    lottery_slots: int
    #: Entries by slot id (午前 / 午後 / 夜間), every slot present.
    lottery_entries_by_slot: dict[str, int]
    cancellations: int
    no_shows: int
    fees_nominal: int
    fees_charged: int
    fees_received: int
    #: Live bookings exempt from the fee, by ExemptionReason value.
    exemptions: dict[str, int] = field(default_factory=dict)

    @property
    def offered(self) -> int:
        return sum(c.offered for c in self.cells)

    @property
    def used(self) -> int:
        return sum(c.used for c in self.cells)

    @property
    def occupancy(self) -> float:
        offered = self.offered
        return self.used / offered if offered else 0.0

    @property
    def bookings(self) -> int:
        return sum(self.by_kind.values())

    @property
    def lottery_demand(self) -> float:
        """Entries per slot applied for (抽選倍率); 0 when nobody applied."""
        return self.lottery_entries / self.lottery_slots if self.lottery_slots else 0.0

    @property
    def exempted(self) -> int:
        return sum(self.exemptions.values())

    def cell(self, room_id: str, slot_id: str) -> RoomSlotUsage:
        for c in self.cells:
            if c.room_id == room_id and c.slot_id == slot_id:
                return c
        raise KeyError(f"no cell for {room_id} / {slot_id}")

    def slot_occupancy(self, slot_id: str) -> float:
        cells = [c for c in self.cells if c.slot_id == slot_id]
        offered = sum(c.offered for c in cells)
        return sum(c.used for c in cells) / offered if offered else 0.0


@dataclass(frozen=True)
class CenterUsage:
    """The figures of one center: the month, its fiscal year to date and the same month a year
    earlier (前年同月), with the rooms and slots in catalog order for labelling."""

    center_id: str
    center_name: str
    month: date  # first day
    rooms: tuple[tuple[str, str], ...]  # (room id, name)
    slots: tuple[tuple[str, str], ...]  # (slot id, label)
    this_month: PeriodUsage
    year_to_date: PeriodUsage
    previous_year: PeriodUsage

    @property
    def month_text(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"


def _open_days(calendar: CenterCalendar, start: date, end: date) -> list[date]:
    days = []
    current = start
    while current <= end:
        if not calendar.is_closed(current):
            days.append(current)
        current += timedelta(days=1)
    return days


def period_usage(
    center: Center,
    slots: Sequence[SlotDef],
    calendar: CenterCalendar,
    start: date,
    end: date,
    bookings: Iterable[BookingFact],
    entries: Iterable[LotteryEntryFact] = (),
) -> PeriodUsage:
    """The figures of ``center`` from ``start`` to ``end`` inclusive. Facts outside the period
    or about other centers' rooms are ignored, so callers may pass a wider set."""
    rooms = {room.id: room for room in center.rooms}
    open_days = _open_days(calendar, start, end)
    open_set = set(open_days)
    slot_ids = [s.id for s in slots]

    used: Counter[tuple[str, str]] = Counter()
    by_kind: Counter[str] = Counter({kind.value: 0 for kind in BookingKind})
    exemptions: Counter[str] = Counter()
    cancellations = no_shows = 0
    fees_nominal = fees_charged = fees_received = 0
    for fact in bookings:
        if fact.room_id not in rooms or not start <= fact.use_date <= end:
            continue
        if fact.fee_received is not None:
            fees_received += fact.fee_received
        if fact.status == CANCELLED:
            cancellations += 1
            continue
        if fact.status not in LIVE_STATUSES:
            continue
        if fact.status == NO_SHOW:
            no_shows += 1
        by_kind[fact.kind] += 1
        fees_nominal += fact.fee_nominal
        fees_charged += fact.fee_charged
        if fact.fee_exemption:
            exemptions[fact.fee_exemption] += 1
        if fact.use_date in open_set and rooms[fact.room_id].offers(fact.slot_id):
            used[(fact.room_id, fact.slot_id)] += 1

    cells = tuple(
        RoomSlotUsage(
            room_id=room.id,
            slot_id=slot_id,
            offered=len(open_days) if room.offers(slot_id) else 0,
            used=used[(room.id, slot_id)],
        )
        for room in center.rooms
        for slot_id in slot_ids
    )

    entry_count = 0
    applied: set[tuple[str, date, str]] = set()
    by_slot: Counter[str] = Counter({slot_id: 0 for slot_id in slot_ids})
    for entry in entries:
        if entry.room_id not in rooms or not start <= entry.use_date <= end:
            continue
        if entry.status == WITHDRAWN:
            continue
        entry_count += 1
        applied.add((entry.room_id, entry.use_date, entry.slot_id))
        by_slot[entry.slot_id] += 1

    return PeriodUsage(
        start=start,
        end=end,
        cells=cells,
        by_kind=dict(by_kind),
        lottery_entries=entry_count,
        lottery_slots=len(applied),
        lottery_entries_by_slot=dict(by_slot),
        cancellations=cancellations,
        no_shows=no_shows,
        fees_nominal=fees_nominal,
        fees_charged=fees_charged,
        fees_received=fees_received,
        exemptions=dict(sorted(exemptions.items())),
    )


def facts_window(month: date) -> tuple[date, date]:
    """The days whose facts :func:`center_usage` needs for ``month``: from the earlier of the
    fiscal year's start and the previous year's month, to the month's end."""
    return min(fiscal_year_start(month), previous_year(month)), month_end(month)


def center_usage(
    center: Center,
    slots: Sequence[SlotDef],
    calendar: CenterCalendar,
    month: date,
    bookings: Iterable[BookingFact],
    entries: Iterable[LotteryEntryFact] = (),
) -> CenterUsage:
    """The month (any day of it), the fiscal year to its end, and the previous year's month."""
    first = month.replace(day=1)
    booking_list = list(bookings)
    entry_list = list(entries)

    def period(start: date, end: date) -> PeriodUsage:
        return period_usage(center, slots, calendar, start, end, booking_list, entry_list)

    last = month_end(first)
    before = previous_year(first)
    return CenterUsage(
        center_id=center.id,
        center_name=center.name,
        month=first,
        rooms=tuple((room.id, room.name) for room in center.rooms),
        slots=tuple((slot.id, slot.label) for slot in slots),
        this_month=period(first, last),
        year_to_date=period(fiscal_year_start(first), last),
        previous_year=period(before, month_end(before)),
    )
