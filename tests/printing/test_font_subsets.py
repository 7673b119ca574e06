"""The slips' embedded fonts (issue 13): the fixed wording lands in the same font subsets in every
pair of slips, so those are made once per process, while each booking's own names get a subset
of their own and still print and read back as written."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from pypdf import PdfReader

from center_desk.printing import Person, booking_slips_pdf
from center_desk.printing.render_samples import sample_paying_slip, sample_slip


def embedded_fonts(data: bytes) -> dict[str, bytes]:
    """{subset font name: its embedded font program} of every page."""
    fonts: dict[str, bytes] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = descriptor["/FontFile2"].get_object().get_data()
    return fonts


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_the_fixed_wording_is_in_the_same_subsets_for_different_bookings() -> None:
    first = sample_paying_slip()
    second = replace(
        sample_slip(),
        group_name="鷹の台囲碁同好会",
        representative=Person(name="鈴木　蘭", address="小平市鷹の台九丁目"),
    )
    one = embedded_fonts(booking_slips_pdf(first).data)
    other = embedded_fonts(booking_slips_pdf(second).data)
    shared = {name for name in one.keys() & other.keys() if one[name] == other[name]}
    # One subset per font holds the fixed wording (Gothic for labels, Mincho for the body) and
    # is the same program in both; the names differ, so the subsets holding them do too.
    assert {name.split("+")[1] for name in shared} == {"IPAexGothic", "IPAexMincho"}
    assert any(one[name] != other.get(name) for name in one)


def test_each_booking_still_prints_its_own_names() -> None:
    slip = replace(
        sample_slip(),
        group_name="鷹の台囲碁同好会",
        representative=Person(name="鈴木　蘭", address="小平市鷹の台九丁目"),
    )
    booking_slips_pdf(sample_paying_slip())  # the fixed subsets are made, then reused
    text = text_of(booking_slips_pdf(slip).data)
    for value in ("鷹の台囲碁同好会", "鈴木", "蘭", "小平市鷹の台九丁目", "地域センター利用承認書"):
        assert value in text


def test_the_same_booking_gives_the_same_bytes() -> None:
    slip = sample_paying_slip()
    assert booking_slips_pdf(slip).data == booking_slips_pdf(slip).data
