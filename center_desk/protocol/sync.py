"""The sync API: push numbered mutations, pull changes by cursor (DESIGN.md §4).

A push carries envelopes whose ``body`` is checked by the backend one mutation at a time, so
one malformed or refused mutation is rejected on its own and never wedges the queue behind it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, Field, TypeAdapter

from center_desk.domain.months import FIRST_YEAR, LAST_YEAR

from .audit_events import SUBJECT_MAX, DeskAuditEvent, subject_problem
from .catalog import CenterOut, ClosureOut, SlotsOut
from .common import WireModel
from .groups import GroupOut
from .reservations import (
    FeeReceiptIn,
    LotteryEntryOut,
    ReservationIn,
    ReservationOut,
    UsageReportIn,
)

MAX_PUSH_BATCH = 500
DEFAULT_PULL_PAGE = 1000
#: A snapshot page is a few Core queries on the backend (issue 13): a desk may ask for larger
#: pages, and fewer round trips, than the default.
MAX_PULL_PAGE = 5000


#: Approval numbers a desk issues offline: K, its device number, a counter (K012-000153).
DESK_APPROVAL_PATTERN = r"^K(\d{3,4})-(\d{6})$"


def _within_service_years(moment: datetime) -> datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"a time from {FIRST_YEAR} to {LAST_YEAR}")
    return moment


#: A moment a desk reports. With its offset, or the backend could not place it (a 500); within
#: the service's years, or an event dated 9999 breaks every audit report that lists it (the
#: Tokyo time of 9999-12-31T20:00Z is past what ``datetime`` holds).
DeskTime = Annotated[AwareDatetime, AfterValidator(_within_service_years)]


def _id_like_subject(value: str) -> str:
    problem = subject_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def desk_approval_number(device_number: int, counter: int) -> str:
    return f"K{device_number:03d}-{counter:06d}"


class LastMinuteBooking(WireModel):
    """直前予約 taken at the counter, possibly offline. The desk issues the approval number
    (it prints the slip before the backend hears of it)."""

    kind: Literal["last_minute_booking"] = "last_minute_booking"
    reservation: ReservationIn
    approval_number: str = Field(pattern=DESK_APPROVAL_PATTERN)


class CancelReservation(WireModel):
    kind: Literal["cancel_reservation"] = "cancel_reservation"
    reservation_id: UUID
    reason: str = Field(min_length=1, max_length=200)


class CheckIn(WireModel):
    kind: Literal["check_in"] = "check_in"
    reservation_id: UUID
    at: DeskTime


class MarkNoShow(WireModel):
    kind: Literal["mark_no_show"] = "mark_no_show"
    reservation_id: UUID


class RecordUsageReport(WireModel):
    kind: Literal["usage_report"] = "usage_report"
    reservation_id: UUID
    report: UsageReportIn


class RecordFeeReceipt(WireModel):
    kind: Literal["fee_receipt"] = "fee_receipt"
    reservation_id: UUID
    receipt: FeeReceiptIn


class AuditEventIn(WireModel):
    """An audit event. ``subject`` names what was touched by id (an approval number, a user
    id), never by a person's name."""

    kind: Literal["audit_event"] = "audit_event"
    event_id: UUID
    at: DeskTime
    #: Only what a desk emits (protocol/audit_events.py): anything else is a 422 on "event".
    event: DeskAuditEvent
    staff_id: str | None = Field(default=None, max_length=32)
    subject: Annotated[str, AfterValidator(_id_like_subject)] = Field(
        default="", max_length=SUBJECT_MAX
    )


MutationBody = Annotated[
    LastMinuteBooking
    | CancelReservation
    | CheckIn
    | MarkNoShow
    | RecordUsageReport
    | RecordFeeReceipt
    | AuditEventIn,
    Field(discriminator="kind"),
]
MUTATION_BODY: TypeAdapter[MutationBody] = TypeAdapter(MutationBody)


class MutationEnvelope(WireModel):
    id: int = Field(ge=1)
    created_at: datetime
    staff_id: str | None = Field(default=None, max_length=32)
    #: Checked per mutation by the backend against :data:`MUTATION_BODY`.
    body: dict[str, Any]


class PushRequest(WireModel):
    mutations: list[MutationEnvelope] = Field(max_length=MAX_PUSH_BATCH)
    #: The desk's clock when it sent this push: the server learns the desk's skew from it and
    #: judges each mutation at its recorded time corrected by that skew (DESIGN.md §4). Any
    #: time is taken, however wrong: a PC whose clock reset to 1970 is exactly the desk whose
    #: skew the server must learn, and refusing its push would hold back its bookings.
    sent_at: AwareDatetime | None = None


