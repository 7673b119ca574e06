"""The cache schema, as an ordered list of migrations numbered by ``PRAGMA user_version``.

Each :class:`Migration` runs in its own transaction together with the bump of
``user_version``, so a file is always at exactly one known version: a step that fails leaves no
half-made tables behind. A file whose version is above the newest known step was written by a
newer desk and is refused (:class:`SchemaTooNew`) rather than guessed at.

To change the schema, append a step; never edit one that has shipped, because desks in the field
have already run it. Table rebuilds work inside the step's transaction: foreign keys are
deferred there and checked before the commit.

Dates are ISO-8601 text (``2026-12-01``), times of day ``HH:MM``, moments ISO-8601 with their
offset. Identifiers issued by the backend (center, room, slot, user ids, approval numbers) are
text. Personal data lives only in this encrypted file, in ``groups``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from . import dbapi
from .dbapi import Connection
from .errors import MigrationFailed, SchemaTooNew, StoreError

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


# Version 1: what the desk keeps (DESIGN.md §3): this center's catalog and closures, the
# reservations from 30 days back to 3 months ahead, the groups they reference, and the verifiers
# for offline sign-in.
_V1_DESK_CACHE: Final = sql_step(
    # device_id, center_id, sync_cursor, … : small facts about this desk, one row each.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE centers (
        center_id TEXT PRIMARY KEY NOT NULL,
        name      TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE rooms (
        room_id             TEXT PRIMARY KEY NOT NULL,
        center_id           TEXT NOT NULL REFERENCES centers (center_id),
        name                TEXT NOT NULL,
        kind                TEXT NOT NULL,
        capacity            INTEGER NOT NULL CHECK (capacity > 0),
        individuals_allowed INTEGER NOT NULL DEFAULT 0 CHECK (individuals_allowed IN (0, 1)),
        sort_order          INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX rooms_by_center ON rooms (center_id, sort_order)",
    # コマ: the same slot ids for every room (午前/午後/夜間).
    """
    CREATE TABLE slots (
        slot_id   TEXT PRIMARY KEY NOT NULL,
        label     TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at   TEXT NOT NULL,
        CHECK (starts_at < ends_at)
    )
    """,
    # A room offers a slot exactly when it has a fee for it (domain.catalog.Room.fees).
    """
    CREATE TABLE room_slots (
        room_id TEXT NOT NULL REFERENCES rooms (room_id) ON DELETE CASCADE,
        slot_id TEXT NOT NULL REFERENCES slots (slot_id),
        fee_yen INTEGER NOT NULL CHECK (fee_yen >= 0),
        PRIMARY KEY (room_id, slot_id)
    ) WITHOUT ROWID
    """,
    # 臨時休館日 set by the city; the regular and year-end closures are computed by the domain.
    """
    CREATE TABLE closures (
        center_id TEXT NOT NULL REFERENCES centers (center_id),
        closed_on TEXT NOT NULL,
        reason    TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (center_id, closed_on)
    ) WITHOUT ROWID
    """,
    # 登録団体. The personal data of the desk: representative (代表者) and responsible person
    # (利用責任者). Phones and furigana are stored normalised (domain.group_normalization), so
    # lookups compare exact strings; prefix searches on furigana should use a range or GLOB,
    # which can use the index, not LIKE, which cannot under the default collation.
    # last_seen_here_at: when this desk last booked for, registered or looked up the group; the
    # 90-day purge of personal data reads it.
    """
    CREATE TABLE groups (
        user_id                    TEXT PRIMARY KEY NOT NULL,
        name                       TEXT NOT NULL,
        furigana                   TEXT NOT NULL,
        activity                   TEXT NOT NULL DEFAULT '',
        member_count               INTEGER NOT NULL CHECK (member_count >= 0),
        kodaira_member_count       INTEGER NOT NULL
            CHECK (kodaira_member_count BETWEEN 0 AND member_count),
        representative_is_resident INTEGER NOT NULL CHECK (representative_is_resident IN (0, 1)),
        fee_exemption              TEXT,
        fee_exemption_note         TEXT NOT NULL DEFAULT '',
        valid_until                TEXT NOT NULL,
        representative_name        TEXT NOT NULL,
        representative_furigana    TEXT NOT NULL,
        representative_postal_code TEXT NOT NULL,
        representative_address     TEXT NOT NULL,
        representative_phone       TEXT NOT NULL,
        representative_email       TEXT,
        responsible_name           TEXT NOT NULL,
        responsible_furigana       TEXT NOT NULL,
        responsible_postal_code    TEXT NOT NULL,
        responsible_address        TEXT NOT NULL,
        responsible_phone          TEXT NOT NULL,
        responsible_email          TEXT,
        last_seen_here_at          TEXT NOT NULL
    )
    """,
    "CREATE INDEX groups_by_furigana ON groups (furigana)",
    "CREATE INDEX groups_by_representative_phone ON groups (representative_phone)",
    "CREATE INDEX groups_by_responsible_phone ON groups (responsible_phone)",
    "CREATE INDEX groups_by_last_seen ON groups (last_seen_here_at)",
    # reservation_id is local. approval_number (承認番号) is issued by the backend and stays NULL
    # for an offline booking until its push is applied; pulls upsert on it.
    # Foreign keys are deferred so a pull can apply a batch in any order within its transaction.
    # individual bookings (第二娯楽室・遊戯室) have no registered group.
    """
    CREATE TABLE reservations (
        reservation_id    INTEGER PRIMARY KEY,
        approval_number   TEXT UNIQUE,
        center_id         TEXT NOT NULL
            REFERENCES centers (center_id) DEFERRABLE INITIALLY DEFERRED,
        room_id           TEXT NOT NULL,
        use_date          TEXT NOT NULL,
        slot_id           TEXT NOT NULL,
        applicant_kind    TEXT NOT NULL DEFAULT 'group'
            CHECK (applicant_kind IN ('group', 'individual')),
        user_id           TEXT REFERENCES groups (user_id) DEFERRABLE INITIALLY DEFERRED,
        kind              TEXT NOT NULL CHECK (kind IN ('lottery', 'first_come', 'last_minute')),
        channel           TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
        status            TEXT NOT NULL DEFAULT 'booked'
            CHECK (status IN ('booked', 'cancelled', 'used', 'no_show')),
        purpose           TEXT NOT NULL DEFAULT '',
        headcount         INTEGER CHECK (headcount IS NULL OR headcount > 0),
        fee_nominal_yen   INTEGER NOT NULL DEFAULT 0 CHECK (fee_nominal_yen >= 0),
        fee_yen           INTEGER NOT NULL DEFAULT 0 CHECK (fee_yen BETWEEN 0 AND fee_nominal_yen),
        fee_exempt_reason TEXT,
        fee_exempt_note   TEXT NOT NULL DEFAULT '',
        sync_state        TEXT NOT NULL DEFAULT 'synced'
            CHECK (sync_state IN ('synced', 'pending', 'rejected')),
        CHECK ((applicant_kind = 'group') = (user_id IS NOT NULL)),
        FOREIGN KEY (room_id, slot_id) REFERENCES room_slots (room_id, slot_id)
            DEFERRABLE INITIALLY DEFERRED
    )
    """,
    # The day sheet and "is this slot free?": by date, then room and slot.
    "CREATE INDEX reservations_by_use_date ON reservations (use_date, room_id, slot_id)",
    # A group's bookings, and its monthly quota counts.
    "CREATE INDEX reservations_by_group ON reservations (user_id, use_date)",
    "CREATE INDEX reservations_unsynced ON reservations (sync_state) WHERE sync_state <> 'synced'",
    # Offline sign-in: the argon2 verifier of staff who signed in online at this desk.
    """
    CREATE TABLE staff_verifiers (
        staff_id            TEXT PRIMARY KEY NOT NULL,
        verifier            TEXT NOT NULL,
        last_online_sign_in TEXT NOT NULL
    )
    """,
)

# Version 2: the outbox of mutations to push (DESIGN.md §4) and the audit trail (§5).
_V2_OUTBOX_AND_AUDIT: Final = sql_step(
    # AUTOINCREMENT, not a bare INTEGER PRIMARY KEY: SQLite reuses the largest rowid after it
    # is deleted, and the server acknowledges a reused mutation id as a duplicate without
    # applying it, silently losing the new mutation.
    # reason_code is a domain ReasonCode, set only for rejected mutations (要対応).
    """
    CREATE TABLE outbox (
        mutation_id   INTEGER PRIMARY KEY AUTOINCREMENT,
        kind          TEXT NOT NULL,
        payload       TEXT NOT NULL CHECK (json_valid(payload)),
        created_at    TEXT NOT NULL,
        state         TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'applied', 'rejected')),
        reason_code   TEXT,
        result_detail TEXT,
        CHECK (reason_code IS NULL OR state = 'rejected')
    )
    """,
    "CREATE INDEX outbox_by_state ON outbox (state, mutation_id)",
    # subject names what the event concerns by id only ("group:U0001234", "print:journal"):
    # audit events are synced and logged, and never carry personal data.
    # staff_id is NULL for events before anyone signs in (a posture failure at start).
    """
    CREATE TABLE audit_events (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        kind     TEXT NOT NULL,
        staff_id TEXT,
        subject  TEXT NOT NULL DEFAULT '',
        synced   INTEGER NOT NULL DEFAULT 0 CHECK (synced IN (0, 1))
    )
    """,
    "CREATE INDEX audit_events_unsynced ON audit_events (id) WHERE synced = 0",
)

#: Every schema step, oldest first. Append only.

# Version 3 makes the cache a faithful mirror for sync (DESIGN.md §4):
# * reservations are keyed by the UUID the backend also uses (a desk mints it for an offline
#   booking), and carry the day-of-use state (check-in, usage report, fee receipt). Their
#   foreign keys go: pulled pages arrive in the backend's change order, in which a booking may
#   come before its group or room, and the backend is what keeps them consistent.
# * lottery entries, so the counter can tell a group its results;
# * outbox rows remember how to undo their local effect and whether staff have dealt with a
#   rejection (要対応).
_V3_SYNC_MIRROR: Final = sql_step(
    """
    CREATE TABLE reservations_v3 (
        id                TEXT PRIMARY KEY NOT NULL,
        approval_number   TEXT NOT NULL UNIQUE,
        center_id         TEXT NOT NULL,
        room_id           TEXT NOT NULL,
        use_date          TEXT NOT NULL,
        slot_id           TEXT NOT NULL,
        applicant_kind    TEXT NOT NULL DEFAULT 'group'
            CHECK (applicant_kind IN ('group', 'individual')),
        user_id           TEXT,
        group_name        TEXT,
        individual_name   TEXT,
        kind              TEXT NOT NULL CHECK (kind IN ('lottery', 'first_come', 'last_minute')),
        channel           TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
        status            TEXT NOT NULL DEFAULT 'booked'
            CHECK (status IN ('booked', 'cancelled', 'used', 'no_show')),
        purpose           TEXT NOT NULL DEFAULT '',
        headcount         INTEGER CHECK (headcount IS NULL OR headcount > 0),
        fee_nominal_yen   INTEGER NOT NULL DEFAULT 0 CHECK (fee_nominal_yen >= 0),
        fee_yen           INTEGER NOT NULL DEFAULT 0 CHECK (fee_yen BETWEEN 0 AND fee_nominal_yen),
        fee_exempt_reason TEXT,
        fee_exempt_note   TEXT NOT NULL DEFAULT '',
        fee_paid          INTEGER NOT NULL DEFAULT 0 CHECK (fee_paid IN (0, 1)),
        checked_in_at     TEXT,
        usage_headcount   INTEGER,
        usage_remarks     TEXT NOT NULL DEFAULT '',
        cancelled_reason  TEXT NOT NULL DEFAULT '',
        created_at        TEXT NOT NULL DEFAULT '',
        sync_state        TEXT NOT NULL DEFAULT 'synced'
            CHECK (sync_state IN ('synced', 'pending', 'rejected')),
        CHECK ((applicant_kind = 'group') = (user_id IS NOT NULL))
    )
    """,
    """
    INSERT INTO reservations_v3 (
        id, approval_number, center_id, room_id, use_date, slot_id, applicant_kind, user_id,
        kind, channel, status, purpose, headcount, fee_nominal_yen, fee_yen, fee_exempt_reason,
        fee_exempt_note, sync_state)
    SELECT
        -- Version 2 held no backend ids; these rows are replaced on the next full pull.
        'local-' || reservation_id,
        coalesce(approval_number, 'LOCAL-' || reservation_id),
        center_id, room_id, use_date, slot_id, applicant_kind, user_id, kind, channel, status,
        purpose, headcount, fee_nominal_yen, fee_yen, fee_exempt_reason, fee_exempt_note,
        sync_state
    FROM reservations
    """,
    "DROP TABLE reservations",
    "ALTER TABLE reservations_v3 RENAME TO reservations",
    "CREATE INDEX reservations_by_use_date ON reservations (use_date, room_id, slot_id)",
    "CREATE INDEX reservations_by_group ON reservations (user_id, use_date)",
    "CREATE INDEX reservations_unsynced ON reservations (sync_state) WHERE sync_state <> 'synced'",
    """
    CREATE TABLE lottery_entries (
        id         TEXT PRIMARY KEY NOT NULL,
        user_id    TEXT NOT NULL,
        center_id  TEXT NOT NULL,
        room_id    TEXT NOT NULL,
        use_date   TEXT NOT NULL,
        slot_id    TEXT NOT NULL,
        channel    TEXT NOT NULL,
        status     TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX lottery_entries_by_group ON lottery_entries (user_id, use_date)",
    "ALTER TABLE outbox ADD COLUMN undo TEXT CHECK (undo IS NULL OR json_valid(undo))",
    "ALTER TABLE outbox ADD COLUMN summary TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE outbox ADD COLUMN resolved_at TEXT",
    "ALTER TABLE audit_events ADD COLUMN event_id TEXT",
)

