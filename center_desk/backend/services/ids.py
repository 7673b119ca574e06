"""Ids the backend issues: user ids (利用者ID) and approval numbers (承認番号)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import IdCounterRow

USER_ID_START = 10000001


def next_value(session: Session, name: str, start: int) -> int:
    """The next number of a named counter. The row lock (FOR UPDATE) makes two processes
    never hand out the same number."""
    return reserve_values(session, name, start, 1)


def reserve_values(session: Session, name: str, start: int, count: int) -> int:
    """The first of ``count`` consecutive numbers of a named counter, all taken at once (the
    demo's history takes thousands in one statement rather than one each)."""
    if count < 1:
        raise ValueError("reserve at least one number")
    query = select(IdCounterRow).where(IdCounterRow.name == name).with_for_update()
    row = session.scalars(query).one_or_none()
    if row is None:
        # The very first number: two transactions may both find no row. The insert of the one
        # that comes second waits for the first to commit and then fails; it then takes the
        # next number from the row the first one made instead of failing the request.
        try:
            with session.begin_nested():
                session.add(IdCounterRow(name=name, value=start + count - 1))
                session.flush()
            return start
        except IntegrityError:
            row = session.scalars(query).one()
    first = row.value + 1
    row.value += count
    session.flush()
    return first


def user_id_with_check_digit(number: int) -> str:
    """8 digits and a check digit (mod 11, weights 2–9) so a mistyped user id is caught at the
    counter instead of finding another group."""
    digits = str(number)
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(reversed(digits)))
    check = (11 - total % 11) % 11 % 10
    return f"{digits}{check}"


def next_user_id(session: Session) -> str:
    return user_id_with_check_digit(next_value(session, "user_id", USER_ID_START))


def next_approval_number(session: Session) -> str:
    """Backend-issued approval numbers start with W (web and counter-online); desks issue
    their own offline ones starting with K and their device number."""
    return approval_number_of(next_value(session, "approval", 1))


def approval_number_of(value: int) -> str:
    """The approval number of the backend's counter value ``value``."""
    return f"W{value:09d}"
