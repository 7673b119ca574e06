"""Both slips for one booking in one PDF: the "print both slips" action at the counter.

Page 1 is the usage application (利用申請書), which the group signs and the center keeps; page 2
is the approval slip (利用承認書), which the group takes away. One PDF means one print job: the
two pages come out together and cannot be separated by another job in between.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from .approval_slip import approval_slip_part
from .document import FormKind, FormPdf
from .layout import FormPart, build_pdf, drawn_characters
from .slips import BookingSlip, Issuer, Person
from .usage_application import usage_application_part


def _parts(slip: BookingSlip) -> list[FormPart]:
    return [usage_application_part(slip), approval_slip_part(slip)]


@cache
def _fixed_wording() -> dict[str, str]:
    """What the slips draw in each font, in order, for a booking with no names, addresses or
    purpose: their fixed wording, dates and figures. Seeded first into every pair of slips, it
    fills the same font subsets each time, which are then made once per process
    (fonts.Font.seed)."""
    from .render_samples import sample_paying_slip

    nobody = Person(name="", address="", phone="")
    blank = replace(
        sample_paying_slip(),
        group_name="",
        user_id="",
        representative=nobody,
        responsible=nobody,
        purpose="",
        issuer=Issuer(center_name="", staff_name=""),
    )
    return drawn_characters(_parts(blank))


def booking_slips_pdf(slip: BookingSlip) -> FormPdf:
    data, pages = build_pdf(
        _parts(slip),
        title=f"利用申請書・利用承認書 {slip.approval_number}",
        seed=_fixed_wording(),
    )
    return FormPdf(
        kinds=(FormKind.USAGE_APPLICATION, FormKind.APPROVAL_SLIP),
        data=data,
        pages=pages,
        reprint=slip.reprint,
        approval_number=slip.approval_number,
    )
