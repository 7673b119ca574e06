"""A sync with nothing new leaves the cache as it is: no transaction, no rewritten meta rows, no
rewritten ledger (issue 13: each was a committed, fsynced write every few seconds). What does
change still arrives, and the kept clock offset follows the backend's clock when it moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from center_desk.domain import ManualClock
from center_desk.store import meta
from center_desk.sync.recovery import ledger_for
from tests.support.backend_app import Backend, tokyo
from tests.support.desk import Desk

START = tokyo(2027, 2, 10, 10, 0)


def settled(backend: Backend, desks: Callable[..., Desk], clock: ManualClock) -> Desk:
    """A desk that has had its first sync, and one more."""
    backend.at(START)
    backend.register()
    desk = desks("desk", clock=clock)
    first = desk.sync()
    assert first.error == "" and first.snapshot, first
    assert desk.sync().error == ""
    return desk


def kept_offset(desk: Desk) -> float:
    return float(meta.get(desk.db, meta.SERVER_CLOCK_OFFSET) or "nan")


def test_a_sync_with_nothing_new_writes_nothing(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk = settled(backend, desks, ManualClock(START))
    ledger = ledger_for(desk.cache.path)
    assert ledger.path.exists()
    ledger_written = ledger.path.stat().st_mtime_ns
    changes = desk.db.total_changes
    cursor = meta.get(desk.db, meta.PULL_CURSOR)

    for _ in range(3):
        report = desk.sync()
        assert report.error == "" and report.pulled == 0 and report.pushed == 0, report

    assert desk.db.total_changes == changes
    assert ledger.path.stat().st_mtime_ns == ledger_written
    assert meta.get(desk.db, meta.PULL_CURSOR) == cursor
    assert desk.engine.status.online is True


def test_what_changes_upstream_still_arrives_after_quiet_syncs(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk = settled(backend, desks, ManualClock(START))
    assert desk.sync().pulled == 0
    cursor = meta.get(desk.db, meta.PULL_CURSOR)

    user_id, _ = backend.register(name="小平将棋クラブ", furigana="コダイラショウギクラブ")
    report = desk.sync()

    assert report.error == "" and report.pulled >= 1, report
    assert desk.scalar("SELECT count(*) FROM groups WHERE user_id = ?", user_id) == 1
    assert meta.get(desk.db, meta.PULL_CURSOR) != cursor


def test_the_kept_clock_offset_follows_a_move_of_a_second_or_more(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk_clock = ManualClock(START)
    desk = settled(backend, desks, desk_clock)
    assert kept_offset(desk) == 0.0

    # Less than a second: not worth a write.
    backend.at(START + timedelta(milliseconds=400))
    changes = desk.db.total_changes
    assert desk.sync().error == ""
    assert desk.engine.status.clock_offset == timedelta(milliseconds=400)
    assert kept_offset(desk) == 0.0
    assert desk.db.total_changes == changes

    # Three minutes: kept, so the next start warns and rules use the backend's time.
    backend.at(START + timedelta(minutes=3))
    assert desk.sync().error == ""
    assert kept_offset(desk) == 180.0
    assert desk.engine.status.clock_warning
