"""業務日報: the day's journal, printed at end of day (DESIGN.md §5 "End of day").

One center, one day: totals first, then every booking of the day (walk-ins taken at the
counter marked 窓口) with its usage report, the fees received, and what the desk has not yet had
confirmed by the server. That last list is why the journal is printed after the final push: it
is the paper record of exactly what is still pending if the network is down at closing time.
The journal ends with 以上, so a missing last page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ..domain import Fee, format_era_date
from .document import FormKind, FormPdf
from .flowables import Paragraph
from .layout import CONTENT_WIDTH, MUNICIPALITY, FormPart, build_pdf
from .paragraphs import hm, markup, para, yen
from .styles import LABEL_GREY, LINE, styles
from .tables import form_style, grid_table

# Reprs without group names or notes: these objects can reach log lines and tracebacks.


@dataclass(frozen=True, repr=False)
class UsageReport:
    """利用報告書, as handed in after use."""

    actual_headcount: int
    note: str = ""  # e.g. 備品の破損 (no personal data is asked for here)

    def __repr__(self) -> str:
        return f"UsageReport(actual_headcount={self.actual_headcount})"


@dataclass(frozen=True, repr=False)
class JournalBooking:
    approval_number: str
    room_name: str
    slot_label: str
    start: time
    end: time
    group_name: str
    user_id: str
    #: Taken at this counter as a walk-in (直前予約 at the window), not booked beforehand.
    walk_in: bool
    expected_headcount: int
    fee: Fee
    paid: bool
    report: UsageReport | None = None

    def __repr__(self) -> str:
        return f"JournalBooking(approval_number={self.approval_number!r})"


@dataclass(frozen=True, repr=False)
class FeeReceipt:
    """使用料 received at the counter today."""

    approval_number: str
    group_name: str
    amount: int
    received_at: datetime

    def __repr__(self) -> str:
        return f"FeeReceipt(approval_number={self.approval_number!r}, amount={self.amount})"


@dataclass(frozen=True)
class PendingSync:
    """Something recorded here that the server has not confirmed yet (an outbox entry)."""

    what: str  # 直前予約, 利用報告, 使用料収納 …: staff's words for the mutation
    reference: str  # approval number or user id; never a name
    queued_at: datetime


@dataclass(frozen=True, repr=False)
class DayJournal:
    center_name: str
    day: date
    #: When it was printed (from the injected clock).
    printed_at: datetime
    staff_name: str
    bookings: tuple[JournalBooking, ...]
    receipts: tuple[FeeReceipt, ...]
    pending: tuple[PendingSync, ...]

    def __repr__(self) -> str:
        return (
            f"DayJournal(center_name={self.center_name!r}, day={self.day!r}, "
            f"bookings={len(self.bookings)}, pending={len(self.pending)})"
        )


def _fee_text(booking: JournalBooking) -> str:
    if booking.fee.exempt:
        return "免除"
    return yen(booking.fee.charged)


def _paid_text(booking: JournalBooking) -> str:
    if booking.fee.charged == 0:
        return "―"
    return "済" if booking.paid else "未"


def _summary(journal: DayJournal) -> Table:
    st = styles()
    bookings = journal.bookings
    reported = [b for b in bookings if b.report is not None]
    walk_ins = sum(b.walk_in for b in bookings)
    people = sum(b.report.actual_headcount for b in reported if b.report is not None)
    unpaid = sum(1 for b in bookings if b.fee.charged > 0 and not b.paid)
    received = sum(r.amount for r in journal.receipts)
    cells = [
        ("利用件数", f"{len(bookings)}件（うち窓口受付 {walk_ins}件）"),
        ("利用報告", f"提出 {len(reported)}件　未提出 {len(bookings) - len(reported)}件"),
        ("利用人数（報告）", f"{people}人"),
        ("使用料収納", f"{yen(received)}（{len(journal.receipts)}件）"),
        ("使用料免除", f"{sum(b.fee.exempt for b in bookings)}件"),
        ("未納", f"{unpaid}件"),
    ]
    half = CONTENT_WIDTH / 2
    label_w = 28 * mm
    data = []
    for i in range(0, len(cells), 2):
        row: list[Flowable] = []
        for label, value in cells[i : i + 2]:
            row += [Paragraph(label, st.label), para(value, st.value)]
        data.append(row)
    table = Table(data, colWidths=[label_w, half - label_w, label_w, half - label_w])
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 1.0, LINE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_GREY),
                ("BACKGROUND", (2, 0), (2, -1), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _bookings(journal: DayJournal) -> Flowable:
    st = styles()
    if not journal.bookings:
        return para("本日の利用はありません。", st.body)
    header = [
        "時間帯",
        "部屋",
        "団体名／利用者ID",
        "承認番号",
        "受付",
        "人数\n予定／実績",
        "使用料",
        "納付",
        "報告",
    ]
    widths = [23 * mm, 19 * mm, 50 * mm, 20 * mm, 11 * mm, 17 * mm, 14 * mm, 10 * mm, 10 * mm]
    rows: list[list[str | Flowable]] = []
    extra: list[tuple[object, ...]] = []
    ordered = sorted(journal.bookings, key=lambda b: (b.start, b.room_name, b.approval_number))
    for index, b in enumerate(ordered, 1):
        actual = str(b.report.actual_headcount) if b.report is not None else "―"
        rows.append(
            [
                markup(
                    "{slot}<br/>{start}〜{end}",
                    st.cell_center,
                    slot=b.slot_label,
                    start=hm(b.start),
                    end=hm(b.end),
                ),
                para(b.room_name, st.cell_center),
                markup(
                    "{name}<br/><font size=7>{uid}</font>",
                    st.cell,
                    name=b.group_name,
                    uid=b.user_id,
                ),
                para(b.approval_number, st.cell_center),
                para("窓口" if b.walk_in else "予約", st.cell_center),
                para(f"{b.expected_headcount}／{actual}", st.cell_center),
                para(_fee_text(b), st.cell_right),
                para(_paid_text(b), st.cell_center),
                para("済" if b.report is not None else "未", st.cell_center),
            ]
        )
        if b.walk_in:
            # Walk-ins are what an auditor asks about: make them stand out on a mono printer.
            extra.append(("BACKGROUND", (4, index), (4, index), LABEL_GREY))
    return grid_table(header, rows, widths, styles_extra=extra)


def _notes(journal: DayJournal) -> list[Flowable]:
    st = styles()
    noted = [b for b in journal.bookings if b.report is not None and b.report.note.strip()]
    if not noted:
        return []
    rows: list[list[str | Flowable]] = [
        [para(b.approval_number, st.cell_center), para(b.report.note if b.report else "", st.cell)]
        for b in noted
    ]
    return [
        Paragraph("利用報告の特記事項", st.heading),
        grid_table(["承認番号", "特記事項"], rows, [24 * mm, CONTENT_WIDTH - 24 * mm]),
    ]


def _receipts(journal: DayJournal) -> Flowable:
    st = styles()
    if not journal.receipts:
        return para("本日の収納はありません。", st.body)
    rows: list[list[str | Flowable]] = [
        [
            para(hm(r.received_at.time()), st.cell_center),
            para(r.approval_number, st.cell_center),
            para(r.group_name, st.cell),
            para(yen(r.amount), st.cell_right),
        ]
        for r in sorted(journal.receipts, key=lambda r: r.received_at)
    ]
    total = sum(r.amount for r in journal.receipts)
    rows.append(["", "", para("合計", st.cell_head), para(yen(total), st.cell_right)])
    widths = [18 * mm, 24 * mm, CONTENT_WIDTH - 70 * mm, 28 * mm]
    return grid_table(["時刻", "承認番号", "団体名", "金額"], rows, widths)


def _pending(journal: DayJournal) -> list[Flowable]:
    st = styles()
    if not journal.pending:
        return [para("なし（すべてサーバーに送信し、確認を受けました）", st.body)]
    rows: list[list[str | Flowable]] = [
        [
            para(f"{p.queued_at.month}/{p.queued_at.day} {hm(p.queued_at.time())}", st.cell_center),
            para(p.what, st.cell_center),
            para(p.reference, st.cell_center),
        ]
        for p in sorted(journal.pending, key=lambda p: p.queued_at)
    ]
    return [
        markup(
            "<font name='IPAexGothic'>{n}件</font>がまだサーバーに届いていません。"
            "次に接続したときに自動で送信されます。送信されるまで端末を初期化しないでください。",
            st.body,
            n=str(len(journal.pending)),
        ),
        Spacer(1, 1.5 * mm),
        grid_table(["記録日時", "種別", "承認番号・利用者ID"], rows, [30 * mm, 40 * mm, 50 * mm]),
    ]


def _approval_boxes() -> Table:
    """確認欄: stamp boxes for the staff member and whoever checks the journal."""
    st = styles()
    box = 17 * mm
    table = Table(
        [[Paragraph("担当", st.cell_head), Paragraph("確認", st.cell_head)], ["", ""]],
        colWidths=[box, box],
        rowHeights=[5.5 * mm, box],
        hAlign="RIGHT",
    )
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, 0), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1.5),
            ]
        )
    )
    return table


def day_journal_part(journal: DayJournal) -> FormPart:
    st = styles()
    printed = journal.printed_at
    heading_info = markup(
        "{center}　　{day}<br/><font size=8.5>作成　{staff}　　出力　{printed}</font>",
        st.body,
        center=journal.center_name,
        day=format_era_date(journal.day),
        staff=journal.staff_name,
        printed=f"{format_era_date(printed.date(), weekday=False)} {hm(printed.time())}",
    )
    top = Table(
        [[heading_info, _approval_boxes()]],
        colWidths=[CONTENT_WIDTH - 40 * mm, 40 * mm],
    )
    top.setStyle(
        form_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph("地域センター業務日報", st.title),
        top,
        markup("1　集計", st.heading),
        _summary(journal),
        markup("2　利用状況", st.heading),
        _bookings(journal),
        *_notes(journal),
        markup("3　使用料の収納", st.heading),
        _receipts(journal),
        markup("4　未送信のデータ（サーバー未確認）", st.heading),
        *_pending(journal),
        Spacer(1, 4 * mm),
        para("以上", st.body_right),
    ]
    return FormPart(
        story=story,
        footer=f"{MUNICIPALITY}　{FormKind.DAY_JOURNAL.label}　{journal.day.isoformat()}",
        page_numbers=True,
    )


def day_journal_pdf(journal: DayJournal) -> FormPdf:
    data, pages = build_pdf(
        [day_journal_part(journal)], title=f"業務日報 {journal.day.isoformat()}"
    )
    return FormPdf(kinds=(FormKind.DAY_JOURNAL,), data=data, pages=pages, journal_day=journal.day)
