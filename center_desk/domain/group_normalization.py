"""A group's filing put in the shape we store: the same group typed twice compares equal, and a
search by furigana or phone finds it.

Normalising never refuses anything; what cannot be put in shape is kept as typed for
``group_validation`` to report against its field.
"""

from __future__ import annotations

import dataclasses

from center_desk.domain.contact import normalize_email, normalize_phone, normalize_postal_code
from center_desk.domain.group import GroupForm, Person
from center_desk.domain.text import normalize_furigana, normalize_text

__all__ = ["normalize_group"]


def normalize_group(form: GroupForm) -> GroupForm:
    """The form with every value in its stored shape, as far as it can be put there.

    Never raises: a value that cannot be normalised (a phone number with too few digits, say)
    is kept as typed after :func:`~center_desk.domain.text.normalize_text`, for
    ``validate_group`` to report.
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
        email=normalize_email(person.email),
    )
