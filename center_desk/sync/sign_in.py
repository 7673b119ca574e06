"""Staff sign-in at the desk (DESIGN.md §5): online against the backend, or, when the backend
cannot be reached, offline for staff who signed in online at this desk within the set period,
against the verifier the backend issued for this desk alone.

Both paths give the same answer for a wrong id and a wrong password. Offline failures are
counted here too, and lock offline sign-in for a while, so the cache cannot be used to guess.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from center_desk.domain import Clock
from center_desk.store import Connection, audit, meta, transaction
from center_desk.store import staff as verifiers

from .errors import Offline, ServerUnavailable, Unauthorized
from .runner import DbRunner

if TYPE_CHECKING:
    from .client import BackendClient

MAX_OFFLINE_FAILURES = 5
OFFLINE_LOCKOUT = timedelta(minutes=15)


class SignInFailed(Exception):
    """``code``: bad_credentials (wrong id or password, or locked: never said which),
    offline_not_possible (no recent online sign-in here while the backend is unreachable),
    busy (the same, while the backend sheds load: 503 "busy")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SignedIn:
    staff_id: str
    name: str
    online: bool
    at: datetime


def _is_busy(error: Exception) -> bool:
    return isinstance(error, ServerUnavailable) and error.code == "busy"


class StaffSignIn:
    def __init__(
        self, db: DbRunner, client: BackendClient, clock: Clock, *, offline_days: int = 14
    ) -> None:
        self._db = db
        self._client = client
        self._clock = clock
        self._offline_for = timedelta(days=offline_days)

    def sign_in(self, staff_id: str, password: str) -> SignedIn:
        staff_id = staff_id.strip()
        try:
            session = self._client.staff_sign_in(staff_id, password)
        except Unauthorized:
            self._db(lambda db: self._audit(db, "sign_in_failed", staff_id))
            raise SignInFailed("bad_credentials") from None
        except (Offline, ServerUnavailable) as away:
            try:
                return self._offline(staff_id, password)
            except SignInFailed as failed:
                # No offline sign-in here, and the backend is only shedding load at a rush:
                # "busy, try again in a moment", not "cannot be reached".
                if failed.code == "offline_not_possible" and _is_busy(away):
                    raise SignInFailed("busy") from away
                raise
        now = self._clock.now()

        def remember(db: Connection) -> None:
            with transaction(db):
                if session.offline_verifier:
                    verifiers.remember(db, staff_id, session.offline_verifier, now)
                meta.put(db, f"staff_name:{staff_id}", session.staff_name)
                meta.put(db, f"offline_failures:{staff_id}", "0")
                audit.record(db, event="signed_in", at=now, staff_id=staff_id, subject="online")

        self._db(remember)
        return SignedIn(staff_id, session.staff_name, True, now)

    def _offline(self, staff_id: str, password: str) -> SignedIn:
        now = self._clock.now()

        def check(db: Connection) -> SignedIn:
            locked_until = meta.get(db, f"offline_locked_until:{staff_id}")
            if locked_until and datetime.fromisoformat(locked_until) > now:
                raise SignInFailed("bad_credentials")
            found = verifiers.verifier(db, staff_id)
            if found is None or now - found[1] > self._offline_for:
                raise SignInFailed("offline_not_possible")
            # argon2 only for an offline sign-in: the desk's start does not wait for it.
            from argon2 import PasswordHasher
            from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

            ok: bool
            try:
                ok = PasswordHasher().verify(found[0], password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
            with transaction(db):
                if not ok:
                    failures = meta.get_int(db, f"offline_failures:{staff_id}") + 1
                    if failures >= MAX_OFFLINE_FAILURES:
                        meta.put(
                            db,
                            f"offline_locked_until:{staff_id}",
                            (now + OFFLINE_LOCKOUT).isoformat(),
                        )
                        failures = 0
                    meta.put(db, f"offline_failures:{staff_id}", str(failures))
                    audit.record(
                        db, event="sign_in_failed", at=now, staff_id=staff_id, subject="offline"
                    )
                else:
                    meta.put(db, f"offline_failures:{staff_id}", "0")
                    audit.record(
                        db, event="signed_in", at=now, staff_id=staff_id, subject="offline"
                    )
            if not ok:
                raise SignInFailed("bad_credentials")
            name = meta.get(db, f"staff_name:{staff_id}") or staff_id
            return SignedIn(staff_id, name, False, now)

        return self._db(check)

    def _audit(self, db: Connection, event: str, staff_id: str) -> None:
        with transaction(db):
            audit.record(db, event=event, at=self._clock.now(), staff_id=None, subject="online")

    def sign_out(self, staff_id: str) -> None:
        # The session ends by itself if the backend is away; nothing to keep the desk waiting.
        with contextlib.suppress(Offline, ServerUnavailable, Unauthorized):
            self._client.staff_sign_out()
        now = self._clock.now()

        def record(db: Connection) -> None:
            with transaction(db):
                audit.record(db, event="signed_out", at=now, staff_id=staff_id)

        self._db(record)
