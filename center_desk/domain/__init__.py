"""The booking rules as pure code: no Qt, no I/O, time passed in (DESIGN.md §2).

Everything other layers need is importable from here.
"""

from .booking import (
    Applicant,
    ApplicantKind,
    BookingKind,
    BookingRequest,
    Channel,
    Decision,
    GroupUsage,
    QuotaPolicy,
    decide_booking,
    use_month,
)
from .calendar import CenterCalendar, Closure, ClosureKind, TemporaryClosure
from .catalog import Catalog, CatalogError, Center, Room, RoomKind, SlotDef, parse_catalog
from .clock import TOKYO, Clock, ManualClock, SystemClock, tokyo_date
from .eras import format_era_date, format_short_date
from .errors import (
    ClosedDay,
    CounterOnly,
    DomainError,
    GroupNotEligible,
    NotAllowedForUser,
    QuotaExceeded,
    ReasonCode,
    RegistrationExpired,
    SlotTaken,
    WindowClosed,
)
from .fees import ExemptionReason, Fee, FeeError, calculate_fee
from .windows import ApplicationWindows, Phase, application_windows

__all__ = [
    "TOKYO",
    "Applicant",
    "ApplicantKind",
    "ApplicationWindows",
    "BookingKind",
    "BookingRequest",
    "Catalog",
    "CatalogError",
    "Center",
    "CenterCalendar",
    "Channel",
    "Clock",
    "ClosedDay",
    "Closure",
    "ClosureKind",
    "CounterOnly",
    "Decision",
    "DomainError",
    "ExemptionReason",
    "Fee",
    "FeeError",
    "GroupNotEligible",
    "GroupUsage",
    "ManualClock",
    "NotAllowedForUser",
    "Phase",
    "QuotaExceeded",
    "QuotaPolicy",
    "ReasonCode",
    "RegistrationExpired",
    "Room",
    "RoomKind",
    "SlotDef",
    "SlotTaken",
    "SystemClock",
    "TemporaryClosure",
    "WindowClosed",
    "application_windows",
    "calculate_fee",
    "decide_booking",
    "format_era_date",
    "format_short_date",
    "parse_catalog",
    "tokyo_date",
    "use_month",
]
