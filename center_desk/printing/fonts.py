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
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFStream,
    PDFStreamFilterZCompress,
    PDFTrueTypeFont,
)
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)

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


class _InPlace:
    """A font table read where it lies in the font file, slice by slice.

    reportlab's subsetter asks for the whole ``glyf`` table (5.6 MB in IPAex Gothic, 7.3 MB in
    Mincho) for every subset it embeds, three or four times per pair of slips, and copies it
    each time only to cut a few hundred glyphs out of it: a sixth of a slip's build time
    (issue 13). It only ever slices the table, so handing it this view instead, whose slices
    are the same bytes, copies just the glyphs it takes.
    """

    __slots__ = ("_view",)

    def __init__(self, view: memoryview) -> None:
        self._view = view

    def __getitem__(self, part: slice) -> bytes:
        return bytes(self._view[part])

    def __len__(self) -> int:
        return len(self._view)


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

#: The embedded font programs of the fixed subsets (see :meth:`_CmapFixedTTFont.seed`), each
#: with its compressed stream once made. Only the forms' own wording is kept: a subset with
#: a booking's names in it is made for its print and dropped with it.
_FIXED_STREAMS: dict[bytes, bytes | None] = {}

#: A bound on the fixed subsets kept per font (a few per kind of form; seeds are constants).
_MAX_FIXED = 32

#: Attribute of a reportlab PDFDocument holding {font name: characters drawn} once it is saved
#: (set by :func:`record_drawn`).
_RECORD = "_center_desk_drawn"

#: Attribute of a reportlab PDFDocument holding the drawings being recorded for replay
#: (replay.Recorder, innermost last): each notes the characters and subsets our fonts give it.
RECORDERS = "_center_desk_recorders"


def record_drawn(doc: Any) -> dict[str, str]:
    """Have ``doc`` (a reportlab PDFDocument) note, for each of our fonts, the characters it
    drew, in order; the dict is filled when the document is saved."""
    record: dict[str, str] = {}
    setattr(doc, _RECORD, record)
    return record


def _fixed_subsets(make: Any, fixed: dict[tuple[int, ...], bytes | None]) -> Any:
    """reportlab's subset maker, keeping what it makes of the subsets in ``fixed`` (a subset is
    a pure function of the font and the characters in it)."""

    def make_subset(subset: list[int]) -> bytes:
        key = tuple(subset)
        if key not in fixed:
            made: bytes = make(subset)
            return made
        found = fixed[key]
        if found is None:
            found = fixed[key] = make(subset)
            _FIXED_STREAMS[found] = None
        return found

    return make_subset


@dataclass(frozen=True)
class _Seeded:
    """A font's numbering in a document before and after seeding it with a text."""

    start: int
    start_assignments: dict[int, int]
    start_subsets: list[list[int]]
    assignments: dict[int, int]
    subsets: list[list[int]]
    next_code: int


# Tables the subsetter copies whole into every subset: small, read once per process.
_COPIED_TABLES = frozenset({"name", "OS/2", "cvt ", "fpgm", "prep", "post", "hhea", "maxp", "head"})


