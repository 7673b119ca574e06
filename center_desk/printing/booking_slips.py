"""Both slips for one booking in one PDF: the "print both slips" action at the counter.

Page 1 is the usage application (利用申請書), which the group signs and the center keeps; page 2
is the approval slip (利用承認書), which the group takes away. One PDF means one print job: the
two pages come out together and cannot be separated by another job in between.
"""

from __future__ import annotations

from .approval_slip import approval_slip_part
from .document import FormKind, FormPdf
from .layout import build_pdf
from .slips import BookingSlip
from .usage_application import usage_application_part


def booking_slips_pdf(slip: BookingSlip) -> FormPdf:
    data, pages = build_pdf(
        [usage_application_part(slip), approval_slip_part(slip)],
        title=f"利用申請書・利用承認書 {slip.approval_number}",
    )
    return FormPdf(
        kinds=(FormKind.USAGE_APPLICATION, FormKind.APPROVAL_SLIP),
        data=data,
        pages=pages,
        reprint=slip.reprint,
        approval_number=slip.approval_number,
    )
