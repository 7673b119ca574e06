"""The table rows the usage application and the approval slip share: what is booked, by whom,
and the fee. One definition, so the two slips of a booking can never disagree."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..domain import format_era_date
from .paragraphs import hm, para, yen
from .slips import BookingSlip, Person, exemption_text
from .styles import styles
from .tables import Cell, labelled_lines, value_width


def person_cell(person: Person, *, phone: bool) -> Flowable:
    pairs: list[tuple[str, str]] = [("氏名", person.name), ("住所", person.address)]
    if phone:
        pairs.append(("電話", person.phone or "―"))
    return labelled_lines(pairs, value_width())


def fee_cell(slip: BookingSlip) -> Flowable:
    fee = slip.fee
    if fee.charged == 0:
        payment = "納付不要（免除）" if fee.exempt else "納付不要"
    else:
        payment = "納付済" if slip.paid else "未納（利用後に窓口で納付してください）"
    value = styles().value
    pairs: list[tuple[str, Cell]] = [
        ("使用料", para(yen(fee.nominal), value, fact=True)),
        ("免除", para(exemption_text(fee) or "なし", value, fact=True)),
        ("納付額", para(f"{yen(fee.charged)}　{payment}", value, fact=True)),
    ]
    return labelled_lines(pairs, value_width())


def booking_rows(slip: BookingSlip) -> list[tuple[str, str | Flowable]]:
    """The rows both slips share: what is booked, by whom."""
    times = f"{hm(slip.start)}〜{hm(slip.end)}"
    value = styles().value
    when = f"{format_era_date(slip.use_date)}　{slip.slot_label}　{times}"
    # The room, the time and the head count recur from booking to booking: kept as facts.
    return [
        ("利用施設", para(f"{slip.center_name}　{slip.room_name}", value, fact=True)),
        ("利用日時", para(when, value, fact=True)),
        ("利用目的", slip.purpose),
        ("利用予定人数", para(f"{slip.headcount}人", value, fact=True)),
        ("団体名", slip.group_name),
        ("利用者ID", slip.user_id),
        ("代表者", person_cell(slip.representative, phone=False)),
        ("利用責任者", person_cell(slip.responsible, phone=True)),
    ]
