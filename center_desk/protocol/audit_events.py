"""The audit events a desk sends, and what their subject may be (issue 15).

The backend stores a desk's events as sent, and the privacy officer reads them: an event name
the desk never emits, or a subject holding free text, could carry a person's name into the
audit trail. So both sides use this one list and this one subject shape: the desk refuses to
record anything else (a bug found in its tests), the backend answers 422 naming the field.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

#: Every event name the desk records (store/audit.py), one place for desk and backend.
DeskAuditEvent = Literal[
    "attention_resolved",
    "cache_set_aside",
    "cancel_reservation",
    "check_in",
    "end_of_day",
    "fee_receipt",
    "group_changed",
    "group_registered",
    "group_viewed",
    "locked",
    "mark_no_show",
    "posture_failed",
    "printed",
    "removable_media_connected",
    "removable_media_removed",
    "sign_in_failed",
    "signed_in",
    "signed_out",
    "unlocked",
    "usage_report",
    "walk_in_booked",
]
DESK_AUDIT_EVENTS: frozenset[str] = frozenset(get_args(DeskAuditEvent))

#: A subject names things by id: a user id, an approval number, a reservation uuid, a reason
#: or lock code, a volume's device name (sdb1, E:), a date, a count. At most 8 ASCII tokens
#: without spaces inside, no "@" (an e-mail): never a name, address or free text.
SUBJECT_MAX = 128
SUBJECT_PATTERN = r"^(?:[A-Za-z0-9_.:,;/+-]{1,128}(?: [A-Za-z0-9_.:,;/+-]{1,128}){0,7})?$"
_SUBJECT = re.compile(SUBJECT_PATTERN)
#: A Japanese phone number (0 and 9–10 more digits, hyphens allowed): personal, not an id.
_PHONE = re.compile(r"^0\d(?:-?\d){8,9}$")


def subject_problem(subject: str) -> str | None:
    """Why ``subject`` is not an id-like audit subject, or None when it is."""
    if len(subject) > SUBJECT_MAX:
        return f"at most {SUBJECT_MAX} characters"
    if _SUBJECT.match(subject) is None:
        return "ids only (ASCII letters, digits, _.:,;/+- and single spaces), never free text"
    if any(_PHONE.match(token) for token in subject.split(" ")):
        return "a phone number is personal data, not an id"
    return None