# Version 4: sync that never loses a booking (issue 10), and cheaper snapshot pages (issue 13):
# * ``snapshot_stale`` marks the pulled rows a snapshot in progress has not confirmed yet; they
#   stay visible while it runs (and across an interruption) and go only when its last page is
#   applied, so an interrupted snapshot never leaves the mirror half empty;
# * ``salvaged`` outbox rows were read back from a cache that would not open, with the ids the
#   backend may already have taken;
# * at most one live booking of a slot waits to be pushed, even with two desk processes on one
#   cache (the check runs in the write transaction; this index is the last word);
# * whether a group is active is a column, not a meta row per group.
_V4_RESUMABLE_SYNC: Final = sql_step(
    "ALTER TABLE reservations ADD COLUMN snapshot_stale INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE lottery_entries ADD COLUMN snapshot_stale INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE closures ADD COLUMN snapshot_stale INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE outbox ADD COLUMN salvaged INTEGER NOT NULL DEFAULT 0",
    """
    CREATE UNIQUE INDEX reservations_one_waiting_booking_per_slot
        ON reservations (room_id, use_date, slot_id)
        WHERE status <> 'cancelled' AND sync_state = 'pending'
    """,
    "CREATE INDEX reservations_stale ON reservations (snapshot_stale) WHERE snapshot_stale = 1",
    "ALTER TABLE groups ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))",
    """
    UPDATE groups SET active = 0 WHERE user_id IN (
        SELECT substr(key, length('group_active:') + 1) FROM meta
        WHERE key LIKE 'group_active:%' AND value = '0')
    """,
    "DELETE FROM meta WHERE key LIKE 'group_active:%'",
    # Retention (issues 10, 13, 15): applied outbox rows and synced audit events by age.
    "CREATE INDEX outbox_by_state_created ON outbox (state, created_at)",
)