MutationStatus = Literal["applied", "duplicate", "rejected"]


class MutationResult(WireModel):
    id: int
    status: MutationStatus
    #: For a rejection: a domain ReasonCode value or ``invalid_input``/``not_found``.
    reason_code: str | None = None
    message: str = ""


class PushResponse(WireModel):
    results: list[MutationResult]
    #: The highest mutation id the backend has taken (applied or rejected) for this device.
    last_applied_id: int
    #: True when a mutation id was missing: the batch stopped before it.
    stopped_at_gap: bool = False
    server_time: datetime


class _ChangeHead(WireModel):
    seq: int
    op: Literal["upsert", "delete"]
    #: The entity's id: a reservation's or entry's UUID, a user id, a center id,
    #: ``center_id:day`` for a closure, ``all`` for the slots.
    id: str


class ReservationChange(_ChangeHead):
    entity: Literal["reservation"] = "reservation"
    data: ReservationOut | None = None


class GroupChange(_ChangeHead):
    entity: Literal["group"] = "group"
    data: GroupOut | None = None


class LotteryEntryChange(_ChangeHead):
    entity: Literal["lottery_entry"] = "lottery_entry"
    data: LotteryEntryOut | None = None


class ClosureChange(_ChangeHead):
    entity: Literal["closure"] = "closure"
    data: ClosureOut | None = None


class CenterChange(_ChangeHead):
    """The center's catalog (its rooms, their fees); centers are never deleted."""

    entity: Literal["center"] = "center"
    data: CenterOut | None = None


class SlotsChange(_ChangeHead):
    entity: Literal["slots"] = "slots"
    data: SlotsOut | None = None


KnownChange = (
    ReservationChange
    | GroupChange
    | LotteryEntryChange
    | ClosureChange
    | CenterChange
    | SlotsChange
)
#: The model of each entity's change, by its ``entity``.
CHANGE_MODELS: dict[str, type[KnownChange]] = {
    "reservation": ReservationChange,
    "group": GroupChange,
    "lottery_entry": LotteryEntryChange,
    "closure": ClosureChange,
    "center": CenterChange,
    "slots": SlotsChange,
}


def _not_a_known_entity(entity: str) -> str:
    if entity in CHANGE_MODELS:
        raise ValueError(f"a {entity} change that does not match its model")
    return entity


class UnknownChange(_ChangeHead):
    """A change of an entity this desk does not know, from a newer backend: read, so the page
    still validates, and skipped, so an old desk keeps working. A known entity whose data does
    not match its model is an error, never read as this."""

    entity: Annotated[str, AfterValidator(_not_a_known_entity)]
    data: dict[str, Any] | None = None


#: One pulled change: a model per entity, whose ``data`` is that entity's output model (None
#: for a delete); any other entity reads as :class:`UnknownChange`.
#:
#: The known entities are a union tagged by ``entity``, tried first (``left_to_right``) and
#: picked in pydantic-core by the tag straight from the JSON; only a tag it does not know
#: falls through to :class:`UnknownChange`. (A callable discriminator, the other way to have a
#: fallback, turns each change of the page into Python objects before validating it: it made
#: a first sync of 18,000 changes about a third slower, issue 13.)
Change = Annotated[
    Annotated[KnownChange, Field(discriminator="entity")] | UnknownChange,
    Field(union_mode="left_to_right"),
]


def construct_change(fields: dict[str, Any]) -> Change:
    """A change from fields already in the wire form, unchecked (the backend built them from
    validated rows): the model of its entity, as :data:`Change` would read it."""
    model: type[KnownChange | UnknownChange] = CHANGE_MODELS.get(fields["entity"], UnknownChange)
    return model.model_construct(**fields)


class DeskState(WireModel):
    """What the backend knows of this desk, so a desk that rebuilt its cache carries on
    numbering where it left off instead of reusing ids the backend has already seen."""

    device_id: str
    center_id: str
    #: The desk's short number, part of the approval numbers it issues offline (K012-000153).
    device_number: int
    last_mutation_id: int
    last_approval_counter: int


class PullResponse(WireModel):
    desk: DeskState
    changes: list[Change]
    cursor: str
    has_more: bool
    #: The cursor was unknown or too old: these pages rebuild the desk's copy from scratch.
    snapshot: bool
    #: This page is the first of a snapshot, from the start of the log: the desk marks what it
    #: holds as unconfirmed here and drops what the snapshot's last page leaves unconfirmed. A
    #: resumed snapshot's pages are ``snapshot`` but not ``snapshot_started``.
    snapshot_started: bool = False
    #: Changes in scope still to come after this page (for a progress bar).
    remaining: int = 0
    server_time: datetime
