"""Reading back what still reads of a cache that will not open (DESIGN.md §3).

A flipped bit fails one page's HMAC; the outbox usually lives on other pages. The file is
opened read-only (never written: it is evidence for IT), without the whole-file check, and the
pending outbox rows are read; if the table scan hits a damaged page, row by row by id.
"""

from __future__ import annotations

from pathlib import Path

from sqlcipher3 import dbapi2

from . import dbapi
from .outbox import OutboxEntry, entry_columns, entry_from_row

#: When the table scan fails, ids up to this far are tried one by one.
_MAX_PROBE = 100_000


def read_pending_outbox(path: Path, key: bytes) -> list[OutboxEntry] | None:
    """The pending rows that read, oldest first; None when the file does not open with
    ``key`` at all (a replaced key, a truncated header)."""
    for uri_flags in ("mode=ro", "mode=ro&immutable=1"):
        try:
            connection = dbapi2.connect(
                f"{path.resolve().as_uri()}?{uri_flags}", uri=True, isolation_level=None
            )
        except dbapi.Error:
            continue
        try:
            connection.row_factory = dbapi2.Row
            connection.execute("PRAGMA cipher_log_level = NONE")
            connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            connection.execute("PRAGMA cipher_compatibility = 4")
            try:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except dbapi.Error:
                continue
            return _pending(connection)
        finally:
            connection.close()
    return None


def _pending(connection: dbapi.Connection) -> list[OutboxEntry]:
    columns = entry_columns()
    try:
        rows = connection.execute(
            f"SELECT {columns} FROM outbox WHERE state = 'pending' ORDER BY mutation_id"
        ).fetchall()
        return [entry_from_row(r) for r in rows]
    except dbapi.Error:
        pass
    found: list[OutboxEntry] = []
    try:
        seq = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
        top = int(seq[0]) if seq is not None else _MAX_PROBE
    except dbapi.Error:
        top = _MAX_PROBE
    for mutation_id in range(1, min(top, _MAX_PROBE) + 1):
        try:
            row = connection.execute(
                f"SELECT {columns} FROM outbox WHERE mutation_id = ? AND state = 'pending'",
                (mutation_id,),
            ).fetchone()
        except dbapi.Error:
            continue
        if row is not None:
            found.append(entry_from_row(row))
    return found
