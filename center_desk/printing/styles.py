"""The forms' look: their paragraph styles and the greys of their tables.

The look follows Japanese municipal forms: a centred title, a bordered table with the labels in
a shaded column, 明朝 for the body and ゴシック for titles and labels. Grey rather than colour
for shading, because the counter printers are mostly monochrome lasers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .fonts import GOTHIC, MINCHO, register_fonts

LABEL_GREY = colors.Color(0.88, 0.88, 0.88)
LINE = colors.black


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    body: ParagraphStyle
    body_right: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    value_large: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle("base", fontName=MINCHO, fontSize=10.5, leading=15, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=base,
            fontName=GOTHIC,
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            spaceAfter=3 * mm,
        ),
        body=base,
        body_right=ParagraphStyle("body_right", parent=base, alignment=TA_RIGHT),
        label=ParagraphStyle(
            "label", parent=base, fontName=GOTHIC, fontSize=9.5, leading=13, alignment=TA_CENTER
        ),
        value=ParagraphStyle("value", parent=base),
        value_large=ParagraphStyle(
            "value_large", parent=base, fontName=GOTHIC, fontSize=13, leading=18
        ),
        small=ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        note=ParagraphStyle("note", parent=base, fontSize=9.5, leading=15),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontName=GOTHIC,
            fontSize=11,
            leading=16,
            spaceBefore=4 * mm,
            spaceAfter=1.5 * mm,
        ),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=ParagraphStyle(
            "cell_head", parent=cell, fontName=GOTHIC, alignment=TA_CENTER, fontSize=8
        ),
    )
