"""Who asks a service, as the services need to know it: the channel decides the booking
windows, the label is recorded as ``created_by``, and a desk is held to its own center."""

from __future__ import annotations

from dataclasses import dataclass

from center_desk.domain import Channel

from ..errors import ApiError


@dataclass(frozen=True)
class Caller:
    """Who asks: the channel decides the windows; ``label`` is recorded as ``created_by``."""

    channel: Channel
    label: str
    #: A desk may only act for its own center.
    center_id: str | None = None
    #: The desk that asks, for auditing what its center comes to see (issue 15).
    desk: DeskRef | None = None


@dataclass(frozen=True)
class DeskRef:
    """A desk booking for a group: who to audit when that hands it another center's group."""

    device_id: str
    staff_id: str | None
    staff_verified: bool
    alert_per_hour: int


def check_center(caller: Caller, center_id: str) -> None:
    if caller.center_id is not None and caller.center_id != center_id:
        raise ApiError(403, "forbidden", "this desk serves another center")
