"""The approval number on the slip is a Code 128 barcode that reads back as the number."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image
from pyzbar import pyzbar

from center_desk.printing import approval_slip_pdf, booking_slips_pdf, render_png_pages
from center_desk.printing.render_samples import sample_slip


def decode_barcodes(png: bytes) -> list[tuple[str, str]]:
    image = Image.open(io.BytesIO(png))
    return [(found.type, found.data.decode("ascii")) for found in pyzbar.decode(image)]


@pytest.mark.parametrize(
    "number", ["R8-000123", "R12-987654", "2026/00001", "A1", "R8-ABCDEFGHIJKLMNOPQ"]
)
def test_barcode_reads_back_as_the_approval_number(number: str) -> None:
    form = approval_slip_pdf(replace(sample_slip(), approval_number=number))
    # 300 dpi, as a scanner or a printer would see it.
    (page,) = render_png_pages(form.data, dpi=300, gray=True)
    assert decode_barcodes(page) == [("CODE128", number)]


def test_barcode_is_on_the_approval_page_of_both_slips() -> None:
    form = booking_slips_pdf(sample_slip())
    application, approval = render_png_pages(form.data, dpi=300, gray=True)
    assert decode_barcodes(application) == []
    assert decode_barcodes(approval) == [("CODE128", "R8-000123")]
