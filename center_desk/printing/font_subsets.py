"""The forms' font class: how a bundled TrueType font is embedded in a form, as subsets.

reportlab numbers a font's characters in the order a document first draws them, 256 to a
subset, and embeds each subset as a font of its own. :class:`Font` is reportlab's TTFont with
three changes: its ToUnicode CMaps are correct beyond U+FFFF; its subsets are cut without
copying the glyph table; and a form's fixed wording, seeded first (:meth:`Font.seed`), lands in
the same subsets in every document, so those are cut, formatted and compressed once per process
(issue 13). It also notes what each document draws, for the slips' seeds (:func:`record_drawn`)
and for replaying fixed drawings (:data:`RECORDERS`, replay.py).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFTrueTypeFont,
)
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)

from .pdf_objects import (
    HOLE_1,
    HOLE_2,
    QUICK_FLATE,
    Formatted,
    Templated,
    keep_compressed,
    make_template,
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
            keep_compressed(found)
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
        #: Their font dictionaries, and every subset's descriptor, as templates (make_template).
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
        :data:`.pdf_objects.QUICK_FLATE`); only the subset with the names, addresses and
        numbers of one booking is made for each print.

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
                font.ToUnicode, font.FontDescriptor = HOLE_1, HOLE_2
                template = self._fixed_fonts[fixed_key] = make_template(font.format(doc))
            if template is None:
                font.ToUnicode, font.FontDescriptor = cmap_ref, descriptor_ref
                doc.Reference(font, internal_name)
                fonts[internal_name] = font
            else:
                # A fixed subset's font dictionary: the same but for two object numbers.
                filled = Templated(template, (cmap_ref, descriptor_ref))
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
                    "FontFile2": HOLE_1,
                    "MissingWidth": face.defaultWidth,
                }
            )
            template = self._descriptors[n] = make_template(described.format(doc))
        return doc.Reference(Templated(template, (font_file_ref,)), "fontDescriptor:" + base_name)

    def _subset_parts(
        self, n: int, subset: list[int], base_name: str, doc: Any
    ) -> tuple[Any, PDFStream]:
        """Subset ``n``'s widths array and its ToUnicode CMap stream, for ``doc``."""
        chars = tuple(subset)
        fixed = chars in self._fixed
        key = (n, chars)
        kept = self._fixed_parts.get(key) if fixed else None
        if kept is None:
            widths = Formatted(PDFArray(list(map(self.face.getCharWidth, subset))).format(doc))
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


#: The forms' font class, for type annotations elsewhere.
Font = _CmapFixedTTFont
