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
from reportlab.lib.textsplit import dumbSplit
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
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
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.rl_config import _FUZZ

from . import replay
from .fonts import (
    GOTHIC,
    MINCHO,
    QUICK_FLATE,
    Font,
    font_for,
    printable,
    record_drawn,
    register_fonts,
)

# ASCII85 makes the binary streams 7-bit safe for transports that are not: ours go to CUPS or a
# viewer as files, and encoding them was a tenth of a slip's build time (issue 13).
rl_config.useA85 = 0


class Paragraph(_ReportlabParagraph):  # type: ignore[misc]  # reportlab is untyped
    """A reportlab Paragraph that breaks its lines once per width.

    A table measures each cell's paragraphs to size its rows and then measures them again, at
    the same width, when it draws them; nested tables add more rounds. Breaking Japanese text
    into lines is most of a slip's layout time, and a paragraph's lines depend only on the
    width it is given (reportlab ignores the height), so the last result is reused.
    """

    _wrapped_at: float | None = None
    _wrapped_size: tuple[float, float] = (0.0, 0.0)
    #: The fragments are the kept parse's own (see _setup), to be copied before any use that
    #: may mark them.
    _shared_frags = False
    # Set by reportlab's _setup (declared for the type checker).
    text: str
    style: Any
    frags: list[Any]
    bulletText: Any
    debug: int
    width: float
    height: float
    blPara: Any
    _wrapWidths: Any

    def __init__(self, text: str, style: ParagraphStyle, *, wording: bool = True) -> None:
        """``wording``: ``text`` is the form's own (a label, a title, a condition), parsed once
        per process and style; :func:`para` and :func:`markup`, which fill in what people
        typed, pass False, so no name is kept beyond its print."""
        self._keep = wording
        super().__init__(text, style)

    def _setup(self, text: str, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        # Parsing the markup into fragments is a fifth of a slip's layout; a label's fragments
        # are the same every time. reportlab marks fragments as it breaks lines, so a
        # paragraph copies them first (_own_frags) if it ever breaks or draws them itself
        # rather than being served kept lines and a kept drawing.
        if frags is not None or bulletText is not None:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        if not self._keep:
            self._setup_typed(text, style, cleaner)
            return
        key = (text, id(style))
        parsed = _PARSED.get(key)
        if parsed is None or parsed[0] is not style:
            super()._setup(text, style, bulletText, frags, cleaner)
            if len(_PARSED) >= _PARSED_KEPT:
                _PARSED.clear()
            _PARSED[key] = (style, self.text, self.style, self.frags, self.bulletText)
        else:
            _, cleaned, parsed_style, kept, bullet = parsed
            self.text = cleaned
            self.style = parsed_style
            self.frags = kept
            self._shared_frags = True
            self.bulletText = bullet
            self.debug = 0

    def _own_frags(self) -> None:
        if self._shared_frags:
            self.frags = [frag.clone() for frag in self.frags]
            self._shared_frags = False

    def _setup_typed(self, text: str, style: Any, cleaner: Any) -> None:
        # What people typed is plain text once escaped (no markup unless it had a line break
        # or an & or <), which the parser turns into one fragment in the style's attributes:
        # that fragment is made from a parsed template instead of parsing the text again
        # (parsing was a tenth of a slip's build time).
        cleaned = cleaner(text)
        template = _PLAIN.get(id(style)) if cleaned and "<" not in cleaned else None
        if template is None or template[0] is not style or "&" in cleaned:
            super()._setup(text, style, None, None, cleaner)
            if cleaned and "<" not in cleaned and "&" not in cleaned and len(self.frags) == 1:
                if len(_PLAIN) >= _PARSED_KEPT:
                    _PLAIN.clear()
                _PLAIN[id(style)] = (style, self.style, self.frags[0].clone(text=""))
            return
        _, parsed_style, frag = template
        self.text = cleaned
        self.style = parsed_style
        self.frags = [frag.clone(text=cleaned, link=[], us_lines=[])]
        self.bulletText = None
        self.debug = 0

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        # The form's own wording breaks into the same lines at the same widths every time.
        if not self._keep or self.bulletText is not None or getattr(self, "_splitpara", False):
            self._own_frags()
            return self.break_lines(maxWidths)
        key = (self.text, id(self.style), tuple(maxWidths))
        kept = _BROKEN.get(key)
        if kept is not None and kept[0] is self.style:
            return kept[1]
        self._own_frags()
        lines = self.break_lines(maxWidths)
        if len(_BROKEN) >= _PARSED_KEPT:
            _BROKEN.clear()
        _BROKEN[key] = (self.style, lines)
        return lines

    def break_lines(self, maxWidths: Any) -> Any:
        """reportlab's breakLinesCJK; for one fragment in one of our fonts (what :func:`para`
        makes), the same lines from the characters' widths read from the font's table
        rather than measured one call each (the same numbers: see :func:`_char_widths`)."""
        frags = self.frags
        if (
            len(frags) != 1
            or self.bulletText is not None
            or getattr(self, "_splitpara", False)
            or hasattr(frags[0], "cbDefn")
            or self.style.endDots
            or not isinstance(getattr(frags[0], "text", None), str)
        ):
            return super().breakLinesCJK(maxWidths)
        frag = frags[0]
        widths = _char_widths(frag.text, frag.fontName, frag.fontSize)
        if widths is None:
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        self.height = 0
        lines = dumbSplit(frag.text, widths, maxWidths)
        return frag.clone(
            kind=0,
            lines=[(space, [line]) for space, line in lines],
            ascent=frag.fontSize,
            descent=-0.2 * frag.fontSize,
        )

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # The form's own wording draws the same operators at the same place: replayed.
        if (
            not self._keep
            or self._wrapped_at is None
            or self.bulletText is not None
            or getattr(self, "_splitpara", False)
        ):
            super().drawOn(canvas, x, y, _sW)
            return
        key = (
            "paragraph",
            self.text,
            id(self.style),
            self._wrapped_at,
            self._wrapped_size,
            x,
            y,
            _sW,
            replay.canvas_state(canvas),
        )
        replay.draw(key, self.style, canvas, lambda: self._draw_now(canvas, x, y, _sW))

    def _draw_now(self, canvas: Any, x: float, y: float, _sW: float) -> None:
        self._own_frags()
        super().drawOn(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._own_frags()
        parts: list[Flowable] = super().split(availWidth, availHeight)
        return parts

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._wrapped_at:
            return self._wrapped_size
        # The form's own wording has the same lines and size at the same width every time.
        keep = (
            self._keep
            and self.bulletText is None
            and not getattr(self, "_splitpara", False)
            and availWidth >= _FUZZ
        )
        key = (self.text, id(self.style), availWidth)
        kept = _WRAPPED.get(key) if keep else None
        if kept is not None and kept[0] is self.style:
            _, self.width, self.height, self.blPara, self._wrapWidths = kept
            size = (self.width, self.height)
        else:
            size = super().wrap(availWidth, availHeight)
            if keep:
                if len(_WRAPPED) >= _PARSED_KEPT:
                    _WRAPPED.clear()
                _WRAPPED[key] = (self.style, self.width, self.height, self.blPara, self._wrapWidths)
        self._wrapped_at, self._wrapped_size = availWidth, size
        return size


class FormTable(Table):  # type: ignore[misc]  # reportlab is untyped
    """A reportlab Table that measures itself once per width.

    A table is measured by the frame and, when it sits in another table's cell, again by that
    table when it sizes its rows and when it draws them; each time reportlab measures every
    cell anew. The result depends on the width and, only for a table that does not fit, on
    the height offered, so a complete measurement is reused for the same width and any
    height it fits in.

    A table that holds only the form's wording and facts (:class:`Paragraph` with
    ``wording``, or such tables) is drawn once per place and style and replayed (replay.py).
    """

    _measured: tuple[float, float, float] | None = None
    #: The style commands applied, for the replay key.
    _style_key: tuple[Any, ...] = ()

    def setStyle(self, tblstyle: Any) -> None:
        # Applying a style walks every command over every cell it names; a form applies the
        # same style to a table of the same shape print after print, so the cells' resulting
        # styles are kept per shape and style and copied into the next such table.
        listed = tblstyle.getCommands() if hasattr(tblstyle, "getCommands") else tblstyle
        commands = tuple(tuple(command) for command in listed)
        key = (self._nrows, self._ncols, commands) if self._fresh_style(tblstyle) else None
        try:
            kept = _STYLED.get(key) if key is not None else None
        except TypeError:  # a command with a list in it
            key = kept = None
        if kept is not None:
            cells, backgrounds, lines = kept
            for row, kept_row in zip(self._cellStyles, cells, strict=True):
                for cell, attributes in zip(row, kept_row, strict=True):
                    cell.__dict__.update(attributes)
            self._bkgrndcmds.extend(backgrounds)
            self._linecmds.extend(lines)
        else:
            super().setStyle(tblstyle)
            if key is not None and self._only_cells_lines_backgrounds():
                if len(_STYLED) >= _PARSED_KEPT:
                    _STYLED.clear()
                _STYLED[key] = (
                    [
                        [{k: v for k, v in cell.__dict__.items() if k != "name"} for cell in row]
                        for row in self._cellStyles
                    ],
                    tuple(self._bkgrndcmds),
                    tuple(self._linecmds),
                )
        self._style_key = (*self._style_key, *commands)

    def _fresh_style(self, tblstyle: Any) -> bool:
        """No style applied yet, and one that sets nothing but commands."""
        return (
            not self._style_key
            and isinstance(tblstyle, TableStyle)
            and not tblstyle._opts
            and not hasattr(tblstyle, "spaceBefore")
            and not hasattr(tblstyle, "spaceAfter")
            and self._only_cells_lines_backgrounds()
            and not self._bkgrndcmds
            and not self._linecmds
        )

    def _only_cells_lines_backgrounds(self) -> bool:
        return not (
            self._spanCmds
            or self._nosplitCmds
            or self._srflcmds
            or self._sircmds
            or getattr(self, "_cornerRadii", None)
        )

    def replay_key(self) -> tuple[Any, ...] | None:
        """What this table's drawing depends on, when it holds only wording and facts."""
        if self._spanCmds or self._measured is None:
            return None
        cells: list[Any] = []
        for row in self._cellvalues:
            for cell in row:
                for item in cell if isinstance(cell, (list, tuple)) else (cell,):
                    if isinstance(item, Paragraph):
                        if not item._keep or item._wrapped_at is None or item.bulletText:
                            return None
                        cells.append((item.text, item.style, item._wrapped_at))
                    elif isinstance(item, FormTable):
                        nested = item.replay_key()
                        if nested is None:
                            return None
                        cells.append(nested)
                    else:
                        return None
        return (
            tuple(cells),
            self._style_key,
            tuple(self._colWidths),
            tuple(self._rowHeights),
            self._measured,
            self.hAlign,
            self.vAlign,
        )

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        key = self.replay_key()
        if key is None:
            super().drawOn(canvas, x, y, _sW)
            return
        key = ("table", key, x, y, _sW, replay.canvas_state(canvas))
        try:
            hash(key)
        except TypeError:  # a style command with a list in it
            super().drawOn(canvas, x, y, _sW)
            return
        replay.draw(key, None, canvas, lambda: super(FormTable, self).drawOn(canvas, x, y, _sW))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        measured = self._measured
        if measured is not None and measured[0] == availWidth and availHeight >= measured[2]:
            self.availWidth = availWidth
            return measured[1], measured[2]
        width, height = super().wrap(availWidth, availHeight)
        complete = self._hmax == len(self._cellvalues) and height <= availHeight
        self._measured = (availWidth, width, height) if complete else None
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._measured = None
        parts: list[Flowable] = super().split(availWidth, availHeight)
        return parts


def _char_widths(text: str, font_name: str, size: float) -> list[float] | None:
    """Each character's width as reportlab's stringWidth gives it for one character, for our
    fonts (None for another): the same product, in the same order, of the same table."""
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, Font):
        return None
    get = font.face.charWidths.get
    default = font.face.defaultWidth
    return [get(ord(char), default) * 0.001 * size for char in text]


#: Parsed wording: (text, id(style)) -> (style, cleaned text, style, fragments, bullet).
_PARSED: dict[tuple[str, int], tuple[Any, str, Any, list[Any], Any]] = {}
_PARSED_KEPT = 1024
#: A plain text's fragment, by style: id(style) -> (style, parsed style, fragment without text).
_PLAIN: dict[int, tuple[Any, Any, Any]] = {}
#: Their sizes: (text, id(style), width) -> (style, width, height, lines, line widths).
_WRAPPED: dict[tuple[str, int, float], tuple[Any, float, float, Any, Any]] = {}
#: Tables' cell styles after a style: (rows, columns, commands) -> (each cell's attributes,
#: background commands, line commands).
_STYLED: dict[tuple[int, int, tuple[Any, ...]], tuple[list[list[dict[str, Any]]], Any, Any]] = {}
#: Their lines: (text, id(style), widths) -> (style, lines).
_BROKEN: dict[tuple[str, int, tuple[float, ...]], tuple[Any, Any]] = {}

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
    (fonts.QUICK_FLATE): at the default level they were a twentieth of a slip's build time,
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
    :meth:`fonts.Font.seed`): a form's fixed wording, from :func:`drawn_characters`.
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
