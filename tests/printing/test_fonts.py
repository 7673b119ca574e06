"""What the forms print for characters their font has, lacks, or cannot place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from center_desk.printing.fonts import has_glyph
from center_desk.printing.missing_glyphs import GETA, Substitution, printable, substitutions


def test_what_the_font_has_prints_as_written() -> None:
    for text in ["髙橋", "﨑", "齋藤", "渡邊", "１２３", "①", "㈱", "〜", "𡈽", "𣘺"]:
        assert all(has_glyph(c) for c in text), text
        assert printable(text) == text
        assert substitutions(text) == []


def test_a_missing_variant_prints_as_its_standard_form() -> None:
    # 𠮷 (U+20BB7) is not in IPAex: the forms print 吉, and the desk can warn beforehand.
    assert not has_glyph("𠮷")
    assert printable("𠮷田 花子") == "吉田 花子"
    assert substitutions("𠮷田 𠮷子") == [Substitution("𠮷", "吉")]


def test_anything_else_missing_prints_as_geta() -> None:
    # An emoji and a private-use character: nothing standard to fall back to.
    for char in ["\U0001f600", "\ue000"]:
        assert not has_glyph(char)
        assert printable(f"小平{char}") == f"小平{GETA}"


def test_variation_selectors_and_invisible_controls_are_dropped() -> None:
    # 葛 with an IVS selector (葛󠄀): reportlab cannot choose the variant, so the base prints.
    assert printable("葛\U000e0100飾") == "葛飾"
    assert printable("小平\u200b市\ufeff") == "小平市"
    assert substitutions("葛\U000e0100") == []


@given(st.text())
def test_printable_never_raises_and_only_leaves_printable_text(text: str) -> None:
    shown = printable(text)
    assert all(has_glyph(c) or c in "\n\t " for c in shown)
