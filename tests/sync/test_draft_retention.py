"""Lock drafts (what staff had typed when the desk locked: names, addresses) leave the cache
with the engine's retention, once the day after they were kept is over. A real SQLCipher
cache, its key in the real Secret Service; retain() never reaches the backend."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from center_desk.domain import TOKYO, ManualClock
from center_desk.store import KeyStore, cache_id_for, meta, open_cache, transaction
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.engine import SyncEngine
from center_desk.sync.runner import InlineRunner

KEPT_AT = datetime(2027, 2, 9, 21, 50, tzinfo=TOKYO)  # locked at closing time
DRAFT = '[{"kind": "walk_in", "values": {"individual_name": "小平花子テスト"}}]'


def test_retain_forgets_drafts_from_before_yesterday_only(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlcipher"
    clock = ManualClock(KEPT_AT)
    try:
        with open_cache(path, KeyStore()) as cache:
            with transaction(cache.connection) as db:
                meta.put(db, "draft:reopen", DRAFT)
                meta.put(db, meta.DRAFTS_KEPT_AT, KEPT_AT.isoformat())
            # Nobody listens there: retention is the cache's own business.
            engine = SyncEngine(
                InlineRunner(cache), BackendClient(make_http("http://127.0.0.1:9")), clock
            )
            clock.advance(timedelta(hours=26))  # the next day, 23:50
            engine.retain()
            assert meta.get(cache.connection, "draft:reopen") == DRAFT
            clock.advance(timedelta(minutes=10))  # the day after: midnight
            engine.retain()
            assert meta.get(cache.connection, "draft:reopen") is None
            assert meta.get(cache.connection, meta.DRAFTS_KEPT_AT) is None
    finally:
        KeyStore().delete_key(cache_id_for(path))
