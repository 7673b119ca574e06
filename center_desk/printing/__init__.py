"""Forms and the counter printer (DESIGN.md §6): the forms as PDFs, their dispatch, a preview.

Forms (reportlab, A4, the bundled IPAex fonts embedded):

* :func:`usage_application_pdf` 利用申請書, :func:`approval_slip_pdf` 利用承認書, and
  :func:`booking_slips_pdf` both in one PDF, from a :class:`BookingSlip`;
* :func:`registration_notice_pdf` 利用者登録通知書, from a :class:`RegistrationNotice`;
* :func:`day_journal_pdf` 業務日報, from a :class:`DayJournal`.

Each returns a :class:`FormPdf`: the bytes (in memory only: they hold personal data) and the
identifiers for the audit trail. :func:`print_pdf` sends one to an allowed CUPS queue and
returns a :class:`PrintRecord`; :func:`render_png_pages` makes the in-app preview.

No Qt here: the Windows path through Qt printing is :mod:`center_desk.printing.dispatch_qt`,
imported only by the GUI.
"""

from .approval_slip import approval_slip_pdf
from .booking_slips import booking_slips_pdf
from .day_journal import (
    DayJournal,
    FeeReceipt,
    JournalBooking,
    PendingSync,
    UsageReport,
    day_journal_pdf,
)
from .dispatch import (
    PRODUCTION,
    PrinterConfig,
    PrintError,
    PrintPolicy,
    PrintProblem,
    PrintRecord,
    check_printer,
    is_virtual_printer,
    print_pdf,
)
from .document import FormKind, FormPdf
from .missing_glyphs import Substitution, printable, substitutions
from .preview import PreviewError, render_png_pages
from .registration_notice import RegistrationNotice, registration_notice_pdf
from .slips import BookingSlip, Issuer, Person
from .usage_application import usage_application_pdf

__all__ = [
    "PRODUCTION",
    "BookingSlip",
    "DayJournal",
    "FeeReceipt",
    "FormKind",
    "FormPdf",
    "Issuer",
    "JournalBooking",
    "PendingSync",
    "Person",
    "PreviewError",
    "PrintError",
    "PrintPolicy",
    "PrintProblem",
    "PrintRecord",
    "PrinterConfig",
    "RegistrationNotice",
    "Substitution",
    "UsageReport",
    "approval_slip_pdf",
    "booking_slips_pdf",
    "check_printer",
    "day_journal_pdf",
    "is_virtual_printer",
    "print_pdf",
    "printable",
    "registration_notice_pdf",
    "render_png_pages",
    "substitutions",
    "usage_application_pdf",
]
