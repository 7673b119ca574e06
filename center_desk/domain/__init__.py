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
from .group import (
    FieldProblem,
    GroupCheck,
    GroupForm,
    GroupValidationError,
    Person,
    is_eligible,
    lookup_address,
    registration_valid_until,
    require_valid_group,
    validate_group,
)
from .text import normalize_digits, normalize_furigana, normalize_text
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
    "FieldProblem",
    "GroupCheck",
    "GroupForm",
    "GroupNotEligible",
    "GroupUsage",
    "GroupValidationError",
    "ManualClock",
    "NotAllowedForUser",
    "Person",
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
    "is_eligible",
    "lookup_address",
    "normalize_digits",
    "normalize_furigana",
    "normalize_text",
    "parse_catalog",
    "registration_valid_until",
    "require_valid_group",
    "tokyo_date",
    "use_month",
    "validate_group",
]
