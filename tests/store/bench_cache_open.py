"""Benchmark: opening the desk cache with its raw key against the same file keyed by a passphrase.

    bash tests/run.sh tests/store/bench_cache_open.py -m benchmark -s

The desk keys SQLCipher with a random 32-byte raw key (center_desk/store/keys.py), so opening
the cache derives nothing; SQLCipher's default for a passphrase is PBKDF2-HMAC-SHA512 with
256,000 iterations at every open. Two real SQLCipher files with the same rows, one keyed each
way, are opened in interleaved pairs (tests/support/bench.py), each through the same steps as
:func:`center_desk.store.open_cache` (key, cipher check, first read, ``quick_check`` of every
page, WAL and pragmas, migrations), and closed again:

* as the desk opens it: the raw key read from the real Secret Service (the gnome-keyring that
  tests/run.sh starts) through :class:`~center_desk.store.KeyStore`, against the passphrase read
  from the same keyring the same way (a desk keyed by passphrase would keep it there too);
* the same without the keyring: both secrets already in memory, so only SQLCipher differs.

The keyring read (the D-Bus round trips and the Secret Service session) is also timed inside
further raw-key opens as the desk does them, and shown as its median share of such an open;
and the read alone, as the desk does it (the Secret Service asked directly,
center_desk/store/secret_service.py), against the same entry read through keyring's own
SecretService backend.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from center_desk.store import KeyStore, cache_id_for, open_cache
from center_desk.store.connection import (
    _check_pages,
    _configure,
    _connect,
    _create_private_file,
    require_sqlcipher,
)
from center_desk.store.dbapi import Connection, transaction
from center_desk.store.keys import KEYRING_SERVICE, default_backend, key_username
from center_desk.store.migrations import migrate
from tests.store.conftest import DeskSample
from tests.support import bench

GROUP = "cache open"

#: The keyring entry of the passphrase-keyed twin (removed afterwards).
_PASSPHRASE_USER = "bench-passphrase:cache-open"
# What a staff member might choose: the KDF's cost does not depend on it.
_PASSPHRASE = "kodaira-center-desk-2026"


def _open_keyed(path: Path, key_pragma: str) -> Connection:
    """The steps of open_cache after the key is known, with ``key_pragma`` as the key."""
    connection = _connect(path)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(key_pragma)
    require_sqlcipher(connection)
    connection.execute("PRAGMA cipher_compatibility = 4")
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    _check_pages(connection, path)
    _configure(connection, path)
    migrate(connection)
    return connection


def _passphrase_pragma(passphrase: str) -> str:
    return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"


class _TimedKeyStore:
    """The real KeyStore, noting how long each key read took (the keyring's share of an open
    is then measured inside the very opens the figure times)."""

    persistent = True

    def __init__(self, inner: KeyStore) -> None:
        self.inner = inner
        self.reads: list[float] = []

    def load_key(self, cache_id: str) -> bytes | None:
        start = time.perf_counter()
        try:
            return self.inner.load_key(cache_id)
        finally:
            self.reads.append(time.perf_counter() - start)

    def create_key(self, cache_id: str) -> bytes:
        return self.inner.create_key(cache_id)

    def delete_key(self, cache_id: str) -> None:
        self.inner.delete_key(cache_id)

    def store_key(self, cache_id: str, key: bytes) -> None:
        self.inner.store_key(cache_id, key)


class Files:
    """The two twins and how to open each."""

    def __init__(self, folder: Path, backend: KeyringBackend) -> None:
        self.backend = backend
        self.key_store = _TimedKeyStore(KeyStore(backend))
        self.raw = folder / "raw" / "desk-cache.db"
        self.passphrase = folder / "passphrase" / "desk-cache.db"
        sample = DeskSample()
        with open_cache(self.raw, self.key_store) as cache, cache.transaction() as db:
            sample.seed(db)
        raw_key = self.key_store.load_key(cache_id_for(self.raw))
        assert raw_key is not None
        self.raw_key: bytes = raw_key
        backend.set_password(KEYRING_SERVICE, _PASSPHRASE_USER, _PASSPHRASE)
        self.passphrase.parent.mkdir(mode=0o700)
        _create_private_file(self.passphrase)
        connection = _open_keyed(self.passphrase, _passphrase_pragma(_PASSPHRASE))
        try:
            with transaction(connection) as db:
                sample.seed(db)
            row = connection.execute("PRAGMA kdf_iter").fetchone()
            kdf = row[0] if row is not None else None
            assert kdf is not None and int(kdf) == 256_000, (
                f"SQLCipher's passphrase KDF runs {kdf} iterations"
            )
        finally:
            connection.close()
        self.pages = self._pages()

    def _pages(self) -> int:
        connection = _open_keyed(self.raw, f"PRAGMA key = \"x'{self.raw_key.hex()}'\"")
        try:
            row = connection.execute("PRAGMA page_count").fetchone()
            return int(row[0]) if row is not None else 0
        finally:
            connection.close()

    # -- the four ways to open ------------------------------------------------------------

    def open_as_desk(self) -> None:
        open_cache(self.raw, self.key_store, create=False).close()

    def open_as_desk_timed(self) -> tuple[float, float]:
        """(seconds reading the key, seconds of the whole open) of one open as the desk does."""
        start = time.perf_counter()
        self.open_as_desk()
        return self.key_store.reads[-1], time.perf_counter() - start

    def open_passphrase_from_keyring(self) -> None:
        # The same read as the raw key's (KeyStore.read_secret), so only the key differs.
        passphrase = self.key_store.inner.read_secret(_PASSPHRASE_USER)
        assert passphrase is not None, "the passphrase is not in the keyring"
        _open_keyed(self.passphrase, _passphrase_pragma(passphrase)).close()

    def open_raw_in_memory(self) -> None:
        _open_keyed(self.raw, f"PRAGMA key = \"x'{self.raw_key.hex()}'\"").close()

    def open_passphrase_in_memory(self) -> None:
        _open_keyed(self.passphrase, _passphrase_pragma(_PASSPHRASE)).close()

    def read_key_directly(self) -> None:
        assert self.key_store.inner.read_secret(key_username(cache_id_for(self.raw)))

    def read_key_through_keyring(self) -> None:
        assert self.backend.get_password(KEYRING_SERVICE, key_username(cache_id_for(self.raw)))

    def forget(self) -> None:
        self.key_store.delete_key(cache_id_for(self.raw))
        self.backend.delete_password(KEYRING_SERVICE, _PASSPHRASE_USER)


@contextmanager
def twins(backend: KeyringBackend | None = None) -> Iterator[Files]:
    with tempfile.TemporaryDirectory(prefix="bench-cache-open-") as folder:
        files = Files(Path(folder), backend if backend is not None else default_backend())
        try:
            yield files
        finally:
            files.forget()


def run(pairs: int = 15) -> list[bench.Figure]:
    with twins() as files:
        size = f"{files.pages} pages of 4 KiB"
        desk_pairs = bench.interleave(
            files.open_as_desk, files.open_passphrase_from_keyring, pairs, warmup=2
        )
        # The keyring read inside each open as the desk does it.
        read_pairs = [files.open_as_desk_timed() for _ in range(pairs)]
        read_only_pairs = bench.interleave(
            files.read_key_directly, files.read_key_through_keyring, pairs * 2, warmup=2
        )
        memory_pairs = bench.interleave(
            files.open_raw_in_memory, files.open_passphrase_in_memory, pairs, warmup=2
        )
    share = statistics.median(r / o for r, o in read_pairs if o > 0)
    read_ms = statistics.median(r for r, _ in read_pairs) * 1000
    desk = bench.from_pairs(
        "cache open as the desk does, raw key read from the keyring",
        "the same DB keyed by passphrase (PBKDF2 256k), passphrase read from the keyring",
        desk_pairs,
        target="≤ 0.1× (≥ 10× faster)",
        group=GROUP,
        note=(
            f"{1 / _ratio(desk_pairs):.1f}× faster; the keyring read (D-Bus, Secret Service) "
            f"is {share:.0%} of the raw-key open ({read_ms:.1f} ms); {size}"
        ),
    )
    memory = bench.from_pairs(
        "cache open, raw key already in memory (no keyring read)",
        "the same DB keyed by passphrase in memory (PBKDF2 256k)",
        memory_pairs,
        target="≤ 0.1× (≥ 10× faster)",
        group=GROUP,
        note=f"{1 / _ratio(memory_pairs):.1f}× faster",
    )
    read = bench.from_pairs(
        "cache key read as the desk does (Secret Service directly, store/secret_service.py)",
        "the same entry read through keyring's SecretService backend",
        read_only_pairs,
        group=GROUP,
        note=f"{1 / _ratio(read_only_pairs):.1f}× faster",
    )
    return [desk, read, memory]


def _ratio(pairs: list[tuple[float, float]]) -> float:
    return statistics.median(s / b for s, b in pairs if b > 0)


@pytest.mark.benchmark
def test_cache_open_benchmark() -> None:
    """``bash tests/run.sh -m benchmark -s`` prints the figures."""
    for figure in run():
        bench.record(figure)


def main(argv: list[str]) -> None:
    pairs = int(argv[0]) if argv else 15
    print(bench.text_table(run(pairs)))


if __name__ == "__main__":
    main(sys.argv[1:])
