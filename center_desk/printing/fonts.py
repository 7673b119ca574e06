"""The forms' Japanese fonts: registration with reportlab, and what to print for a character
the font does not have.

The bundled IPAex fonts (TrueType outlines, IPA Font License) are embedded in every form as
subsets, so a form prints the same on any printer. IPAex covers JIS X 0208 and much of
JIS X 0213, but not every character people write their names with: 𠮷 (つちよし), for one, is
missing. Such a character must neither crash the form nor print as an empty box, so
:func:`printable` applies the degeneration that municipal systems use for 外字 (as in IPA's MJ
縮退マップ): a known variant becomes its standard form (𠮷 → 吉), anything else becomes 〓
(ゲタ記号, the conventional mark for "a character that cannot be printed"). The desk can show
staff beforehand what will change with :func:`substitutions`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..resources import resource_path

#: reportlab names of the registered fonts.
GOTHIC = "IPAexGothic"  # ゴシック: titles, labels, numbers staff read at a glance
MINCHO = "IPAexMincho"  # 明朝: the body of an official document

_FONT_FILES = {GOTHIC: "ipaexg.ttf", MINCHO: "ipaexm.ttf"}

#: Printed for a character the font lacks and no standard form is known.
GETA = "〓"

# Variant → standard form, for characters seen in names and addresses. Applied only when the font
# lacks the variant: IPAex has 髙, 﨑, 德 and most others, and those print as written.
_DEGENERATION = {
    "\U00020bb7": "吉",  # 𠮷 つちよし
    "\u9ad9": "高",  # 髙 はしごだか
    "\ufa11": "崎",  # 﨑 たつさき
    "\u5fb7": "徳",  # 德
    "\u6801": "柳",  # 栁
    "\u6ff5": "濱",  # 濵
    "\U0002363a": "橋",  # 𣘺
    "\U0002123d": "土",  # 𡈽 (土に点)
}

# Variation selectors (IVS, SVS) choose a glyph variant that reportlab cannot select: the base
# character is printed without them. Format and bidi controls and other invisible characters
# carry nothing on paper.
_INVISIBLE = re.compile(
    "[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)


class _CmapFixedTTFont(TTFont):  # type: ignore[misc]  # reportlab is untyped
    """A TTFont whose ToUnicode CMaps are correct for characters beyond U+FFFF.

    reportlab (checked with 4.x and 5.x) writes such a character as five hex digits
    (``<01> <2123D>``) where the CMap format wants its UTF-16 surrogate pair
    (``<01> <D844DE3D>``); PDF readers then drop it from the text layer, so search, copy and our
    own text tests lose names such as 𡈽田. The glyph itself prints correctly either way.
    """

    _WIDE_CODE = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")

    @staticmethod
    def _utf16(match: re.Match[str]) -> str:
        code = int(match.group(2), 16) - 0x10000
        high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
        return f"<{match.group(1)}> <{high:04X}{low:04X}>"

    def addObjects(self, doc: Any) -> None:
        super().addObjects(doc)
        for key, obj in doc.idToObject.items():
            if isinstance(key, str) and key.startswith("toUnicodeCMap:"):
                content = getattr(obj, "content", None)
                if isinstance(content, str):
                    obj.content = self._WIDE_CODE.sub(self._utf16, content)


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
            pdfmetrics.registerFont(_CmapFixedTTFont(name, str(path)))
        _registered = True


def prepare() -> None:
    """Parse the fonts (about 5 MB each) and their coverage now, so that the first slip at the
    counter costs what every later one does. A print meanwhile waits for it."""
    register_fonts()
    _coverage()


@cache
def _coverage() -> frozenset[int]:
    """Code points that both fonts can draw (the forms mix them freely)."""
    register_fonts()
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in _FONT_FILES]
    common = set(maps[0]).intersection(*maps[1:])
    return frozenset(code for code in common if maps[0][code] != 0)


def has_glyph(char: str) -> bool:
    """Whether the forms' fonts can draw ``char`` (one code point)."""
    return ord(char) in _coverage()


@dataclass(frozen=True)
class Substitution:
    """One character the forms cannot print as written, and what they print instead."""

    original: str
    printed: str


def _replace(char: str) -> str:
    if has_glyph(char) or char in "\n\t ":
        return char
    standard = _DEGENERATION.get(char)
    if standard is not None and all(has_glyph(c) for c in standard):
        return standard
    # A compatibility ideograph or a presentation form may have a canonical twin the font has.
    nfkc = unicodedata.normalize("NFKC", char)
    if nfkc != char and nfkc and all(has_glyph(c) for c in nfkc):
        return nfkc
    return GETA


def printable(text: str) -> str:
    """``text`` as the forms print it: invisible controls removed, each character the font lacks
    replaced by its standard form or by 〓. Never raises."""
    text = _INVISIBLE.sub("", text)
    return "".join(_replace(char) for char in text)


def substitutions(text: str) -> list[Substitution]:
    """The characters of ``text`` that will not print as written (for a warning before printing).

    Invisible controls are not listed: they print as nothing either way.
    """
    found: dict[str, Substitution] = {}
    for char in _INVISIBLE.sub("", text):
        printed = _replace(char)
        if printed != char and char not in found:
            found[char] = Substitution(char, printed)
    return list(found.values())
