"""Warming the form builders up before the first print at the counter (issue 13).

Parsing the two fonts (about 5 MB each) is most of it, but not all: reportlab also builds
caches on a document's first use of a font (glyph tables for subsetting, metrics), and the slips
keep their fixed wording parsed, broken into lines and embedded as font subsets once per process
(flowables.Paragraph, font_subsets.Font.seed). Throwaway slips of both kinds, built from the
sample data and discarded, leave every later print costing what the second one would."""

from __future__ import annotations

import threading

from . import fonts


def prepare() -> None:
    fonts.prepare()
    from .booking_slips import booking_slips_pdf
    from .render_samples import sample_paying_slip, sample_slip

    # Both kinds: a group that pays gets the receipt line and the fee rows an exempt one does
    # not, and each kind's first build runs code (and fills caches) the other never touches.
    booking_slips_pdf(sample_slip())
    booking_slips_pdf(sample_paying_slip())


def warm_up() -> threading.Thread:
    """:func:`prepare` on a background thread."""
    thread = threading.Thread(target=prepare, name="print-warm-up", daemon=True)
    thread.start()
    return thread
