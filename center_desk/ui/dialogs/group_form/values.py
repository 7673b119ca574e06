"""The registration form's fields as text and as the domain's GroupForm (the wire's GroupIn is
made by ``protocol.groups.group_in``): the one place that knows the field paths
(``representative.phone``) and their order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from center_desk.domain import GroupForm, Person

ROLES = ("representative", "responsible")
PERSON_FIELDS = ("name", "furigana", "postal_code", "address", "phone", "email")
#: Field paths in form order: the first one with a problem gets the focus.
FIELD_ORDER: tuple[str, ...] = (
    "name",
    "furigana",
    "activity",
    "member_count",
    "kodaira_member_count",
    "representative_is_resident",
    "fee_exemption",
    "fee_exemption_note",
    *(f"{role}.{leaf}" for role in ROLES for leaf in PERSON_FIELDS),
)
#: Domain problem codes: their messages are the domain's own Japanese sentences. Anything else
#: the backend names (pydantic's English) gets our generic words instead.
DOMAIN_CODES = frozenset(
    {
        "required",
        "too_long",
        "not_katakana",
        "bad_postal_code",
        "unknown_postal_code",
        "bad_phone",
        "bad_email",
        "too_few_members",
        "representative_not_resident",
        "bad_count",
        "kodaira_more_than_members",
        "too_few_residents",
        "unknown_fee_exemption",
    }
)


@dataclass
class FormField:
    """One field of the form: its widget, the note under it and how to read and write it."""

    path: str
    widget: QWidget
    error: QLabel
    get: Callable[[], str]
    put: Callable[[str], None]


def values_of(form: GroupForm) -> dict[str, str]:
    """A form as the text in each field."""
    values = {
        "name": form.name,
        "furigana": form.furigana,
        "activity": form.activity,
        "member_count": str(form.member_count),
        "kodaira_member_count": str(form.kodaira_member_count),
        "representative_is_resident": "1" if form.representative_is_resident else "",
        "fee_exemption": form.fee_exemption or "",
        "fee_exemption_note": form.fee_exemption_note,
    }
    for role in ROLES:
        person: Person = getattr(form, role)
        for leaf in PERSON_FIELDS:
            values[f"{role}.{leaf}"] = getattr(person, leaf) or ""
    return values


def form_of(values: dict[str, str]) -> GroupForm:
    def person(role: str) -> Person:
        return Person(
            name=values[f"{role}.name"],
            furigana=values[f"{role}.furigana"],
            postal_code=values[f"{role}.postal_code"],
            address=values[f"{role}.address"],
            phone=values[f"{role}.phone"],
            email=values[f"{role}.email"] or None,
        )

    return GroupForm(
        name=values["name"],
        furigana=values["furigana"],
        activity=values["activity"],
        member_count=int(values["member_count"] or 0),
        kodaira_member_count=int(values["kodaira_member_count"] or 0),
        representative_is_resident=values["representative_is_resident"] == "1",
        representative=person("representative"),
        responsible=person("responsible"),
        fee_exemption=values["fee_exemption"] or None,
        fee_exemption_note=values["fee_exemption_note"],
    )
