"""Japanese text normalisation: what counter staff type, and what we store."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from center_desk.domain.text import (
    is_katakana_reading,
    normalize_digits,
    normalize_furigana,
    normalize_text,
)

# Katakana ァ..ヶ and their hiragana ぁ..ゖ sit exactly 0x60 code points apart.
_KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30F7))
_KANA_SHIFT = 0x60


def _to_hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - _KANA_SHIFT) if c in _KATAKANA else c for c in katakana)


katakana_readings = st.text(alphabet=_KATAKANA + "ー", min_size=1).filter(
    lambda s: not s.startswith("ー")
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("小平　太郎", "小平 太郎"),  # full-width space
        ("  小平 \t\n 太郎  ", "小平 太郎"),  # runs of mixed whitespace, trimmed
        ("\u3000\u3000ABC合唱団\u3000", "ABC合唱団"),  # full-width letters
        ("ｺｰﾗｽ", "コーラス"),  # half-width katakana
        ("ｶﾞｯｺｳ", "ガッコウ"),  # half-width dakuten joins its letter
        ("１丁目２番", "1丁目2番"),
        ("", ""),
        ("\u3000", ""),
    ],
)
def test_normalize_text(typed: str, stored: str) -> None:
    assert normalize_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("こだいら たろう", "コダイラ タロウ"),
        ("コダイラ　タロウ", "コダイラ タロウ"),
        ("ｺﾀﾞｲﾗ ﾀﾛｳ", "コダイラ タロウ"),  # half-width katakana
        ("こーらすのかい", "コーラスノカイ"),  # ー kept
        ("コ-ラス", "コーラス"),  # hyphen typed for ー after a kana
        ("コ－ラス", "コーラス"),  # full-width hyphen-minus, likewise
        ("ゔぁいおりん", "ヴァイオリン"),
        ("ｽﾎﾟｰﾂ･ｸﾗﾌﾞ", "スポーツ・クラブ"),  # half-width middle dot
        ("  たろう  ", "タロウ"),
    ],
)
def test_normalize_furigana(typed: str, reading: str) -> None:
    assert normalize_furigana(typed) == reading
    assert is_katakana_reading(reading)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("コダイラ", True),
        ("コダイラ タロウ", True),
        ("スポーツ・クラブ", True),
        ("ヴァイオリン", True),
        ("こだいら", False),  # hiragana: normalise first
        ("小平", False),
        ("ABC", False),
        ("コダイラ1", False),
        ("コダイラ　タロウ", False),  # full-width space: normalise first
        ("", False),
        ("ー", False),  # no letter at all
        (" ・ ", False),
    ],
)
def test_is_katakana_reading(value: str, expected: bool) -> None:
    assert is_katakana_reading(value) is expected


@pytest.mark.parametrize(
    ("typed", "ascii_"),
    [
        ("０４２－３４１－１２１１", "042-341-1211"),
        ("０９０ー１２３４ー５６７８", "090-1234-5678"),  # ー between digits is a hyphen
        ("090ｰ1234ｰ5678", "090-1234-5678"),  # half-width ｰ too
        ("187‐0032", "187-0032"),  # U+2010 hyphen
        ("187−0032", "187-0032"),  # U+2212 minus sign
        ("187―0032", "187-0032"),  # U+2015 horizontal bar
        ("コーヒー１２３", "コーヒー123"),  # ー between kana stays
        ("１ーコース", "1ーコース"),  # ー after a digit but before kana stays
        ("小平", "小平"),
    ],
)
def test_normalize_digits(typed: str, ascii_: str) -> None:
    assert normalize_digits(typed) == ascii_


@given(st.text())
def test_normalize_text_is_idempotent(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.text())
def test_normalize_furigana_is_idempotent(s: str) -> None:
    once = normalize_furigana(s)
    assert normalize_furigana(once) == once


@given(st.text())
def test_normalize_digits_is_idempotent(s: str) -> None:
    once = normalize_digits(s)
    assert normalize_digits(once) == once


@given(katakana_readings)
def test_furigana_from_hiragana_equals_from_katakana(katakana: str) -> None:
    assert normalize_furigana(_to_hiragana(katakana)) == normalize_furigana(katakana)
    assert normalize_furigana(katakana) == katakana
    assert is_katakana_reading(katakana)


@given(st.text(alphabet="０１２３４５６７８９－ー", max_size=20))
def test_full_width_digits_and_hyphens_become_ascii(s: str) -> None:
    converted = normalize_digits(s)
    assert len(converted) == len(s)
    assert all(c.isascii() or c == "ー" for c in converted)
