"""Registered groups: register, change, de-register, look up (団体登録, 利用者登録届出書).

Registration is a counter task (DOMAIN.md): only staff call these. The group gets a user id and
an initial password, shown once on the registration notice; only its hash is kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from center_desk.domain import (
    Applicant,
    GroupForm,
    Person,
    normalize_digits,
    normalize_furigana,
    normalize_text,
    registration_valid_until,
    tokyo_date,
    validate_group,
)
from center_desk.protocol.groups import GroupIn, GroupOut, GroupSummary, PersonOut, group_form

from ..errors import from_problems, not_found
from ..models import GroupRow
from ..security import hash_password, new_initial_password
from .changes import record_change, reference_group
from .ids import next_user_id

#: A person's columns on the group row, after the role's prefix (rep_… / resp_…).
PERSON_FIELDS = ("name", "furigana", "postal_code", "address", "phone", "email")


def _row_person(row: GroupRow, prefix: str) -> Person:
    return Person(*(getattr(row, f"{prefix}_{field}") for field in PERSON_FIELDS))


def _store_person(row: GroupRow, prefix: str, person: Person) -> None:
    for field in PERSON_FIELDS:
        setattr(row, f"{prefix}_{field}", getattr(person, field))


def apply_form(row: GroupRow, form: GroupForm) -> None:
    row.name = form.name
    row.furigana = form.furigana
    row.activity = form.activity
    row.member_count = form.member_count
    row.kodaira_member_count = form.kodaira_member_count
    row.representative_is_resident = form.representative_is_resident
    _store_person(row, "rep", form.representative)
    _store_person(row, "resp", form.responsible)
    row.fee_exemption = form.fee_exemption
    row.fee_exemption_note = form.fee_exemption_note


def form_of(row: GroupRow) -> GroupForm:
    return GroupForm(
        name=row.name,
        furigana=row.furigana,
        activity=row.activity,
        member_count=row.member_count,
        kodaira_member_count=row.kodaira_member_count,
        representative_is_resident=row.representative_is_resident,
        representative=_row_person(row, "rep"),
        responsible=_row_person(row, "resp"),
        fee_exemption=row.fee_exemption,
        fee_exemption_note=row.fee_exemption_note,
    )


def group_eligible(row: GroupRow) -> bool:
    return applicant(row).eligible


def applicant(row: GroupRow) -> Applicant:
    """The group as the booking rules see it."""
    return Applicant.registered_group(form_of(row), active=row.active, valid_until=row.valid_until)


def to_out(row: GroupRow) -> GroupOut:
    return GroupOut(
        user_id=row.user_id,
        name=row.name,
        furigana=row.furigana,
        activity=row.activity,
        member_count=row.member_count,
        kodaira_member_count=row.kodaira_member_count,
        representative_is_resident=row.representative_is_resident,
        representative=PersonOut(**asdict(_row_person(row, "rep"))),
        responsible=PersonOut(**asdict(_row_person(row, "resp"))),
        fee_exemption=row.fee_exemption,
        fee_exemption_note=row.fee_exemption_note,
        registered_at=row.registered_at,
        valid_until=row.valid_until,
        active=row.active,
        registered_center_id=row.registered_center_id,
    )


def summary_of(
    row: GroupRow, *, center_id: str | None = None, personal: bool = True
) -> GroupSummary:
    """``personal=False`` leaves the representative's name out (another center's group found
    without a reason); ``center_id`` is the asking desk's, to mark groups registered elsewhere."""
    return GroupSummary(
        user_id=row.user_id,
        name=row.name,
        furigana=row.furigana,
        representative_name=row.rep_name if personal else None,
        valid_until=row.valid_until,
        active=row.active,
        registered_elsewhere=center_id is not None and row.registered_center_id != center_id,
    )


@dataclass(frozen=True)
class Registered:
    row: GroupRow
    initial_password: str


def _validated(data: GroupIn) -> GroupForm:
    check = validate_group(group_form(data))
    if check.form is None:
        raise from_problems(check.problems)
    return check.form


