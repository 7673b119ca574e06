"""The cache's side of never losing a booking (issue 10): outbox renumbering that cannot
collide, salvaged ids, one waiting booking per slot, a full disk as a typed error, retention.
Real SQLCipher files with their keys in the real Secret Service."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest

from center_desk.protocol.sync import CancelReservation, MarkNoShow
from center_desk.store import (
    DiskFull,
    IntegrityError,
    KeyStore,
    StoreError,
    audit,
    open_cache,
    outbox,
    transaction,
)
from center_desk.store.dbapi import Connection


def enqueue(db: Connection, n: int, created_at: str = "2027-02-10T10:00:00+09:00") -> list[int]:
    with transaction(db):
        return [
            outbox.enqueue(
                db,
                body=MarkNoShow(reservation_id=UUID(int=i)),
                created_at=created_at,
                staff_id=None,
                summary=f"#{i}",
            )
            for i in range(n)
        ]


def states(db: Connection) -> list[tuple[int, str, int]]:
    rows = db.execute(
        "SELECT mutation_id, state, json_extract(payload, '$.body.reservation_id') FROM outbox "
        "ORDER BY mutation_id"
    ).fetchall()
    # The n-th mutation names the reservation UUID(int=n).
    return [(int(r[0]), str(r[1]), UUID(r[2]).int) for r in rows]


def test_rebase_to_a_new_device_never_collides_with_settled_rows(
    cache_path: Path, key_store: KeyStore
) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        ids = enqueue(db, 7)
        for mutation_id in ids[:5]:
            outbox.mark_applied(db, mutation_id)
        # Re-enrolled as a new device: the backend's last id for it is 0.
        with transaction(db):
            assert outbox.rebase(db, 0) == 2
        pending = [(i, n) for i, state, n in states(db) if state == "pending"]
        assert pending == [(1, 5), (2, 6)]
        settled = [i for i, state, _ in states(db) if state == "applied"]
        assert len(settled) == 5 and all(i < 0 for i in settled)
        # The next new mutation continues right after the rebased ones.
        assert enqueue(db, 1) == [3]


def test_salvaged_rows_the_backend_already_took_are_settled_not_resent(
    cache_path: Path, key_store: KeyStore
) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        entries = [
            outbox.OutboxEntry(
                i,
                "check_in",
                {"body": MarkNoShow(reservation_id=UUID(int=i)).model_dump(mode="json")},
                "t",
                "pending",
                None,
                None,
                f"#{i}",
                None,
                None,
            )
            for i in (4, 5, 6)
        ]
        with transaction(db):
            outbox.add_salvaged(db, entries)
        assert enqueue(db, 1) == [7]
        with transaction(db):
            outbox.rebase(db, 5)
        assert [(i, s) for i, s, _ in states(db)] == [
            (4, "applied"),
            (5, "applied"),
            (6, "pending"),
            (7, "pending"),
        ]


def test_one_waiting_booking_per_slot(cache_path: Path, key_store: KeyStore) -> None:
    row = (
        "INSERT INTO reservations (id, approval_number, center_id, room_id, use_date, slot_id,"
        " applicant_kind, individual_name, kind, channel, sync_state) VALUES"
        " (?, ?, 'c', 'c/r', '2027-02-15', 'morning', 'individual', 'x', 'last_minute',"
        " 'counter', 'pending')"
    )
    with open_cache(cache_path, key_store) as cache:
        cache.connection.execute(row, ("a", "K001-000001"))
        with pytest.raises(IntegrityError):
            cache.connection.execute(row, ("b", "K001-000002"))


def test_a_full_disk_is_a_typed_store_error_and_nothing_is_half_written(
    cache_path: Path, key_store: KeyStore
) -> None:
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        pages = int(db.execute("PRAGMA page_count").fetchone()[0])
        db.execute(f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(DiskFull) as full, transaction(db):
            for i in range(2000):
                outbox.enqueue(
                    db,
                    body=CancelReservation(reservation_id=UUID(int=i), reason="x" * 200),
                    created_at="t",
                    staff_id=None,
                    summary="",
                )
        assert isinstance(full.value, StoreError)
        assert outbox.pending_count(db) == 0


def test_retention_purges_applied_rows_and_synced_events_only(
    cache_path: Path, key_store: KeyStore
) -> None:
    from datetime import datetime, timedelta

    from center_desk.domain import TOKYO

    old = datetime(2027, 1, 1, 10, 0, tzinfo=TOKYO)
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            kept_event = audit.record(db, event="locked", at=old, staff_id=None)
            synced_event = audit.record(db, event="unlocked", at=old, staff_id=None)
            audit.mark_synced(db, synced_event)
        applied = outbox.pending(db)[1].mutation_id
        outbox.mark_applied(db, applied)
        before = (old + timedelta(days=1)).isoformat()
        with transaction(db):
            assert outbox.purge_applied(db, before) == 1
            assert audit.purge_synced(db, before) == 1
        events = [r[0] for r in db.execute("SELECT event_id FROM audit_events")]
        assert events == [kept_event]
        assert outbox.pending_count(db) == 1
        assert (
            json.loads(db.execute("SELECT payload FROM outbox").fetchone()[0])["body"]["event_id"]
            == kept_event
        )


def test_lock_drafts_go_once_the_day_after_they_were_kept_is_over(
    cache_path: Path, key_store: KeyStore
) -> None:
    from datetime import datetime

    from center_desk.domain import TOKYO
    from center_desk.store import meta
    from center_desk.sync.retention import drafts_kept_from

    kept_at = datetime(2027, 2, 9, 21, 50, tzinfo=TOKYO)  # locked at closing time
    draft = json.dumps([{"kind": "group_form", "values": {"name": REPRESENTATIVE}}])
    with open_cache(cache_path, key_store) as cache:
        db = cache.connection
        with transaction(db):
            meta.put(db, meta.CENTER_ID, "ogawa-nishimachi")
            meta.put(db, "draft:reopen", draft)
            meta.put(db, meta.DRAFTS_KEPT_AT, kept_at.isoformat())
        next_morning = datetime(2027, 2, 10, 23, 59, tzinfo=TOKYO)
        with transaction(db):
            assert meta.purge_drafts(db, drafts_kept_from(next_morning)) == 0
        assert meta.get(db, "draft:reopen") == draft
        day_after = datetime(2027, 2, 11, 0, 0, tzinfo=TOKYO)
        with transaction(db):
            assert meta.purge_drafts(db, drafts_kept_from(day_after)) == 1
        assert [r[0] for r in db.execute("SELECT key FROM meta WHERE key LIKE 'draft%'")] == []
        assert meta.get(db, meta.CENTER_ID) == "ogawa-nishimachi"
        # A draft of unknown age (kept before drafts had a time) is not kept either.
        with transaction(db):
            meta.put(db, "draft:reopen", draft)
            assert meta.purge_drafts(db, drafts_kept_from(kept_at)) == 1
        assert meta.get(db, "draft:reopen") is None


REPRESENTATIVE = "小平太郎テスト"
