"""Centers, rooms, slots and closures as the backend serves them."""

from __future__ import annotations

from datetime import date, time

from .common import WireModel


class SlotOut(WireModel):
    id: str
    label: str
    start: time
    end: time


class RoomOut(WireModel):
    id: str
    center_id: str
    name: str
    kind: str
    capacity: int
    individuals_allowed: bool
    fees: dict[str, int]
    #: The room's place in its center's list (the desk's grid shows rooms in this order).
    position: int = 0


class SlotsOut(WireModel):
    """The day's slots (午前, 午後, 夜間): one change carries them all."""

    slots: list[SlotOut]


class CenterOut(WireModel):
    id: str
    name: str
    rooms: list[RoomOut]


class ClosureOut(WireModel):
    center_id: str
    day: date
    reason: str


class CatalogOut(WireModel):
    slots: list[SlotOut]
    centers: list[CenterOut]


class AvailabilityCell(WireModel):
    room_id: str
    use_date: date
    slot_id: str
    #: free, booked, closed
    state: str
    closed_reason: str = ""


class AvailabilityOut(WireModel):
    center_id: str
    cells: list[AvailabilityCell]
