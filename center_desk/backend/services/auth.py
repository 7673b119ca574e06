"""Who may call: enrolled devices, staff sessions on a device, citizens (groups), and the
city's administrators.

Staff rotate between centers, so any active staff account signs in at any enrolled desk.
Failed sign-ins are counted per account and lock it for a while; the reply never says whether
the id or the password was wrong.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..config import BackendSettings
from ..errors import ApiError, unauthorized
from ..models import DeviceRow, EnrollmentCodeRow, GroupRow, SessionRow, StaffRow
from ..security import (
    hash_password,
    needs_rehash,
    new_enrollment_code,
    new_token,
    normalize_enrollment_code,
    token_hash,
    verify_password,
)
from .catalog import get_center

BAD_CREDENTIALS = "the id or password is wrong, or the account is locked"


# --- devices ----------------------------------------------------------------------------


def issue_enrollment_code(
    session: Session, center_id: str, *, now: datetime, settings: BackendSettings
) -> str:
    get_center(session, center_id, field="center_id")
    code = new_enrollment_code()
    session.add(
        EnrollmentCodeRow(
            code_hash=token_hash(code),
            center_id=center_id,
            created_at=now,
            expires_at=now + timedelta(hours=settings.enrollment_code_hours),
            used_at=None,
            device_id=None,
        )
    )
    session.flush()
    return code


@dataclass(frozen=True)
class Enrolled:
    device: DeviceRow
    token: str


def enroll(session: Session, code: str, device_name: str, *, now: datetime) -> Enrolled:
    row = session.scalars(
        select(EnrollmentCodeRow)
        .where(EnrollmentCodeRow.code_hash == token_hash(normalize_enrollment_code(code)))
        .with_for_update()
    ).one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ApiError(401, "unauthorized", "the enrollment code is unknown, used or expired")
    number = int(session.scalar(select(func.coalesce(func.max(DeviceRow.number), 0))) or 0) + 1
    token = new_token()
    device = DeviceRow(
        id=str(uuid.uuid4()),
        name=device_name,
        center_id=row.center_id,
        token_hash=token_hash(token),
        enrolled_at=now,
        revoked_at=None,
        last_mutation_id=0,
        last_seen_at=now,
        number=number,
    )
    session.add(device)
    row.used_at = now
    row.device_id = device.id
    session.flush()
    return Enrolled(device, token)


#: How precisely a device's ``last_seen_at`` is kept.
LAST_SEEN_PRECISION = timedelta(minutes=1)


def device_for_token(session: Session, token: str | None, *, now: datetime) -> DeviceRow:
    if not token:
        raise unauthorized("device token missing")
    device = session.scalars(
        select(DeviceRow).where(DeviceRow.token_hash == token_hash(token))
    ).one_or_none()
    if device is None:
        raise unauthorized("unknown device")
    if device.revoked_at is not None:
        # The desk wipes its cache when it hears this (DESIGN.md §3).
        raise ApiError(403, "device_revoked", "this device has been revoked; wipe its cache")
    # Noting the moment on every request made every pull, even an empty one, a write and a
    # commit (issue 13); "last seen" to the minute is all anyone reads from it.
    if device.last_seen_at is None or abs(now - device.last_seen_at) >= LAST_SEEN_PRECISION:
        device.last_seen_at = now
    return device


def revoke_device(session: Session, device_id: str, *, now: datetime) -> DeviceRow:
    device = session.get(DeviceRow, device_id)
    if device is None:
        raise ApiError(404, "not_found", "device not found")
    device.revoked_at = device.revoked_at or now
    session.execute(delete(SessionRow).where(SessionRow.device_id == device_id))
    session.flush()
    return device


# --- staff ------------------------------------------------------------------------------


def add_staff(
    session: Session, staff_id: str, name: str, password: str, *, now: datetime
) -> StaffRow:
    if len(password) < 10:
        raise ApiError(422, "invalid_input", "staff passwords have at least 10 characters")
    row = session.get(StaffRow, staff_id)
    if row is None:
        row = StaffRow(staff_id=staff_id, created_at=now, failed_sign_ins=0)
        session.add(row)
    row.name = name
    row.password_hash = hash_password(password)
    row.active = True
    row.locked_until = None
    row.failed_sign_ins = 0
    session.flush()
    return row


def disable_staff(session: Session, staff_id: str) -> StaffRow:
    row = session.get(StaffRow, staff_id)
    if row is None:
        raise ApiError(404, "not_found", "staff not found")
    row.active = False
    session.execute(
        delete(SessionRow).where(SessionRow.kind == "staff", SessionRow.subject == staff_id)
    )
    session.flush()
    return row


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    subject: str
    name: str


def _counted_failure(
    row: StaffRow | GroupRow | None, now: datetime, settings: BackendSettings
) -> ApiError:
    if row is not None:
        row.failed_sign_ins += 1
        if row.failed_sign_ins >= settings.max_failed_sign_ins:
            row.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            row.failed_sign_ins = 0
    return ApiError(401, "bad_credentials", BAD_CREDENTIALS)


def _signed_in(row: StaffRow | GroupRow, password: str) -> None:
    """After a successful sign-in: clear the failure count, and upgrade a hash made with older
    or weaker argon2 parameters while the password is at hand (it is never kept otherwise)."""
    row.failed_sign_ins = 0
    row.locked_until = None
    if row.password_hash is not None and needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)


def staff_sign_in(
    session: Session,
    staff_id: str,
    password: str,
    *,
    device: DeviceRow,
    now: datetime,
    settings: BackendSettings,
) -> SignedIn:
    row = session.scalars(
        select(StaffRow).where(StaffRow.staff_id == staff_id).with_for_update()
    ).one_or_none()
    locked = row is not None and row.locked_until is not None and row.locked_until > now
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not row.active or locked or not ok:
        # A locked account does not count further attempts, so the lock does not extend itself
        # forever while someone keeps guessing.
        raise _counted_failure(row if not locked else None, now, settings)
    _signed_in(row, password)
    return _new_session(
        session, "staff", row.staff_id, row.name, device.id, now, settings.staff_session_minutes
    )


def citizen_sign_in(
    session: Session, user_id: str, password: str, *, now: datetime, settings: BackendSettings
) -> SignedIn:
    row = session.scalars(
        select(GroupRow).where(GroupRow.user_id == user_id).with_for_update()
    ).one_or_none()
    locked = row is not None and row.locked_until is not None and row.locked_until > now
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not row.active or locked or not ok:
        raise _counted_failure(row if not locked else None, now, settings)
    _signed_in(row, password)
    return _new_session(
        session, "citizen", row.user_id, row.name, None, now, settings.citizen_session_minutes
    )


def _new_session(
    session: Session,
    kind: str,
    subject: str,
    name: str,
    device_id: str | None,
    now: datetime,
    minutes: int,
) -> SignedIn:
    token = new_token()
    expires = now + timedelta(minutes=minutes)
    session.add(
        SessionRow(
            token_hash=token_hash(token),
            kind=kind,
            subject=subject,
            device_id=device_id,
            created_at=now,
            expires_at=expires,
        )
    )
    # Expired sessions are of no use to anyone: drop them as we go.
    session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
    session.flush()
    return SignedIn(token, expires, subject, name)


def session_for(session: Session, token: str | None, kind: str, *, now: datetime) -> SessionRow:
    if not token:
        raise unauthorized("sign in first")
    row = session.get(SessionRow, token_hash(token))
    if row is None or row.kind != kind or row.expires_at <= now:
        raise unauthorized("the session has ended; sign in again")
    return row


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))
