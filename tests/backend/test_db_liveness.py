"""The backend's pooled PostgreSQL connections outlive a PostgreSQL restart with no ``SELECT 1``
before every request (issue 13: that ping was most of an empty pull's time).

A connection resting in the pool is checked at checkout by a look at its socket
(backend/db.py): a server that ended it has said so there, or closed it. Each test runs its own
PostgreSQL cluster, since restarting the session's one would end every other test's
connections.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from center_desk.backend.app import create_app
from center_desk.backend.db import Database
from center_desk.domain import ManualClock
from tests.support.backend_app import CENTER, Backend, make_context, tokyo
from tests.support.backend_process import backend_processes
from tests.support.desk import remote_desk
from tests.support.postgres import PostgresServer, start_server

pytestmark = pytest.mark.postgres

NOW = tokyo(2027, 2, 8, 10, 0)
FIXED_TIME = "2027-02-08T10:00:00+09:00"
POOLED = 3


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


def backend_pids(db: Database, count: int) -> set[int]:
    """The server process behind each of ``count`` connections checked out at once."""
    with ExitStack() as stack:
        sessions = [stack.enter_context(db.session()) for _ in range(count)]
        return {int(s.scalar(text("SELECT pg_backend_pid()")) or 0) for s in sessions}


def started_at(db: Database) -> str:
    with db.session() as session:
        return str(session.scalar(text("SELECT pg_postmaster_start_time()")))


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_pooled_connections_are_replaced_after_a_restart(
    own_server: PostgresServer, mode: str
) -> None:
    db = Database(own_server.create_database(f"liveness_{mode}"))
    try:
        first = backend_pids(db, POOLED)
        assert len(first) == POOLED
        # A healthy pooled connection is taken as it is, not replaced (the check must not
        # mistake a live connection for a dead one: every request would reconnect).
        assert backend_pids(db, 1) <= first
        before = started_at(db)

        own_server.restart(mode)

        # Every pooled connection ended with the old server; none of it reaches a request.
        assert started_at(db) != before
        after = backend_pids(db, POOLED)
        assert len(after) == POOLED
        # The new ones stay in the pool and are used again.
        for _ in range(POOLED):
            assert backend_pids(db, 1) <= after
    finally:
        db.dispose()


def test_a_desk_syncs_through_a_postgresql_restart(
    own_server: PostgresServer, tmp_path: Path
) -> None:
    """The real ``serve`` process, its pool filled, then PostgreSQL restarted under it: the
    desk's next sync (a push and a pull) goes through at the first attempt."""
    url = own_server.create_database("liveness_desk")
    clock = ManualClock(NOW)
    ctx = make_context(url, clock)
    try:
        with (
            TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client,
            backend_processes(url, fixed_time=FIXED_TIME, serve=True) as (server,),
        ):
            backend = Backend(ctx, client, clock)
            token = backend.enroll(CENTER, name="liveness")
            desk = remote_desk(
                backend, tmp_path / "desk.sqlcipher", server.url, device_token=token, clock=clock
            )
            try:
                first = desk.sync()
                assert first.error == "" and first.snapshot, first
                for _ in range(3):
                    assert desk.sync().error == ""

                own_server.restart("fast")

                desk.ops.record_audit("group_viewed", "liveness")
                report = desk.sync()
                assert report.error == "", report
                assert report.applied == 1, report
                assert desk.engine.status.online is True
                assert desk.sync().error == ""
            finally:
                desk.cache.close()
            assert server.alive()
    finally:
        ctx.db.dispose()
