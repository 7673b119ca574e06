"""Group registration (団体登録): the 利用者登録届出書 as values, and what a check of it gives back.

Staff type the paper form into the desk as a :class:`GroupForm`;
:func:`~center_desk.domain.group_validation.validate_group` turns it into the values we store and
lists every problem at once as :class:`FieldProblem` s, each tied to its field, so the form can
mark all of them in one go instead of one per click. The other parts of 団体登録 live next to
this module:

- ``contact``: postal codes, the address they stand for, phone numbers, e-mail addresses;
- ``group_normalization``: the whole form put in its stored shape;
- ``group_eligibility``: who may register (登録要件) and until when;
- ``group_validation``: every problem with a form, in form order.

Problem messages are short Japanese sentences for counter staff. They name the field, never the
value typed into it: problems are logged, and the values are personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from center_desk.domain.errors import DomainError, ReasonCode
from center_desk.domain.fees import EXEMPTION_TEXT

__all__ = [
    "FEE_EXEMPTION_REASONS",
    "FieldProblem",
    "GroupCheck",
    "GroupForm",
    "GroupValidationError",
    "Person",
]

#: 使用料免除 grounds a group may register, code -> wording as printed; the wording's one home
#: is domain/fees.py. DOMAIN.md names three and says a fourth exists without naming it, hence
#: "other" with a free-text note.
FEE_EXEMPTION_REASONS: Final[Mapping[str, str]] = MappingProxyType(
    {reason.value: text for reason, text in EXEMPTION_TEXT.items()}
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
    """One 利用者登録届出書 as typed, or (after ``validate_group``) as stored."""

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
    """The outcome of ``validate_group``.

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
