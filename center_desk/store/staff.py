"""Offline sign-in verifiers (DESIGN.md §5): for staff who signed in online at this desk
recently. A verifier is an argon2id hash the backend made for this desk alone."""

from __future__ import annotations

from datetime import datetime

from .dbapi import Connection


def remember(db: Connection, staff_id: str, verifier: str, signed_in_at: datetime) -> None:
    db.execute(
        "INSERT INTO staff_verifiers (staff_id, verifier, last_online_sign_in) VALUES (?, ?, ?) "
        "ON CONFLICT (staff_id) DO UPDATE SET verifier = excluded.verifier, "
        "last_online_sign_in = excluded.last_online_sign_in",
        (staff_id, verifier, signed_in_at.isoformat()),
    )


def verifier(db: Connection, staff_id: str) -> tuple[str, datetime] | None:
    row = db.execute(
        "SELECT verifier, last_online_sign_in FROM staff_verifiers WHERE staff_id = ?",
        (staff_id,),
    ).fetchone()
    if row is None:
        return None
    return str(row[0]), datetime.fromisoformat(row[1])


def forget(db: Connection, staff_id: str) -> None:
    db.execute("DELETE FROM staff_verifiers WHERE staff_id = ?", (staff_id,))
