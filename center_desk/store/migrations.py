"""The cache schema, as an ordered list of migrations numbered by ``PRAGMA user_version``, and
the runner that brings a file up to date.

Each :class:`Migration` runs in its own transaction together with the bump of
``user_version``, so a file is always at exactly one known version: a step that fails leaves no
half-made tables behind. A file whose version is above the newest known step was written by a
newer desk and is refused (:class:`SchemaTooNew`) rather than guessed at.

To change the schema, append a step (in ``schema_changes``) and list it here; never edit one
that has shipped, because desks in the field have already run it. Table rebuilds work inside the
step's transaction: foreign keys are deferred there and checked before the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from . import dbapi
from .dbapi import Connection
from .errors import MigrationFailed, SchemaTooNew, StoreError
from .migration_step import Migration
from .schema_changes import (
    V2_OUTBOX_AND_AUDIT,
    V3_SYNC_MIRROR,
    V4_RESUMABLE_SYNC,
    V5_AUDIT_INDEXES,
    V6_WIRE_NAMES,
)
from .schema_v1 import V1_DESK_CACHE

#: Every schema step, oldest first. Append only.
MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "desk cache: catalog, closures, groups, reservations, staff", V1_DESK_CACHE),
    Migration(2, "outbox and audit events", V2_OUTBOX_AND_AUDIT),
    Migration(3, "sync mirror: reservation ids, day-of-use state, lottery entries", V3_SYNC_MIRROR),
    Migration(
        4, "resumable snapshots, salvaged outbox, one waiting booking per slot", V4_RESUMABLE_SYNC
    ),
    Migration(5, "audit event indexes for the print path and the day journal", V5_AUDIT_INDEXES),
    Migration(6, "reservation fee and usage columns named as on the wire", V6_WIRE_NAMES),
)

#: The schema version this code writes.
LATEST_VERSION: Final = MIGRATIONS[-1].version


def schema_version(connection: Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    assert row is not None  # PRAGMA user_version always answers
    return int(row[0])


def _check_sequence(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(migrations) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3… without gaps, got {versions}")


def migrate(connection: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the file up to the last of ``migrations``; return the version it is now at.

    Raises :class:`SchemaTooNew` for a file newer than ``migrations`` and
    :class:`MigrationFailed` when a step fails (that step is rolled back).
    """
    _check_sequence(migrations)
    supported = len(migrations)
    current = schema_version(connection)
    if current > supported:
        raise SchemaTooNew(found=current, supported=supported)
    for migration in migrations[current:]:
        try:
            with dbapi.transaction(connection):
                # Lets a step rebuild a table that others reference; checked below.
                connection.execute("PRAGMA defer_foreign_keys = ON")
                migration.apply(connection)
                violations = connection.execute("PRAGMA foreign_key_check").fetchall()
                if violations:
                    raise MigrationFailed(
                        migration.version - 1,
                        migration.version,
                        f"{len(violations)} foreign key violation(s) after the step",
                    )
                # PRAGMA takes no parameters; the version is an int from our own list.
                connection.execute(f"PRAGMA user_version = {int(migration.version)}")
        except StoreError:
            raise
        except dbapi.Error as exc:
            if dbapi.is_unreadable(exc):
                raise  # a damaged file, not a broken step: the caller's recovery applies
            raise MigrationFailed(migration.version - 1, migration.version, str(exc)) from exc
    return schema_version(connection)
