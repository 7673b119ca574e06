"""What every form shares: A4 page, styles, the shaded-label field table, the 再発行 mark, and
the assembly of one or more forms into one PDF.

The look follows Japanese municipal forms: a centred title, a bordered table with the labels in
a shaded column, 明朝 for the body and ゴシック for titles and labels. Grey rather than colour
for shading, because the counter printers are mostly monochrome lasers.

Everything a user typed goes through :func:`para` (or :func:`fitted`), which escapes reportlab's
paragraph markup and replaces characters the font lacks (:func:`fonts.printable`), and wraps
between any two characters (``wordWrap="CJK"``), so no name or address is ever cut off: a long
one wraps and the table row grows.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFStream
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Table,
    TableStyle,
)

from .flowables import FormTable, Paragraph
from .font_subsets import record_drawn
from .fonts import GOTHIC, MINCHO, font_for, register_fonts
from .missing_glyphs import printable
from .pdf_objects import QUICK_FLATE

# ASCII85 makes the binary streams 7-bit safe for transports that are not: ours go to CUPS or a
# viewer as files, and encoding them was a tenth of a slip's build time (issue 13).
rl_config.useA85 = 0


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm  # room above the title for the 再発行 mark
MARGIN_BOTTOM = 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

LABEL_GREY = colors.Color(0.88, 0.88, 0.88)
LINE = colors.black
STAMP_RED = colors.Color(0.75, 0.05, 0.05)

MUNICIPALITY = "小平市"

# reportlab is untyped, so Flowable is Any to mypy; the alias still documents what fits in a cell.
Cell: TypeAlias = "str | Flowable | list[Flowable]"


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


# reportlab collapses runs of whitespace, the ideographic space (U+3000) included, into one
# narrow space; Japanese layout uses 　 for visible gaps (代表者　小平 花子　様), so it becomes
# no-break spaces (about 0.3 em each in IPAex), which reportlab keeps.
_NBSP = "\u00a0"
_IDEOGRAPHIC_SPACE = "\u3000"


def keep_spaces(text: str) -> str:
    return text.replace(_IDEOGRAPHIC_SPACE, _NBSP * 3)


def esc(text: str) -> str:
    """User text made safe for a Paragraph: printable characters, markup escaped."""
    return keep_spaces(escape(printable(text))).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle, *, fact: bool = False) -> Paragraph:
    """A Paragraph of ``text`` as it was typed or stored (escaped, printable).

    ``fact``: ``text`` is one of the booking's facts that recur from print to print and say
    nothing about a person (a date, a fee, a room, a head count), so it may be kept parsed,
    broken and drawn like the form's own wording; never a name, an address, an identifier or
    anything people typed."""
    return Paragraph(esc(text), style, wording=fact)


def markup(template: str, style: ParagraphStyle, *, fact: bool = False, **values: str) -> Paragraph:
    """A Paragraph from our own markup ``template`` with user text filled in escaped
    (``fact``: the values are facts, as for :func:`para`)."""
    filled = keep_spaces(template).format(**{k: esc(v) for k, v in values.items()})
    return Paragraph(filled, style, wording=fact or not values)


def fitted(text: str, style: ParagraphStyle, width: float, *, min_size: float = 8.0) -> Paragraph:
    """One line at ``style``'s size if it fits ``width``; else shrunk (down to ``min_size``) to
    fit; if even that is too wide, wrapped at ``min_size``. Never cut off."""
    shown = keep_spaces(printable(text))
    size = style.fontSize
    natural = stringWidth(shown, style.fontName, size)
    if natural > width:
        size = max(min_size, size * width / natural)
    if size == style.fontSize:
        return para(text, style)
    smaller = ParagraphStyle(
        f"{style.name}-{size:.1f}",
        parent=style,
        fontSize=size,
        leading=size * style.leading / style.fontSize,
    )
    return para(text, smaller)


def hm(moment: time) -> str:
    """9:00, 13:30: how the slots are written on the centres' notices."""
    return f"{moment.hour}:{moment.minute:02d}"


def yen(amount: int) -> str:
    return f"{amount:,}円"


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


@dataclass
class FormPart:
    """One form's flowables, and how to decorate its pages."""

    story: list[Flowable]
    footer: str
    reprint: bool = False
    #: Number the pages (the journal can run over several).
    page_numbers: bool = False


