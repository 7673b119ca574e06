"""Usage figures (利用状況) on the wire: the desk's view and the admin API send
:class:`CenterUsageOut`; both ends turn it back into :class:`center_desk.domain.usage.CenterUsage`
so the rates are derived in one place. Figures only: no group, no name."""

from __future__ import annotations

from datetime import date, datetime

from center_desk.domain.usage import CenterUsage, PeriodUsage, RoomSlotUsage

from .common import WireModel


class RoomSlotUsageOut(WireModel):
    room_id: str
    slot_id: str
    offered: int
    used: int


class PeriodUsageOut(WireModel):
    start: date
    end: date
    cells: list[RoomSlotUsageOut]
    by_kind: dict[str, int]
    lottery_entries: int
    lottery_slots: int
    lottery_entries_by_slot: dict[str, int]
    cancellations: int
    no_shows: int
    fees_nominal: int
    fees_charged: int
    fees_received: int
    exemptions: dict[str, int]

    @classmethod
    def from_domain(cls, period: PeriodUsage) -> PeriodUsageOut:
        return cls(
            start=period.start,
            end=period.end,
            cells=[
                RoomSlotUsageOut(
                    room_id=c.room_id, slot_id=c.slot_id, offered=c.offered, used=c.used
                )
                for c in period.cells
            ],
            by_kind=dict(period.by_kind),
            lottery_entries=period.lottery_entries,
            lottery_slots=period.lottery_slots,
            lottery_entries_by_slot=dict(period.lottery_entries_by_slot),
            cancellations=period.cancellations,
            no_shows=period.no_shows,
            fees_nominal=period.fees_nominal,
            fees_charged=period.fees_charged,
            fees_received=period.fees_received,
            exemptions=dict(period.exemptions),
        )

    def to_domain(self) -> PeriodUsage:
        return PeriodUsage(
            start=self.start,
            end=self.end,
            cells=tuple(RoomSlotUsage(c.room_id, c.slot_id, c.offered, c.used) for c in self.cells),
            by_kind=dict(self.by_kind),
            lottery_entries=self.lottery_entries,
            lottery_slots=self.lottery_slots,
            lottery_entries_by_slot=dict(self.lottery_entries_by_slot),
            cancellations=self.cancellations,
            no_shows=self.no_shows,
            fees_nominal=self.fees_nominal,
            fees_charged=self.fees_charged,
            fees_received=self.fees_received,
            exemptions=dict(self.exemptions),
        )


class NamedOut(WireModel):
    id: str
    name: str


class CenterUsageOut(WireModel):
    center_id: str
    center_name: str
    month: str  # "2027-02"
    rooms: list[NamedOut]
    slots: list[NamedOut]
    this_month: PeriodUsageOut
    year_to_date: PeriodUsageOut
    previous_year: PeriodUsageOut

    @classmethod
    def from_domain(cls, usage: CenterUsage) -> CenterUsageOut:
        return cls(
            center_id=usage.center_id,
            center_name=usage.center_name,
            month=usage.month_text,
            rooms=[NamedOut(id=i, name=n) for i, n in usage.rooms],
            slots=[NamedOut(id=i, name=n) for i, n in usage.slots],
            this_month=PeriodUsageOut.from_domain(usage.this_month),
            year_to_date=PeriodUsageOut.from_domain(usage.year_to_date),
            previous_year=PeriodUsageOut.from_domain(usage.previous_year),
        )

    def to_domain(self) -> CenterUsage:
        year, month = (int(part) for part in self.month.split("-"))
        return CenterUsage(
            center_id=self.center_id,
            center_name=self.center_name,
            month=date(year, month, 1),
            rooms=tuple((r.id, r.name) for r in self.rooms),
            slots=tuple((s.id, s.name) for s in self.slots),
            this_month=self.this_month.to_domain(),
            year_to_date=self.year_to_date.to_domain(),
            previous_year=self.previous_year.to_domain(),
        )


class UsageReportOut(WireModel):
    """Every center's figures for one month (the admin API, the city office's report)."""

    month: str
    generated_at: datetime
    centers: list[CenterUsageOut]
