"""Reservations, lottery entries and what happens on the day."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from .common import WireModel


class ReservationIn(WireModel):
    """A booking request. ``id`` is chosen by the caller (a UUID) so that a retry of the same
    request, or a desk's offline booking, is recognised rather than doubled."""

    id: UUID
    room_id: str = Field(max_length=64)
    use_date: date
    slot_id: str = Field(max_length=32)
    #: lottery entries use LotteryEntryIn; here: first_come or last_minute
    kind: str = Field(pattern="^(first_come|last_minute)$")
    #: None for an individual (個人利用) booking at the counter.
    user_id: str | None = Field(default=None, max_length=16)
    purpose: str = Field(default="", max_length=200)
    headcount: int = Field(ge=1, le=1000)
    #: An exemption reason code; ``"none"`` to charge the fee to a group that is registered as
    #: exempt; ``None`` for the group's registered exemption (if any).
    fee_exemption: str | None = None
    fee_exemption_note: str = Field(default="", max_length=200)
    #: For an individual booking: the person's name as written on the application.
    individual_name: str | None = Field(default=None, max_length=60)


class ReservationOut(WireModel):
    id: UUID
    approval_number: str
    center_id: str
    room_id: str
    use_date: date
    slot_id: str
    kind: str
    channel: str
    status: str
    user_id: str | None
    group_name: str | None
    purpose: str
    headcount: int
    fee_nominal: int
    fee_charged: int
    fee_exemption: str | None
    fee_exemption_note: str
    fee_paid: bool
    checked_in_at: datetime | None
    created_at: datetime
    cancelled_reason: str = ""


class CancelIn(WireModel):
    reason: str = Field(min_length=1, max_length=200)


class UsageReportIn(WireModel):
    """利用報告書: filled in after use."""

    actual_headcount: int = Field(ge=0, le=1000)
    remarks: str = Field(default="", max_length=400)


class FeeReceiptIn(WireModel):
    amount: int = Field(ge=0, le=1_000_000)
    receipt_number: str = Field(min_length=1, max_length=32)


class LotteryEntryIn(WireModel):
    id: UUID
    room_id: str = Field(max_length=64)
    use_date: date
    slot_id: str = Field(max_length=32)
    user_id: str | None = Field(default=None, max_length=16)
    purpose: str = Field(default="", max_length=200)
    headcount: int = Field(ge=1, le=1000)


class LotteryEntryOut(WireModel):
    id: UUID
    user_id: str
    room_id: str
    center_id: str
    use_date: date
    slot_id: str
    channel: str
    #: pending (before the draw), won, lost
    status: str
    reservation_id: UUID | None
    created_at: datetime


class LotteryRunOut(WireModel):
    month: str
    seed: str
    entries: int
    winners: int
    already_run: bool


class QuotaOut(WireModel):
    """What a group has left for one use-month (shown at the counter)."""

    user_id: str
    month: str
    lottery_entries: int
    lottery_limit: int
    center_id: str | None
    center_bookings: int
    center_limit: int
