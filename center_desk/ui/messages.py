"""Typed errors below, words above (STYLE.md §3): one sentence and one next step, in the
staff's language, for every reason code and error the layers below raise."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from center_desk.domain import DomainError, GroupValidationError
from center_desk.store import CacheWriteFailed, DiskFull, InsecureKeyringError, StoreError
from center_desk.sync.errors import (
    DeviceRevoked,
    NeedsBackend,
    Offline,
    Refused,
    ServerUnavailable,
    Unauthorized,
    UpgradeRequired,
)


@dataclass(frozen=True)
class Message:
    sentence: str
    next_step: str

    def text(self) -> str:
        return f"{self.sentence}\n{self.next_step}" if self.next_step else self.sentence


def for_code(code: str) -> Message:
    """The words for a reason code (a domain ReasonCode value or an API code)."""
    table = {
        "closed_day": (
            QCoreApplication.translate("Messages", "The center is closed on that day."),
            QCoreApplication.translate("Messages", "Choose another day."),
        ),
        "outside_window": (
            QCoreApplication.translate(
                "Messages", "That is outside the booking period for this date."
            ),
            QCoreApplication.translate("Messages", "Check the booking periods shown for the date."),
        ),
        "counter_only": (
            QCoreApplication.translate(
                "Messages", "In the last seven days only the counter can book."
            ),
            QCoreApplication.translate("Messages", "Take it as a walk-in booking at the counter."),
        ),
        "lottery_quota": (
            QCoreApplication.translate(
                "Messages", "The group has used its 2 lottery slots for that month."
            ),
            QCoreApplication.translate("Messages", "Check the group's entries for the month."),
        ),
        "center_quota": (
            QCoreApplication.translate(
                "Messages", "The group has used its 4 slots this month at this center."
            ),
            QCoreApplication.translate(
                "Messages", "Lottery wins count too; check the group's bookings."
            ),
        ),
        "slot_taken": (
            QCoreApplication.translate("Messages", "That slot is already booked."),
            QCoreApplication.translate("Messages", "Choose another room or slot."),
        ),
        "room_not_for_user": (
            QCoreApplication.translate("Messages", "Only registered groups may use this room."),
            QCoreApplication.translate(
                "Messages", "Individuals may use the second tatami room or the playroom."
            ),
        ),
        "group_not_eligible": (
            QCoreApplication.translate(
                "Messages",
                "The group does not meet the registration requirements or has been de-registered.",
            ),
            QCoreApplication.translate("Messages", "Check the group's registration details."),
        ),
        "registration_expired": (
            QCoreApplication.translate("Messages", "The group's registration has expired."),
            QCoreApplication.translate("Messages", "Renew it with a change of registration form."),
        ),
        "unknown_slot": (
            QCoreApplication.translate("Messages", "That room is not let in that slot."),
            QCoreApplication.translate("Messages", "Choose a slot the room offers."),
        ),
        "already_entered": (
            QCoreApplication.translate(
                "Messages", "The group has already entered the lottery for that slot."
            ),
            QCoreApplication.translate("Messages", "No second entry is needed."),
        ),
        "over_capacity": (
            QCoreApplication.translate("Messages", "That is more people than the room holds."),
            QCoreApplication.translate("Messages", "Lower the headcount or choose a larger room."),
        ),
        "wrong_status": (
            QCoreApplication.translate(
                "Messages", "That cannot be done for this booking in its present state."
            ),
            QCoreApplication.translate(
                "Messages", "Check the booking's status (cancelled, used or no-show)."
            ),
        ),
        "slot_started": (
            QCoreApplication.translate(
                "Messages", "The slot has already begun, so the booking can no longer be cancelled."
            ),
            QCoreApplication.translate(
                "Messages", "Record a usage report, or a no-show once the slot is over."
            ),
        ),
        "slot_not_ended": (
            QCoreApplication.translate("Messages", "The slot is not over yet."),
            QCoreApplication.translate(
                "Messages", "The group may still come: mark a no-show after the slot ends."
            ),
        ),
        "checked_in": (
            QCoreApplication.translate("Messages", "The group has already checked in."),
            QCoreApplication.translate(
                "Messages", "Record a usage report instead of cancelling or a no-show."
            ),
        ),
        "invalid_input": (
            QCoreApplication.translate("Messages", "Some entries are not valid."),
            QCoreApplication.translate("Messages", "Correct the fields marked in red."),
        ),
        "lookup_reason_required": (
            QCoreApplication.translate("Messages", "This group is registered at another center."),
            QCoreApplication.translate(
                "Messages", "Choose why you look it up, then press the button again."
            ),
        ),
        "lookup_rate_limited": (
            QCoreApplication.translate(
                "Messages", "This desk has looked up many groups of other centers this hour."
            ),
            QCoreApplication.translate(
                "Messages", "Try again later; the office has been told. Ask the office if urgent."
            ),
        ),
        # The backend's refusals from issue 9 (rush, hostile input, sign-in limits).
        "busy": (
            QCoreApplication.translate(
                "Messages", "The reservation system is very busy at the moment."
            ),
            QCoreApplication.translate(
                "Messages",
                "Nothing was lost: waiting changes are sent again by themselves shortly. "
                "Try this again in a moment.",
            ),
        ),
        "too_many_attempts": (
            QCoreApplication.translate(
                "Messages", "Too many sign-in attempts for this staff ID or from this desk."
            ),
            QCoreApplication.translate("Messages", "Wait a little, then sign in again."),
        ),
        "too_large": (
            QCoreApplication.translate(
                "Messages", "What was sent is too large for the reservation system."
            ),
            QCoreApplication.translate(
                "Messages", "Shorten the longest entries and try again; nothing was saved."
            ),
        ),
        "https_required": (
            QCoreApplication.translate(
                "Messages", "The reservation system accepts only encrypted (HTTPS) connections."
            ),
            QCoreApplication.translate(
                "Messages", "Ask the office to set the desk's server address to https://…."
            ),
        ),
        "not_found": (
            QCoreApplication.translate("Messages", "It could not be found."),
            QCoreApplication.translate("Messages", "Check the number and try again."),
        ),
        "bad_credentials": (
            QCoreApplication.translate(
                "Messages",
                "The staff ID or password is not correct, or the account is locked for a while.",
            ),
            QCoreApplication.translate(
                "Messages", "Type them again carefully; ask the office if it persists."
            ),
        ),
        "offline_not_possible": (
            QCoreApplication.translate(
                "Messages",
                "The reservation system cannot be reached, and you have "
                "not signed in online at this desk recently.",
            ),
            QCoreApplication.translate(
                "Messages", "Sign in when the line is back, or ask a colleague who has."
            ),
        ),
        "device_revoked": (
            QCoreApplication.translate("Messages", "This desk has been revoked by the city."),
            QCoreApplication.translate("Messages", "Its data is erased. Contact the office."),
        ),
        "forbidden": (
            QCoreApplication.translate("Messages", "This desk may not do that."),
            QCoreApplication.translate("Messages", "Ask the office."),
        ),
        "conflict": (
            QCoreApplication.translate("Messages", "That conflicts with a change made elsewhere."),
            QCoreApplication.translate("Messages", "Refresh and try again."),
        ),
    }
    sentence, next_step = table.get(
        code,
        (
            QCoreApplication.translate("Messages", "The request was refused."),
            QCoreApplication.translate("Messages", "Try again, or ask the office."),
        ),
    )
    return Message(sentence, next_step)


def for_operation(operation: str) -> str:
    names = {
        "group_registration": QCoreApplication.translate("Messages", "Registering a group"),
        "group_change": QCoreApplication.translate("Messages", "Changing a group"),
        "group_search": QCoreApplication.translate("Messages", "Checking for similar groups"),
        "group_lookup": QCoreApplication.translate("Messages", "Looking up a group"),
        "group_search_all": QCoreApplication.translate(
            "Messages", "Searching the groups of every center"
        ),
        "first_come_proxy": QCoreApplication.translate("Messages", "A first-come booking"),
        "lottery_proxy": QCoreApplication.translate("Messages", "A lottery entry"),
        "lottery_results": QCoreApplication.translate("Messages", "Lottery results"),
        "quota": QCoreApplication.translate("Messages", "The group's remaining quota"),
        "usage_figures": QCoreApplication.translate("Messages", "Usage figures"),
    }
    return names.get(operation, operation)


def wait_text(seconds: float) -> str:
    """ "about 2 minutes" / "30 seconds", rounded up: staff wait at least as long as asked."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return QCoreApplication.translate("Messages", "%1 seconds").replace("%1", str(whole))
    return QCoreApplication.translate("Messages", "about %1 minutes").replace(
        "%1", str(math.ceil(whole / 60))
    )


