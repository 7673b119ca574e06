"""``center-desk-backend report YYYY-MM``: the city office's monthly usage report (月次利用状況
報告) for every center, as a PDF (the same form the desks print, with a summary page first) and
two CSV files (UTF-8 with a byte-order mark, so the office's spreadsheet reads the Japanese):

* ``usage-YYYY-MM.csv``: one row per center and period (当月, 前年同月, 年度累計);
* ``usage-YYYY-MM-rooms.csv``: one row per center, room and slot, the month beside a year earlier.

Figures only: no group and no person, which is why these may leave the backend as files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from center_desk.domain import EXEMPTION_SHORT_LABELS, ExemptionReason
from center_desk.domain.booking import BookingKind
from center_desk.domain.usage import CenterUsage, PeriodUsage, parse_month

# The one form layout both the desks and the city office print. The contract that keeps the
# backend away from the desk's layers lets exactly this module in (pyproject.toml): it is
# reportlab over domain figures, with no cache, printer or Qt behind it.
from center_desk.printing.usage_report import usage_report_pdf

from .services.usage import usage_of_all

SUMMARY_HEADER = [
    "センターID",
    "センター",
    "期間",
    "開始日",
    "終了日",
    "提供コマ数",
    "利用コマ数",
    "利用率（％）",
    "抽選予約",
    "先着予約",
    "直前予約",
    "抽選申込数",
    "抽選申込コマ数",
    "抽選倍率",
    "取消件数",
    "不参加件数",
    "使用料規定額",
    "使用料請求額",
    "使用料収納額",
    *(f"免除（{EXEMPTION_SHORT_LABELS[reason.value]}）" for reason in ExemptionReason),
]
ROOMS_HEADER = [
    "センターID",
    "センター",
    "部屋ID",
    "部屋",
    "コマ",
    "提供コマ数",
    "利用コマ数",
    "利用率（％）",
    "前年同月提供コマ数",
    "前年同月利用コマ数",
    "前年同月利用率（％）",
]


@dataclass(frozen=True)
class ReportFiles:
    pdf: Path
    summary_csv: Path
    rooms_csv: Path
    centers: int


def _rate(value: float) -> str:
    return f"{value * 100:.1f}"


def _summary_row(usage: CenterUsage, label: str, period: PeriodUsage) -> list[object]:
    return [
        usage.center_id,
        usage.center_name,
        label,
        period.start.isoformat(),
        period.end.isoformat(),
        period.offered,
        period.used,
        _rate(period.occupancy),
        *(period.by_kind.get(kind.value, 0) for kind in BookingKind),
        period.lottery_entries,
        period.lottery_slots,
        f"{period.lottery_demand:.2f}",
        period.cancellations,
        period.no_shows,
        period.fees_nominal,
        period.fees_charged,
        period.fees_received,
        *(period.exemptions.get(reason.value, 0) for reason in ExemptionReason),
    ]


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def summary_csv(usages: Sequence[CenterUsage]) -> bytes:
    rows = []
    for usage in usages:
        rows.append(_summary_row(usage, "当月", usage.this_month))
        rows.append(_summary_row(usage, "前年同月", usage.previous_year))
        rows.append(_summary_row(usage, "年度累計", usage.year_to_date))
    return _csv(SUMMARY_HEADER, rows)


def rooms_csv(usages: Sequence[CenterUsage]) -> bytes:
    rows: list[list[object]] = []
    for usage in usages:
        for room_id, room_name in usage.rooms:
            for slot_id, slot_label in usage.slots:
                now = usage.this_month.cell(room_id, slot_id)
                before = usage.previous_year.cell(room_id, slot_id)
                rows.append(
                    [
                        usage.center_id,
                        usage.center_name,
                        room_id,
                        room_name,
                        slot_label,
                        now.offered,
                        now.used,
                        _rate(now.occupancy),
                        before.offered,
                        before.used,
                        _rate(before.occupancy),
                    ]
                )
    return _csv(ROOMS_HEADER, rows)


def write_report(session: Session, month: str, out_dir: Path, *, today: date) -> ReportFiles:
    """Write the PDF and both CSVs for ``month`` (strict YYYY-MM) into ``out_dir``."""
    first = parse_month(month)
    usages = usage_of_all(session, first)
    if not usages:
        raise ValueError("the catalog has no centers: load it first (catalog load FILE)")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"usage-{first.year:04d}-{first.month:02d}"
    files = ReportFiles(
        pdf=out_dir / f"{stem}.pdf",
        summary_csv=out_dir / f"{stem}.csv",
        rooms_csv=out_dir / f"{stem}-rooms.csv",
        centers=len(usages),
    )
    files.pdf.write_bytes(usage_report_pdf(usages, made_on=today).data)
    files.summary_csv.write_bytes(summary_csv(usages))
    files.rooms_csv.write_bytes(rooms_csv(usages))
    return files
