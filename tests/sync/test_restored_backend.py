"""A backend restored from a backup (issue 10, item 5): its change log and its devices'
mutation counters go back in time. With the epoch bumped by the admin command, or without
(detected from the cursor), desks get a full snapshot, send again what the backend lost, keep
what waits, and converge. pg_dump/pg_restore on the test cluster, the real backend app."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from center_desk.backend.models import ReservationRow
from center_desk.backend.services.sync_cursor import new_epoch
from center_desk.store import outbox
from center_desk.sync.operations import WalkIn
from tests.support.backend_app import CENTER, HALL, Backend, tokyo
from tests.support.desk import Desk
from tests.support.postgres import PostgresServer

USE = date(2027, 2, 15)


def walk_in(user_id: str, slot: str) -> WalkIn:
    return WalkIn(room_id=HALL, use_date=USE, slot_id=slot, headcount=10, user_id=user_id)


def server_ids(backend: Backend) -> set[str]:
    with backend.ctx.db.session() as session:
        return {
            str(i)
            for i in session.scalars(
                select(ReservationRow.id).where(
                    ReservationRow.center_id == CENTER, ReservationRow.status != "cancelled"
                )
            )
        }


def desk_ids(desk: Desk) -> set[str]:
    return {
        str(r[0])
        for r in desk.db.execute("SELECT id FROM reservations WHERE status <> 'cancelled'")
    }


def dump(server: PostgresServer, url: str, target: Path) -> None:
    name = url.rsplit("/", 1)[1]
    subprocess.run(
        [str(server.bindir / "pg_dump"), "-Fc", "-f", str(target), "-d", server.conninfo(name)],
        check=True,
        capture_output=True,
    )


def restore(backend: Backend, server: PostgresServer, url: str, source: Path) -> None:
    name = url.rsplit("/", 1)[1]
    backend.ctx.db.dispose()
    server.drop_database(name)
    server.create_database(name)
    subprocess.run(
        [str(server.bindir / "pg_restore"), "-d", server.conninfo(name), str(source)],
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("bump_epoch", [True, False])
def test_desks_converge_after_the_backend_is_restored_from_an_earlier_dump(
    backend: Backend,
    desks: Callable[..., Desk],
    postgres_server: PostgresServer,
    postgres_url: str,
    tmp_path: Path,
    bump_epoch: bool,
) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    user_id, _ = backend.register()
    first, second = desks("first"), desks("second")
    assert first.sync().error == "" and second.sync().error == ""
    dump(postgres_server, postgres_url, tmp_path / "backup.dump")

    # After the backup: a booking that reaches the backend (then lost by the restore), and
    # one that waits offline at the second desk.
    lost_by_restore = first.ops.book_walk_in(walk_in(user_id, "morning"))
    assert first.sync().applied == 2
    assert second.sync().error == ""
    assert lost_by_restore.id in desk_ids(second)
    second.go_offline()
    waiting = second.ops.book_walk_in(walk_in(user_id, "evening"))
    second.sync()

    restore(backend, postgres_server, postgres_url, tmp_path / "backup.dump")
    assert lost_by_restore.id not in server_ids(backend)
    if bump_epoch:
        with backend.ctx.db.session() as session:
            new_epoch(session)
    # Life goes on at the restored backend: new changes take the log's old sequence numbers.
    backend.register(name="上水コーラスの会", furigana="ジョウスイコーラスノカイ")

    second.go_online()
    for _ in range(2):
        for desk in (first, second):
            report = desk.sync()
            assert report.error == "", report
            assert report.rejected == []
    expected = server_ids(backend)
    assert {lost_by_restore.id, waiting.id} <= expected
    assert desk_ids(first) == expected
    assert desk_ids(second) == expected
    assert outbox.pending_count(first.db) == outbox.pending_count(second.db) == 0
    groups = {r[0] for r in second.db.execute("SELECT name FROM groups")}
    assert "上水コーラスの会" in groups
