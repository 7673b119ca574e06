"""The cache schema's changes since version 1, one step per version, oldest first.

Append a new step at the end (and list it in ``migrations.MIGRATIONS``); never edit one that
has shipped, because desks in the field have already run it. The conventions for dates, times
and ids are those of ``schema_v1``.
"""

from __future__ import annotations

from typing import Final

from .migration_step import sql_step

# Version 2: the outbox of mutations to push (DESIGN.md §4) and the audit trail (§5).
V2_OUTBOX_AND_AUDIT: Final = sql_step(
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

# Version 3 makes the cache a faithful mirror for sync (DESIGN.md §4):
# * reservations are keyed by the UUID the backend also uses (a desk mints it for an offline
#   booking), and carry the day-of-use state (check-in, usage report, fee receipt). Their
#   foreign keys go: pulled pages arrive in the backend's change order, in which a booking may
#   come before its group or room, and the backend is what keeps them consistent.
# * lottery entries, so the counter can tell a group its results;
# * outbox rows remember how to undo their local effect and whether staff have dealt with a
#   rejection (要対応).
V3_SYNC_MIRROR: Final = sql_step(
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
V4_RESUMABLE_SYNC: Final = sql_step(
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
V5_AUDIT_INDEXES: Final = sql_step(
    "CREATE INDEX IF NOT EXISTS audit_events_by_subject ON audit_events (kind, subject)",
    "CREATE INDEX IF NOT EXISTS audit_events_by_kind_at ON audit_events (kind, at)",
    "CREATE INDEX IF NOT EXISTS audit_events_by_at ON audit_events (at)",
)

# Version 6: one set of names from widget to wire to cache (issue 11): a reservation's fee
# columns take the wire's names (ReservationOut: fee_nominal, fee_charged, fee_exemption,
# fee_exemption_note), as the groups table already did, and its usage report those of
# UsageReportIn (actual_headcount, remarks). SQLite renames the column in the
# table's CHECK constraints and indexes too; the rows stay as they are.
V6_WIRE_NAMES: Final = sql_step(
    "ALTER TABLE reservations RENAME COLUMN fee_nominal_yen TO fee_nominal",
    "ALTER TABLE reservations RENAME COLUMN fee_yen TO fee_charged",
    "ALTER TABLE reservations RENAME COLUMN fee_exempt_reason TO fee_exemption",
    "ALTER TABLE reservations RENAME COLUMN fee_exempt_note TO fee_exemption_note",
    # The usage report (利用報告書) as the wire's UsageReportIn names it.
    "ALTER TABLE reservations RENAME COLUMN usage_headcount TO actual_headcount",
    "ALTER TABLE reservations RENAME COLUMN usage_remarks TO remarks",
)
