"""Unreadable caches (DESIGN.md §3, issues 4 and 10): a cache whose key is gone from the
Secret Service, a cache file corrupted on disk, and a desk the city revoked. Nothing is deleted
until a person chooses a fresh cache; the old one is set aside with its key. Real SQLCipher
files, the real keyring, the real backend on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from center_desk.backend.models import AuditEventRow, DeviceRow, ReservationRow
from center_desk.backend.security import token_hash
from center_desk.domain import ManualClock
from center_desk.protocol.sync import AuditEventIn
from center_desk.store import KeyStore, cache_id_for, companion_paths, open_cache, outbox
from center_desk.sync.operations import WalkIn
from center_desk.sync.recovery import (
    CacheNeedsDecision,
    Recovery,
    ledger_for,
    open_desk_cache,
    start_fresh,
    wipe_revoked,
)
from tests.support.backend_app import CENTER, HALL, Backend, tokyo
from tests.support.desk import Desk, make_desk

USE = date(2027, 2, 15)


def walk_in(user_id: str, slot: str) -> WalkIn:
    return WalkIn(
        room_id=HALL, use_date=USE, slot_id=slot, headcount=12, purpose="練習", user_id=user_id
    )


def device_row(backend: Backend, token: str) -> DeviceRow:
    with backend.ctx.db.session() as session:
        device = session.scalars(
            select(DeviceRow).where(DeviceRow.token_hash == token_hash(token))
        ).one()
        session.expunge(device)
    return device


def server_numbers(backend: Backend) -> list[str]:
    with backend.ctx.db.session() as session:
        return sorted(
            session.scalars(
                select(ReservationRow.approval_number).where(
                    ReservationRow.approval_number.startswith("K"),
                    ReservationRow.status != "cancelled",
                )
            )
        )


def server_events(backend: Backend, device_id: str) -> list[tuple[str, str]]:
    with backend.ctx.db.session() as session:
        rows = session.execute(
            select(AuditEventRow.event, AuditEventRow.subject)
            .where(AuditEventRow.device_id == device_id)
            .order_by(AuditEventRow.received_at)
        ).all()
    return [(event, subject) for event, subject in rows]


def desk_with_lost_work(backend: Backend, desks: Callable[..., Desk]) -> tuple[Desk, str, str, str]:
    """A desk that has pushed one walk-in (ids 1 and 2 at the backend) and holds a second one
    offline, not pushed yet, when its cache is lost. Returns the desk, the group, and the
    approval numbers of the pushed and the waiting booking."""
    backend.at(tokyo(2027, 2, 10, 10, 0))
    user_id, _ = backend.register()
    desk = desks("desk")
    assert desk.sync().error == ""
    pushed = desk.ops.book_walk_in(walk_in(user_id, "morning"))
    report = desk.sync()
    assert report.error == "" and report.applied == 2
    desk.go_offline()
    waiting = desk.ops.book_walk_in(walk_in(user_id, "afternoon"))
    assert desk.sync().error == "Offline"
    assert outbox.pending_count(desk.db) == 2
    desk.cache.close()
    return desk, user_id, pushed.approval_number, waiting.approval_number


def check_rebuilt(
    backend: Backend,
    old: Desk,
    recovery: Recovery,
    reason: str,
    user_id: str,
    pushed: str,
    lost: str,
    rebuilt: Desk,
) -> None:
    """What every wipe-and-resync must give: the lost work named, the wipe audited, everything
    pulled back, and new work numbered after what the backend already has."""
    assert recovery.reason == reason
    assert recovery.lost_known
    # The waiting walk-in is named by its approval number; audit events are not listed.
    assert [w.kind for w in recovery.lost] == ["last_minute_booking"]
    assert lost in recovery.lost[0].summary
    # Staff read the summary: the slot by its label, not its id.
    assert "午後" in recovery.lost[0].summary and "afternoon" not in recovery.lost[0].summary
    assert all(pushed not in w.summary for w in recovery.lost)

    # The fresh cache holds nothing pulled yet, and one waiting mutation: the audited wipe.
    assert rebuilt.scalar("SELECT count(*) FROM groups") == 0
    assert rebuilt.scalar("SELECT count(*) FROM reservations") == 0
    waiting = outbox.pending(rebuilt.db)
    bodies = [e.body for e in waiting]
    assert [(e.kind, type(b)) for e, b in zip(waiting, bodies, strict=True)] == [
        ("audit_event", AuditEventIn)
    ]
    assert isinstance(bodies[0], AuditEventIn)
    assert bodies[0].event == "cache_set_aside"
    assert bodies[0].subject.startswith(reason)
    assert rebuilt.scalar("SELECT kind FROM audit_events") == "cache_set_aside"

    device = device_row(backend, old.device_token)
    assert device.last_mutation_id == 2

    report = rebuilt.sync()
    assert report.error == "" and report.snapshot and report.rejected == []
    # Not taken for a duplicate of the old cache's mutation 1: renumbered after 2, applied.
    assert report.applied == 1 and report.duplicates == 0
    assert rebuilt.scalar("SELECT name FROM centers WHERE center_id = ?", CENTER) == (
        "小川西町地域センター"
    )
    assert rebuilt.scalar("SELECT count(*) FROM slots") == 3
    assert rebuilt.scalar("SELECT name FROM groups WHERE user_id = ?", user_id) == "小平囲碁クラブ"
    assert rebuilt.scalar("SELECT sync_state FROM reservations WHERE approval_number = ?", pushed)
    assert rebuilt.scalar("SELECT count(*) FROM reservations WHERE approval_number = ?", lost) == 0
    assert device_row(backend, old.device_token).last_mutation_id == 3
    assert any(
        event == "cache_set_aside" and subject.startswith(f"{reason}; 0 salvaged, 1 lost")
        for event, subject in server_events(backend, device.id)
    )

    # Work after the wipe reaches the backend: the lost booking's slot, booked again.
    again = rebuilt.ops.book_walk_in(walk_in(user_id, "afternoon"))
    assert min(e.mutation_id for e in outbox.pending(rebuilt.db)) == 4
    # A slip printed for the lost booking still names it: its number is never reissued.
    assert again.approval_number not in (pushed, lost)
    report = rebuilt.sync()
    assert report.error == "" and report.applied == 2 and report.duplicates == 0
    assert report.rejected == []
    assert server_numbers(backend) == sorted([pushed, again.approval_number])
    assert device_row(backend, old.device_token).last_mutation_id == outbox.last_id(rebuilt.db)
    assert outbox.pending_count(rebuilt.db) == 0
    # The ledger beside the cache is current again: nothing waiting.
    assert ledger_for(rebuilt.cache.path).read() == []


def test_a_deleted_key_wipes_names_the_lost_work_and_resyncs(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id, pushed, lost = desk_with_lost_work(backend, desks)
    path = desk.cache.path
    KeyStore().delete_key(cache_id_for(path))
    assert KeyStore().load_key(cache_id_for(path)) is None

    with pytest.raises(CacheNeedsDecision) as needs:
        open_desk_cache(path, KeyStore(), backend.clock)
    assert path.exists()  # nothing deleted before a person decides
    cache, recovery = start_fresh(needs.value.trouble, KeyStore(), backend.clock)
    assert KeyStore().load_key(cache_id_for(path)) is not None  # a new key for the new file
    rebuilt = make_desk(backend, path, device_token=desk.device_token, cache=cache)
    try:
        check_rebuilt(backend, desk, recovery, "key_missing", user_id, pushed, lost, rebuilt)
    finally:
        cache.close()


def test_a_corrupted_file_is_unreadable_wiped_and_resynced(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id, pushed, lost = desk_with_lost_work(backend, desks)
    path = desk.cache.path
    assert not any(p.exists() for p in companion_paths(path))  # closed cleanly: all in the file
    with open_cache(path, KeyStore()) as intact:
        # Every page of the file is in use, so the damaged one is one the desk would read.
        assert intact.connection.execute("PRAGMA freelist_count").fetchone()[0] == 0
    size = path.stat().st_size
    assert size > 16 * 4096
    # A disk that garbled some bytes in the middle of the file (not the header).
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(512))

    with pytest.raises(CacheNeedsDecision) as needs:
        open_desk_cache(path, KeyStore(), backend.clock)
    trouble = needs.value.trouble
    # What still reads of the outbox is salvaged (a damaged page elsewhere does not stop it).
    salvaged = {e.kind for e in trouble.salvaged}
    assert trouble.audit_events == 1 and len(trouble.waiting) == 1
    # Made here so check_rebuilt's lost/salvaged split is the same in both cases.
    trouble = type(trouble)(
        trouble.reason, trouble.path, trouble.waiting, trouble.audit_events, (), trouble.known
    )
    assert salvaged <= {"last_minute_booking", "audit_event"}
    cache, recovery = start_fresh(trouble, KeyStore(), backend.clock)
    rebuilt = make_desk(backend, path, device_token=desk.device_token, cache=cache)
    try:
        check_rebuilt(backend, desk, recovery, "unreadable", user_id, pushed, lost, rebuilt)
    finally:
        cache.close()


def test_an_intact_cache_is_opened_as_it_is(backend: Backend, desks: Callable[..., Desk]) -> None:
    desk, _, pushed, lost = desk_with_lost_work(backend, desks)
    cache, recovery = open_desk_cache(desk.cache.path, KeyStore(), backend.clock)
    try:
        assert recovery is None
        numbers = {
            row[0] for row in cache.connection.execute("SELECT approval_number FROM reservations")
        }
        assert numbers == {pushed, lost}
        assert outbox.pending_count(cache.connection) == 2
    finally:
        cache.close()


def test_a_revoked_desk_wipes_its_cache_key_and_ledger(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    user_id, _ = backend.register()
    desk = desks("desk")
    assert desk.sync().error == ""
    waiting = desk.ops.book_walk_in(walk_in(user_id, "evening"))
    path = desk.cache.path
    ledger = ledger_for(path)
    assert ledger.path.exists()
    assert KeyStore().load_key(cache_id_for(path)) is not None

    device = device_row(backend, desk.device_token)
    response = backend.client.post(
        f"/v1/admin/devices/{device.id}/revoke", headers={"Authorization": "Bearer admin-secret"}
    )
    assert response.status_code == 204, response.text
    revoked: list[bool] = []
    desk.engine._on_revoked = lambda: revoked.append(True)
    report = desk.sync()
    assert report.error == "DeviceRevoked"
    assert revoked == [True]
    assert desk.engine.status.revoked
    assert server_numbers(backend) == []  # the revoked desk's push was refused

    recovery = wipe_revoked(desk.cache, KeyStore())
    assert recovery.reason == "revoked" and recovery.lost_known
    assert [w.kind for w in recovery.lost] == ["last_minute_booking"]
    assert waiting.approval_number in recovery.lost[0].summary
    assert desk.cache.closed
    assert not path.exists()
    assert not any(p.exists() for p in companion_paths(path))
    assert KeyStore().load_key(cache_id_for(path)) is None
    assert not ledger.path.exists()


@pytest.mark.parametrize("damage", ["key_missing", "unreadable"])
def test_a_wipe_with_no_ledger_says_the_lost_work_is_unknown(
    backend: Backend, desks: Callable[..., Desk], damage: str
) -> None:
    desk, _, _, _ = desk_with_lost_work(backend, desks)
    path = desk.cache.path
    ledger_for(path).path.unlink()
    if damage == "key_missing":
        KeyStore().delete_key(cache_id_for(path))
    else:
        path.write_bytes(os.urandom(path.stat().st_size))
    clock = ManualClock(tokyo(2027, 2, 10, 11, 0))
    with pytest.raises(CacheNeedsDecision) as needs:
        open_desk_cache(path, KeyStore(), clock)
    cache, recovery = start_fresh(needs.value.trouble, KeyStore(), clock)
    try:
        assert recovery is not None
        assert recovery.reason == damage
        assert recovery.lost == () and not recovery.lost_known
    finally:
        cache.close()


def test_a_set_aside_cache_is_kept_with_its_key_for_the_set_days_then_purged(
    tmp_path: os.PathLike[str],
) -> None:
    from pathlib import Path

    from center_desk.sync.recovery import purge_set_aside, set_aside

    base = Path(tmp_path)
    path = base / "desk-cache.sqlcipher"
    open_cache(path, KeyStore()).close()
    clock = ManualClock(tokyo(2027, 2, 10, 10, 0))
    folder = set_aside(path, KeyStore(), clock, "unreadable")
    moved = folder / path.name
    assert moved.exists() and not path.exists()
    assert KeyStore().load_key(cache_id_for(moved)) is not None
    assert KeyStore().load_key(cache_id_for(path)) is None
    clock.set(tokyo(2027, 3, 11, 10, 0))  # 29 days on: kept
    assert purge_set_aside(base, KeyStore(), clock, keep_days=30) == 0
    assert moved.exists()
    clock.set(tokyo(2027, 3, 13, 10, 0))  # 31 days on: gone, key and all
    assert purge_set_aside(base, KeyStore(), clock, keep_days=30) == 1
    assert not folder.exists()
    assert KeyStore().load_key(cache_id_for(moved)) is None
