"""The forms hold the right values, embed their font, and nothing runs off the page."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from center_desk.domain import ExemptionReason, Fee, format_era_date
from center_desk.printing import (
    BookingSlip,
    FormKind,
    FormPdf,
    Person,
    approval_slip_pdf,
    booking_slips_pdf,
    day_journal_pdf,
    registration_notice_pdf,
    usage_application_pdf,
)
from center_desk.printing.fonts import GOTHIC, MINCHO, has_glyph
from center_desk.printing.layout import MARGIN_X, PAGE_WIDTH
from center_desk.printing.missing_glyphs import printable
from center_desk.printing.render_samples import (
    LONG_ADDRESS,
    LONG_GROUP_NAME,
    sample_journal,
    sample_notice,
    sample_paying_slip,
    sample_slip,
)


def squash(text: str) -> str:
    """Text without any whitespace: lines wrap wherever the form needs them to."""
    return "".join(text.split())


def page_texts(form: FormPdf) -> list[str]:
    reader = PdfReader(io.BytesIO(form.data))
    return [squash(page.extract_text()) for page in reader.pages]


def all_text(form: FormPdf) -> str:
    return "".join(page_texts(form))


def assert_shows(text: str, *values: str) -> None:
    for value in values:
        assert squash(printable(value)) in text, value


SLIP_BUILDERS = [usage_application_pdf, approval_slip_pdf, booking_slips_pdf]


def booking_values(slip: BookingSlip) -> list[str]:
    return [
        slip.approval_number,
        slip.group_name,
        slip.user_id,
        slip.representative.name,
        slip.representative.address,
        slip.responsible.name,
        slip.responsible.address,
        slip.responsible.phone,
        slip.center_name,
        slip.room_name,
        format_era_date(slip.use_date),
        f"{slip.slot_label}{slip.start.hour}:{slip.start.minute:02d}〜{slip.end.hour}:{slip.end.minute:02d}",
        slip.purpose,
        f"{slip.headcount}人",
    ]


@pytest.mark.parametrize("build", SLIP_BUILDERS, ids=lambda b: b.__name__)
def test_slips_show_the_booking(build: object) -> None:
    slip = sample_slip()
    form = build(slip)  # type: ignore[operator]
    text = all_text(form)
    assert_shows(text, *booking_values(slip))
    assert form.approval_number == slip.approval_number


def test_approval_slip_shows_issue_fee_and_conditions() -> None:
    slip = sample_slip()
    text = all_text(approval_slip_pdf(slip))
    assert_shows(
        text,
        "地域センター利用承認書",
        "承認番号第R8-000123号",
        format_era_date(slip.issued_on),  # 令和8年12月1日(火)
        "小平市",
        slip.issuer.center_name,
        slip.issuer.staff_name,
        "900円",  # the nominal fee is shown although the group is exempt
        "社会福祉協議会の助成を受ける団体",
        "0円",
        "納付不要",
        "譲渡",
        "転貸",
        "条例",
        "原状に回復",
        "この承認書を係員に提示",
    )
    assert "再発行" not in text
    assert "領収欄" not in text  # exempt: nothing to receive


def test_paying_group_shows_unpaid_then_paid() -> None:
    slip = sample_paying_slip()
    unpaid = all_text(approval_slip_pdf(slip))
    assert_shows(unpaid, "700円", "未納", "領収欄")
    paid = all_text(approval_slip_pdf(replace(slip, paid=True)))
    assert "未納" not in paid
    assert_shows(paid, "納付済", "領収済み")


def test_other_exemption_prints_its_note() -> None:
    fee = Fee(
        nominal=900, charged=0, exemption=ExemptionReason.OTHER, exemption_note="災害避難訓練"
    )
    text = all_text(approval_slip_pdf(replace(sample_slip(), fee=fee)))
    assert_shows(text, "その他市長が特に認める団体", "災害避難訓練")


def test_usage_application_has_signature_line_and_office_box() -> None:
    slip = sample_slip()
    text = all_text(usage_application_pdf(slip))
    assert_shows(
        text,
        "地域センター利用申請書",
        "（宛先）小平市長",
        f"申請日{format_era_date(date(2026, 10, 12))}",
        "申請者署名",
        "署名欄",
        "※市処理欄",
        "申請する（社会福祉協議会の助成を受ける団体）",
    )


def test_both_slips_are_two_pages_of_one_pdf() -> None:
    form = booking_slips_pdf(sample_slip())
    assert form.kinds == (FormKind.USAGE_APPLICATION, FormKind.APPROVAL_SLIP)
    assert form.pages == 2
    first, second = page_texts(form)
    assert "地域センター利用申請書" in first
    assert "地域センター利用承認書" in second


def test_reprints_are_marked_on_every_page() -> None:
    form = booking_slips_pdf(sample_paying_slip())
    assert form.reprint
    assert all("再発行" in text for text in page_texts(form))
    assert "reprint" in form.job_title


def test_long_and_unusual_names_print_whole() -> None:
    slip = replace(
        sample_paying_slip(),
        group_name=LONG_GROUP_NAME,
        representative=Person(name="𠮷田 髙之介", address=LONG_ADDRESS),
        responsible=Person(
            name="齋藤 﨑子", address="小平市架空町１－２－３", phone="０４２－０００－１２３４"
        ),
    )
    assert len(LONG_ADDRESS) == 50
    for build in SLIP_BUILDERS:
        text = all_text(build(slip))
        # Whole, wrapped wherever needed; full-width digits stay full-width.
        assert_shows(
            text, LONG_GROUP_NAME, LONG_ADDRESS, "１２３４５号室", "０４２－０００－１２３４"
        )
        # 髙 and 﨑 are in IPAex and print as written; 𠮷 is not and prints as 吉.
        assert has_glyph("髙") and has_glyph("﨑")
        assert "髙之介" in text and "齋藤﨑子" in text
        if has_glyph("𠮷"):
            assert "𠮷田" in text
        else:
            assert "吉田髙之介" in text and "𠮷" not in text


def test_characters_beyond_the_bmp_keep_their_text() -> None:
    # 𡈽 (U+2123D) is in IPAex: it must print as itself and extract as itself, which needs
    # the corrected ToUnicode map (see font_subsets._CmapFixedTTFont).
    assert has_glyph("𡈽")
    slip = replace(sample_slip(), representative=Person(name="𡈽田 花子", address="小平市"))
    assert "𡈽田花子" in all_text(approval_slip_pdf(slip))


def test_registration_notice_shows_id_password_and_how_to_sign_in() -> None:
    notice = sample_notice()
    form = registration_notice_pdf(notice)
    text = all_text(form)
    assert_shows(
        text,
        "地域センター利用者登録通知書",
        notice.group_name,
        notice.representative_name,
        notice.user_id,
        notice.initial_password,
        notice.sign_in_url,
        *notice.sign_in_steps,
        "令和11年3月31日まで",
        format_era_date(notice.issued_on),
    )
    assert form.user_id == notice.user_id
    # The password never shows in a repr (logs, tracebacks).
    assert notice.initial_password not in repr(notice)
    assert notice.initial_password not in repr(form)


def test_day_journal_shows_bookings_reports_fees_and_pending() -> None:
    journal = sample_journal()
    form = day_journal_pdf(journal)
    text = all_text(form)
    assert_shows(text, "地域センター業務日報", journal.center_name, format_era_date(journal.day))
    for booking in journal.bookings:
        assert_shows(text, booking.approval_number, booking.group_name, booking.user_id)
    assert_shows(
        text,
        "4件（うち窓口受付1件）",
        "提出3件未提出1件",
        "45人",  # 7 + 22 + 16 reported
        "700円（1件）",
        "窓口",
        "机の配置を元に戻し済み",
        "2件がまだサーバーに届いていません",
        "直前予約",
        "利用報告",
        "以上",
    )
    assert form.journal_day == journal.day


def test_empty_day_journal_says_so() -> None:
    journal = replace(sample_journal(), bookings=(), receipts=(), pending=())
    text = all_text(day_journal_pdf(journal))
    assert_shows(
        text, "本日の利用はありません", "本日の収納はありません", "すべてサーバーに送信", "以上"
    )


def test_long_day_journal_runs_over_pages_without_losing_rows() -> None:
    journal = sample_journal()
    many = tuple(
        replace(journal.bookings[i % len(journal.bookings)], approval_number=f"R8-{9000 + i}")
        for i in range(60)
    )
    form = day_journal_pdf(replace(journal, bookings=many))
    assert form.pages > 1
    text = all_text(form)
    assert all(f"R8-{9000 + i}" in text for i in range(60))
    assert text.endswith("以上") or "以上" in page_texts(form)[-1]


ALL_FORMS = {
    "usage_application": lambda: usage_application_pdf(sample_paying_slip()),
    "approval_slip": lambda: approval_slip_pdf(sample_paying_slip()),
    "registration_notice": lambda: registration_notice_pdf(sample_notice()),
    "day_journal": lambda: day_journal_pdf(sample_journal()),
}


@pytest.mark.parametrize("name", ALL_FORMS)
def test_the_japanese_fonts_are_embedded(name: str) -> None:
    reader = PdfReader(io.BytesIO(ALL_FORMS[name]().data))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            # /FontFile2: a TrueType font program inside the PDF (a subset of it).
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            embedded.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert {"IPAexGothic", "IPAexMincho"} <= embedded


@pytest.mark.parametrize("name", ALL_FORMS)
def test_no_text_runs_past_the_margins(name: str) -> None:
    """Every piece of text starts and ends inside the page's side margins (1 pt slack)."""
    reader = PdfReader(io.BytesIO(ALL_FORMS[name]().data))
    overflow: list[str] = []

    for page in reader.pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if not text.strip() or font is None:
                return
            base = str(font["/BaseFont"])  # type: ignore[index]
            face = GOTHIC if "Gothic" in base else MINCHO
            scale = tm[0] * cm[0]
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            width = stringWidth(text.rstrip("\n"), face, size) * scale
            if x < MARGIN_X - 1 or x + width > PAGE_WIDTH - MARGIN_X + 1:
                overflow.append(f"{text!r} at {x:.0f}..{x + width:.0f}")

        page.extract_text(visitor_text=visit)
    assert overflow == []


def test_bad_approval_number_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError) as caught:
        replace(sample_slip(), approval_number="小平 花子")
    assert "小平" not in str(caught.value)
    with pytest.raises(ValueError):
        replace(sample_slip(), approval_number="R8-" + "1" * 18)  # 21: too long for the barcode


def test_reprs_carry_no_personal_data() -> None:
    slip, journal = sample_paying_slip(), sample_journal()
    shown = repr(slip) + repr(journal) + repr(journal.bookings) + repr(journal.receipts)
    for personal in (
        slip.group_name,
        slip.representative.name,
        slip.representative.address,
        slip.responsible.phone,
        slip.issuer.staff_name,
        journal.staff_name,
        "机の配置",
    ):
        assert personal not in shown
    assert slip.approval_number in shown
