"""Each paragraph of a slip is broken into lines once per width (issue 13): tables measure
their cells and then draw them, and used to break every cell's text twice or more."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from reportlab.platypus.paragraph import Paragraph as ReportlabParagraph

from center_desk.printing import booking_slips_pdf
from center_desk.printing.layout import Paragraph
from center_desk.printing.render_samples import sample_paying_slip


def test_no_paragraph_is_broken_twice_at_one_width(monkeypatch: pytest.MonkeyPatch) -> None:
    broken: Counter[tuple[int, float]] = Counter()
    original = ReportlabParagraph.breakLinesCJK

    def counting(self: Any, widths: Any) -> Any:
        broken[(id(self), float(widths[0]))] += 1
        return original(self, widths)

    monkeypatch.setattr(ReportlabParagraph, "breakLinesCJK", counting)
    pdf = booking_slips_pdf(sample_paying_slip())
    assert pdf.pages == 2
    assert len(broken) > 40  # the slips' paragraphs were measured here
    twice = {key: n for key, n in broken.items() if n > 1}
    assert twice == {}


def test_a_new_width_breaks_the_lines_again() -> None:
    from center_desk.printing.layout import styles

    paragraph = Paragraph("小平市地域センター" * 6, styles().value)
    narrow = paragraph.wrap(60, 1000)
    assert paragraph.wrap(60, 1000) == narrow
    wide = paragraph.wrap(400, 1000)
    assert wide[1] < narrow[1]  # fewer lines when wider
    assert paragraph.wrap(60, 5) == narrow  # the height offered does not change the lines
