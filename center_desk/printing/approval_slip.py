"""利用承認書: the approval slip the group takes away and shows when it uses the room.

It carries the approval number twice: as text for people and as a Code 128 barcode that the
counter's scanner reads back into the desk (it types the number like a keyboard), so staff find
the booking without typing. Then the booking, the group and its two contacts, the fee with any
exemption and whether it is paid, the conditions of use, and, when there is a fee to pay, a
line for its receipt (領収欄).
"""

from __future__ import annotations

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ..domain import format_era_date
from .document import FormKind, FormPdf
from .flowables import FormTable, Paragraph
from .layout import CONTENT_WIDTH, MUNICIPALITY, FormPart, build_pdf
from .paragraphs import fitted, markup, numbered, para, yen
from .slip_rows import booking_rows, fee_cell
from .slips import BookingSlip
from .styles import LABEL_GREY, LINE, styles
from .tables import boxed, field_table, form_style, side_by_side

#: 利用の条件, as the comparable cities print them.
CONDITIONS = (
    "承認を受けた利用の権利を他人に譲渡し、又は転貸しないこと。",
    "小平市地域センター条例及び同条例施行規則その他関係規定を遵守し、係員の指示に従うこと。",
    "利用後は、施設及び設備を原状に回復し、係員の確認を受けること。",
    "利用の際は、この承認書を係員に提示すること。",
    "利用後は、利用報告書を提出すること。",
)

# Code 128 at 0.33 mm per module: well inside what counter scanners read, and narrow enough
# for a 20-character number to fit half the page.
_BAR_WIDTH = 0.33 * mm
_BAR_HEIGHT = 11 * mm


_MIN_BAR_WIDTH = 0.25 * mm


def approval_barcode(approval_number: str, max_width: float = CONTENT_WIDTH / 2) -> Flowable:
    """The approval number as a Code 128 barcode (no human-readable line: the text is beside it).

    A long number gets narrower bars to stay within ``max_width`` (never below 0.25 mm, which
    the scanners still read; the 20-character limit on approval numbers keeps it there).
    """
    barcode = Code128(
        approval_number, barWidth=_BAR_WIDTH, barHeight=_BAR_HEIGHT, humanReadable=False
    )
    if barcode.width > max_width:
        narrower = max(_MIN_BAR_WIDTH, _BAR_WIDTH * max_width / barcode.width)
        barcode = Code128(
            approval_number, barWidth=narrower, barHeight=_BAR_HEIGHT, humanReadable=False
        )
    return barcode


def _conditions() -> Table:
    return boxed(numbered(CONDITIONS, styles().note), bottom_padding=5)


def _receipt_line(slip: BookingSlip) -> Table:
    """領収欄: staff stamp it when the group pays after use (or it says the fee is paid)."""
    st = styles()
    label = Paragraph("領収欄", st.label)
    if slip.paid:
        text = markup(
            "上記使用料 {amount} を領収済みです。", st.body, fact=True, amount=yen(slip.fee.charged)
        )
    else:
        text = markup(
            "上記使用料 {amount} を領収しました。<br/>"
            "令和　　年　　月　　日　　取扱者 ______________________　印",
            st.body,
            fact=True,
            amount=yen(slip.fee.charged),
        )
    table = FormTable([[label, text]], colWidths=[30 * mm, CONTENT_WIDTH - 30 * mm])
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 1.2, LINE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def approval_slip_part(slip: BookingSlip) -> FormPart:
    st = styles()
    half = CONTENT_WIDTH / 2
    header = side_by_side(
        [approval_barcode(slip.approval_number)],
        [
            markup("承認番号　第 {n} 号", st.body_right, n=slip.approval_number),
            para(format_era_date(slip.issued_on), st.body_right, fact=True),
        ],
        left_width=half,
    )
    addressee = [
        fitted(f"{slip.group_name}　様", st.value_large, half - 6 * mm, min_size=10.5),
        markup("代表者　{name}　様", st.body, name=slip.representative.name),
    ]
    issuer = [
        markup(
            f"{MUNICIPALITY}　{{center}}", st.body_right, fact=True, center=slip.issuer.center_name
        ),
        markup("担当　{staff}", st.body_right, staff=slip.issuer.staff_name),
    ]
    rows = [*booking_rows(slip), ("使用料", fee_cell(slip))]
    story: list[Flowable] = [
        header,
        Spacer(1, 3 * mm),
        Paragraph("地域センター利用承認書", st.title),
        side_by_side(addressee, issuer, left_width=half + 10 * mm),
        Spacer(1, 4 * mm),
        Paragraph("申請のあった地域センターの利用について、次のとおり承認します。", st.body),
        Spacer(1, 2 * mm),
        field_table(rows),
        Paragraph("利用の条件", st.heading),
        _conditions(),
    ]
    if slip.fee.charged > 0:
        # Exempt groups pay nothing, so a receipt line would only invite a wrong stamp.
        story.extend([Spacer(1, 5 * mm), _receipt_line(slip)])
    return FormPart(
        story=story,
        footer=f"{MUNICIPALITY}　{FormKind.APPROVAL_SLIP.label}　（利用者控）",
        reprint=slip.reprint,
    )


def approval_slip_pdf(slip: BookingSlip) -> FormPdf:
    data, pages = build_pdf([approval_slip_part(slip)], title=f"利用承認書 {slip.approval_number}")
    return FormPdf(
        kinds=(FormKind.APPROVAL_SLIP,),
        data=data,
        pages=pages,
        reprint=slip.reprint,
        approval_number=slip.approval_number,
    )
