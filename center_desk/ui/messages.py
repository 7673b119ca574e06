"""Typed errors below, words above (STYLE.md §3): one sentence and one next step, in the
staff's language, for every reason code and error the layers below raise."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from center_desk.domain import DomainError, GroupValidationError
from center_desk.store import InsecureKeyringError, StoreError
from center_desk.sync.errors import (
    DeviceRevoked,
    NeedsBackend,
    Offline,
    Refused,
    ServerUnavailable,
    Unauthorized,
    UpgradeRequired,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


@dataclass(frozen=True)
class Message:
    sentence: str
    next_step: str

    def text(self) -> str:
        return f"{self.sentence}\n{self.next_step}" if self.next_step else self.sentence


def for_code(code: str) -> Message:
    """The words for a reason code (a domain ReasonCode value or an API code)."""
    table = {
        "closed_day": (_tr("The center is closed on that day."), _tr("Choose another day.")),
        "outside_window": (
            _tr("That is outside the booking period for this date."),
            _tr("Check the booking periods shown for the date."),
        ),
        "counter_only": (
            _tr("In the last seven days only the counter can book."),
            _tr("Take it as a walk-in booking at the counter."),
        ),
        "lottery_quota": (
            _tr("The group has used its 2 lottery slots for that month."),
            _tr("Check the group's entries for the month."),
        ),
        "center_quota": (
            _tr("The group has used its 4 slots this month at this center."),
            _tr("Lottery wins count too; check the group's bookings."),
        ),
        "slot_taken": (_tr("That slot is already booked."), _tr("Choose another room or slot.")),
        "room_not_for_user": (
            _tr("Only registered groups may use this room."),
            _tr("Individuals may use the second tatami room or the playroom."),
        ),
        "group_not_eligible": (
            _tr("The group does not meet the registration requirements or has been de-registered."),
            _tr("Check the group's registration details."),
        ),
        "registration_expired": (
            _tr("The group's registration has expired."),
            _tr("Renew it with a change of registration form."),
        ),
        "unknown_slot": (
            _tr("That room is not let in that slot."),
            _tr("Choose a slot the room offers."),
        ),
        "already_entered": (
            _tr("The group has already entered the lottery for that slot."),
            _tr("No second entry is needed."),
        ),
        "over_capacity": (
            _tr("That is more people than the room holds."),
            _tr("Lower the headcount or choose a larger room."),
        ),
        "invalid_input": (
            _tr("Some entries are not valid."),
            _tr("Correct the fields marked in red."),
        ),
        "not_found": (_tr("It could not be found."), _tr("Check the number and try again.")),
        "bad_credentials": (
            _tr("The staff ID or password is not correct, or the account is locked for a while."),
            _tr("Type them again carefully; ask the office if it persists."),
        ),
        "offline_not_possible": (
            _tr(
                "The reservation system cannot be reached, and you have "
                "not signed in online at this desk recently."
            ),
            _tr("Sign in when the line is back, or ask a colleague who has."),
        ),
        "device_revoked": (
            _tr("This desk has been revoked by the city."),
            _tr("Its data is erased. Contact the office."),
        ),
        "forbidden": (_tr("This desk may not do that."), _tr("Ask the office.")),
        "conflict": (
            _tr("That conflicts with a change made elsewhere."),
            _tr("Refresh and try again."),
        ),
    }
    sentence, next_step = table.get(
        code, (_tr("The request was refused."), _tr("Try again, or ask the office."))
    )
    return Message(sentence, next_step)


def for_operation(operation: str) -> str:
    names = {
        "group_registration": _tr("Registering a group"),
        "group_change": _tr("Changing a group"),
        "group_search": _tr("Checking for similar groups"),
        "group_lookup": _tr("Looking up a group"),
        "first_come_proxy": _tr("A first-come booking"),
        "lottery_proxy": _tr("A lottery entry"),
        "lottery_results": _tr("Lottery results"),
        "quota": _tr("The group's remaining quota"),
    }
    return names.get(operation, operation)


def for_error(error: BaseException) -> Message:
    """Words for anything the layers below raise."""
    if isinstance(error, GroupValidationError):
        return for_code("invalid_input")
    if isinstance(error, DomainError):
        return for_code(error.code.value)
    if isinstance(error, NeedsBackend):
        return Message(
            _tr("%1 needs the reservation system, which cannot be reached now.").replace(
                "%1", for_operation(error.operation)
            ),
            _tr("Walk-in bookings still work. Try this again when the line is back."),
        )
    if isinstance(error, Refused):
        return for_code(error.code)
    if isinstance(error, (Offline, ServerUnavailable)):
        return Message(
            _tr("The reservation system cannot be reached."),
            _tr("Work continues offline; changes are sent when the line is back."),
        )
    if isinstance(error, Unauthorized):
        return Message(_tr("Your session has ended."), _tr("Sign in again."))
    if isinstance(error, DeviceRevoked):
        return for_code("device_revoked")
    if isinstance(error, UpgradeRequired):
        return Message(
            _tr("This desk's software is too old for the reservation system."),
            _tr("Ask the office to update it."),
        )
    if isinstance(error, InsecureKeyringError):
        return Message(
            _tr("This PC has no secure place for the desk's key."),
            _tr("Ask the office: the OS keyring must be installed and unlocked."),
        )
    if isinstance(error, StoreError):
        return Message(
            _tr("The desk's local data could not be used."),
            _tr("Restart the desk; if it persists, ask the office."),
        )
    return Message(_tr("Something went wrong."), _tr("Try again; if it persists, ask the office."))
