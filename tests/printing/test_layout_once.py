"""Each paragraph of a slip is broken into lines once per width (issue 13): tables measure
their cells and then draw them, and used to break every cell's text twice or more."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from reportlab.platypus.paragraph import Paragraph as ReportlabParagraph

from center_desk.printing import booking_slips_pdf, flowables
from center_desk.printing.flowables import Paragraph
from center_desk.printing.paragraphs import para
from center_desk.printing.render_samples import sample_paying_slip


def test_no_paragraph_is_broken_twice_at_one_width(monkeypatch: pytest.MonkeyPatch) -> None:
    broken: Counter[tuple[int, float]] = Counter()
    original = Paragraph.break_lines

    def counting(self: Any, widths: Any) -> Any:
        broken[(id(self), float(widths[0]))] += 1
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "break_lines", counting)
    # As in a fresh process: nothing of the forms' wording broken yet.
    monkeypatch.setattr(flowables, "_BROKEN", {})
    monkeypatch.setattr(flowables, "_WRAPPED", {})
    pdf = booking_slips_pdf(sample_paying_slip())
    assert pdf.pages == 2
    assert len(broken) > 40  # the slips' paragraphs were measured here
    twice = {key: n for key, n in broken.items() if n > 1}
    assert twice == {}


def test_a_new_width_breaks_the_lines_again() -> None:
    from center_desk.printing.styles import styles

    paragraph = Paragraph("小平市地域センター" * 6, styles().value)
    narrow = paragraph.wrap(60, 1000)
    assert paragraph.wrap(60, 1000) == narrow
    wide = paragraph.wrap(400, 1000)
    assert wide[1] < narrow[1]  # fewer lines when wider
    assert paragraph.wrap(60, 5) == narrow  # the height offered does not change the lines


def test_wording_is_broken_once_per_process_and_typed_text_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from center_desk.printing.styles import styles

    broken: list[str] = []
    original = Paragraph.break_lines

    def counting(self: Any, widths: Any) -> Any:
        broken.append(self.text)
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "break_lines", counting)
    monkeypatch.setattr(flowables, "_BROKEN", {})
    monkeypatch.setattr(flowables, "_WRAPPED", {})
    for _ in range(2):
        label = Paragraph("地域センター利用承認書", styles().title)
        typed = para("小平 花子", styles().value)
        assert label.wrap(300, 1000)[1] > 0
        assert typed.wrap(300, 1000)[1] > 0
    assert broken.count("地域センター利用承認書") == 1
    assert broken.count("小平 花子") == 2


@pytest.mark.parametrize(
    "text",
    [
        "小平 花子",
        "東京都小平市架空町三丁目２１番地の１５　見本グリーンハイツ小川西町第二住宅Ｂ棟",
        "Kodaira Community Center Harmonica Club of Ogawanishi-machi",
        "𡈽田 髙橋（たかはし）、「見本」。ーー",
    ],
)
@pytest.mark.parametrize("width", [40.0, 97.3, 180.0, 400.0])
def test_lines_from_the_width_table_are_reportlabs(text: str, width: float) -> None:
    from center_desk.printing.styles import styles

    for style in (styles().value, styles().label, styles().cell_right):
        ours = para(text, style)
        ours.wrap(width, 1000)
        theirs = ReportlabParagraph(para(text, style).text, style)
        theirs.wrap(width, 1000)
        assert ours.blPara.lines == theirs.blPara.lines
        assert ours.height == theirs.height
