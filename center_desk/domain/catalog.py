"""The catalog: centers, their rooms, and the time slots (コマ) a room is let by.

All of it is data the city maintains (DOMAIN.md "Who and where"): the demo ships it as
``resources/catalog/demo-catalog.json`` and the backend loads the real one with an admin command.
Nothing here names a center, room or slot; :func:`parse_catalog` turns plain data into these
types and says precisely what is wrong with a bad file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from typing import Any


class RoomKind(StrEnum):
    """The kinds of lettable room named in the management rules."""

    TATAMI = "tatami"  # 娯楽室 (和室)
    WESTERN = "western"  # 集会室 (洋室)
    PLAYROOM = "playroom"  # 遊戯室
    READING = "reading"  # 読書室


@dataclass(frozen=True)
class SlotDef:
    """A time slot (コマ) such as 午前 9:00–12:00."""

    id: str
    label: str
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"slot {self.id}: start must be before end")


@dataclass(frozen=True)
class Room:
    id: str
    center_id: str
    name: str
    kind: RoomKind
    capacity: int
    #: Individuals may use 第二娯楽室 and 遊戯室; other rooms are for registered groups.
    individuals_allowed: bool
    #: Nominal fee in yen per slot id; shown even when the group is exempt.
    fees: Mapping[str, int] = field(default_factory=dict)

    def fee_for(self, slot_id: str) -> int:
        try:
            return self.fees[slot_id]
        except KeyError:
            raise KeyError(f"room {self.id} has no fee for slot {slot_id}") from None

    def offers(self, slot_id: str) -> bool:
        return slot_id in self.fees


@dataclass(frozen=True)
class Center:
    id: str
    name: str
    rooms: tuple[Room, ...]

    def room(self, room_id: str) -> Room:
        for room in self.rooms:
            if room.id == room_id:
                return room
        raise KeyError(f"center {self.id} has no room {room_id}")


@dataclass(frozen=True)
class Catalog:
    slots: tuple[SlotDef, ...]
    centers: tuple[Center, ...]

    def center(self, center_id: str) -> Center:
        for center in self.centers:
            if center.id == center_id:
                return center
        raise KeyError(f"no center {center_id}")

    def slot(self, slot_id: str) -> SlotDef:
        for slot in self.slots:
            if slot.id == slot_id:
                return slot
        raise KeyError(f"no slot {slot_id}")

    def room(self, room_id: str) -> Room:
        for center in self.centers:
            for room in center.rooms:
                if room.id == room_id:
                    return room
        raise KeyError(f"no room {room_id}")


class CatalogError(ValueError):
    """A catalog file that cannot be used; the message names the entry at fault."""


def _time(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise CatalogError(f"{where}: {value!r} is not a time like 09:00") from None


def _require(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise CatalogError(f"{where}: missing '{key}'")
    return entry[key]


def parse_catalog(data: Mapping[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from plain data (the JSON catalog file's content).

    Checks what a wrong file would otherwise break later: unique ids, known room kinds,
    positive capacities, fees only for slots that exist, non-negative fees.
    """
    raw_slots: Sequence[Mapping[str, Any]] = _require(data, "slots", "catalog")
    slots: list[SlotDef] = []
    for i, raw in enumerate(raw_slots):
        where = f"slots[{i}]"
        try:
            slots.append(
                SlotDef(
                    id=str(_require(raw, "id", where)),
                    label=str(_require(raw, "label", where)),
                    start=_time(_require(raw, "start", where), where),
                    end=_time(_require(raw, "end", where), where),
                )
            )
        except ValueError as exc:
            raise CatalogError(f"{where}: {exc}") from None
    slot_ids = [s.id for s in slots]
    if len(set(slot_ids)) != len(slot_ids):
        raise CatalogError("slots: ids must be unique")

    centers: list[Center] = []
    room_ids: set[str] = set()
    for i, raw_center in enumerate(_require(data, "centers", "catalog")):
        where = f"centers[{i}]"
        center_id = str(_require(raw_center, "id", where))
        rooms: list[Room] = []
        for j, raw_room in enumerate(_require(raw_center, "rooms", where)):
            rwhere = f"{where}.rooms[{j}]"
            room_id = str(_require(raw_room, "id", rwhere))
            if room_id in room_ids:
                raise CatalogError(f"{rwhere}: room id {room_id} is used twice")
            room_ids.add(room_id)
            try:
                kind = RoomKind(_require(raw_room, "kind", rwhere))
            except ValueError:
                raise CatalogError(f"{rwhere}: unknown room kind {raw_room['kind']!r}") from None
            capacity = int(_require(raw_room, "capacity", rwhere))
            if capacity <= 0:
                raise CatalogError(f"{rwhere}: capacity must be positive")
            fees = {str(k): int(v) for k, v in _require(raw_room, "fees", rwhere).items()}
            for slot_id, fee in fees.items():
                if slot_id not in slot_ids:
                    raise CatalogError(f"{rwhere}: fee for unknown slot {slot_id!r}")
                if fee < 0:
                    raise CatalogError(f"{rwhere}: fee for {slot_id} is negative")
            rooms.append(
                Room(
                    id=room_id,
                    center_id=center_id,
                    name=str(_require(raw_room, "name", rwhere)),
                    kind=kind,
                    capacity=capacity,
                    individuals_allowed=bool(raw_room.get("individuals_allowed", False)),
                    fees=fees,
                )
            )
        centers.append(
            Center(id=center_id, name=str(_require(raw_center, "name", where)), rooms=tuple(rooms))
        )
    center_ids = [c.id for c in centers]
    if len(set(center_ids)) != len(center_ids):
        raise CatalogError("centers: ids must be unique")
    return Catalog(slots=tuple(slots), centers=tuple(centers))
