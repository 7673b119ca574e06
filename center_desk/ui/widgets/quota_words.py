"""What a group has left this month, in words: the groups view and the proxy view say the same."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from center_desk.domain import (
    format_era_month,
)
from center_desk.protocol.reservations import QuotaOut
from center_desk.sync.errors import NeedsBackend

from .. import messages


def quota_text(quota: QuotaOut) -> str:
    """What the group has left for a use-month, saying what each count counts: lottery
    entries at every center (2 a month), and lottery and first-come bookings at this center
    (4 a month, lottery wins included)."""
    return (
        QCoreApplication.translate(
            "GroupsView",
            "%1: lottery entries (all centers) %2 of %3 left, %4 entered · lottery and "
            "first-come bookings here %5 of %6 left, %7 booked",
        )
        .replace("%1", format_era_month(*(int(part) for part in quota.month.split("-"))))
        .replace("%2", str(max(0, quota.lottery_limit - quota.lottery_entries)))
        .replace("%3", str(quota.lottery_limit))
        .replace("%4", str(quota.lottery_entries))
        .replace("%5", str(max(0, quota.center_limit - quota.center_bookings)))
        .replace("%6", str(quota.center_limit))
        .replace("%7", str(quota.center_bookings))
    )


def quota_error_text(error: BaseException) -> str:
    if isinstance(error, NeedsBackend):
        return QCoreApplication.translate("GroupsView", "Remaining quota: unknown while offline.")
    return QCoreApplication.translate(
        "GroupsView", "Remaining quota: could not be read (%1)."
    ).replace("%1", messages.for_error(error).sentence)
