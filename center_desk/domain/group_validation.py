"""Checking a group's filing (利用者登録届出書): every problem at once, each tied to its field.

:func:`validate_group` normalises the form (``group_normalization``) and lists what is still
wrong; nothing here raises for bad input except :func:`require_valid_group`, for callers that
must not go on with an invalid form.

Messages name the field in the words of the paper form and never quote the value typed: problems
are logged, and the values are personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from center_desk.domain.contact import (
    email_is_valid,
    lookup_address,
    normalize_postal_code,
    parse_phone,
)
from center_desk.domain.group import (
    FEE_EXEMPTION_REASONS,
    FieldProblem,
    GroupCheck,
    GroupForm,
    GroupValidationError,
    Person,
)
from center_desk.domain.group_eligibility import eligibility_problems
from center_desk.domain.group_normalization import normalize_group
from center_desk.domain.text import is_katakana_reading

__all__ = ["require_valid_group", "validate_group"]

# Length limits. Names come from the brief; the kana readings are ours ([assumption]): a
# reading takes roughly twice the characters of the kanji it spells.
_MAX_GROUP_NAME: Final = 50
_MAX_GROUP_FURIGANA: Final = 100
_MAX_ACTIVITY: Final = 200
_MAX_PERSON_NAME: Final = 30
_MAX_PERSON_FURIGANA: Final = 60
_MAX_ADDRESS: Final = 100
_MAX_NOTE: Final = 200

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
    normalized, what_is_wrong = parse_phone(value)
    if normalized is None:
        return [_problem(field, "bad_phone", f"{_label(field)}{what_is_wrong}")]
    return []


def _email_problems(field: str, value: str | None) -> list[FieldProblem]:
    if value is None:
        return []  # optional: without one, lottery results go by post
    if not email_is_valid(value):
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