# Version 5: the print path and the day journal look audit events up by kind and subject (was
# this slip printed before?) and by kind and day (the fee receipts of a day). Without these the
# trail, which grows with every print, view and lock, is scanned on each print.
_V5_AUDIT_INDEXES: Final = sql_step(
    "CREATE INDEX IF NOT EXISTS audit_events_by_subject ON audit_events (kind, subject)",
    "CREATE INDEX IF NOT EXISTS audit_events_by_kind_at ON audit_events (kind, at)",
    "CREATE INDEX IF NOT EXISTS audit_events_by_at ON audit_events (at)",
)

# Version 6: one set of names from widget to wire to cache (issue 11): a reservation's fee
# columns take the wire's names (ReservationOut: fee_nominal, fee_charged, fee_exemption,
# fee_exemption_note), as the groups table already did, and its usage report those of
# UsageReportIn (actual_headcount, remarks). SQLite renames the column in the
# table's CHECK constraints and indexes too; the rows stay as they are.
_V6_WIRE_NAMES: Final = sql_step(
    "ALTER TABLE reservations RENAME COLUMN fee_nominal_yen TO fee_nominal",
    "ALTER TABLE reservations RENAME COLUMN fee_yen TO fee_charged",
    "ALTER TABLE reservations RENAME COLUMN fee_exempt_reason TO fee_exemption",
    "ALTER TABLE reservations RENAME COLUMN fee_exempt_note TO fee_exemption_note",
    # The usage report (利用報告書) as the wire's UsageReportIn names it.
    "ALTER TABLE reservations RENAME COLUMN usage_headcount TO actual_headcount",
    "ALTER TABLE reservations RENAME COLUMN usage_remarks TO remarks",
)

MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "desk cache: catalog, closures, groups, reservations, staff", _V1_DESK_CACHE),
    Migration(2, "outbox and audit events", _V2_OUTBOX_AND_AUDIT),
    Migration(
        3, "sync mirror: reservation ids, day-of-use state, lottery entries", _V3_SYNC_MIRROR
    ),
    Migration(
        4, "resumable snapshots, salvaged outbox, one waiting booking per slot", _V4_RESUMABLE_SYNC
    ),
    Migration(5, "audit event indexes for the print path and the day journal", _V5_AUDIT_INDEXES),
    Migration(6, "reservation fee and usage columns named as on the wire", _V6_WIRE_NAMES),
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
