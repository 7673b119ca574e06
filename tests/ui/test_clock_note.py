"""A desk whose clock is off says that it checks booking rules at the reservation system's
time (issue 10): also when it is offline from the start, with the offset the cache kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from center_desk.store import meta, transaction
from center_desk.store.dbapi import Connection
from center_desk.sync.engine import SyncStatus
from tests.ui.conftest import DeskUnderTest


def _keep_offset(desk_app: DeskUnderTest, offset: timedelta) -> None:
    def put(db: Connection) -> None:
        with transaction(db):
            meta.put(db, meta.SERVER_CLOCK_OFFSET, str(offset.total_seconds()))

    desk_app.ctx.db.submit(put).result()


def test_offline_from_the_start_the_kept_offset_is_named_in_japanese(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk_app.go_offline(monkeypatch)
    _keep_offset(desk_app, timedelta(days=3))
    window = desk_app.window
    window.load_kept_clock_offset()
    desk_app.settle()
    window._sync_status(SyncStatus(online=False))
    text = window.banner.text()
    assert "約3日遅れています" in text, text
    assert "予約システムの時刻" in text


def test_a_small_difference_says_nothing_and_a_fast_clock_says_ahead(
    desk_app: DeskUnderTest,
) -> None:
    window = desk_app.window
    window._sync_status(SyncStatus(online=True, clock_offset=timedelta(seconds=30)))
    assert "時計" not in window.banner.text()
    window._sync_status(SyncStatus(online=True, clock_offset=-timedelta(hours=5)))
    assert "約5時間進んでいます" in window.banner.text(), window.banner.text()