def _draw_reprint_mark(canvas: Any) -> None:
    width, height = 30 * mm, 10 * mm
    x = PAGE_WIDTH - MARGIN_X - width
    y = PAGE_HEIGHT - 7 * mm - height
    canvas.setStrokeColor(STAMP_RED)
    canvas.setFillColor(STAMP_RED)
    canvas.setLineWidth(1.6)
    canvas.rect(x, y, width, height, stroke=1, fill=0)
    canvas.setFont(GOTHIC, 15)
    canvas.drawCentredString(x + width / 2, y + 2.9 * mm, "再発行")


def _decorate(part: FormPart, canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(GOTHIC, 7.5)
    canvas.setFillGray(0.35)
    canvas.drawString(MARGIN_X, 9 * mm, printable(part.footer))
    if part.page_numbers:
        canvas.drawCentredString(PAGE_WIDTH / 2, 9 * mm, f"- {canvas.getPageNumber()} -")
    if part.reprint:
        _draw_reprint_mark(canvas)
    canvas.restoreState()


class _FormCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas whose page streams are flated at zlib's fastest level, as the fonts are
    (pdf_objects.QUICK_FLATE): at the default level they were a twentieth of a slip's build time,
    for a few hundred bytes less."""

    def showPage(self) -> None:
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.compression and not page.Contents and page.stream and not rl_config.useA85:
            stream = PDFStream()
            stream.filters = [QUICK_FLATE]
            stream.content = page.stream
            stream.__Comment__ = "page stream"
            page.Contents = stream


class _FormDocTemplate(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    """A document whose fonts are seeded before anything is drawn (see :func:`build_pdf`)."""

    def __init__(
        self,
        buffer: io.BytesIO,
        *,
        seed: Mapping[str, str],
        record: dict[str, dict[str, str]] | None,
        **options: Any,
    ) -> None:
        super().__init__(buffer, **options)
        self._seed = seed
        self._record = record

    def beforeDocument(self) -> None:
        pdf = self.canv._doc
        for name, text in self._seed.items():
            font_for(name).seed(pdf, text)
        if self._record is not None:
            self._record["drawn"] = record_drawn(pdf)


def build_pdf(
    parts: Sequence[FormPart], *, title: str, seed: Mapping[str, str] | None = None
) -> tuple[bytes, int]:
    """Lay out ``parts`` one after another (each from a new page); return (PDF, page count).

    ``title`` goes into the PDF's metadata, which viewers and spoolers show: no personal data.
    ``seed`` maps a font to the characters to number first in it, in order (see
    :meth:`font_subsets.Font.seed`): a form's fixed wording, from :func:`drawn_characters`.
    """
    return _build(parts, title=title, seed=seed or {}, record=None)


def drawn_characters(parts: Sequence[FormPart]) -> dict[str, str]:
    """The characters building ``parts`` draws in each font, in order of first use."""
    record: dict[str, dict[str, str]] = {}
    _build(parts, title="", seed={}, record=record)
    return dict(record.get("drawn", {}))


def _build(
    parts: Sequence[FormPart],
    *,
    title: str,
    seed: Mapping[str, str],
    record: dict[str, dict[str, str]] | None,
) -> tuple[bytes, int]:
    if not parts:
        raise ValueError("no form to build")
    register_fonts()
    buffer = io.BytesIO()
    doc = _FormDocTemplate(
        buffer,
        seed=seed,
        record=record,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=MUNICIPALITY,
        creator="center-desk",
        subject="",
        # No creation date or random document id: the same data gives the same bytes, and the
        # file says nothing about when or where it was made beyond what is printed on it.
        invariant=1,
        # reportlab starts every page in Helvetica, which would put an unembedded base-14 font
        # into every form; starting in our own font keeps the PDF self-contained.
        initialFontName=MINCHO,
    )
    story: list[Flowable] = []
    templates = []
    for index, part in enumerate(parts):
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"frame{index}",
        )
        templates.append(
            PageTemplate(
                id=f"form{index}",
                frames=[frame],
                onPage=lambda canvas, doc, part=part: _decorate(part, canvas, doc),
            )
        )
        if index:
            story.extend([NextPageTemplate(f"form{index}"), PageBreak()])
        story.extend(part.story)
    doc.addPageTemplates(templates)
    doc.build(story, canvasmaker=_FormCanvas)
    return buffer.getvalue(), int(doc.page)


def numbered(items: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    """1.　…, 2.　… as the forms number conditions and steps."""
    # The items are the forms' own wording (conditions, cautions, steps), so kept parsed.
    numbered_item = keep_spaces("{n}.　{text}")
    return [
        Paragraph(numbered_item.format(n=i, text=esc(item)), style)
        for i, item in enumerate(items, 1)
    ]


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
