"""Render every form with fictional sample data to PNG, for docs/forms/ and for a look by eye.

    python -m center_desk.printing.render_samples docs/forms

All names, addresses and numbers below are invented (小平 花子, 架空の住所); the tests and the
benchmark use the same samples.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..domain import CenterCalendar, ExemptionReason, Fee
from ..domain.usage import BookingFact, CenterUsage, LotteryEntryFact, center_usage
from .approval_slip import approval_slip_pdf
from .day_journal import DayJournal, FeeReceipt, JournalBooking, PendingSync, UsageReport
from .preview import render_png_pages
from .registration_notice import RegistrationNotice, registration_notice_pdf
from .slips import BookingSlip, Issuer, Person
from .usage_application import usage_application_pdf

CENTER = "小川西町地域センター"
#: 50 characters, full-width digits and letters: the longest address the forms are tested with.
LONG_ADDRESS = (
    "東京都小平市架空町三丁目２１番地の１５　"
    "見本グリーンハイツ小川西町第二住宅Ｂ棟東側別館１２３４５号室"
)
LONG_GROUP_NAME = "小平市民による地域の歴史と文化を次の世代へ語り継ぐための郷土史研究サークル"
ISSUER = Issuer(center_name=CENTER, staff_name="窓口 一郎")


def sample_slip() -> BookingSlip:
    return BookingSlip(
        approval_number="R8-000123",
        issued_on=date(2026, 12, 1),
        issuer=ISSUER,
        group_name="小川西町ハーモニカ愛好会",
        user_id="K0012345",
        representative=Person(
            name="小平 花子",
            address="東京都小平市架空町一丁目２番３号 サンプルハイツ１０１",
        ),
        responsible=Person(
            name="髙橋 太郎",
            address="東京都小平市見本町四丁目５番６号",
            phone="042-000-0000",
        ),
        center_name=CENTER,
        room_name="第一集会室",
        use_date=date(2026, 12, 8),
        slot_label="午後",
        start=time(13, 0),
        end=time(17, 0),
        purpose="ハーモニカの練習と発表会の準備",
        headcount=18,
        fee=Fee(nominal=900, charged=0, exemption=ExemptionReason.SHAKYO_SUBSIDY),
        paid=False,
        applied_on=date(2026, 10, 12),
    )


def sample_paying_slip() -> BookingSlip:
    """A group that pays, with a long name and a 50-character address: the hard case."""
    return replace(
        sample_slip(),
        approval_number="R8-004567",
        group_name=LONG_GROUP_NAME,
        representative=Person(
            name="𠮷田 髙之介",
            address=LONG_ADDRESS,
        ),
        fee=Fee(nominal=700, charged=700, exemption=None),
        slot_label="午前",
        start=time(9, 0),
        end=time(12, 0),
        reprint=True,
    )


def sample_notice() -> RegistrationNotice:
    return RegistrationNotice(
        group_name="小川西町ハーモニカ愛好会",
        representative_name="小平 花子",
        user_id="K0012345",
        initial_password="7hQk-3mZp",
        issued_on=date(2026, 12, 1),
        valid_until=date(2029, 3, 31),
        issuer=ISSUER,
        sign_in_url="https://yoyaku.example.jp/kodaira",
        sign_in_steps=(
            "パソコンやスマートフォンで上記のアドレスを開き、「ログイン」を選びます。",
            "利用者IDと初期パスワードを入力します。",
            "初めてログインしたときは、新しいパスワードを設定してください。",
            "抽選・先着予約の申込みと、予約の確認・取消しができます。",
        ),
    )


def sample_journal() -> DayJournal:
    slip = sample_slip()
    return DayJournal(
        center_name=CENTER,
        day=date(2026, 12, 8),
        printed_at=datetime(2026, 12, 8, 21, 45),
        staff_name="窓口 一郎",
        bookings=(
            JournalBooking(
                approval_number="R8-000120",
                room_name="第一娯楽室",
                slot_label="午前",
                start=time(9, 0),
                end=time(12, 0),
                group_name="小平囲碁クラブ",
                user_id="K0010001",
                walk_in=False,
                expected_headcount=8,
                fee=Fee(nominal=700, charged=0, exemption=ExemptionReason.CITY_SUBSIDY),
                paid=False,
                report=UsageReport(actual_headcount=7),
            ),
            JournalBooking(
                approval_number="R8-004567",
                room_name="第一集会室",
                slot_label="午前",
                start=time(9, 0),
                end=time(12, 0),
                group_name=LONG_GROUP_NAME,
                user_id="K0020002",
                walk_in=False,
                expected_headcount=25,
                fee=Fee(nominal=700, charged=700, exemption=None),
                paid=True,
                report=UsageReport(actual_headcount=22, note="机の配置を元に戻し済み"),
            ),
            JournalBooking(
                approval_number=slip.approval_number,
                room_name=slip.room_name,
                slot_label=slip.slot_label,
                start=slip.start,
                end=slip.end,
                group_name=slip.group_name,
                user_id=slip.user_id,
                walk_in=False,
                expected_headcount=slip.headcount,
                fee=slip.fee,
                paid=False,
                report=UsageReport(actual_headcount=16),
            ),
            JournalBooking(
                approval_number="R8-004601",
                room_name="第二娯楽室",
                slot_label="夜間",
                start=time(18, 0),
                end=time(22, 0),
                group_name="みほん体操の会",
                user_id="K0030003",
                walk_in=True,
                expected_headcount=6,
                fee=Fee(nominal=900, charged=900, exemption=None),
                paid=False,
                report=None,
            ),
        ),
        receipts=(
            FeeReceipt(
                approval_number="R8-004567",
                group_name=LONG_GROUP_NAME,
                amount=700,
                received_at=datetime(2026, 12, 8, 12, 5),
            ),
        ),
        pending=(
            PendingSync(
                what="直前予約", reference="R8-004601", queued_at=datetime(2026, 12, 8, 17, 40)
            ),
            PendingSync(
                what="利用報告", reference="R8-000123", queued_at=datetime(2026, 12, 8, 17, 2)
            ),
        ),
    )


def sample_usage() -> CenterUsage:
    """A month of made-up bookings at the demo's 小川西町 center, and the year before."""
    from ..resources import load_catalog

    catalog = load_catalog()
    center = catalog.center("ogawa-nishimachi")
    rng = random.Random(2027)
    facts: list[BookingFact] = []
    entries: list[LotteryEntryFact] = []
    day, last = date(2026, 2, 1), date(2027, 2, 28)
    while day <= last:
        busy = (0.55 if day.weekday() >= 5 else 0.4) * (1.0 if day.year == 2027 else 0.8)
        for room in center.rooms:
            for slot in catalog.slots:
                if not room.offers(slot.id) or rng.random() > busy:
                    continue
                kind = rng.choice(["lottery", "first_come", "first_come", "last_minute"])
                status = rng.choice(["used"] * 8 + ["no_show", "cancelled"])
                exemption = rng.choice([None, "city_subsidy", "school_pta", "shakyo_subsidy"])
                fee = room.fee_for(slot.id)
                paid = exemption is None and status == "used"
                facts.append(
                    BookingFact(
                        room.id,
                        day,
                        slot.id,
                        kind,
                        status,
                        fee,
                        0 if exemption else fee,
                        exemption,
                        fee if paid else None,
                    )
                )
                if kind == "lottery":
                    for n in range(rng.randint(1, 4)):
                        entries.append(
                            LotteryEntryFact(room.id, day, slot.id, "won" if n == 0 else "lost")
                        )
        day += timedelta(days=1)
    return center_usage(center, catalog.slots, CenterCalendar(), date(2027, 2, 1), facts, entries)


def render_all(folder: Path, *, dpi: int = 80) -> list[Path]:
    """Write the sample PNGs into ``folder`` (made if missing); return their paths."""
    from .day_journal import day_journal_pdf
    from .usage_report import usage_report_pdf

    forms = {
        "usage-application.png": usage_application_pdf(sample_slip()),
        "approval-slip.png": approval_slip_pdf(sample_slip()),
        "registration-notice.png": registration_notice_pdf(sample_notice()),
        "day-journal.png": day_journal_pdf(sample_journal()),
        "usage-report.png": usage_report_pdf([sample_usage()], made_on=date(2027, 3, 1)),
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, form in forms.items():
        # First page only: every sample fits on one.
        png = render_png_pages(form.data, dpi=dpi, first_page=1, last_page=1)[0]
        path = folder / name
        path.write_bytes(png)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m center_desk.printing.render_samples FOLDER", file=sys.stderr)
        return 2
    for path in render_all(Path(args[0])):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
