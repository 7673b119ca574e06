"""Offline-first sync against the real backend, with scripted faults (issue 4)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from center_desk.backend.models import DeviceRow, ReservationRow
from center_desk.backend.security import token_hash
from center_desk.domain import ReasonCode
from center_desk.store import meta, outbox
from center_desk.sync.errors import NeedsBackend
from center_desk.sync.operations import WalkIn
from tests.support.backend_app import HALL, Backend, group_payload, tokyo
from tests.support.desk import Desk, status_fault

USE = date(2027, 2, 15)


def live_bookings(backend: Backend, slot: str = "afternoon") -> list[ReservationRow]:
    with backend.ctx.db.session() as session:
        return list(
            session.scalars(
                select(ReservationRow).where(
                    ReservationRow.room_id == HALL,
                    ReservationRow.use_date == USE,
                    ReservationRow.slot_id == slot,
                    ReservationRow.status != "cancelled",
                )
            )
        )


def ready(backend: Backend, desks: Callable[..., Desk], name: str = "desk") -> tuple[Desk, str]:
    """A desk at 2027-02-10 with one registered group in its cache."""
    backend.at(tokyo(2027, 2, 10, 10, 0))
    user_id, _ = backend.register()
    desk = desks(name)
    report = desk.sync()
    assert report.error == "", report
    assert report.snapshot
    return desk, user_id


def walk_in(user_id: str, slot: str = "afternoon") -> WalkIn:
    return WalkIn(
        room_id=HALL, use_date=USE, slot_id=slot, headcount=12, purpose="練習", user_id=user_id
    )


def test_first_sync_brings_catalog_group_and_outbox_floor(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    assert desk.scalar("SELECT name FROM centers WHERE center_id = 'ogawa-nishimachi'") == (
        "小川西町地域センター"
    )
    assert desk.scalar("SELECT count(*) FROM slots") == 3
    assert desk.scalar("SELECT name FROM groups WHERE user_id = ?", user_id) == "小平囲碁クラブ"
    assert meta.get(desk.db, meta.OUTBOX_FLOOR_KNOWN) == "1"
    assert desk.engine.status.online is True


def test_walk_in_offline_reaches_backend_and_second_desk(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    other = desks("other")
    other.sync()
    desk.go_offline()
    booked = desk.ops.book_walk_in(walk_in(user_id))
    assert booked.sync_state == "pending"
    assert booked.approval_number.startswith("K")
    report = desk.sync()
    assert report.error == "Offline"
    assert desk.engine.status.online is False
    assert desk.engine.status.pending >= 1
    assert live_bookings(backend) == []

    desk.go_online()
    report = desk.sync()
    assert report.error == ""
    assert [r.approval_number for r in live_bookings(backend)] == [booked.approval_number]
    assert desk.scalar("SELECT sync_state FROM reservations WHERE id = ?", booked.id) == "synced"
    assert desk.engine.status.pending == 0

    other.sync()
    seen = other.scalar("SELECT approval_number FROM reservations WHERE id = ?", booked.id)
    assert seen == booked.approval_number


def test_reply_lost_after_commit_is_a_duplicate_not_a_second_booking(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    desk.ops.book_walk_in(walk_in(user_id))
    desk.transport.lose_reply_paths.append("/v1/sync/push")
    first = desk.sync()
    assert first.error == "Offline"
    assert len(live_bookings(backend)) == 1
    second = desk.sync()
    assert second.error == ""
    assert second.duplicates >= 1
    assert len(live_bookings(backend)) == 1
    assert outbox.pending_count(desk.db) == 0


def test_two_offline_desks_book_one_slot(backend: Backend, desks: Callable[..., Desk]) -> None:
    first, user_a = ready(backend, desks, "first")
    user_b, _ = backend.register(name="上水コーラスの会", furigana="ジョウスイコーラスノカイ")
    second = desks("second")
    second.sync()
    first.go_offline()
    second.go_offline()
    a = first.ops.book_walk_in(walk_in(user_a))
    b = second.ops.book_walk_in(walk_in(user_b))
    first.go_online()
    second.go_online()
    assert first.sync().rejected == []
    report = second.sync()
    assert [r.reason_code for r in report.rejected] == [ReasonCode.SLOT_TAKEN.value]
    assert [r.approval_number for r in live_bookings(backend)] == [a.approval_number]
    attention = outbox.needs_attention(second.db)
    assert [(e.kind, e.reason_code) for e in attention] == [("last_minute_booking", "slot_taken")]
    # The rejected booking no longer holds the slot on the second desk; the winner does.
    state = second.scalar("SELECT status || '/' || sync_state FROM reservations WHERE id = ?", b.id)
    assert state == "cancelled/rejected"
    assert second.scalar("SELECT count(*) FROM reservations WHERE id = ?", a.id) == 1
    second.ops.resolve_attention(attention[0].mutation_id)
    assert outbox.needs_attention(second.db) == []


def test_503s_then_success(backend: Backend, desks: Callable[..., Desk]) -> None:
    desk, user_id = ready(backend, desks)
    desk.ops.book_walk_in(walk_in(user_id))
    desk.transport.faults = [status_fault(503), status_fault(503)]
    delays = []
    for _ in range(2):
        assert desk.sync().error == "ServerUnavailable"
        delays.append(desk.engine.next_delay())
    assert desk.engine.backoff.failures == 2
    assert delays[1] <= desk.engine.backoff.max_delay
    assert desk.sync().error == ""
    assert desk.engine.backoff.failures == 0
    assert len(live_bookings(backend)) == 1


def test_a_rejection_does_not_block_the_mutations_behind_it(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    other_id, _ = backend.register(name="上水コーラスの会", furigana="ジョウスイコーラスノカイ")
    desk.sync()
    desk.go_offline()
    doomed = desk.ops.book_walk_in(walk_in(user_id, slot="morning"))
    fine = desk.ops.book_walk_in(walk_in(other_id, slot="evening"))
    # Meanwhile the group is de-registered at another desk: its pending booking is refused.
    backend.client.post(
        f"/v1/groups/{user_id}/deregister", json={"reason": "解散"}, headers=backend.desk()
    )
    desk.go_online()
    report = desk.sync()
    assert [r.reason_code for r in report.rejected] == ["group_not_eligible"]
    assert desk.scalar("SELECT sync_state FROM reservations WHERE id = ?", doomed.id) == "rejected"
    assert [r.approval_number for r in live_bookings(backend, "evening")] == [fine.approval_number]
    assert live_bookings(backend, "morning") == []


def test_a_gap_in_ids_is_closed_by_renumbering(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    # A cache restored from elsewhere: its ids start far beyond the backend's next one.
    desk.db.execute(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', 40 WHERE NOT "
        "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox')"
    )
    desk.db.execute("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'outbox'")
    booked = desk.ops.book_walk_in(walk_in(user_id))
    assert min(e.mutation_id for e in outbox.pending(desk.db)) > 40
    report = desk.sync()
    assert report.error == ""
    assert [r.approval_number for r in live_bookings(backend)] == [booked.approval_number]
    with backend.ctx.db.session() as session:
        last = session.scalar(select(func.max(DeviceRow.last_mutation_id)))
    assert last is not None and last < 40


def test_401_then_sign_in_again(backend: Backend, desks: Callable[..., Desk]) -> None:
    desk, user_id = ready(backend, desks)
    desk.ops.book_walk_in(walk_in(user_id))
    desk.transport.faults = [status_fault(401, {"code": "unauthorized", "message": "again"})]
    assert desk.sync().error == ""
    assert desk.reauth_count[0] == 1
    assert len(live_bookings(backend)) == 1


def test_a_stale_cursor_gets_a_full_snapshot(backend: Backend, desks: Callable[..., Desk]) -> None:
    desk, user_id = ready(backend, desks)
    desk.db.execute("UPDATE meta SET value = 'not-a-cursor' WHERE key = ?", (meta.PULL_CURSOR,))
    desk.db.execute("DELETE FROM groups")
    report = desk.sync()
    assert report.snapshot
    assert desk.scalar("SELECT count(*) FROM groups WHERE user_id = ?", user_id) == 1


def test_pull_pages_and_reports_progress(backend: Backend, desks: Callable[..., Desk]) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    for n in range(5):
        backend.register(name=f"テスト会{n}", furigana=f"テストカイ{'ア' * (n + 1)}")
    desk = desks()
    desk.engine._pull_page = 3
    progress: list[tuple[int, int]] = []
    desk.engine._on_progress = lambda done, remaining: progress.append((done, remaining))
    desk.sync()
    assert len(progress) >= 3
    assert progress[0][1] > 0
    assert desk.scalar("SELECT count(*) FROM groups") == 5


def test_offline_policy_names_what_needs_the_backend(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    desk.client.staff_sign_in("s001", "correct-horse-9")
    desk.go_offline()
    from center_desk.protocol.groups import GroupIn

    with pytest.raises(NeedsBackend) as info:
        desk.ops.register_group(GroupIn.model_validate(group_payload()))
    assert info.value.operation == "group_registration"
    # What works offline still works.
    booked = desk.ops.book_walk_in(walk_in(user_id))
    assert booked.sync_state == "pending"


def test_day_of_use_changes_sync_and_a_rejected_one_is_undone(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    booked = desk.ops.book_walk_in(walk_in(user_id))
    desk.sync()
    backend.at(tokyo(2027, 2, 15, 12, 55))
    desk.ops.check_in(booked.id)
    desk.ops.record_fee(booked.id, 900, "R-0001")
    backend.at(tokyo(2027, 2, 15, 17, 5))
    desk.ops.record_usage(booked.id, 11, "異常なし")
    assert desk.sync().rejected == []
    with backend.ctx.db.session() as session:
        row = session.get(ReservationRow, uuid.UUID(booked.id))
        assert row is not None and row.status == "used" and row.checked_in_at is not None
    # A cancellation of a booking that is already used is refused, and undone locally. (The
    # desk applies the backend's rules, so only a cache that is behind lets one through: made
    # so here, before the slot began.)
    desk.db.execute(
        "UPDATE reservations SET status = 'booked', checked_in_at = NULL WHERE id = ?",
        (booked.id,),
    )
    backend.at(tokyo(2027, 2, 15, 12, 0))
    desk.ops.cancel(booked.id, "誤操作")
    report = desk.sync()
    assert [r.reason_code for r in report.rejected] == ["wrong_status"]
    assert desk.scalar("SELECT status FROM reservations WHERE id = ?", booked.id) in (
        "booked",
        "used",
    )


def test_clock_skew_is_noticed(backend: Backend, desks: Callable[..., Desk]) -> None:
    from center_desk.domain import ManualClock

    backend.at(tokyo(2027, 2, 10, 10, 0))
    desk_clock = ManualClock(tokyo(2027, 2, 10, 10, 5))
    desk = desks(clock=desk_clock)
    desk.sync()
    assert desk.engine.status.clock_warning
    desk_clock.set(tokyo(2027, 2, 10, 10, 1))
    desk.sync()
    assert not desk.engine.status.clock_warning


def test_revoked_device_is_told_to_wipe(backend: Backend, desks: Callable[..., Desk]) -> None:
    desk, _ = ready(backend, desks)
    with backend.ctx.db.session() as session:
        device_id = session.scalars(
            select(DeviceRow.id).where(DeviceRow.token_hash == token_hash(desk.device_token))
        ).first()
    assert device_id is not None
    revoked: list[bool] = []
    desk.engine._on_revoked = lambda: revoked.append(True)
    backend.client.post(
        f"/v1/admin/devices/{device_id}/revoke", headers={"Authorization": "Bearer admin-secret"}
    )
    report = desk.sync()
    assert report.error == "DeviceRevoked"
    assert revoked == [True]
    assert desk.engine.status.revoked


def test_staff_may_charge_the_fee_to_a_group_registered_as_exempt(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    exempt_id, _ = backend.register(fee_exemption="school_pta")
    desk = desks()
    desk.sync()
    default = desk.ops.book_walk_in(walk_in(exempt_id, slot="morning"))
    charged = desk.ops.book_walk_in(
        WalkIn(
            room_id=HALL,
            use_date=USE,
            slot_id="evening",
            headcount=12,
            purpose="練習",
            user_id=exempt_id,
            charge_fee=True,
        )
    )
    assert (default.fee_charged, default.fee_exemption) == (0, "school_pta")
    assert (charged.fee_charged, charged.fee_exemption) == (900, None)
    assert desk.sync().rejected == []
    with backend.ctx.db.session() as session:
        row = session.get(ReservationRow, uuid.UUID(charged.id))
        assert row is not None and (row.fee_charged, row.fee_exemption) == (900, None)


def test_an_unexpected_error_is_reported_not_raised(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    desk.ops.book_walk_in(walk_in(user_id))
    # A value no code path writes: the sync trips over it in the middle of its work.
    desk.db.execute("UPDATE meta SET value = 'x' WHERE key = ?", (meta.APPROVAL_COUNTER,))
    report = desk.sync()
    assert report.error == "Unexpected:ValueError"
    assert desk.engine.status.last_error == "Unexpected:ValueError"
    # What was pushed before the failure is settled; the page that failed was rolled back.
    assert outbox.pending_count(desk.db) == 0
    assert meta.get(desk.db, meta.APPROVAL_COUNTER) == "x"