def register(session: Session, data: GroupIn, *, center_id: str, now: datetime) -> Registered:
    form = _validated(data)
    password = new_initial_password()
    row = GroupRow(
        user_id=next_user_id(session),
        password_hash=hash_password(password),
        registered_at=now,
        registered_center_id=center_id,
        valid_until=registration_valid_until(tokyo_date(now)),
        active=True,
        failed_sign_ins=0,
        updated_at=now,
    )
    apply_form(row, form)
    session.add(row)
    session.flush()
    reference_group(session, center_id=center_id, user_id=row.user_id, now=now)
    record_change(session, entity="group", entity_id=row.user_id, user_id=row.user_id, now=now)
    return Registered(row, password)


def get(
    session: Session, user_id: str, *, for_update: bool = False, field: str | None = None
) -> GroupRow:
    query = select(GroupRow).where(GroupRow.user_id == user_id)
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).one_or_none()
    if row is None:
        raise not_found("group", field)
    return row


def change(session: Session, user_id: str, data: GroupIn, *, now: datetime) -> GroupRow:
    """Changes use the same form as registration; the user id stays (DOMAIN.md)."""
    row = get(session, user_id, for_update=True)
    apply_form(row, _validated(data))
    row.updated_at = now
    session.flush()
    record_change(session, entity="group", entity_id=row.user_id, user_id=row.user_id, now=now)
    return row


def deregister(session: Session, user_id: str, *, now: datetime) -> GroupRow:
    row = get(session, user_id, for_update=True)
    row.active = False
    row.deregistered_at = now
    row.updated_at = now
    session.flush()
    record_change(session, entity="group", entity_id=row.user_id, user_id=row.user_id, now=now)
    return row


def renew(row: GroupRow, now: datetime) -> None:
    """Registration renews whenever the group applies for a room (DOMAIN.md)."""
    renewed = registration_valid_until(tokyo_date(now))
    if renewed > row.valid_until:
        row.valid_until = renewed
        row.updated_at = now


def search(
    session: Session,
    query: str,
    *,
    personal_only_at: str | None = None,
    limit: int = 30,
) -> list[GroupRow]:
    """By user id, name, furigana (hiragana typed is fine) or phone, as staff type it.

    ``personal_only_at``: match the representative's name and the phone numbers only for
    groups registered at this center (a search without a look-up reason): finding which group
    a person or a phone number belongs to is itself personal data."""
    text_query = normalize_text(query)
    if not text_query:
        return []
    digits = "".join(ch for ch in normalize_digits(text_query) if ch.isdigit())
    kana = normalize_furigana(text_query)
    conditions = [
        GroupRow.name.contains(text_query, autoescape=True),
        GroupRow.furigana.contains(kana, autoescape=True),
    ]
    personal = [GroupRow.rep_name.contains(text_query, autoescape=True)]
    if digits:
        conditions.append(GroupRow.user_id.startswith(digits, autoescape=True))
        if len(digits) >= 4:
            stripped_rep = func.replace(GroupRow.rep_phone, "-", "")
            stripped_resp = func.replace(GroupRow.resp_phone, "-", "")
            personal.append(stripped_rep.contains(digits, autoescape=True))
            personal.append(stripped_resp.contains(digits, autoescape=True))
    if personal_only_at is None:
        conditions.extend(personal)
    else:
        conditions.append(and_(GroupRow.registered_center_id == personal_only_at, or_(*personal)))
    return list(
        session.scalars(
            select(GroupRow).where(or_(*conditions)).order_by(GroupRow.furigana).limit(limit)
        )
    )


def similar(session: Session, name: str, phone: str) -> list[GroupRow]:
    """Groups with the same name or phone: the counter warns before registering a duplicate."""
    name_n = normalize_text(name)
    digits = "".join(ch for ch in normalize_digits(phone) if ch.isdigit())
    conditions = []
    if name_n:
        conditions.append(GroupRow.name == name_n)
    if len(digits) >= 9:
        conditions.append(func.replace(GroupRow.rep_phone, "-", "") == digits)
        conditions.append(func.replace(GroupRow.resp_phone, "-", "") == digits)
    if not conditions:
        return []
    return list(session.scalars(select(GroupRow).where(or_(*conditions)).limit(10)))


def look_up_here(session: Session, row: GroupRow, center_id: str, now: datetime) -> None:
    """A desk opened this group: its center may keep it in the cache from now on."""
    reference_group(session, center_id=center_id, user_id=row.user_id, now=now)
