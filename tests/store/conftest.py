"""Fixtures for the store tests: the real Secret Service (gnome-keyring in the private D-Bus
session that tests/run.sh starts) and real SQLCipher files in ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService

from center_desk.store import Connection, KeyStore, cache_id_for

#: Personal data that must never reach the disk unencrypted. Distinctive enough that a match in
#: random ciphertext is out of the question.
REPRESENTATIVE_NAME = "小平太郎テスト"
REPRESENTATIVE_ADDRESS = "東京都小平市小川町1-2-3"
GROUP_NAME = "小川西町テスト合唱団"
ASCII_MARKER = "CANARY-3b1f0c9e-ascii-marker"
PERSONAL_STRINGS = (REPRESENTATIVE_NAME, REPRESENTATIVE_ADDRESS, GROUP_NAME, ASCII_MARKER)

GROUP_ROW: dict[str, Any] = {
    "user_id": "U0001234",
    "name": GROUP_NAME,
    "furigana": "オガワニシマチテストガッショウダン",
    "activity": f"合唱の練習 {ASCII_MARKER}",
    "member_count": 12,
    "kodaira_member_count": 9,
    "representative_is_resident": 1,
    "fee_exemption": None,
    "fee_exemption_note": "",
    "valid_until": "2028-03-31",
    "representative_name": REPRESENTATIVE_NAME,
    "representative_furigana": "コダイラタロウテスト",
    "representative_postal_code": "1870032",
    "representative_address": REPRESENTATIVE_ADDRESS,
    "representative_phone": "0423410000",
    "representative_email": "canary-3b1f0c9e@example.jp",
    "responsible_name": REPRESENTATIVE_NAME,
    "responsible_furigana": "コダイラタロウテスト",
    "responsible_postal_code": "1870032",
    "responsible_address": REPRESENTATIVE_ADDRESS,
    "responsible_phone": "0423410000",
    "responsible_email": None,
    "last_seen_here_at": "2026-11-26T10:00:00+09:00",
}


def _insert(db: Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    placeholders = ", ".join(f":{name}" for name in row)
    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", row)


def _seed_desk(db: Connection) -> None:
    """One center with one room and slot, one group (with the personal data above), one
    reservation: rows for every table of schema version 1."""
    _insert(db, "meta", {"key": "center_id", "value": "ogawa-nishi"})
    _insert(db, "centers", {"center_id": "ogawa-nishi", "name": "小川西町地域センター"})
    _insert(
        db,
        "rooms",
        {
            "room_id": "ogawa-nishi/1-shukai",
            "center_id": "ogawa-nishi",
            "name": "第一集会室",
            "kind": "western",
            "capacity": 40,
        },
    )
    _insert(
        db,
        "slots",
        {"slot_id": "morning", "label": "午前", "starts_at": "09:00", "ends_at": "12:00"},
    )
    _insert(
        db,
        "room_slots",
        {"room_id": "ogawa-nishi/1-shukai", "slot_id": "morning", "fee_yen": 700},
    )
    _insert(db, "closures", {"center_id": "ogawa-nishi", "closed_on": "2026-12-08"})
    _insert(db, "groups", GROUP_ROW)
    columns = {row[1] for row in db.execute("PRAGMA table_info(reservations)").fetchall()}
    # From schema version 3 on, reservations carry the backend's UUID.
    reservation_id = {"id": "7f1c2a9e-0000-4000-8000-000000000123"} if "id" in columns else {}
    # From schema version 6 on, the fee columns have the wire's names.
    fee = (
        {"fee_nominal": 700, "fee_charged": 0, "fee_exemption": "city_subsidy"}
        if "fee_charged" in columns
        else {"fee_nominal_yen": 700, "fee_yen": 0, "fee_exempt_reason": "city_subsidy"}
    )
    _insert(
        db,
        "reservations",
        {
            **reservation_id,
            "approval_number": "A-2026-000123",
            "center_id": "ogawa-nishi",
            "room_id": "ogawa-nishi/1-shukai",
            "use_date": "2026-12-01",
            "slot_id": "morning",
            "user_id": GROUP_ROW["user_id"],
            "kind": "last_minute",
            "channel": "counter",
            "purpose": "合唱練習",
            "headcount": 10,
            **fee,
        },
    )
    _insert(
        db,
        "staff_verifiers",
        {
            "staff_id": "S0042",
            "verifier": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            "last_online_sign_in": "2026-11-26T08:30:00+09:00",
        },
    )


@dataclass(frozen=True)
class DeskSample:
    """Sample desk data, handed to tests by the ``sample`` fixture."""

    group: dict[str, Any] = field(default_factory=lambda: dict(GROUP_ROW))
    personal_strings: tuple[str, ...] = PERSONAL_STRINGS

    def seed(self, db: Connection) -> None:
        _seed_desk(db)

    def read_group(self, db: Connection) -> dict[str, Any]:
        row = db.execute(
            "SELECT * FROM groups WHERE user_id = ?", (self.group["user_id"],)
        ).fetchone()
        assert row is not None, "the sample group is not in the cache"
        # Columns with a default the sample does not set (active) are not what it wrote.
        return {k: row[k] for k in self.group}

    def counts(self, db: Connection) -> dict[str, int]:
        tables = (
            "meta",
            "centers",
            "rooms",
            "slots",
            "room_slots",
            "closures",
            "groups",
            "reservations",
            "staff_verifiers",
        )
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def sample() -> DeskSample:
    return DeskSample()


@pytest.fixture
def secret_service() -> KeyringBackend:
    """keyring's default backend, which must be the real Secret Service here.

    Not a skip: a store test that quietly does not run proves nothing, so CI fails instead.
    """
    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        pytest.fail(
            f"keyring.get_keyring() is {backend!s}, not the Secret Service. Run the tests with "
            "tests/run.sh, which starts gnome-keyring in a private D-Bus session."
        )
    return backend


@pytest.fixture
def key_store(secret_service: KeyringBackend) -> KeyStore:
    return KeyStore(secret_service)


@pytest.fixture
def forget_keys(key_store: KeyStore) -> Iterator[Callable[[Path], Path]]:
    """Register a cache path whose key is removed from the keyring after the test."""
    paths: list[Path] = []

    def register(path: Path) -> Path:
        paths.append(path)
        return path

    yield register
    for path in paths:
        key_store.delete_key(cache_id_for(path))


@pytest.fixture
def cache_path(tmp_path: Path, forget_keys: Callable[[Path], Path]) -> Path:
    """Where a test's cache lives; the parent folder does not exist yet."""
    return forget_keys(tmp_path / "center-desk" / "desk-cache.db")
