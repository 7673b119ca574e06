"""Schema migrations: a file written by an older desk is upgraded with its data intact, a failed
step leaves the file as it was, and a file from a newer desk is refused."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from center_desk.store import (
    LATEST_VERSION,
    MIGRATIONS,
    Connection,
    IntegrityError,
    KeyStore,
    Migration,
    MigrationFailed,
    SchemaTooNew,
    dbapi,
    migrate,
    open_cache,
    sql_step,
)

pytestmark = pytest.mark.keyring

#: What an older desk knew: schema version 1 only.
VERSION_1 = MIGRATIONS[:1]

V1_TABLES = {
    "meta",
    "centers",
    "rooms",
    "slots",
    "room_slots",
    "closures",
    "groups",
    "reservations",
    "staff_verifiers",
}
V2_TABLES = {"outbox", "audit_events"}


def _names(db: Connection, kind: str) -> set[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'", (kind,)
    ).fetchall()
    return {row[0] for row in rows}


def test_the_migration_list_is_numbered_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert LATEST_VERSION >= 2


def test_a_new_cache_has_the_whole_schema(key_store: KeyStore, cache_path: Path) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        assert cache.schema_version() == LATEST_VERSION
        assert _names(db, "table") >= V1_TABLES | V2_TABLES
        # The counter's lookups: the day's bookings, a group by reading or by phone.
        assert {
            "reservations_by_use_date",
            "groups_by_furigana",
            "groups_by_representative_phone",
            "groups_by_responsible_phone",
        } <= _names(db, "index")
        plan = " ".join(
            str(row[3])
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM reservations WHERE use_date = '2026-12-01'"
            )
        )
        assert "reservations_by_use_date" in plan


def test_a_version_1_file_is_upgraded_with_its_data(
    key_store: KeyStore, cache_path: Path, sample
) -> None:
    with open_cache(cache_path, key_store, migrations=VERSION_1) as old_desk:
        assert old_desk.schema_version() == 1
        assert not V2_TABLES & _names(old_desk.connection, "table")
        with old_desk.transaction() as db:
            sample.seed(db)
        counts = sample.counts(old_desk.connection)

    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        assert cache.schema_version() == LATEST_VERSION
        assert sample.counts(db) == counts
        assert sample.read_group(db) == sample.group
        assert _names(db, "table") >= V2_TABLES
        with cache.transaction() as tx:
            tx.execute(
                "INSERT INTO outbox (kind, payload, created_at) VALUES (?, ?, ?)",
                ("check_in", json.dumps({"approval_number": "A-2026-000123"}), "2026-12-01"),
            )
        assert db.execute("SELECT state FROM outbox").fetchone()[0] == "pending"


def test_a_failed_step_is_rolled_back(key_store: KeyStore, cache_path: Path, sample) -> None:
    with (
        open_cache(cache_path, key_store, migrations=VERSION_1) as cache,
        cache.transaction() as db,
    ):
        sample.seed(db)
    broken = (
        *VERSION_1,
        Migration(
            2,
            "a step that fails half-way",
            sql_step("CREATE TABLE half_made (x)", "INSERT INTO no_such_table VALUES (1)"),
        ),
    )

    with pytest.raises(MigrationFailed) as raised:
        open_cache(cache_path, key_store, migrations=broken)
    assert (raised.value.from_version, raised.value.to_version) == (1, 2)

    with open_cache(cache_path, key_store, migrations=VERSION_1) as cache:
        assert cache.schema_version() == 1
        assert "half_made" not in _names(cache.connection, "table")
        assert sample.read_group(cache.connection) == sample.group
    with open_cache(cache_path, key_store) as cache:  # the fixed desk upgrades it
        assert cache.schema_version() == LATEST_VERSION


def test_a_step_that_breaks_a_foreign_key_is_rolled_back(
    key_store: KeyStore, cache_path: Path, sample
) -> None:
    with (
        open_cache(cache_path, key_store, migrations=VERSION_1) as cache,
        cache.transaction() as db,
    ):
        sample.seed(db)
    careless = (
        *VERSION_1,
        Migration(2, "drops rooms still booked", sql_step("DELETE FROM room_slots")),
    )
    with pytest.raises(MigrationFailed, match="foreign key"):
        open_cache(cache_path, key_store, migrations=careless)
    with open_cache(cache_path, key_store, migrations=VERSION_1) as cache:
        assert sample.counts(cache.connection)["room_slots"] == 1


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_from_a_newer_desk_is_refused(key_store: KeyStore, cache_path: Path) -> None:
    open_cache(cache_path, key_store).close()
    with pytest.raises(SchemaTooNew) as raised:
        open_cache(cache_path, key_store, migrations=VERSION_1)
    assert (raised.value.found, raised.value.supported) == (LATEST_VERSION, 1)


def test_an_unknown_schema_version_is_refused_and_left_alone(
    key_store: KeyStore, cache_path: Path
) -> None:
    with open_cache(cache_path, key_store) as cache:
        cache.connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    before = _digest(cache_path)
    for _ in range(2):
        with pytest.raises(SchemaTooNew) as raised:
            open_cache(cache_path, key_store)
        assert raised.value.found == LATEST_VERSION + 5
        assert raised.value.supported == LATEST_VERSION
    assert _digest(cache_path) == before


def test_a_migration_list_with_a_gap_is_a_bug(key_store: KeyStore, cache_path: Path) -> None:
    with (
        open_cache(cache_path, key_store, migrations=VERSION_1) as cache,
        pytest.raises(ValueError, match="without gaps"),
    ):
        migrate(cache.connection, (MIGRATIONS[0], Migration(3, "skips 2", sql_step())))


def test_outbox_mutation_ids_are_never_reused(key_store: KeyStore, cache_path: Path) -> None:
    # The server takes a reused id for a duplicate and drops the new mutation.
    with open_cache(cache_path, key_store) as cache, cache.transaction() as db:
        for n in range(3):
            db.execute(
                "INSERT INTO outbox (kind, payload, created_at) VALUES ('check_in', ?, ?)",
                (json.dumps({"n": n}), "2026-12-01T09:00:00+09:00"),
            )
        db.execute("DELETE FROM outbox WHERE mutation_id = 3")
        cursor = db.execute(
            "INSERT INTO outbox (kind, payload, created_at) VALUES ('check_in', '{}', ?)",
            ("2026-12-01T09:01:00+09:00",),
        )
        assert cursor.lastrowid == 4


def test_outbox_rows_are_checked(key_store: KeyStore, cache_path: Path) -> None:
    with open_cache(cache_path, key_store) as cache:
        for bad in (
            "INSERT INTO outbox (kind, payload, created_at) VALUES ('x', 'not json', 't')",
            "INSERT INTO outbox (kind, payload, created_at, reason_code)"
            " VALUES ('x', '{}', 't', 'slot_taken')",  # a reason only for a rejection
        ):
            with pytest.raises(IntegrityError), cache.transaction() as db:
                db.execute(bad)


#: What the desk knew before the fee columns took the wire's names (issue 11).
VERSION_5 = MIGRATIONS[:5]
OLD_FEE_COLUMNS = {
    "fee_nominal_yen",
    "fee_yen",
    "fee_exempt_reason",
    "fee_exempt_note",
    "usage_headcount",
    "usage_remarks",
}
WIRE_FEE_COLUMNS = {
    "fee_nominal",
    "fee_charged",
    "fee_exemption",
    "fee_exemption_note",
    "actual_headcount",
    "remarks",
}


def _columns(db: Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


def _seed_version_5(db: Connection, sample: Any) -> None:
    sample.seed(db)
    # A walk-in waiting to be pushed, with its mutation: the rename must keep both.
    db.execute(
        "INSERT INTO reservations (id, approval_number, center_id, room_id, use_date, slot_id,"
        " user_id, kind, channel, purpose, headcount, fee_nominal_yen, fee_yen,"
        " fee_exempt_reason, fee_exempt_note, usage_headcount, usage_remarks, sync_state)"
        " VALUES ('r-walk-in', 'K012-000001', 'ogawa-nishi', 'ogawa-nishi/1-shukai',"
        " '2026-12-02', 'morning', ?, 'last_minute', 'counter', '', 8, 700, 350, 'other',"
        " '半額（理由あり）', 7, '障子に穴', 'pending')",
        (sample.group["user_id"],),
    )
    db.execute(
        "INSERT INTO outbox (kind, payload, created_at) VALUES ('mark_no_show', ?, ?)",
        (json.dumps({"body": {"kind": "mark_no_show", "reservation_id": "r"}}), "2026-12-01"),
    )


def _fees(db: Connection, names: tuple[str, str, str, str]) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in db.execute(
            f"SELECT id, {', '.join(names)}, sync_state FROM reservations ORDER BY id"
        ).fetchall()
    ]


def test_a_version_5_file_takes_the_wire_fee_names_with_its_rows(
    key_store: KeyStore, cache_path: Path, sample
) -> None:
    with open_cache(cache_path, key_store, migrations=VERSION_5) as old_desk:
        assert old_desk.schema_version() == 5
        with old_desk.transaction() as db:
            _seed_version_5(db, sample)
        before = _fees(
            old_desk.connection,
            ("fee_nominal_yen", "fee_yen", "fee_exempt_reason", "fee_exempt_note"),
        )
        counts = sample.counts(old_desk.connection)
    assert len(before) == 2

    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        assert cache.schema_version() == LATEST_VERSION == 6
        columns = _columns(db, "reservations")
        assert columns >= WIRE_FEE_COLUMNS and not OLD_FEE_COLUMNS & columns
        assert (
            _fees(db, ("fee_nominal", "fee_charged", "fee_exemption", "fee_exemption_note"))
            == before
        )
        assert sample.counts(db) == counts
        report = db.execute(
            "SELECT actual_headcount, remarks FROM reservations WHERE id = 'r-walk-in'"
        ).fetchone()
        assert tuple(report) == (7, "障子に穴")
        assert db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0] == 1
        # The CHECK constraints were renamed with their columns: a charge above the nominal
        # fee is still refused.
        with pytest.raises(IntegrityError), cache.transaction() as tx:
            tx.execute("UPDATE reservations SET fee_charged = fee_nominal + 1")
        # So was the partial index on waiting bookings (one waiting booking per slot).
        indexes = {str(r[1]) for r in db.execute("PRAGMA index_list(reservations)").fetchall()}
        assert "reservations_one_waiting_booking_per_slot" in indexes


def test_an_interrupted_version_6_step_leaves_version_5_and_resumes(
    key_store: KeyStore, cache_path: Path, sample
) -> None:
    with open_cache(cache_path, key_store, migrations=VERSION_5) as old_desk:
        with old_desk.transaction() as db:
            _seed_version_5(db, sample)
        before = _fees(
            old_desk.connection,
            ("fee_nominal_yen", "fee_yen", "fee_exempt_reason", "fee_exempt_note"),
        )

    def renamed_then_killed(connection: Connection) -> None:
        MIGRATIONS[5].apply(connection)
        raise dbapi.OperationalError("the desk was stopped half-way")

    interrupted = (*VERSION_5, Migration(6, "interrupted", renamed_then_killed))
    with pytest.raises(MigrationFailed):
        open_cache(cache_path, key_store, migrations=interrupted)
    with open_cache(cache_path, key_store, migrations=VERSION_5) as cache:
        assert cache.schema_version() == 5
        assert _columns(cache.connection, "reservations") >= OLD_FEE_COLUMNS
    with open_cache(cache_path, key_store) as cache:
        assert cache.schema_version() == 6
        assert (
            _fees(
                cache.connection,
                ("fee_nominal", "fee_charged", "fee_exemption", "fee_exemption_note"),
            )
            == before
        )
