"""What people typed wraps inside its cell, however long (issue 13 changed how it is laid out:
lines broken from the font's width table, fixed wording replayed)."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from center_desk.printing import booking_slips_pdf
from center_desk.printing.fonts import GOTHIC, MINCHO
from center_desk.printing.layout import CONTENT_WIDTH, MARGIN_X, PAGE_WIDTH
from center_desk.printing.render_samples import LONG_ADDRESS, LONG_GROUP_NAME, sample_paying_slip
from center_desk.printing.slips import Person

_LONG_NAME = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処"
_LONG_PURPOSE = "ハーモニカの練習と発表会の準備および地域の高齢者施設での慰問演奏会の打ち合わせ" * 3

# Where typed text may go: the value column of the field tables (right of the 30 mm labels)
# and, on the approval slip, the addressee block (its left half and 10 mm more).
_VALUE_COLUMN = (MARGIN_X + 30 * mm, PAGE_WIDTH - MARGIN_X)
_ADDRESSEE = (MARGIN_X, MARGIN_X + CONTENT_WIDTH / 2 + 10 * mm)


def _typed_runs(data: bytes, typed: list[str]) -> list[tuple[str, float, float]]:
    """Each drawn piece of the typed values: (text, left x, right x)."""
    runs: list[tuple[str, float, float]] = []
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            piece = text.strip()
            if len(piece) < 3 or font is None or not any(piece in value for value in typed):
                return
            face = GOTHIC if "Gothic" in str(font["/BaseFont"]) else MINCHO  # type: ignore[index]
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            width = stringWidth(piece, face, size) * tm[0] * cm[0]
            runs.append((piece, x, x + width))

        page.extract_text(visitor_text=visit)
    return runs


def test_long_typed_values_wrap_inside_their_cells() -> None:
    slip = replace(
        sample_paying_slip(),
        group_name=LONG_GROUP_NAME,
        purpose=_LONG_PURPOSE,
        representative=Person(name=_LONG_NAME, address=LONG_ADDRESS + LONG_ADDRESS),
        responsible=Person(name=_LONG_NAME[::-1], address=LONG_ADDRESS, phone="042-000-0000"),
    )
    typed = [LONG_GROUP_NAME, _LONG_PURPOSE, _LONG_NAME, _LONG_NAME[::-1], LONG_ADDRESS * 2]
    pdf = booking_slips_pdf(slip)
    # So much text runs the approval slip onto a third page (its table split across them).
    assert pdf.pages == 3
    runs = _typed_runs(pdf.data, typed)
    # Every long value was drawn, each over several lines.
    for value in typed:
        pieces = [text for text, _, _ in runs if text in value]
        assert len(pieces) >= 2, value
    outside = [
        f"{text!r} at {left:.0f}..{right:.0f}"
        for text, left, right in runs
        if not any(
            low - 1 <= left and right <= high + 1 for low, high in (_VALUE_COLUMN, _ADDRESSEE)
        )
    ]
    assert outside == []
    # In the value column, a line is never wider than the column.
    widest = max(right - left for _, left, right in runs)
    assert widest <= _VALUE_COLUMN[1] - _VALUE_COLUMN[0]
