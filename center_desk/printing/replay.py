"""The forms' fixed wording drawn once per process per place on the page, then replayed (issue 13).

A label, a title or a condition is drawn with the same PDF operators wherever the same text in
the same style lands at the same spot of its frame or cell: drawing it again through reportlab's
paragraph and table machinery was a third of a slip's build time. :func:`draw` keeps the
operators a fixed flowable appended to the page the first time, with what they depend on in the
document, and appends them again later instead of drawing.

What the operators depend on, and how a replay checks it:

* the characters' codes in the font subsets (reportlab numbers a font's characters per
  document, in the order they are first drawn): the slips seed their fixed wording first into
  every document (font_subsets.Font.seed), so the codes are the same, and a replay checks each one;
* the names of the font subsets in the page resources (``/F1+0``), given per document in the
  order fonts are first used: a replay asks for the same subsets and checks it gets the same
  names;
* the canvas state at the start (font, colours, line style), which is part of the key;
* the PDF version the drawing needs (colours with alpha make it 1.4), which a replay raises the
  document to as the drawing did.

Anything else that would make a drawing depend on its document (a new transparency state, a
character not seeded) makes it not kept. Only the forms' own wording and the booking's facts that
name no one (dates, fees, rooms: paragraphs.para's ``fact``) are kept: callers never pass a flowable
with a name, an address or anything people typed in it (flowables.Paragraph's ``wording``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import PDF_VERSION_DEFAULT

from .font_subsets import RECORDERS, Font


@dataclass
class Recorder:
    """What one drawing used of its document's fonts (filled in by font_subsets.Font)."""

    #: (font, subset) -> the subset's name in the page resources, in order of first use.
    names: dict[tuple[Font, int], str] = field(default_factory=dict)
    #: font -> (character, code) pairs drawn.
    chars: dict[Font, set[tuple[int, int]]] = field(default_factory=dict)

    def absorb(self, drawn: _Drawn) -> None:
        for font, subset, name in drawn.names:
            self.names.setdefault((font, subset), name)
        for font, pairs in drawn.chars:
            self.chars.setdefault(font, set()).update(pairs)


@dataclass(frozen=True, slots=True)
class _Drawn:
    code: tuple[str, ...]
    names: tuple[tuple[Font, int, str], ...]
    chars: tuple[tuple[Font, frozenset[tuple[int, int]]], ...]
    version: tuple[int, int]


#: key -> (anchor, drawing). The anchor (a style, say) is checked by identity, as the key holds
#: only its id.
_DRAWN: dict[Hashable, tuple[object, _Drawn]] = {}
_KEPT = 2048


def canvas_state(canvas: Any) -> tuple[Any, ...]:
    """What of a canvas's state a drawing may depend on."""
    return (
        canvas._fontname,
        canvas._fontsize,
        canvas._leading,
        canvas._fillColorObj,
        canvas._strokeColorObj,
        canvas._lineWidth,
        canvas._lineCap,
        canvas._lineJoin,
        repr(canvas._lineDash),
        canvas._charSpace,
        canvas._wordSpace,
        canvas._horizScale,
        canvas._textRenderMode,
        canvas._rise,
        canvas._fillMode,
    )


def draw(key: Hashable, anchor: object, canvas: Any, draw_now: Callable[[], object]) -> None:
    """Append what ``draw_now`` draws on ``canvas``: kept operators when they apply to this
    document, else by drawing (and kept for next time). ``key`` must say all the drawing depends
    on besides the document (text, style, size, position, :func:`canvas_state`)."""
    doc = canvas._doc
    kept = _DRAWN.get(key)
    if kept is not None and kept[0] is anchor and _replay(kept[1], canvas, doc):
        return
    recorders: list[Recorder] | None = getattr(doc, RECORDERS, None)
    if recorders is None:
        recorders = []
        setattr(doc, RECORDERS, recorders)
    recorder = Recorder()
    recorders.append(recorder)
    start = len(canvas._code)
    transparency = len(canvas._extgstate._c)
    version = doc._pdfVersion
    doc._pdfVersion = PDF_VERSION_DEFAULT
    try:
        draw_now()
    finally:
        recorders.pop()
        needed = doc._pdfVersion
        doc._pdfVersion = max(version, needed)
    for outer in recorders:
        outer.names.update((k, v) for k, v in recorder.names.items() if k not in outer.names)
        for font, pairs in recorder.chars.items():
            outer.chars.setdefault(font, set()).update(pairs)
    if len(canvas._extgstate._c) != transparency:
        return  # a new transparency state belongs to this page's resources
    if len(_DRAWN) >= _KEPT:
        _DRAWN.clear()
    _DRAWN[key] = (
        anchor,
        _Drawn(
            code=tuple(canvas._code[start:]),
            names=tuple((font, subset, name) for (font, subset), name in recorder.names.items()),
            chars=tuple((font, frozenset(pairs)) for font, pairs in recorder.chars.items()),
            version=needed,
        ),
    )


def _replay(drawn: _Drawn, canvas: Any, doc: Any) -> bool:
    for font, pairs in drawn.chars:
        state = font.state.get(doc)
        if state is None or not pairs <= state.assignments.items():
            return False
    for font, subset, name in drawn.names:
        try:
            if font.getSubsetInternalName(subset, doc) != name:
                return False
        except IndexError:
            return False
    canvas._code.extend(drawn.code)
    doc._pdfVersion = max(doc._pdfVersion, drawn.version)
    for recorder in getattr(doc, RECORDERS, ()):
        recorder.absorb(drawn)
    return True
