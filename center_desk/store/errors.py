"""Typed failures of the encrypted desk cache.

The store raises these kinds; the UI decides what counter staff read and do for each
(STYLE.md §3). The tree, and what each kind leads to::

    StoreError                  anything the cache cannot do; a generic error screen
    ├── InsecureKeyringError    no secure keyring: refuse to run, say what to install
    ├── KeyringUnavailable      the keyring failed just now (locked, D-Bus gone): retry later,
    │                           never wipe, because the key may well still be there
    ├── CacheNotFound           opening without ``create`` and there is no file
    ├── CacheKeyMissing         the file exists but its key is not in the keyring  ┐ audited
    ├── CacheUnreadable         wrong key, corrupt, or not a database at all       ┘ wipe and resync
    ├── CipherUnavailable       the SQLite library is not SQLCipher: a broken install
    ├── SchemaTooNew            the file was written by a newer desk: update the desk
    ├── MigrationFailed         a schema step failed and was rolled back: a bug to report
    └── CacheWriteFailed        a write was refused by the disk (full, or an I/O error) and
        └── DiskFull            rolled back: nothing half-written; free space and try again

Messages never contain personal data. They name the cache file by its file name only: the full
path, which holds the OS account name, is kept in the ``path`` attribute for whoever needs it.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every failure of the desk cache."""


class InsecureKeyringError(StoreError):
    """The keyring backend cannot keep the cache key secret (fail, null, plaintext file…).

    The production desk refuses to create or open a cache then (DESIGN.md §3, fail closed); the
    message says what to install or configure.
    """

    def __init__(self, message: str, *, backend_name: str) -> None:
        super().__init__(message)
        self.backend_name = backend_name


class KeyringUnavailable(StoreError):
    """A secure keyring is configured but did not answer as expected just now.

    Deliberately not :class:`CacheKeyMissing`: a locked keyring or a lost D-Bus connection says
    nothing about whether the key exists, and treating it as missing would wipe a good cache.
    """


class CacheNotFound(StoreError):
    """There is no cache file and the caller asked not to create one."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no desk cache at {path.name}")
        self.path = path


class CacheKeyMissing(StoreError):
    """The cache file exists but the keyring holds no (usable) key for it.

    A new key is never made for an existing file: that would only hide the loss. Recovery is
    an audited wipe and resync.
    """

    def __init__(self, path: Path, detail: str = "") -> None:
        message = f"the keyring holds no key for the desk cache {path.name}"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.path = path


class CacheUnreadable(StoreError):
    """The key does not open the file: a wrong key, a corrupt file, or not a database at all
    (a plain SQLite file included). Recovery is an audited wipe and resync."""

    def __init__(self, path: Path, detail: str = "") -> None:
        message = f"the desk cache {path.name} cannot be read with its key"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.path = path


class CipherUnavailable(StoreError):
    """``PRAGMA cipher_version`` is empty: the SQLite library in use is not SQLCipher, so a
    "key" would be silently ignored and the file written in plain text."""


class SchemaTooNew(StoreError):
    """The file's schema version is newer than this desk knows: it was written by a newer
    desk. Opening it anyway could corrupt tables this code does not understand."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"the desk cache has schema version {found}; this desk knows up to {supported}"
        )
        self.found = found
        self.supported = supported


class MigrationFailed(StoreError):
    """A schema migration step failed; its transaction was rolled back, so the file is still
    at ``from_version``."""

    def __init__(self, from_version: int, to_version: int, detail: str) -> None:
        super().__init__(f"schema migration {from_version} -> {to_version} failed: {detail}")
        self.from_version = from_version
        self.to_version = to_version


class CacheWriteFailed(StoreError):
    """The disk refused a write (an I/O error); the transaction was rolled back, so the cache
    holds nothing half-written. Staff are told to call IT; the work can be tried again."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"the desk cache could not be written: {detail}")
        self.detail = detail


class DiskFull(CacheWriteFailed):
    """The disk (or the cache's size limit) is full: free space and try again."""
