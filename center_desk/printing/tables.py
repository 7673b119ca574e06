"""The forms' tables: the shaded-label field table, the journal's list table, and the
borderless and boxed arrangements the forms build from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from .flowables import FormTable, Paragraph
from .fonts import GOTHIC, MINCHO
from .layout import CONTENT_WIDTH
from .paragraphs import para
from .styles import LABEL_GREY, LINE, styles

# reportlab is untyped, so Flowable is Any to mypy; the alias still documents what fits in a cell.
Cell: TypeAlias = "str | Flowable | list[Flowable]"


def form_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle whose cells start in the forms' font.

    reportlab sets each cell's font (Helvetica unless told) even when the cell holds only
    Paragraphs, which would put an unembedded base-14 font into every form.
    """
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), MINCHO), *commands])


def field_table(
    rows: Sequence[tuple[str, Cell]],
    *,
    label_width: float = 30 * mm,
    width: float = CONTENT_WIDTH,
) -> Table:
    """The form's main table: shaded labels on the left, values on the right, all bordered."""
    st = styles()
    data = [
        [
            Paragraph(escape(label), st.label),
            para(value, st.value) if isinstance(value, str) else value,
        ]
        for label, value in rows
    ]
    table = FormTable(data, colWidths=[label_width, width - label_width])
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 1.2, LINE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float],
    *,
    styles_extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A list table (the journal's): shaded header row repeated on every page, bordered cells."""
    st = styles()
    data: list[list[Cell]] = [
        [Paragraph(escape(h).replace("\n", "<br/>"), st.cell_head) for h in header]
    ]
    data.extend([para(c, st.cell) if isinstance(c, str) else c for c in row] for row in rows)
    table = FormTable(data, colWidths=list(col_widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        form_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 1.0, LINE),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *styles_extra,
            ]
        )
    )
    return table


@cache
def _key_style() -> ParagraphStyle:
    return ParagraphStyle(
        "key", parent=styles().small, fontName=GOTHIC, textColor=colors.Color(0.3, 0.3, 0.3)
    )


def labelled_lines(
    pairs: Sequence[tuple[str, Cell]], width: float, *, key_width: float = 17 * mm
) -> Table:
    """Several labelled values inside one cell (氏名 / 住所 / 電話), separated by hairlines."""
    st = styles()
    key_style = _key_style()
    data = [
        [
            Paragraph(escape(key), key_style),
            para(value, st.value) if isinstance(value, str) else value,
        ]
        for key, value in pairs
    ]
    table = FormTable(data, colWidths=[key_width, width - key_width])
    table.setStyle(
        form_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (0, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.Color(0.6, 0.6, 0.6), None, (1, 1.5)),
            ]
        )
    )
    return table


#: Width available inside a field_table value cell (its padding taken off).
def value_width(label_width: float = 30 * mm, width: float = CONTENT_WIDTH) -> float:
    return width - label_width - 10


def side_by_side(
    left: Cell, right: Cell, *, left_width: float, width: float = CONTENT_WIDTH
) -> Table:
    """Two blocks next to each other without borders (address block beside issuer, etc.)."""
    table = FormTable([[left, right]], colWidths=[left_width, width - left_width])
    table.setStyle(
        form_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def boxed(flowables: list[Flowable], *, bottom_padding: float = 6) -> Table:
    """Flowables in one ruled box the width of the content."""
    table = FormTable([[flowables]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        form_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), bottom_padding),
            ]
        )
    )
    return table
