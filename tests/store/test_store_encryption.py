"""The cache on disk is ciphertext, its key is in the real Secret Service, and the connection is
set up as DESIGN.md §3 says (WAL, synchronous=FULL, foreign keys, owner-only files)."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
import secretstorage
from keyring.backend import KeyringBackend
from sqlcipher3 import dbapi2

from center_desk.store import (
    KEYRING_SERVICE,
    LATEST_VERSION,
    EphemeralKeyStore,
    IntegrityError,
    KeyStore,
    companion_paths,
    key_username,
    open_cache,
)

pytestmark = pytest.mark.keyring


def _on_disk(path: Path) -> bytes:
    """Everything SQLite has written for this cache: the file, its WAL and its shm."""
    return b"".join(p.read_bytes() for p in (path, *companion_paths(path)) if p.exists())


def _assert_ciphertext(path: Path, strings: tuple[str, ...]) -> None:
    raw = _on_disk(path)
    assert raw, "nothing on disk to check"
    assert not raw.startswith(b"SQLite format 3\x00"), "the file has a plain SQLite header"
    for text in strings:
        assert text.encode("utf-8") not in raw, f"{text!r} is on disk in plain text"


def test_the_check_would_see_plain_text(tmp_path: Path, sample) -> None:
    # The same rows written by plain SQLite: the byte search finds every string, so its silence
    # about the encrypted file means something.
    plain = sqlite3.connect(tmp_path / "plain.db")
    plain.execute("CREATE TABLE t (v TEXT)")
    plain.executemany("INSERT INTO t VALUES (?)", [(s,) for s in sample.personal_strings])
    plain.commit()
    plain.close()
    raw = (tmp_path / "plain.db").read_bytes()
    assert all(s.encode("utf-8") in raw for s in sample.personal_strings)


def test_personal_data_is_not_on_disk_in_plain_text(key_store: KeyStore, cache_path, sample):
    cache = open_cache(cache_path, key_store)
    with cache.transaction() as db:
        sample.seed(db)
    # While open, the latest pages are in the WAL: it must be ciphertext too.
    assert cache_path.with_name(cache_path.name + "-wal").stat().st_size > 0
    _assert_ciphertext(cache_path, sample.personal_strings)
    cache.close()
    _assert_ciphertext(cache_path, sample.personal_strings)

    with open_cache(cache_path, key_store, create=False) as reopened:
        assert sample.read_group(reopened.connection) == sample.group


def test_the_key_is_in_the_real_secret_service(
    secret_service: KeyringBackend, key_store: KeyStore, cache_path: Path, sample
) -> None:
    with open_cache(cache_path, key_store) as cache, cache.transaction() as db:
        sample.seed(db)
        cache_id = cache.cache_id

    # Asked of gnome-keyring directly over D-Bus, not through keyring.
    bus = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(bus)
        items = list(
            collection.search_items(
                {"service": KEYRING_SERVICE, "username": key_username(cache_id)}
            )
        )
        assert len(items) == 1
        hex_key = items[0].get_secret().decode("ascii")
    finally:
        bus.close()
    assert len(hex_key) == 64 and bytes.fromhex(hex_key)
    assert "keyring.backends.SecretService" in key_store.backend_name

    # That key, and only that key, opens the file.
    raw = dbapi2.connect(str(cache_path))
    raw.execute(f"PRAGMA key = \"x'{hex_key}'\"")
    name = raw.execute("SELECT name FROM groups").fetchone()[0]
    raw.close()
    assert name == sample.group["name"]
    keyless = dbapi2.connect(str(cache_path))
    with pytest.raises(dbapi2.DatabaseError, match="file is not a database"):
        keyless.execute("SELECT count(*) FROM sqlite_master").fetchone()
    keyless.close()


def test_connection_settings(key_store: KeyStore, cache_path: Path) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection

        def pragma(name: str) -> object:
            return db.execute(f"PRAGMA {name}").fetchone()[0]

        assert cache.cipher_version
        assert pragma("cipher_version") == cache.cipher_version
        assert str(pragma("cipher_version")).startswith("4.")
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("secure_delete") == 1
        assert pragma("user_version") == LATEST_VERSION
        assert not db.in_transaction  # autocommit: writes go through cache.transaction()


def test_foreign_keys_are_enforced(key_store: KeyStore, cache_path: Path, sample) -> None:
    with open_cache(cache_path, key_store) as cache:
        with cache.transaction() as db:
            sample.seed(db)
        with pytest.raises(IntegrityError), cache.transaction() as db:
            db.execute(
                "INSERT INTO reservations (center_id, room_id, use_date, slot_id, user_id,"
                " kind, channel) VALUES ('ogawa-nishi', 'no-such-room', '2026-12-02',"
                " 'morning', 'U0001234', 'last_minute', 'counter')"
            )
        # The refused COMMIT rolled back: nothing left behind, no transaction left open.
        assert not cache.connection.in_transaction
        assert sample.counts(cache.connection)["reservations"] == 1


def test_files_are_private_and_folders_are_made(
    key_store: KeyStore, tmp_path: Path, forget_keys
) -> None:
    path = forget_keys(tmp_path / "ユーザー" / "データ" / "desk-cache.db")
    with open_cache(path, key_store) as cache:
        with cache.transaction() as db:
            db.execute("INSERT INTO meta VALUES ('device_id', 'D-01')")
        wal, shm, _journal = companion_paths(path)
        for created in (path, wal, shm):
            assert stat.S_IMODE(created.stat().st_mode) == 0o600, created.name
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


def test_an_existing_cache_with_loose_permissions_is_made_private(
    key_store: KeyStore, cache_path: Path
) -> None:
    open_cache(cache_path, key_store).close()
    cache_path.chmod(0o644)
    open_cache(cache_path, key_store).close()
    assert stat.S_IMODE(cache_path.stat().st_mode) == 0o600


def test_the_connection_belongs_to_the_thread_that_opened_it(
    key_store: KeyStore, cache_path: Path
) -> None:
    errors: list[BaseException] = []
    with open_cache(cache_path, key_store) as cache:

        def elsewhere() -> None:
            try:
                cache.connection.execute("SELECT 1").fetchone()
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    assert len(errors) == 1 and isinstance(errors[0], dbapi2.ProgrammingError)


def test_demo_key_store_encrypts_too_and_keeps_nothing(tmp_path: Path, sample) -> None:
    path = tmp_path / "demo" / "desk-cache.db"
    demo_keys = EphemeralKeyStore()
    assert demo_keys.persistent is False and KeyStore.persistent is True
    with open_cache(path, demo_keys) as cache, cache.transaction() as db:
        sample.seed(db)
    _assert_ciphertext(path, sample.personal_strings)
    with open_cache(path, demo_keys) as cache:
        assert sample.read_group(cache.connection) == sample.group
