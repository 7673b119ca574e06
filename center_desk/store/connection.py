"""Opening, closing and wiping the encrypted desk cache (SQLCipher 4, DESIGN.md §3).

The order of :func:`open_cache` is the point of this module:

1. find the key: a new file gets a new random key, stored in the keyring *before* the file
   exists; an existing file whose key is absent is :class:`CacheKeyMissing`, never a new key;
2. ``PRAGMA key`` first, before anything reads the file;
3. ``PRAGMA cipher_version`` must answer, or the library is plain SQLite and would ignore the key
   and write plain text (:class:`CipherUnavailable`);
4. read ``sqlite_master``: the first real read, where a wrong key, a plain SQLite file or
   garbage shows up as "file is not a database" (:class:`CacheUnreadable`); then every page
   once (``PRAGMA quick_check``), where a page damaged on disk fails its HMAC
   (:class:`CacheUnreadable` too);
5. WAL, ``synchronous=FULL``, ``foreign_keys=ON``, then the schema migrations.

**One thread owns a cache.** DESIGN.md §2: one worker thread opens the cache, runs every query
and closes it; the GUI submits work to that thread. The connection keeps SQLite's
same-thread check on, so a stray call from another thread fails loudly instead of racing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from sqlcipher3 import dbapi2

from . import dbapi
from .dbapi import Connection
from .errors import (
    CacheKeyMissing,
    CacheNotFound,
    CacheUnreadable,
    CipherUnavailable,
    StoreError,
)
from .keys import CacheKeyStore, MalformedKey
from .migration_step import Migration
from .migrations import MIGRATIONS, migrate, schema_version

#: Files SQLite keeps next to the cache. The WAL holds recent pages (encrypted like the file).
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")

#: How long a statement waits for a lock held by another connection before failing. Only a
#: second desk process on the same file would hold one; failing after a while beats hanging.
BUSY_TIMEOUT_SECONDS = 5.0

_PRIVATE_FILE = 0o600
_PRIVATE_DIR = 0o700


def cache_id_for(path: str | os.PathLike[str]) -> str:
    """The id naming a cache file's key in the keyring: its absolute, normalised path.

    Tied to the location on purpose: a copied file does not come with its key.
    """
    return os.path.normcase(str(Path(path).resolve()))


def companion_paths(path: str | os.PathLike[str]) -> tuple[Path, ...]:
    base = Path(path)
    return tuple(base.with_name(base.name + suffix) for suffix in COMPANION_SUFFIXES)


class Cache:
    """An open desk cache: the SQLCipher connection, and where it came from.

    Made by :func:`open_cache`. Use it from the thread that opened it only. The connection is in
    autocommit mode: group writes with :meth:`transaction`. The key is not kept here; SQLCipher
    holds its own copy until :meth:`close`.
    """

    def __init__(
        self, connection: Connection, *, path: Path, cache_id: str, cipher_version: str
    ) -> None:
        self._connection: Connection | None = connection
        self.path = path
        self.cache_id = cache_id
        #: SQLCipher's version string, e.g. "4.6.1 community", for the About box and diagnostics.
        self.cipher_version = cipher_version

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise StoreError("the desk cache is closed")
        return self._connection

    @property
    def closed(self) -> bool:
        return self._connection is None

    def schema_version(self) -> int:
        return schema_version(self.connection)

    def transaction(self) -> AbstractContextManager[Connection]:
        """``with cache.transaction() as db:`` commits on success, rolls back on error."""
        return dbapi.transaction(self.connection)

    def close(self) -> None:
        """Close the connection; SQLite folds the WAL back into the file and removes it, and
        SQLCipher forgets the key. Closing twice is harmless."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_cache(
    path: str | os.PathLike[str],
    key_store: CacheKeyStore,
    *,
    create: bool = True,
    cache_id: str | None = None,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> Cache:
    """Open the cache at ``path``, creating it (and its key, and parent folders) if ``create``.

    ``migrations`` is the schema this code knows; only tests pass a shorter list, to play an
    older desk. Raises the :mod:`~center_desk.store.errors` kinds; see the module docstring for
    the order of checks.
    """
    path = Path(path)
    cache_id = cache_id if cache_id is not None else cache_id_for(path)
    if path.exists():
        try:
            key = key_store.load_key(cache_id)
        except MalformedKey as exc:
            raise CacheKeyMissing(path, str(exc)) from exc
        if key is None:
            raise CacheKeyMissing(path)
        _restrict_permissions(path)
    elif create:
        _make_private_dir(path.parent)
        # Leftovers of a wiped or crashed cache belong to another key: clear them rather than
        # count on SQLite discarding a WAL found next to an empty file.
        _remove_files(companion_paths(path))
        # The key is stored before the file exists, so there is never a file without a key.
        key = key_store.create_key(cache_id)
        _create_private_file(path)
    else:
        raise CacheNotFound(path)

    connection = _connect(path)
    try:
        version = _unlock(connection, key, path)
        _configure(connection, path)
        migrate(connection, migrations)
    except dbapi.Error as exc:
        connection.close()
        if dbapi.is_unreadable(exc):
            raise CacheUnreadable(path, dbapi.error_name(exc)) from exc
        raise StoreError(f"cannot open the desk cache {path.name}: {exc}") from exc
    except BaseException:
        connection.close()
        raise
    return Cache(connection, path=path, cache_id=cache_id, cipher_version=version)


