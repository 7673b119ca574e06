"""The forms' two reportlab flowables, tuned for printing the same forms all day (issue 13).

:class:`Paragraph` keeps the parse and the line breaks of a form's own wording per process (never
of what people typed), and :class:`FormTable` measures once per width and keeps its cell styles
per shape; the module's dicts are those per-process stores, bounded, shared with the warm-up
thread. Everything else a form needs is in :mod:`.layout`, :mod:`.tables`, :mod:`.paragraphs`
and :mod:`.styles`.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import dumbSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    Flowable,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.rl_config import _FUZZ

from . import replay
from .font_subsets import Font


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