class _CmapFixedTTFont(TTFont):  # type: ignore[misc]  # reportlab is untyped
    """A TTFont whose ToUnicode CMaps are correct for characters beyond U+FFFF, and whose
    subsets are cut from the parsed font without copying its glyph table (:class:`_InPlace`).

    reportlab (checked with 4.x and 5.x) writes such a character as five hex digits
    (``<01> <2123D>``) where the CMap format wants its UTF-16 surrogate pair
    (``<01> <D844DE3D>``); PDF readers then drop it from the text layer, so search, copy and our
    own text tests lose names such as 𡈽田. The glyph itself prints correctly either way.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        face = self.face
        data = memoryview(face._ttf_data)
        read = face.get_table
        tables: dict[str, bytes] = {}

        def get_table(tag: str) -> Any:
            if tag == "glyf":
                start, length = face.get_table_pos(tag)
                return _InPlace(data[start : start + length])
            if tag not in _COPIED_TABLES:
                return read(tag)
            table = tables.get(tag)
            if table is None:
                table = tables[tag] = read(tag)
            return table

        face.get_table = get_table
        #: The subsets seeded with a form's fixed wording, and their font programs once made.
        self._fixed: dict[tuple[int, ...], bytes | None] = {}
        #: The numbering each seed text gives a new document.
        self._seeded: dict[str, _Seeded] = {}
        #: Their widths arrays and CMaps, by subset number and characters.
        self._fixed_parts: dict[tuple[int, tuple[int, ...]], tuple[Any, str, bytes | None]] = {}
        #: Their font dictionaries, and every subset's descriptor, as templates (_template).
        self._fixed_fonts: dict[tuple[int, tuple[int, ...], str], tuple[bytes | int, ...]] = {}
        self._descriptors: dict[int, tuple[bytes | int, ...]] = {}
        face.makeSubset = _fixed_subsets(face.makeSubset, self._fixed)

    def seed(self, doc: Any, text: str) -> None:
        """Give the characters of ``text`` the first codes of this font in ``doc``, in order,
        and start the document's own characters on a subset of their own.

        reportlab numbers a font's characters in the order a document first draws them, 256
        to a subset, and embeds each subset as a font of its own. A form's fixed wording
        (labels, titles, conditions) seeded first lands in the same subsets in every
        document, so those are cut and compressed once per process (:func:`_fixed_subsets`,
        :class:`_QuickFlate`); only the subset with the names, addresses and numbers of one
        booking is made for each print.

        Numbering the same text from the same start gives the same numbers: the result is
        kept and copied into later documents instead of numbering them again."""
        state = self._assignState(doc)
        kept = self._seeded.get(text)
        if (
            kept is not None
            and state.nextCode == kept.start
            and state.assignments == kept.start_assignments
            and state.subsets == kept.start_subsets
        ):
            state.assignments = dict(kept.assignments)
            state.subsets = [list(subset) for subset in kept.subsets]
            state.nextCode = kept.next_code
        else:
            start = (state.nextCode, dict(state.assignments), [list(s) for s in state.subsets])
            self.splitString(text, doc)
            if state.nextCode & 0xFF:
                state.nextCode = (state.nextCode | 0xFF) + 1
            if len(self._seeded) < _MAX_FIXED:
                self._seeded[text] = _Seeded(
                    *start,
                    assignments=dict(state.assignments),
                    subsets=[list(subset) for subset in state.subsets],
                    next_code=state.nextCode,
                )
        if len(self._fixed) < _MAX_FIXED:
            for subset in state.subsets:
                self._fixed.setdefault(tuple(subset), None)

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> Any:
        chunks = super().splitString(text, doc, encoding)
        recorders = getattr(doc, RECORDERS, None)
        if recorders:
            assignments = self.state[doc].assignments
            # reportlab draws a no-break space as the space.
            codes = {32 if c == 0xA0 else c for c in map(ord, text)}
            pairs = {(c, assignments[c]) for c in codes if c in assignments}
            for recorder in recorders:
                recorder.chars.setdefault(self, set()).update(pairs)
        return chunks

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        name: str = super().getSubsetInternalName(subset, doc)
        for recorder in getattr(doc, RECORDERS, ()):
            recorder.names.setdefault((self, subset), name)
        return name

    def drawn(self, doc: Any) -> str:
        """The characters ``doc`` has drawn in this font so far, in the order of their codes
        (what :meth:`seed` takes)."""
        state = self.state.get(doc)
        if state is None:
            return ""
        return "".join(chr(code) for code in state.assignments if code)

    _WIDE_CODE = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")

    @staticmethod
    def _utf16(match: re.Match[str]) -> str:
        code = int(match.group(2), 16) - 0x10000
        high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
        return f"<{match.group(1)}> <{high:04X}{low:04X}>"

    def addObjects(self, doc: Any) -> None:
        # reportlab's TTFont.addObjects, with two changes: the CMaps' wide codes written as
        # UTF-16 (see the class), and the fixed subsets' widths and CMaps, the same bytes in
        # every slip, formatted and compressed once per process (:meth:`_subset_parts`):
        # building and formatting them was a fifth of writing a slip's PDF (issue 13).
        record = getattr(doc, _RECORD, None)
        if record is not None:
            record[self.fontName] = self.drawn(doc)
        state = self._assignState(doc)
        state.frozen = 1
        fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_name = (
                b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            ).decode("pdfdoc")
            widths, cmap = self._subset_parts(n, subset, base_name, doc)
            cmap_ref = doc.Reference(cmap, "toUnicodeCMap:" + base_name)
            descriptor_ref = self._descriptor(doc, n, base_name, subset)
            fixed_key = (n, tuple(subset), internal_name)
            template = self._fixed_fonts.get(fixed_key) if fixed_key[1] in self._fixed else None
            font = PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name = internal_name
            font.BaseFont = base_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = widths
            if template is None and fixed_key[1] in self._fixed:
                font.ToUnicode, font.FontDescriptor = _HOLE_1, _HOLE_2
                template = self._fixed_fonts[fixed_key] = _template(font.format(doc))
            if template is None:
                font.ToUnicode, font.FontDescriptor = cmap_ref, descriptor_ref
                doc.Reference(font, internal_name)
                fonts[internal_name] = font
            else:
                # A fixed subset's font dictionary: the same but for two object numbers.
                filled = _Templated(template, (cmap_ref, descriptor_ref))
                doc.Reference(filled, internal_name)
                fonts[internal_name] = filled
        del self.state[doc]

    def _descriptor(self, doc: Any, n: int, base_name: str, subset: list[int]) -> Any:
        """reportlab's face.addSubsetObjects: subset ``n``'s font program and its descriptor,
        which is the same for every subset ``n`` but for the program's object number."""
        face = self.face
        font_file = PDFStream()
        font_file.content = face.makeSubset(subset)
        font_file.dictionary["Length1"] = len(font_file.content)
        if doc.compression:
            font_file.filters = [QUICK_FLATE]
        font_file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({base_name})")
        template = self._descriptors.get(n)
        if template is None:
            flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
            described = PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": flags,
                    "FontBBox": PDFArray(face.bbox),
                    "FontName": PDFName(base_name),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": _HOLE_1,
                    "MissingWidth": face.defaultWidth,
                }
            )
            template = self._descriptors[n] = _template(described.format(doc))
        return doc.Reference(_Templated(template, (font_file_ref,)), "fontDescriptor:" + base_name)

    def _subset_parts(
        self, n: int, subset: list[int], base_name: str, doc: Any
    ) -> tuple[Any, PDFStream]:
        """Subset ``n``'s widths array and its ToUnicode CMap stream, for ``doc``."""
        chars = tuple(subset)
        fixed = chars in self._fixed
        key = (n, chars)
        kept = self._fixed_parts.get(key) if fixed else None
        if kept is None:
            widths = _Formatted(PDFArray(list(map(self.face.getCharWidth, subset))).format(doc))
            cmap = self._WIDE_CODE.sub(self._utf16, makeToUnicodeCMap(base_name, subset))
            packed = zlib.compress(cmap.encode("utf8"), 1) if doc.compression else None
            kept = (widths, cmap, packed)
            if fixed:
                # Only the forms' own wording: a subset with a booking's names is not kept.
                self._fixed_parts[key] = kept
        widths, cmap, packed = kept
        stream = PDFStream()
        if packed is None:
            stream.content = cmap
        else:
            stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
            stream.content = packed
        return widths, stream


