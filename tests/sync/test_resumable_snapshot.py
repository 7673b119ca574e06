"""A first sync (or any snapshot) that is interrupted resumes where it stopped and never
throws away what it applied (issue 10, item 1): a TCP proxy cutting the connection after page
N, and the desk process SIGKILLed between pages; the real backend process on PostgreSQL, real
SQLCipher files, the real Secret Service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from center_desk.domain import ManualClock
from center_desk.store import KeyStore, meta, open_cache
from tests.support.backend_app import Backend, tokyo
from tests.support.backend_process import backend_process
from tests.support.desk import Desk, remote_desk
from tests.support.snapshot import backend_reservations, cutting_proxy, desk_reservations, seed_log

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXED_TIME = "2027-02-08T10:00:00+09:00"
NOW = tokyo(2027, 2, 8, 10, 0)
PAGE = 4


def seeded(backend: Backend) -> None:
    backend.at(NOW)
    seed_log(backend, groups=12, reservations=12, now=NOW)


def group_ids(desk: Desk) -> set[str]:
    return {str(r[0]) for r in desk.db.execute("SELECT user_id FROM groups").fetchall()}


@pytest.mark.parametrize("cut_at", [2, 3, 5])
def test_a_first_sync_cut_after_page_n_resumes_and_holds_exactly_the_backend_rows(
    backend: Backend, postgres_url: str, tmp_path: Path, cut_at: int
) -> None:
    seeded(backend)
    token = backend.enroll(name="cut")
    expected = backend_reservations(backend)
    assert len(expected) == 12
    with (
        backend_process(postgres_url, fixed_time=FIXED_TIME) as server,
        cutting_proxy(server.url, cut_at) as proxy,
    ):
        desk = remote_desk(
            backend,
            tmp_path / "desk.sqlcipher",
            proxy.url,
            device_token=token,
            clock=ManualClock(NOW),
        )
        desk.engine._pull_page = PAGE
        first = desk.sync()
        assert first.error == "Offline", first
        assert proxy.pulls == cut_at
        # What the pages before the cut brought stays.
        held = desk_reservations(desk.db)
        assert held <= expected
        resumed = desk.sync()
        assert resumed.error == "", resumed
        assert desk_reservations(desk.db) == expected
        assert len(group_ids(desk)) == 12
        # Later syncs pull nothing new, and lose nothing.
        again = desk.sync()
        assert again.error == "" and again.pulled == 0
        assert desk_reservations(desk.db) == expected
        desk.cache.close()


def test_a_forced_snapshot_keeps_the_board_while_it_runs_and_drops_only_what_is_gone(
    backend: Backend, postgres_url: str, tmp_path: Path
) -> None:
    seeded(backend)
    token = backend.enroll(name="forced")
    expected = backend_reservations(backend)
    with (
        backend_process(postgres_url, fixed_time=FIXED_TIME) as server,
        cutting_proxy(server.url, 3) as proxy,
    ):
        desk = remote_desk(
            backend,
            tmp_path / "desk.sqlcipher",
            server.url,
            device_token=token,
            clock=ManualClock(NOW),
        )
        desk.engine._pull_page = PAGE
        assert desk.sync().error == ""
        assert desk_reservations(desk.db) == expected
        # A row the backend no longer has (as after a restore) and a cursor it no longer
        # accepts: the backend forces a snapshot, which is cut after its second page.
        desk.db.execute(
            "INSERT INTO reservations (id, approval_number, center_id, room_id, use_date, "
            "slot_id, applicant_kind, kind, channel, individual_name) SELECT "
            "'00000000-0000-4000-8000-000000000001', 'GONE-1', center_id, room_id, "
            "'2027-02-20', slot_id, 'individual', 'first_come', 'online', 'x' "
            "FROM reservations LIMIT 1"
        )
        desk.db.execute("UPDATE meta SET value = 'stale' WHERE key = ?", (meta.PULL_CURSOR,))
        desk.transport.inner = _via(proxy.url, desk)
        cut = desk.sync()
        assert cut.error == "Offline" and cut.snapshot
        # Nothing emptied while the snapshot is incomplete: the 本日 board still shows all.
        assert desk_reservations(desk.db) >= expected
        resumed = desk.sync()
        assert resumed.error == "", resumed
        assert desk_reservations(desk.db) == expected
        desk.cache.close()


def _via(url: str, desk: Desk) -> object:
    import httpx

    from tests.support.desk import RerouteTransport

    return RerouteTransport(httpx.HTTPTransport(), lambda: url)


def test_the_desk_process_killed_between_pages_resumes(
    backend: Backend, postgres_url: str, tmp_path: Path
) -> None:
    seeded(backend)
    token = backend.enroll(name="killed")
    expected = backend_reservations(backend)
    path = tmp_path / "desk.sqlcipher"
    with backend_process(postgres_url, fixed_time=FIXED_TIME) as server:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        died = subprocess.run(
            [
                sys.executable,
                str(REPO_ROOT / "tests" / "sync" / "pull_and_die.py"),
                str(path),
                server.url,
                token,
                NOW.isoformat(),
                str(PAGE),
                "2",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert died.returncode == -signal.SIGKILL, (died.returncode, died.stdout, died.stderr)
        assert "page 2:" in died.stdout
        cache = open_cache(path, KeyStore())
        desk = remote_desk(
            backend, path, server.url, device_token=token, clock=ManualClock(NOW), cache=cache
        )
        desk.engine._pull_page = PAGE
        partial_view = desk_reservations(desk.db)
        assert partial_view < expected
        report = desk.sync()
        assert report.error == "", report
        assert desk_reservations(desk.db) == expected
        assert len(group_ids(desk)) == 12
        desk.cache.close()
