"""Registered groups (団体登録, form 利用者登録届出書).

Personal data (names, addresses, phones, e-mail of the representative and the person
responsible) crosses the wire only over HTTPS and only to staff and to the group itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, get_args

from pydantic import Field

from center_desk.domain.group import GroupForm, Person

from .common import WireModel

#: Why a desk reads a group registered at another center (a required ``reason`` on
#: ``GET /v1/groups/{user_id}``): a walk-in booking, a check of the registration, a proxy lottery
#: or first-come booking, a change of registration, a question from the group.
LookupReason = Literal["walk_in", "registration_check", "proxy_booking", "change", "inquiry"]
LOOKUP_REASONS: tuple[LookupReason, ...] = get_args(LookupReason)


class PersonIn(WireModel):
    name: str = Field(max_length=60)
    furigana: str = Field(max_length=120)
    postal_code: str = Field(max_length=16)
    address: str = Field(max_length=200)
    phone: str = Field(max_length=32)
    email: str | None = Field(default=None, max_length=254)


class GroupIn(WireModel):
    """What staff type from the paper form. The backend validates it with the domain rules and
    answers every problem at once, each tied to its field."""

    name: str = Field(max_length=100)
    furigana: str = Field(max_length=200)
    activity: str = Field(max_length=400)
    member_count: int = Field(ge=0, le=100000)
    kodaira_member_count: int = Field(ge=0, le=100000)
    representative_is_resident: bool
    representative: PersonIn
    responsible: PersonIn
    fee_exemption: str | None = None
    fee_exemption_note: str = Field(default="", max_length=200)


class PersonOut(WireModel):
    name: str
    furigana: str
    postal_code: str
    address: str
    phone: str
    email: str | None


class GroupOut(WireModel):
    user_id: str
    name: str
    furigana: str
    activity: str
    member_count: int
    kodaira_member_count: int
    representative_is_resident: bool
    representative: PersonOut
    responsible: PersonOut
    fee_exemption: str | None
    fee_exemption_note: str
    registered_at: datetime
    valid_until: date
    active: bool
    registered_center_id: str | None


class GroupSearch(WireModel):
    """A search across every center's groups (user id, name, furigana, representative, phone).

    Without ``reason`` a group registered at another center is found only by its user id,
    name or furigana and comes back without personal fields; with one, it is also found by its
    representative's name or a phone number and shows the representative's name, and each
    such group counts as a look-up of another center's group (audited, rate-limited)."""

    #: Sent in the body, not the URL: names and phone numbers must not reach access logs.
    #: Longer than any name, furigana, phone or id it could match (issue 9: a 50 MB query).
    query: str = Field(max_length=200)
    reason: LookupReason | None = None


class GroupSummary(WireModel):
    """A search hit: enough to pick the right group, with the representative's name only."""

    user_id: str
    name: str
    furigana: str
    #: None for a group registered at another center found without a reason.
    representative_name: str | None
    valid_until: date
    active: bool
    registered_elsewhere: bool = False


class GroupRegistered(WireModel):
    group: GroupOut
    #: Shown or printed once on the registration notice (利用者登録通知); the backend keeps
    #: only its hash.
    initial_password: str


class GroupDeregister(WireModel):
    reason: str = Field(default="", max_length=200)


# The registration crosses the wire both ways: the desk sends a checked GroupForm as GroupIn,
# the backend checks the GroupIn it receives as a GroupForm again, and a desk shows a GroupOut
# it fetched as one. The field-by-field copies live here, once.


def person_of(person: PersonIn | PersonOut) -> Person:
    return Person(
        person.name,
        person.furigana,
        person.postal_code,
        person.address,
        person.phone,
        person.email or None,
    )


def group_form(group: GroupIn | GroupOut) -> GroupForm:
    """The domain's registration form of a group as sent (GroupIn) or as stored (GroupOut)."""
    return GroupForm(
        name=group.name,
        furigana=group.furigana,
        activity=group.activity,
        member_count=group.member_count,
        kodaira_member_count=group.kodaira_member_count,
        representative_is_resident=group.representative_is_resident,
        representative=person_of(group.representative),
        responsible=person_of(group.responsible),
        fee_exemption=group.fee_exemption,
        fee_exemption_note=group.fee_exemption_note,
    )


def person_in(person: Person) -> PersonIn:
    return PersonIn(
        name=person.name,
        furigana=person.furigana,
        postal_code=person.postal_code,
        address=person.address,
        phone=person.phone,
        email=person.email or None,
    )


def group_in(form: GroupForm) -> GroupIn:
    """The wire form of a checked registration."""
    return GroupIn(
        name=form.name,
        furigana=form.furigana,
        activity=form.activity,
        member_count=form.member_count,
        kodaira_member_count=form.kodaira_member_count,
        representative_is_resident=form.representative_is_resident,
        representative=person_in(form.representative),
        responsible=person_in(form.responsible),
        fee_exemption=form.fee_exemption,
        fee_exemption_note=form.fee_exemption_note,
    )
