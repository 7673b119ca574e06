"""What the forms print for a character their fonts do not have.

IPAex covers JIS X 0208 and much of JIS X 0213, but not every character people write their
names with: 𠮷 (つちよし), for one, is missing. Such a character must neither crash the form nor
print as an empty box, so :func:`printable` applies the degeneration that municipal systems use
for 外字 (as in IPA's MJ 縮退マップ): a known variant becomes its standard form (𠮷 → 吉),
anything else becomes 〓 (ゲタ記号, the conventional mark for "a character that cannot be
printed"). The desk can show staff beforehand what will change with :func:`substitutions`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .fonts import coverage, has_glyph

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
    if coverage().issuperset(map(ord, text)):
        return text  # the usual case: every character printable as written
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
