"""1,000 offline mutations push and converge within the desk's own 10 s timeout on the 2-core
machine (issue 10, item 6): the push goes in chunks, with progress, to a real backend process
over HTTP; a second desk process on the same cache meanwhile is turned away, not doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

from center_desk.domain import ManualClock
from center_desk.store import KeyStore, open_cache, outbox
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.engine import SyncEngine
from center_desk.sync.push import PUSH_CHUNK
from center_desk.sync.recovery import ledger_for
from center_desk.sync.runner import InlineRunner
from center_desk.sync.sync_lock import SyncLock
from tests.support.backend_app import Backend, tokyo
from tests.support.backend_process import backend_process
from tests.support.desk import remote_desk

FIXED_TIME = "2027-02-08T10:00:00+09:00"
NOW = tokyo(2027, 2, 8, 10, 0)
MUTATIONS = 1000

# Each chunk must beat the desk's 10 s timeout: measured with no other test beside it.
pytestmark = pytest.mark.alone


def test_a_thousand_offline_mutations_push_in_chunks_within_the_timeout(
    backend: Backend, postgres_url: str, tmp_path: Path
) -> None:
    backend.at(NOW)
    user_id, _ = backend.register()
    token = backend.enroll(name="busy")
    path = tmp_path / "desk.sqlcipher"
    with backend_process(postgres_url, fixed_time=FIXED_TIME) as server:
        cache = open_cache(path, KeyStore())
        clock = ManualClock(NOW)
        progress: list[tuple[int, int]] = []
        engine = SyncEngine(
            InlineRunner(cache),
            # The desk's production client: make_http's 10 s timeout.
            BackendClient(make_http(server.url), device_token=lambda: token),
            clock,
            on_push_progress=lambda done, remaining: progress.append((done, remaining)),
            ledger=ledger_for(path),
            sync_lock=SyncLock.beside(path),
        )
        assert engine.sync_once().error == ""
        desk = remote_desk(backend, path, server.url, device_token=token, clock=clock, cache=cache)
        for _ in range(MUTATIONS):
            desk.ops.record_audit("group_viewed", user_id)
        assert outbox.pending_count(cache.connection) == MUTATIONS

        # A second sync of the same cache while this one holds the lock: turned away.
        held = SyncLock.beside(path)
        assert held.acquire()
        busy = engine.sync_once()
        assert busy.error == "SyncInProgress" and busy.pushed == 0
        held.release()

        report = engine.sync_once()
        assert report.error == "", report
        assert report.pushed == report.applied == MUTATIONS
        assert len(progress) == MUTATIONS // PUSH_CHUNK
        assert progress[-1] == (MUTATIONS, 0)
        assert outbox.pending_count(cache.connection) == 0
        again = engine.sync_once()
        assert again.error == "" and again.pushed == 0
        cache.close()
