from datetime import date

import pytest

from center_desk.domain import (
    CatalogError,
    ExemptionReason,
    FeeError,
    calculate_fee,
    format_era_date,
    format_era_month,
    format_short_date,
    parse_catalog,
    parse_use_date,
)
from center_desk.resources import load_catalog


def test_demo_catalog_has_the_ten_confirmed_centers() -> None:
    catalog = load_catalog()
    names = {c.name for c in catalog.centers}
    assert len(names) == 10
    assert "小川西町中宿地域センター" in names
    assert [s.label for s in catalog.slots] == ["午前", "午後", "夜間"]
    for center in catalog.centers:
        for room in center.rooms:
            # Individuals may use 第二娯楽室 and 遊戯室 only (DOMAIN.md).
            assert room.individuals_allowed == (room.name in {"第二娯楽室", "遊戯室"})


def _catalog(**room: object) -> dict[str, object]:
    base = {
        "id": "r",
        "name": "第一集会室",
        "kind": "western",
        "capacity": 40,
        "fees": {"morning": 700},
    }
    base.update(room)
    return {
        "slots": [{"id": "morning", "label": "午前", "start": "09:00", "end": "12:00"}],
        "centers": [{"id": "c", "name": "テスト地域センター", "rooms": [base]}],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "ballroom"}, "unknown room kind"),
        ({"capacity": 0}, "capacity must be positive"),
        ({"fees": {"night": 100}}, "unknown slot"),
        ({"fees": {"morning": -1}}, "negative"),
    ],
)
def test_a_bad_catalog_names_the_entry_at_fault(change: dict[str, object], message: str) -> None:
    with pytest.raises(CatalogError, match=message) as info:
        parse_catalog(_catalog(**change))
    assert "centers[0].rooms[0]" in str(info.value)


def test_fee_with_and_without_exemption() -> None:
    room = parse_catalog(_catalog(fees={"morning": 700})).centers[0].rooms[0]
    paid = calculate_fee(room, ["morning"])
    assert (paid.nominal, paid.charged, paid.exempt) == (700, 700, False)
    exempt = calculate_fee(room, ["morning"], ExemptionReason.SCHOOL_PTA)
    assert (exempt.nominal, exempt.charged, exempt.exemption) == (
        700,
        0,
        ExemptionReason.SCHOOL_PTA,
    )
    with pytest.raises(FeeError):
        calculate_fee(room, ["morning"], ExemptionReason.OTHER)
    assert calculate_fee(room, ["morning"], ExemptionReason.OTHER, "市長承認").charged == 0


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 12, 1), "令和8年12月1日(火)"),
        (date(2019, 5, 1), "令和元年5月1日(水)"),
        (date(2019, 4, 30), "平成31年4月30日(火)"),
    ],
)
def test_japanese_era_dates(day: date, text: str) -> None:
    assert format_era_date(day) == text
    assert format_short_date(date(2027, 2, 15)) == "2月15日(月)"


TYPING_DAY = date(2027, 2, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2/15", date(2027, 2, 15)),
        ("２月１５日", date(2027, 2, 15)),
        ("1/5", date(2028, 1, 5)),  # without a year: the next one from today on
        ("2/10", date(2027, 2, 10)),
        ("2027/4/15", date(2027, 4, 15)),
        ("20270415", date(2027, 4, 15)),
        ("R9.4.15", date(2027, 4, 15)),
        ("r9.4.15", date(2027, 4, 15)),
        ("令和9年4月15日", date(2027, 4, 15)),
        ("9.4.15", date(2027, 4, 15)),  # a two-digit year is a 令和 year
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("2/30", None),
        ("", None),
        ("あした", None),
    ],
)
def test_use_dates_as_staff_type_them(text: str, expected: date | None) -> None:
    assert parse_use_date(text, TYPING_DAY) == expected


@pytest.mark.parametrize(
    ("year", "month", "text"),
    [(2027, 4, "令和9年4月"), (2019, 5, "令和元年5月"), (2019, 4, "平成31年4月")],
)
def test_era_months(year: int, month: int, text: str) -> None:
    assert format_era_month(year, month) == text
