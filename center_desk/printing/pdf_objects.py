"""PDF objects that cost less to write than reportlab's own, for printing the same forms all day
(issue 13).

:data:`QUICK_FLATE` compresses at zlib's fastest level, and once per process for the streams it
is told are fixed (:func:`keep_compressed`: the font programs of a form's own wording);
:class:`Formatted` is a value formatted once; :func:`make_template` and :class:`Templated` write
an object formatted once with holes (:data:`HOLE_1`, :data:`HOLE_2`) for the references that
differ from document to document.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject, PDFStreamFilterZCompress


class _QuickFlate(PDFStreamFilterZCompress):  # type: ignore[misc]  # reportlab is untyped
    """Flate at zlib's fastest level, for the embedded font subsets, their CMaps and the pages.

    They are most of a slip's bytes (about 150 kB before compression) and compressing them at
    zlib's default level was a fifth of its build time; level 1 takes half as long for files
    a few per cent larger, which neither CUPS nor the printers notice. Same filter, so any
    reader decodes it as before."""

    def encode(self, text: str | bytes) -> bytes:
        if isinstance(text, bytes) and text in _FIXED_STREAMS:
            # A subset of a form's fixed wording: the same bytes print after print.
            packed = _FIXED_STREAMS[text]
            if packed is None:
                packed = _FIXED_STREAMS[text] = zlib.compress(text, 1)
            return packed
        raw = text.encode("utf8") if isinstance(text, str) else text
        return zlib.compress(raw, 1)


QUICK_FLATE = _QuickFlate()

#: The embedded font programs of the fixed subsets (see :meth:`font_subsets.Font.seed`), each
#: with its compressed stream once made. Only the forms' own wording is kept: a subset with
#: a booking's names in it is made for its print and dropped with it.
_FIXED_STREAMS: dict[bytes, bytes | None] = {}


def keep_compressed(stream: bytes) -> None:
    """Have :data:`QUICK_FLATE` compress ``stream`` (a fixed subset's font program) once and
    hand out the same bytes each time it meets it again."""
    _FIXED_STREAMS[stream] = None


class Hole(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """Where a reference goes in a template (:func:`make_template`)."""

    def __init__(self, mark: bytes) -> None:
        self.mark = mark

    def format(self, document: Any) -> bytes:
        return self.mark


HOLE_1, HOLE_2 = Hole(b"\x00\x01"), Hole(b"\x00\x02")


def make_template(formatted: bytes) -> tuple[bytes | int, ...]:
    """A formatted object with holes: its bytes, and 0 and 1 where the holes' values go."""
    parts: list[bytes | int] = []
    for n, part in enumerate(re.split(b"\x00([\x01\x02])", formatted)):
        parts.append(part if n % 2 == 0 else part[0] - 1)
    return tuple(parts)


class Templated(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """A PDF object formatted once with holes for the references that differ per document."""

    __RefOnly__ = 1

    def __init__(self, template: tuple[bytes | int, ...], refs: tuple[Any, ...]) -> None:
        self._template = template
        self._refs = refs

    def format(self, document: Any) -> bytes:
        return b"".join(
            part if isinstance(part, bytes) else self._refs[part].format(document)
            for part in self._template
        )


class Formatted(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """A PDF value formatted once (it holds no references to other objects)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def format(self, document: Any) -> bytes:
        return self._data
