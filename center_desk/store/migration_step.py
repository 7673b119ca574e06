"""What one step of the cache schema is, and how SQL statements become one.

A step runs inside the transaction ``migrations.migrate`` opens for it, together with the bump
of ``PRAGMA user_version``; it must not commit on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .dbapi import Connection

#: A migration's work: statements executed in the migration's transaction.
MigrationStep = Callable[[Connection], None]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: MigrationStep


def sql_step(*statements: str) -> MigrationStep:
    """A step running these statements in order (one statement each).

    Not ``executescript``: it commits any open transaction first, which would break the
    one-transaction-per-migration guarantee.
    """

    def run(connection: Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return run
