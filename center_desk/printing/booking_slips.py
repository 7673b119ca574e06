"""Both slips for one booking in one PDF: the "print both slips" action at the counter.

Page 1 is the usage application (利用申請書), which the group signs and the center keeps; page 2
is the approval slip (利用承認書), which the group takes away. One PDF means one print job: the
two pages come out together and cannot be separated by another job in between.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from ..domain import ExemptionReason, Fee
from ..domain.eras import WEEKDAYS
from .approval_slip import approval_slip_part
from .document import FormKind, FormPdf
from .fonts import MINCHO
from .layout import FormPart, build_pdf, drawn_characters
from .slips import BookingSlip, Issuer, Person
from .usage_application import usage_application_part


def _parts(slip: BookingSlip) -> list[FormPart]:
    return [usage_application_part(slip), approval_slip_part(slip)]


#: Characters of the booking's facts (dates, times, fees, head counts, slots) that one blank
#: slip may not draw: seeded as well, so those facts draw the same codes in every print.
_FACT_CHARACTERS = "0123456789,:〜人円元年月日()" + "".join(WEEKDAYS) + "午前午後夜間"


@cache
def _fixed_wording() -> dict[str, str]:
    """What the slips draw in each font, in order, for bookings with no names, addresses or
    purpose (paying, and exempt on each ground): their fixed wording, dates and figures; and
    the characters of any other date or figure. Seeded first into every pair of slips, it
    fills the same font subsets each time, which are then made once per process
    (font_subsets.Font.seed), and lets the facts be replayed like the wording (replay.py)."""
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
    exempt = [
        replace(blank, fee=Fee(nominal=blank.fee.nominal, charged=0, exemption=reason))
        for reason in ExemptionReason
    ]
    seed: dict[str, str] = {}
    for slip in [blank, *exempt]:
        for font, text in drawn_characters(_parts(slip)).items():
            seed[font] = seed.get(font, "") + text
    seed[MINCHO] = seed.get(MINCHO, "") + _FACT_CHARACTERS
    # Each character once, where it first came.
    return {font: "".join(dict.fromkeys(text)) for font, text in seed.items()}


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
