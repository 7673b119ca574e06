"""The cache schema as first shipped (version 1): the tables of what the desk keeps.

Dates are ISO-8601 text (``2026-12-01``), times of day ``HH:MM``, moments ISO-8601 with their
offset. Identifiers issued by the backend (center, room, slot, user ids, approval numbers) are
text. Personal data lives only in this encrypted file, in ``groups``.

Shipped: desks in the field have run this step, so it is never edited; later changes are new
steps in ``schema_changes``.
"""

from __future__ import annotations

from typing import Final

from .migration_step import sql_step

# Version 1: what the desk keeps (DESIGN.md §3): this center's catalog and closures, the
# reservations from 30 days back to 3 months ahead, the groups they reference, and the verifiers
# for offline sign-in.
V1_DESK_CACHE: Final = sql_step(
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