def wipe_cache(
    path: str | os.PathLike[str], key_store: CacheKeyStore, *, cache_id: str | None = None
) -> None:
    """Delete the cache file, its WAL and shared-memory files, and its key.

    For recovery ("wipe and resync") and revoked devices. Close the cache first. The key goes
    first: once it is gone the file is unreadable, even if deleting the file then fails (a
    virus scanner holding it open on Windows, say). The files are removed even when the
    keyring fails, and the keyring's error is raised afterwards.
    """
    path = Path(path)
    cache_id = cache_id if cache_id is not None else cache_id_for(path)
    try:
        key_store.delete_key(cache_id)
    finally:
        _remove_files((path, *companion_paths(path)))


def require_sqlcipher(connection: Connection) -> str:
    """SQLCipher's version, or :class:`CipherUnavailable` when the library is plain SQLite."""
    row = connection.execute("PRAGMA cipher_version").fetchone()
    version = str(row[0]) if row is not None and row[0] is not None else ""
    if not version:
        raise CipherUnavailable(
            "the SQLite library in use is not SQLCipher (PRAGMA cipher_version is empty); "
            "reinstall the desk so that sqlcipher3 brings its own SQLCipher"
        )
    return version


def _connect(path: Path) -> Connection:
    # mode=rw: SQLite must never create the file itself, with the umask's permissions; the
    # caller has made it already, private.
    uri = path.resolve().as_uri() + "?mode=rw"
    try:
        raw = dbapi2.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
    except dbapi.Error as exc:
        raise StoreError(f"cannot open the desk cache {path.name}: {exc}") from exc
    raw.row_factory = dbapi2.Row
    connection: Connection = raw
    return connection


def _unlock(connection: Connection, key: bytes, path: Path) -> str:
    # SQLCipher's own log lines ("ERROR CORE … hmac check failed") would go to stderr, into
    # what staff and the CLI read; the typed errors below say what matters. Not a read of
    # the file, so it may precede the key.
    connection.execute("PRAGMA cipher_log_level = NONE")
    # The key must be the very first statement: SQLCipher reads the salt and derives its keys
    # on first access, and anything read before the key is read as plain SQLite.
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    version = require_sqlcipher(connection)
    # Pins the file format to SQLCipher 4's settings, so a later SQLCipher with new defaults
    # still opens the files existing desks wrote.
    connection.execute("PRAGMA cipher_compatibility = 4")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _check_pages(connection, path)
    except dbapi.Error as exc:
        if dbapi.is_unreadable(exc):
            raise CacheUnreadable(path, dbapi.error_name(exc)) from exc
        raise
    return version


def _check_pages(connection: Connection, path: Path) -> None:
    """Read every page once (``PRAGMA quick_check``, through the WAL): a page damaged on disk
    fails its HMAC here, at open, where it leads to the audited wipe and resync, instead of
    failing some later query in the middle of the counter's work."""
    rows = connection.execute("PRAGMA quick_check").fetchall()
    problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
    if problems:
        # SQLite's messages name pages and tables, never the values in them.
        raise CacheUnreadable(path, f"SQLITE_CORRUPT: {problems[0][:120]}")


def _configure(connection: Connection, path: Path) -> None:
    row = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    mode = str(row[0]).lower() if row is not None else ""
    if mode != "wal":
        # Only a file system that cannot do WAL (a network share) refuses it; the cache
        # belongs on a local disk.
        raise StoreError(f"the desk cache {path.name} cannot use WAL (journal mode {mode!r})")
    # FULL: a booking the desk confirmed to staff must survive a power cut.
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    # Purged personal data (DESIGN.md §3) is overwritten, not merely unlinked from the b-tree.
    connection.execute("PRAGMA secure_delete = ON")


def _make_private_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=_PRIVATE_DIR)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for the desk cache: {exc.strerror}") from exc


def _create_private_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE_FILE)
    except OSError as exc:
        raise StoreError(f"cannot create the desk cache {path.name}: {exc.strerror}") from exc
    os.close(fd)
    # The umask may have taken bits away from 0600, but never adds any: set it exactly.
    _restrict_permissions(path)


def _restrict_permissions(path: Path) -> None:
    """Owner-only on POSIX. SQLite gives the WAL and shm files the database file's mode, so
    this covers them as they are created. (On Windows the profile folder's ACL does this.)"""
    if os.name != "posix":
        return
    for candidate in (path, *companion_paths(path)):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode != _PRIVATE_FILE:
                candidate.chmod(_PRIVATE_FILE)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(
                f"cannot make the desk cache {candidate.name} private: {exc.strerror}"
            ) from exc


def _remove_files(paths: Sequence[Path]) -> None:
    # Try every file before reporting: one that cannot go must not keep the others.
    failures: list[str] = []
    for candidate in paths:
        try:
            candidate.unlink(missing_ok=True)
        except OSError as exc:
            failures.append(f"{candidate.name} ({exc.strerror})")
    if failures:
        raise StoreError(f"cannot delete {', '.join(failures)}")