def _busy_server(error: BaseException) -> Message | None:
    """503 "busy" (the backend shedding load at a rush), whether it reached the screen as such
    or as the cause of "needs the reservation system": staff should hear "busy, it will
    retry", not "cannot be reached"."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ServerUnavailable) and cause.code == "busy":
            return for_code("busy")
        cause = cause.__cause__
    return None


def for_error(error: BaseException) -> Message:
    """Words for anything the layers below raise."""
    if isinstance(error, GroupValidationError):
        return for_code("invalid_input")
    if isinstance(error, DomainError):
        return for_code(error.code.value)
    busy = _busy_server(error)
    if busy is not None:
        return busy
    if isinstance(error, NeedsBackend):
        return Message(
            QCoreApplication.translate(
                "Messages", "%1 needs the reservation system, which cannot be reached now."
            ).replace("%1", for_operation(error.operation)),
            QCoreApplication.translate(
                "Messages", "Walk-in bookings still work. Try this again when the line is back."
            ),
        )
    if isinstance(error, Refused):
        message = for_code(error.code)
        if error.code == "too_many_attempts" and error.retry_after:
            # The backend says how long: staff wait that, not "a little".
            return Message(
                message.sentence,
                QCoreApplication.translate("Messages", "Wait %1, then sign in again.").replace(
                    "%1", wait_text(error.retry_after)
                ),
            )
        return message
    if isinstance(error, (Offline, ServerUnavailable)):
        return Message(
            QCoreApplication.translate("Messages", "The reservation system cannot be reached."),
            QCoreApplication.translate(
                "Messages", "Work continues offline; changes are sent when the line is back."
            ),
        )
    if isinstance(error, Unauthorized):
        return Message(
            QCoreApplication.translate("Messages", "Your session has ended."),
            QCoreApplication.translate("Messages", "Sign in again."),
        )
    if isinstance(error, DeviceRevoked):
        return for_code("device_revoked")
    if isinstance(error, UpgradeRequired):
        return Message(
            QCoreApplication.translate(
                "Messages", "This desk's software is too old for the reservation system."
            ),
            QCoreApplication.translate("Messages", "Ask the office to update it."),
        )
    if isinstance(error, InsecureKeyringError):
        return Message(
            QCoreApplication.translate(
                "Messages", "This PC has no secure place for the desk's key."
            ),
            QCoreApplication.translate(
                "Messages", "Ask the office: the OS keyring must be installed and unlocked."
            ),
        )
    if isinstance(error, DiskFull):
        return Message(
            QCoreApplication.translate("Messages", "This PC's disk is full: nothing was saved."),
            QCoreApplication.translate(
                "Messages", "Ask the office to free disk space, then do it again."
            ),
        )
    if isinstance(error, CacheWriteFailed):
        return Message(
            QCoreApplication.translate(
                "Messages", "The desk's local data could not be written: nothing was saved."
            ),
            QCoreApplication.translate("Messages", "Ask the office to check this PC's disk."),
        )
    if isinstance(error, StoreError):
        return Message(
            QCoreApplication.translate("Messages", "The desk's local data could not be used."),
            QCoreApplication.translate(
                "Messages", "Restart the desk; if it persists, ask the office."
            ),
        )
    return Message(
        QCoreApplication.translate("Messages", "Something went wrong."),
        QCoreApplication.translate("Messages", "Try again; if it persists, ask the office."),
    )
