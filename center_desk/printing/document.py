"""A finished form: PDF bytes plus the identifiers the audit trail needs.

The PDF holds personal data, so it lives in memory only: the dispatchers pipe it to the printer
and the preview renders it in a private temporary folder that is removed at once. The other
fields are identifiers, never names or addresses, so they can go into audit events and logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class FormKind(StrEnum):
    USAGE_APPLICATION = "usage_application"  # 利用申請書
    APPROVAL_SLIP = "approval_slip"  # 利用承認書
    REGISTRATION_NOTICE = "registration_notice"  # 利用者登録通知書
    DAY_JOURNAL = "day_journal"  # 業務日報
    USAGE_REPORT = "usage_report"  # 月次利用状況報告 (figures only, no personal data)

    @property
    def label(self) -> str:
        """The Japanese name staff know the form by."""
        return _TITLES[self]


_TITLES = {
    FormKind.USAGE_APPLICATION: "利用申請書",
    FormKind.APPROVAL_SLIP: "利用承認書",
    FormKind.REGISTRATION_NOTICE: "利用者登録通知書",
    FormKind.DAY_JOURNAL: "業務日報",
    FormKind.USAGE_REPORT: "月次利用状況報告",
}


@dataclass(frozen=True, repr=False)
class FormPdf:
    """One PDF holding one or more forms, in page order."""

    kinds: tuple[FormKind, ...]
    data: bytes
    pages: int
    reprint: bool = False
    #: Booking slips: the approval number (承認番号).
    approval_number: str | None = None
    #: Registration notice: the group's user id (利用者ID).
    user_id: str | None = None
    #: Day journal: the day it covers.
    journal_day: date | None = None

    def __repr__(self) -> str:
        # The default repr would print the PDF bytes, and with them personal data, into any log
        # or traceback that shows this object.
        return (
            f"FormPdf(kinds={[k.value for k in self.kinds]}, pages={self.pages}, "
            f"bytes={len(self.data)}, reprint={self.reprint}, "
            f"approval_number={self.approval_number!r}, user_id={self.user_id!r}, "
            f"journal_day={self.journal_day!r})"
        )

    @property
    def job_title(self) -> str:
        """The print job's title: visible in the printer's queue, so identifiers only."""
        parts = ["center-desk", "+".join(k.value for k in self.kinds)]
        for ref in (self.approval_number, self.user_id):
            if ref:
                parts.append(ref)
        if self.journal_day:
            parts.append(self.journal_day.isoformat())
        if self.reprint:
            parts.append("reprint")
        return " ".join(parts)
