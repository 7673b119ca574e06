"""A cache that cannot be opened fails with the kind of error its recovery depends on: a missing
key and an unreadable file (wipe and resync) are told apart from each other and from a keyring
that merely failed just now (never wipe)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

from center_desk.store import (
    KEYRING_SERVICE,
    CacheKeyMissing,
    CacheNotFound,
    CacheUnreadable,
    CipherUnavailable,
    EphemeralKeyStore,
    KeyringUnavailable,
    KeyStore,
    StoreError,
    cache_id_for,
    companion_paths,
    key_username,
    open_cache,
    require_sqlcipher,
    wipe_cache,
)

pytestmark = pytest.mark.keyring


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stored_key(backend: KeyringBackend, path: Path) -> str | None:
    return backend.get_password(KEYRING_SERVICE, key_username(cache_id_for(path)))


def _make_cache(path: Path, key_store: KeyStore, sample) -> None:
    with open_cache(path, key_store) as cache, cache.transaction() as db:
        sample.seed(db)


def test_a_wrong_key_is_unreadable(
    secret_service: KeyringBackend, key_store: KeyStore, cache_path: Path, sample
) -> None:
    _make_cache(cache_path, key_store, sample)
    before = _digest(cache_path)
    username = key_username(cache_id_for(cache_path))
    secret_service.set_password(KEYRING_SERVICE, username, os.urandom(32).hex())

    with pytest.raises(CacheUnreadable) as raised:
        open_cache(cache_path, key_store)
    assert raised.value.path == cache_path
    assert _digest(cache_path) == before


def test_a_missing_key_for_an_existing_file_is_never_replaced(
    secret_service: KeyringBackend, key_store: KeyStore, cache_path: Path, sample
) -> None:
    _make_cache(cache_path, key_store, sample)
    before = _digest(cache_path)
    key_store.delete_key(cache_id_for(cache_path))

    with pytest.raises(CacheKeyMissing):
        open_cache(cache_path, key_store)
    assert _stored_key(secret_service, cache_path) is None, "a new key was made for old data"
    assert _digest(cache_path) == before


def test_a_keyring_entry_that_is_not_a_key_counts_as_missing(
    secret_service: KeyringBackend, key_store: KeyStore, cache_path: Path, sample
) -> None:
    _make_cache(cache_path, key_store, sample)
    secret_service.set_password(
        KEYRING_SERVICE, key_username(cache_id_for(cache_path)), "not a key"
    )
    with pytest.raises(CacheKeyMissing, match="not a 32-byte hex key"):
        open_cache(cache_path, key_store)


def test_a_plain_sqlite_file_is_unreadable(key_store: KeyStore, cache_path: Path, sample) -> None:
    _make_cache(cache_path, key_store, sample)  # so that the keyring holds a key for the path
    cache_path.unlink()
    plain = sqlite3.connect(cache_path)
    plain.execute("CREATE TABLE groups (user_id TEXT PRIMARY KEY, name TEXT)")
    plain.commit()
    plain.close()

    with pytest.raises(CacheUnreadable):
        open_cache(cache_path, key_store)


def test_a_plain_sqlite_file_without_a_key_is_missing_its_key(
    key_store: KeyStore, cache_path: Path
) -> None:
    cache_path.parent.mkdir(parents=True)
    plain = sqlite3.connect(cache_path)
    plain.execute("CREATE TABLE groups (user_id TEXT PRIMARY KEY, name TEXT)")
    plain.commit()
    plain.close()
    with pytest.raises(CacheKeyMissing):
        open_cache(cache_path, key_store)


def test_garbage_is_unreadable(key_store: KeyStore, cache_path: Path, sample) -> None:
    _make_cache(cache_path, key_store, sample)
    cache_path.write_bytes(os.urandom(8192))
    with pytest.raises(CacheUnreadable):
        open_cache(cache_path, key_store)


def test_recovery_errors_are_distinct_types() -> None:
    # A later issue answers these two with an audited wipe and resync; nothing else may be
    # caught by the same except clause by accident.
    assert not issubclass(CacheKeyMissing, CacheUnreadable)
    assert not issubclass(CacheUnreadable, CacheKeyMissing)
    assert not issubclass(KeyringUnavailable, (CacheKeyMissing, CacheUnreadable))
    for kind in (CacheKeyMissing, CacheUnreadable, KeyringUnavailable, CipherUnavailable):
        assert issubclass(kind, StoreError)


def test_create_false_does_not_create_anything(
    secret_service: KeyringBackend, key_store: KeyStore, cache_path: Path
) -> None:
    with pytest.raises(CacheNotFound):
        open_cache(cache_path, key_store, create=False)
    assert not cache_path.parent.exists()
    assert _stored_key(secret_service, cache_path) is None


def test_wipe_removes_the_files_and_the_key(
    secret_service: KeyringBackend, key_store: KeyStore, cache_path: Path, sample
) -> None:
    cache = open_cache(cache_path, key_store)
    with cache.transaction() as db:
        sample.seed(db)
    cache.close()
    for leftover in companion_paths(cache_path):  # as after a crash
        leftover.write_bytes(b"stale")

    wipe_cache(cache_path, key_store)
    assert not any(p.exists() for p in (cache_path, *companion_paths(cache_path)))
    assert _stored_key(secret_service, cache_path) is None
    wipe_cache(cache_path, key_store)  # again: nothing to do, no error

    with open_cache(cache_path, key_store) as fresh:
        assert sample.counts(fresh.connection)["groups"] == 0


def test_a_stale_wal_is_not_replayed_into_a_new_cache(
    key_store: KeyStore, cache_path: Path, sample
) -> None:
    wal, _shm, _journal = companion_paths(cache_path)
    with open_cache(cache_path, key_store) as cache:
        with cache.transaction() as db:
            sample.seed(db)
        stale_wal = wal.read_bytes()  # committed frames, not yet checkpointed
    assert stale_wal
    wipe_cache(cache_path, key_store)
    wal.write_bytes(stale_wal)  # a crash between deleting the file and its WAL

    with open_cache(cache_path, key_store) as cache:
        assert sample.counts(cache.connection)["groups"] == 0


class _LockedKeyring(KeyringBackend):
    """A secure backend whose store is locked right now (as gnome-keyring is before the
    desktop session unlocks it). Not auto-detected by keyring: ``viable`` is False."""

    viable = False
    priority = 5

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class _ForgetfulKeyring(KeyringBackend):
    """A backend that accepts secrets and keeps none."""

    viable = False
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


def test_a_locked_keyring_is_not_a_missing_key(
    key_store: KeyStore, cache_path: Path, sample
) -> None:
    _make_cache(cache_path, key_store, sample)
    before = _digest(cache_path)
    with pytest.raises(KeyringUnavailable, match="unlocked"):
        open_cache(cache_path, KeyStore(_LockedKeyring()))
    assert _digest(cache_path) == before


def test_no_cache_without_a_kept_key(tmp_path: Path) -> None:
    path = tmp_path / "center-desk" / "desk-cache.db"
    with pytest.raises(KeyringUnavailable, match="did not keep"):
        open_cache(path, KeyStore(_ForgetfulKeyring()))
    with pytest.raises(KeyringUnavailable):
        open_cache(path, KeyStore(_LockedKeyring()))
    assert not path.exists()


def test_plain_sqlite_is_not_sqlcipher() -> None:
    plain = sqlite3.connect(":memory:")
    with pytest.raises(CipherUnavailable, match="not SQLCipher"):
        require_sqlcipher(plain)
    plain.close()


def test_a_demo_key_dies_with_its_store(tmp_path: Path) -> None:
    path = tmp_path / "demo" / "desk-cache.db"
    open_cache(path, EphemeralKeyStore()).close()
    with pytest.raises(CacheKeyMissing):
        open_cache(path, EphemeralKeyStore())  # the next run of the demo
