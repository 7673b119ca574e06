"""利用申請書: the usage application, printed filled in for the group to sign at the counter.

The center keeps it. It shows the same booking data as the approval slip, the exemption the
group applies for, a signature line for the person responsible, and a box for the city's own
entries (受付, 承認番号).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ..domain import format_era_date
from .document import FormKind, FormPdf
from .flowables import FormTable, Paragraph
from .layout import CONTENT_WIDTH, MUNICIPALITY, FormPart, build_pdf
from .paragraphs import markup, para, yen
from .slip_rows import booking_rows
from .slips import BookingSlip, exemption_text
from .styles import LABEL_GREY, LINE, styles
from .tables import field_table, form_style, side_by_side


def _exemption_request(slip: BookingSlip) -> str:
    reason = exemption_text(slip.fee)
    if reason:
        return f"申請する（{reason}）　使用料 {yen(slip.fee.nominal)}"
    return f"申請しない　使用料 {yen(slip.fee.nominal)}"


def _signature() -> Table:
    st = styles()
    label = Paragraph("申請者署名", st.label)
    hint = markup(
        "上記の内容に相違ありません。（利用責任者が自署してください）<br/><br/>"
        "令和　　年　　月　　日　　署名欄 ________________________________",
        st.body,
    )
    table = FormTable(
        [[label, hint]], colWidths=[30 * mm, CONTENT_WIDTH - 30 * mm], rowHeights=[24 * mm]
    )
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 1.2, LINE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _office_box(slip: BookingSlip) -> Table:
    """※市処理欄: what the city records on the application."""
    st = styles()
    header = ["受付日", "受付者", "承認番号", "承認日"]
    # The dates are facts (kept); the staff name and the number are not.
    values = [
        (format_era_date(slip.application_date, weekday=False), True),
        (slip.issuer.staff_name, False),
        (slip.approval_number, False),
        (format_era_date(slip.issued_on, weekday=False), True),
    ]
    width = CONTENT_WIDTH / 4
    table = FormTable(
        [
            [Paragraph(h, st.cell_head) for h in header],
            [para(v, st.cell_center, fact=fact) for v, fact in values],
        ],
        colWidths=[width] * 4,
    )
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, 1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def usage_application_part(slip: BookingSlip) -> FormPart:
    st = styles()
    header = side_by_side(
        [Paragraph(f"（宛先）{MUNICIPALITY}長", st.body)],
        [
            markup(
                "申請日　{day}",
                st.body_right,
                fact=True,
                day=format_era_date(slip.application_date),
            )
        ],
        left_width=CONTENT_WIDTH / 2,
    )
    rows = [
        *booking_rows(slip),
        ("使用料の免除", para(_exemption_request(slip), st.value, fact=True)),
    ]
    story: list[Flowable] = [
        header,
        Spacer(1, 6 * mm),
        Paragraph("地域センター利用申請書", st.title),
        Paragraph(
            "次のとおり地域センターの利用を申請します。利用に当たっては、"
            "小平市地域センター条例及び同条例施行規則を守ります。",
            st.body,
        ),
        Spacer(1, 3 * mm),
        field_table(rows),
        Spacer(1, 5 * mm),
        _signature(),
        Paragraph("※市処理欄", st.heading),
        _office_box(slip),
    ]
    return FormPart(
        story=story,
        footer=f"{MUNICIPALITY}　{FormKind.USAGE_APPLICATION.label}　（センター保管）",
        reprint=slip.reprint,
    )


def usage_application_pdf(slip: BookingSlip) -> FormPdf:
    data, pages = build_pdf(
        [usage_application_part(slip)], title=f"利用申請書 {slip.approval_number}"
    )
    return FormPdf(
        kinds=(FormKind.USAGE_APPLICATION,),
        data=data,
        pages=pages,
        reprint=slip.reprint,
        approval_number=slip.approval_number,
    )
