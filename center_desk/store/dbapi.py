"""The slice of the DB-API that the store uses, typed, and sqlcipher3's exception classes.

sqlcipher3 ships no type information. Rather than pretend its connection is a
``sqlite3.Connection`` (its exceptions are *not* sqlite3's: ``except sqlite3.IntegrityError``
would silently miss ``sqlcipher3.dbapi2.IntegrityError``), the store describes what it needs as
protocols and re-exports the exception classes callers should catch.

Connections opened by the store are in autocommit mode (``isolation_level=None``): nothing is
implicitly begun or committed, and every group of writes goes through :func:`transaction`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final, Protocol, TypeAlias

from sqlcipher3 import dbapi2

from .errors import CacheWriteFailed, DiskFull

#: Parameters for one statement: positional (``?``) or named (``:name``).
Parameters: TypeAlias = Sequence[object] | Mapping[str, object]

Error: Final[type[Exception]] = dbapi2.Error
DatabaseError: Final[type[Exception]] = dbapi2.DatabaseError
IntegrityError: Final[type[Exception]] = dbapi2.IntegrityError
OperationalError: Final[type[Exception]] = dbapi2.OperationalError
ProgrammingError: Final[type[Exception]] = dbapi2.ProgrammingError


class Row(Protocol):
    """A result row, addressable by position or column name (``sqlcipher3.dbapi2.Row``)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Any]: ...
    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    @property
    def lastrowid(self) -> int | None: ...
    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Row | None: ...
    def fetchall(self) -> list[Row]: ...
    def __iter__(self) -> Iterator[Row]: ...


class Connection(Protocol):
    """An open SQLCipher connection. Owned by one thread (see ``connection.Cache``)."""

    @property
    def in_transaction(self) -> bool: ...
    @property
    def total_changes(self) -> int: ...
    def execute(self, sql: str, parameters: Parameters = ..., /) -> Cursor: ...
    def executemany(self, sql: str, seq_of_parameters: Sequence[Parameters], /) -> Cursor: ...
    def close(self) -> None: ...


def error_name(exc: BaseException) -> str:
    """SQLite's name for the error (``SQLITE_NOTADB``…), or "" when it has none."""
    name = getattr(exc, "sqlite_errorname", "")
    return name if isinstance(name, str) else ""


def is_unreadable(exc: BaseException) -> bool:
    """Whether the error means the file cannot be read with this key: a wrong key, a file that
    is not a database, or a corrupt one. Other errors (locked, I/O, permissions) are not: they
    say nothing against the file, and must not lead to wiping it."""
    name = error_name(exc)
    return name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")


@contextmanager
def transaction(connection: Connection) -> Iterator[Connection]:
    """Run the block in one write transaction: committed on success, rolled back on error.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so a transaction that reads and then
    writes cannot fail half-way with SQLITE_BUSY when it tries to upgrade its lock.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        # Inside the try: a COMMIT refused by a deferred foreign key leaves the transaction
        # open, and it must not stay open for the next caller to commit by accident.
        connection.execute("COMMIT")
    except BaseException as exc:
        # Some errors (SQLITE_FULL, SQLITE_IOERR…) have already rolled the transaction back;
        # a second ROLLBACK would raise and hide the original error.
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        failed = write_failure(exc)
        if failed is not None:
            raise failed from exc
        raise


def write_failure(exc: BaseException) -> CacheWriteFailed | None:
    """The typed store error for a write the disk refused, or None for any other error."""
    if not isinstance(exc, dbapi2.OperationalError):
        return None
    name = error_name(exc)
    if name == "SQLITE_FULL":
        return DiskFull(name)
    if name.startswith("SQLITE_IOERR"):
        return CacheWriteFailed(name)
    return None
