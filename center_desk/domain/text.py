"""Normalisation of Japanese text typed at the counter.

Counter staff copy paper forms (利用者登録届出書) into the desk with whatever input mode the IME
happens to be in: full-width digits, half-width katakana (ｶﾀｶﾅ), full-width spaces, hiragana
where katakana was asked for. Everything stored goes through these functions first, so the same
name typed twice compares equal and searches find it.

Pure Python (no Qt, no I/O): the backend applies the same normalisation to what citizens type
online.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

__all__ = [
    "is_katakana_reading",
    "normalize_digits",
    "normalize_furigana",
    "normalize_text",
]

# After NFKC, U+3000 (full-width space) is already U+0020, but tabs, newlines and the other
# Unicode spaces are not: ``\s`` in a str pattern matches all of them.
_WHITESPACE_RUN = re.compile(r"\s+")

# Dash-like characters an IME produces for "-" in phone numbers and postal codes: the
# full-width hyphen-minus, the Unicode hyphens and dashes, the minus sign and the small
# hyphen-minus.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_DASH_TO_ASCII = str.maketrans(dict.fromkeys(_DASHES, "-"))
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# The katakana long vowel mark looks like a dash and Japanese IMEs emit it for "-" while in
# kana mode, so "０９０ー１２３４" is common; only between digits is it surely a hyphen.
_DIGIT = r"[0-9０-９]"
_LONG_VOWEL_BETWEEN_DIGITS = re.compile(rf"(?<={_DIGIT})[ーｰ](?={_DIGIT})")

# In furigana the reverse mistake happens: a hyphen typed for the long vowel mark
# (コ-ヒ-). After a katakana it can only mean ー.
_DASH_AFTER_KATAKANA = re.compile(r"(?<=[\u30a1-\u30fa\u30fc\u31f0-\u31ff])[-\u2010-\u2015\u2212]+")

# Katakana letters (ァ..ヺ), the long vowel mark ー, the iteration marks ヽヾ, the small
# katakana extensions (ㇰ..ㇿ) and the middle dot ・ that separates words in a reading.
_KATAKANA_LETTER = "\u30a1-\u30fa\u30fd\u30fe\u31f0-\u31ff"
_KATAKANA_READING = re.compile(rf"(?=.*[{_KATAKANA_LETTER}])[{_KATAKANA_LETTER}\u30fc\u30fb ]+")


def normalize_text(s: str) -> str:
    """NFKC, trimmed, with every run of whitespace (full-width spaces included) as one space.

    NFKC makes full-width Latin letters and digits half-width and half-width katakana
    full-width, which is what Japanese data entry conventionally stores.
    """
    collapsed = _WHITESPACE_RUN.sub(" ", unicodedata.normalize("NFKC", s)).strip()
    # Replacing a space can, in rare combining-mark sequences, leave a string NFKC would still
    # change; a second pass makes the function idempotent for every input.
    return _WHITESPACE_RUN.sub(" ", unicodedata.normalize("NFKC", collapsed)).strip()


def normalize_furigana(s: str) -> str:
    """The reading (フリガナ) in full-width katakana.

    Half-width katakana become full-width (NFKC), hiragana become katakana, a hyphen typed after
    a katakana becomes the long vowel mark ー, and spaces are normalised as in
    :func:`normalize_text`. Characters that are not kana are left in place, so that
    :func:`is_katakana_reading` can tell the caller something else was typed.
    """
    text = normalize_text(s)
    katakana = str(jaconv.hira2kata(text))
    # The whole run at once: ア-- must give アーー in one pass, or a second call would change it.
    return _DASH_AFTER_KATAKANA.sub(lambda m: "ー" * len(m.group()), katakana)


def is_katakana_reading(s: str) -> bool:
    """True when ``s`` holds only katakana, ー, ・ and half-width spaces, with at least one
    katakana letter.

    Checks ``s`` as given: pass it through :func:`normalize_furigana` first to accept
    hiragana or half-width input.
    """
    return _KATAKANA_READING.fullmatch(s) is not None


def normalize_digits(s: str) -> str:
    """Full-width digits and dash-like characters as ASCII; nothing else changes.

    ー (and half-width ｰ) count as hyphens only between two digits, so a katakana word in the
    same string keeps its long vowel marks.
    """
    hyphenated = _LONG_VOWEL_BETWEEN_DIGITS.sub("-", s)
    return hyphenated.translate(_FULLWIDTH_DIGITS).translate(_DASH_TO_ASCII)
