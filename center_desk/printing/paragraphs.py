"""Text on the forms: what people typed, and the booking's values, made into paragraphs.

Everything a user typed goes through :func:`para` (or :func:`fitted`), which escapes reportlab's
paragraph markup and replaces characters the font lacks (:func:`missing_glyphs.printable`), and
wraps between any two characters (``wordWrap="CJK"``, see :mod:`.styles`), so no name or address
is ever cut off: a long one wraps and the table row grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .flowables import Paragraph
from .missing_glyphs import printable

# reportlab collapses runs of whitespace, the ideographic space (U+3000) included, into one
# narrow space; Japanese layout uses 　 for visible gaps (代表者　小平 花子　様), so it becomes
# no-break spaces (about 0.3 em each in IPAex), which reportlab keeps.
_NBSP = "\u00a0"
_IDEOGRAPHIC_SPACE = "\u3000"


def keep_spaces(text: str) -> str:
    return text.replace(_IDEOGRAPHIC_SPACE, _NBSP * 3)


def esc(text: str) -> str:
    """User text made safe for a Paragraph: printable characters, markup escaped."""
    return keep_spaces(escape(printable(text))).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle, *, fact: bool = False) -> Paragraph:
    """A Paragraph of ``text`` as it was typed or stored (escaped, printable).

    ``fact``: ``text`` is one of the booking's facts that recur from print to print and say
    nothing about a person (a date, a fee, a room, a head count), so it may be kept parsed,
    broken and drawn like the form's own wording; never a name, an address, an identifier or
    anything people typed."""
    return Paragraph(esc(text), style, wording=fact)


def markup(template: str, style: ParagraphStyle, *, fact: bool = False, **values: str) -> Paragraph:
    """A Paragraph from our own markup ``template`` with user text filled in escaped
    (``fact``: the values are facts, as for :func:`para`)."""
    filled = keep_spaces(template).format(**{k: esc(v) for k, v in values.items()})
    return Paragraph(filled, style, wording=fact or not values)


def fitted(text: str, style: ParagraphStyle, width: float, *, min_size: float = 8.0) -> Paragraph:
    """One line at ``style``'s size if it fits ``width``; else shrunk (down to ``min_size``) to
    fit; if even that is too wide, wrapped at ``min_size``. Never cut off."""
    shown = keep_spaces(printable(text))
    size = style.fontSize
    natural = stringWidth(shown, style.fontName, size)
    if natural > width:
        size = max(min_size, size * width / natural)
    if size == style.fontSize:
        return para(text, style)
    smaller = ParagraphStyle(
        f"{style.name}-{size:.1f}",
        parent=style,
        fontSize=size,
        leading=size * style.leading / style.fontSize,
    )
    return para(text, smaller)


def hm(moment: time) -> str:
    """9:00, 13:30: how the slots are written on the centres' notices."""
    return f"{moment.hour}:{moment.minute:02d}"


def yen(amount: int) -> str:
    return f"{amount:,}円"


def numbered(items: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    """1.　…, 2.　… as the forms number conditions and steps."""
    # The items are the forms' own wording (conditions, cautions, steps), so kept parsed.
    numbered_item = keep_spaces("{n}.　{text}")
    return [
        Paragraph(numbered_item.format(n=i, text=esc(item)), style)
        for i, item in enumerate(items, 1)
    ]
