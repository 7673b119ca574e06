"""The booking slips handed over at the counter: 利用申請書 and 利用承認書 (DOMAIN.md "On the day").

:class:`BookingSlip` is everything the two forms show, in plain values, so this layer needs
nothing from the cache or the GUI. Both forms can be made in one PDF for the
"print both slips" action (:mod:`.booking_slips`), and each form module can also make its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from ..domain import Fee
from ..domain.fees import EXEMPTION_TEXT

# The reprs below leave out names, addresses and phone numbers: these objects end up in log
# lines and tracebacks, which must not carry personal data (DESIGN.md §5 "Audit").


@dataclass(frozen=True, repr=False)
class Person:
    """代表者 or 利用責任者: as written on the group's registration."""

    name: str
    address: str
    phone: str = ""

    def __repr__(self) -> str:
        return "Person(…)"


@dataclass(frozen=True, repr=False)
class Issuer:
    """Who issues the form: the center and the staff member at the counter."""

    center_name: str  # 小川西町地域センター
    staff_name: str

    def __repr__(self) -> str:
        return f"Issuer(center_name={self.center_name!r})"


# Code 128 encodes ASCII; approval numbers are the backend's, such as R8-000123.
_APPROVAL_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-/]{0,19}")


@dataclass(frozen=True, repr=False)
class BookingSlip:
    """One booking as the usage application and the approval slip print it."""

    approval_number: str  # 承認番号, also printed as a barcode
    issued_on: date  # 承認日 / 発行日
    issuer: Issuer
    group_name: str
    user_id: str  # 利用者ID
    representative: Person  # 代表者
    responsible: Person  # 利用責任者 (with phone)
    center_name: str
    room_name: str
    use_date: date
    slot_label: str  # 午前
    start: time
    end: time
    purpose: str
    headcount: int  # 利用予定人数
    fee: Fee
    paid: bool
    reprint: bool = False
    #: 申請日 on the usage application; the booking's date of application (lottery entries and
    #: online bookings are applied for weeks before the day). Defaults to ``issued_on``.
    applied_on: date | None = None

    def __post_init__(self) -> None:
        if not _APPROVAL_NUMBER.fullmatch(self.approval_number):
            # Not echoed: the caller may have passed something else by mistake.
            raise ValueError(
                "approval number must be 1-20 ASCII letters, digits, '-' or '/' for its barcode"
            )
        if self.headcount < 0:
            raise ValueError("headcount must not be negative")

    def __repr__(self) -> str:
        return (
            f"BookingSlip(approval_number={self.approval_number!r}, user_id={self.user_id!r}, "
            f"use_date={self.use_date!r}, reprint={self.reprint})"
        )

    @property
    def application_date(self) -> date:
        return self.applied_on or self.issued_on


#: How the forms name each exemption ground (使用料免除の理由).


def exemption_text(fee: Fee) -> str:
    """The exemption and its reason as printed; empty when the group pays."""
    if fee.exemption is None:
        return ""
    text = EXEMPTION_TEXT[fee.exemption]
    if fee.exemption_note.strip():
        text += f"（{fee.exemption_note.strip()}）"
    return text
