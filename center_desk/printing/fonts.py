"""The forms' Japanese fonts: which they are, their registration with reportlab, and the
characters they can draw.

The bundled IPAex fonts (TrueType outlines, IPA Font License) are embedded in every form as
subsets (:mod:`.font_subsets`), so a form prints the same on any printer. What to print for a
character they lack is :mod:`.missing_glyphs`.
"""

from __future__ import annotations

import threading
from functools import cache

from reportlab.pdfbase import pdfmetrics

from ..resources import resource_path
from .font_subsets import Font

#: reportlab names of the registered fonts.
GOTHIC = "IPAexGothic"  # ゴシック: titles, labels, numbers staff read at a glance
MINCHO = "IPAexMincho"  # 明朝: the body of an official document

_FONT_FILES = {GOTHIC: "ipaexg.ttf", MINCHO: "ipaexm.ttf"}

_REGISTERING = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the bundled fonts with reportlab (once per process: parsing takes a while).

    Safe to call from several threads: a print that arrives while :func:`warm_up` is still
    parsing waits for it rather than parsing the fonts a second time."""
    global _registered
    if _registered:
        return
    with _REGISTERING:
        if _registered:
            return
        for name, filename in _FONT_FILES.items():
            path = resource_path("fonts", filename)
            pdfmetrics.registerFont(Font(name, str(path)))
        _registered = True


def font_for(name: str) -> Font:
    """One of our registered fonts (:data:`GOTHIC`, :data:`MINCHO`)."""
    register_fonts()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, Font):
        raise KeyError(f"{name} is not one of the forms' fonts")
    return font


def prepare() -> None:
    """Parse the fonts (about 5 MB each) and their coverage now, so that the first slip at the
    counter costs what every later one does. A print meanwhile waits for it."""
    register_fonts()
    coverage()


@cache
def coverage() -> frozenset[int]:
    """Code points that both fonts can draw (the forms mix them freely)."""
    register_fonts()
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in _FONT_FILES]
    common = set(maps[0]).intersection(*maps[1:])
    return frozenset(code for code in common if maps[0][code] != 0)


def has_glyph(char: str) -> bool:
    """Whether the forms' fonts can draw ``char`` (one code point)."""
    return ord(char) in coverage()
