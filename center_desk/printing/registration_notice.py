"""利用者登録通知書: tells a newly registered group its user id (利用者ID) and initial password,
and how to sign in to the online reservation system.

Registration happens at the counter only (DOMAIN.md "Groups"): staff type in the paper form, the
backend issues the id, and this notice is handed over. The password is printed one character per
box, so 0/O and 1/l/I can be told apart and nobody wonders whether a space belongs to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ..domain import format_era_date
from .document import FormKind, FormPdf
from .flowables import Paragraph
from .layout import CONTENT_WIDTH, MUNICIPALITY, FormPart, build_pdf
from .missing_glyphs import printable
from .paragraphs import fitted, markup, numbered, para
from .slips import Issuer
from .styles import LINE, styles
from .tables import boxed, field_table, form_style, side_by_side, value_width


@dataclass(frozen=True, repr=False)
class RegistrationNotice:
    group_name: str
    representative_name: str
    user_id: str
    initial_password: str
    issued_on: date
    issuer: Issuer
    #: Sign-in address of the citizens' system (city setting).
    sign_in_url: str
    #: How to sign in, one step per item (city setting: the wording is the city's).
    sign_in_steps: tuple[str, ...]
    #: End of the registration's validity (翌々年度末); it renews with each application.
    valid_until: date | None = None
    reprint: bool = False

    def __repr__(self) -> str:
        # Never print the password (or the names) into a log or a traceback.
        return f"RegistrationNotice(user_id={self.user_id!r}, reprint={self.reprint})"


_BOX = 7.5 * mm

CAUTIONS = (
    "初期パスワードは、初めてログインしたときに必ず変更してください。",
    "この通知書は、他人の目に触れないよう大切に保管してください。",
    "利用者IDは、登録内容の変更や登録の廃止の届出にも必要です。",
    "パスワードを忘れたときは、地域センターの窓口にお問い合わせください。",
)


def _char_boxes(text: str, width: float) -> Table:
    """One character per bordered box, wrapping onto more rows if needed."""
    st = styles()
    style = ParagraphStyle(
        "box", parent=st.value_large, alignment=TA_CENTER, fontSize=14, leading=17
    )
    per_row = max(1, int(width // _BOX))
    chars = list(printable(text)) or [" "]
    rows = [chars[i : i + per_row] for i in range(0, len(chars), per_row)]
    data: list[list[Flowable | str]] = [
        [para(c, style) for c in row] + [""] * (per_row - len(row)) for row in rows
    ]
    table = Table(
        data, colWidths=[_BOX] * per_row, rowHeights=[_BOX + 1 * mm] * len(rows), hAlign="LEFT"
    )
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for r, row in enumerate(rows):
        commands.append(("GRID", (0, r), (len(row) - 1, r), 0.6, LINE))
    table.setStyle(form_style(commands))
    return table


def registration_notice_part(notice: RegistrationNotice) -> FormPart:
    st = styles()
    half = CONTENT_WIDTH / 2
    cell = value_width()
    validity = "―"
    if notice.valid_until is not None:
        validity = (
            f"{format_era_date(notice.valid_until, weekday=False)}まで"
            "（施設の利用を申し込むたびに更新されます）"
        )
    rows: list[tuple[str, str | Flowable]] = [
        ("団体名", notice.group_name),
        ("利用者ID", fitted(notice.user_id, st.value_large, cell)),
        (
            "初期パスワード",
            [
                _char_boxes(notice.initial_password, cell),
                Spacer(1, 1.5 * mm),
                Paragraph("英字の大文字と小文字は区別されます。", st.small),
            ],
        ),
        ("登録の有効期限", validity),
    ]
    story: list[Flowable] = [
        para(format_era_date(notice.issued_on), st.body_right),
        Spacer(1, 5 * mm),
        Paragraph("地域センター利用者登録通知書", st.title),
        side_by_side(
            [
                fitted(f"{notice.group_name}　様", st.value_large, half - 6 * mm, min_size=10.5),
                markup("代表者　{name}　様", st.body, name=notice.representative_name),
            ],
            [
                markup(
                    f"{MUNICIPALITY}　{{center}}", st.body_right, center=notice.issuer.center_name
                ),
                markup("担当　{staff}", st.body_right, staff=notice.issuer.staff_name),
            ],
            left_width=half + 10 * mm,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            "地域センターの利用者登録をしましたので、利用者IDと初期パスワードを次のとおり"
            "お知らせします。",
            st.body,
        ),
        Spacer(1, 2 * mm),
        field_table(rows),
        Paragraph("オンラインでの予約の方法", st.heading),
        boxed(
            [
                markup("アドレス　{url}", st.value_large, url=notice.sign_in_url),
                Spacer(1, 1.5 * mm),
                *numbered(notice.sign_in_steps, st.body),
            ]
        ),
        Paragraph("ご注意", st.heading),
        boxed(numbered(CAUTIONS, st.note)),
    ]
    return FormPart(
        story=story,
        footer=f"{MUNICIPALITY}　{FormKind.REGISTRATION_NOTICE.label}",
        reprint=notice.reprint,
    )


def registration_notice_pdf(notice: RegistrationNotice) -> FormPdf:
    data, pages = build_pdf(
        [registration_notice_part(notice)], title=f"利用者登録通知書 {notice.user_id}"
    )
    return FormPdf(
        kinds=(FormKind.REGISTRATION_NOTICE,),
        data=data,
        pages=pages,
        reprint=notice.reprint,
        user_id=notice.user_id,
    )