class _Hole(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """Where a reference goes in a template (:func:`_template`)."""

    def __init__(self, mark: bytes) -> None:
        self.mark = mark

    def format(self, document: Any) -> bytes:
        return self.mark


_HOLE_1, _HOLE_2 = _Hole(b"\x00\x01"), _Hole(b"\x00\x02")


def _template(formatted: bytes) -> tuple[bytes | int, ...]:
    """A formatted object with holes: its bytes, and 0 and 1 where the holes' values go."""
    parts: list[bytes | int] = []
    for n, part in enumerate(re.split(b"\x00([\x01\x02])", formatted)):
        parts.append(part if n % 2 == 0 else part[0] - 1)
    return tuple(parts)


class _Templated(PDFObject):  # type: ignore[misc]  # reportlab is untyped
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


class _Formatted(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """A PDF value formatted once (it holds no references to other objects)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def format(self, document: Any) -> bytes:
        return self._data


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


def font_for(name: str) -> Font:
    """One of our registered fonts (:data:`GOTHIC`, :data:`MINCHO`)."""
    register_fonts()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, _CmapFixedTTFont):
        raise KeyError(f"{name} is not one of the forms' fonts")
    return font


#: The forms' font class, for type annotations elsewhere.
Font = _CmapFixedTTFont


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
    if _coverage().issuperset(map(ord, text)):
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
