"""The forms' A4 page, and the assembly of one or more forms into one PDF.

Each form is a :class:`FormPart`: its flowables (built with :mod:`.paragraphs` and
:mod:`.tables` in the look of :mod:`.styles`) and its page decoration (footer, page numbers, the
再発行 mark). :func:`build_pdf` lays the parts out one after another, each from a new page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

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

STAMP_RED = colors.Color(0.75, 0.05, 0.05)

MUNICIPALITY = "小平市"


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
