"""Sync faults where a real process dies (issue 4): the backend (a uvicorn process on the test's
PostgreSQL database) SIGKILLed in the middle of a push, and the desk process SIGKILLed between
writing a booking and pushing it. Nothing is lost and nothing is doubled.

Waiting is always a poll with a deadline, never a sleep for time to pass; the clocks are fixed
(the backend process's CENTER_DESK_BACKEND_FIXED_TIME, the desk's ManualClock).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, select, text

from center_desk.backend.models import AuditEventRow, DeviceRow, ReservationRow
from center_desk.backend.security import token_hash
from center_desk.domain import DomainError, ManualClock, ReasonCode
from center_desk.protocol.sync import MAX_PUSH_BATCH, LastMinuteBooking
from center_desk.store import KeyStore, outbox
from center_desk.sync.operations import WalkIn
from center_desk.sync.recovery import ledger_for, open_desk_cache
from tests.support.backend_app import CENTER, HALL, Backend, tokyo
from tests.support.backend_process import BackendProcess, backend_process
from tests.support.desk import Desk, make_desk, remote_desk

REPO_ROOT = Path(__file__).resolve().parents[2]
DESK_SCRIPT = REPO_ROOT / "tests" / "support" / "desk_script.py"

FIXED_TIME = "2027-02-08T10:00:00+09:00"
NOW = tokyo(2027, 2, 8, 10, 0)
FIRST_DAY = date(2027, 2, 8)
LAST_DAY = date(2027, 2, 15)  # the counter window open on 2/8: 2/8 to 2/15
SLOTS = ("morning", "afternoon", "evening")
WALK_INS = 75  # a booking and its audit event each: about 150 mutations
ATTEMPTS = 4  # each attempt after the first adds twice as many mutations
KILL_DEADLINE = 120.0
SETTLE_DEADLINE = 30.0


# -- helpers -------------------------------------------------------------------------------


def device_id_of(backend: Backend, token: str) -> str:
    with backend.ctx.db.session() as session:
        device_id = session.scalars(
            select(DeviceRow.id).where(DeviceRow.token_hash == token_hash(token))
        ).one()
    return device_id


def server_last_id(backend: Backend, device_id: str) -> int:
    with backend.ctx.db.session() as session:
        device = session.get(DeviceRow, device_id)
        assert device is not None
        return device.last_mutation_id


def server_reservations(backend: Backend, *, approval_prefix: str = "K") -> list[ReservationRow]:
    with backend.ctx.db.session() as session:
        return list(
            session.scalars(
                select(ReservationRow).where(
                    ReservationRow.approval_number.startswith(approval_prefix)
                )
            )
        )


def server_audit_ids(backend: Backend, device_id: str) -> list[str]:
    """Ids of the audit events the device pushed (its enrollment's own event left out)."""
    with backend.ctx.db.session() as session:
        return [
            str(event_id)
            for event_id in session.scalars(
                select(AuditEventRow.id).where(
                    AuditEventRow.device_id == device_id, AuditEventRow.event != "device_enrolled"
                )
            )
        ]


def book_walk_ins(desk: Desk, user_ids: list[str], limit: int) -> list[str]:
    """Book up to ``limit`` walk-ins across 2/8–2/15 × rooms × slots, offline-capable (the
    cache decides); returns their approval numbers."""
    rooms = desk.db.execute(
        "SELECT room_id, capacity FROM rooms WHERE center_id = ? ORDER BY sort_order", (CENTER,)
    ).fetchall()
    booked: list[str] = []
    day = FIRST_DAY
    while day <= LAST_DAY and len(booked) < limit:
        for room_id, capacity in rooms:
            for slot in SLOTS:
                if len(booked) >= limit:
                    return booked
                user_id = user_ids[len(booked) % len(user_ids)]
                request = WalkIn(
                    room_id=room_id,
                    use_date=day,
                    slot_id=slot,
                    headcount=min(8, int(capacity)),
                    purpose="練習",
                    user_id=user_id,
                )
                try:
                    booked.append(desk.ops.book_walk_in(request).approval_number)
                except DomainError as error:
                    # Only a closed day may refuse here; anything else is a broken set-up.
                    assert error.code is ReasonCode.CLOSED_DAY, error
        day += timedelta(days=1)
    return booked


def wait_until_settled(engine: Engine, deadline: float) -> None:
    """After a SIGKILL, PostgreSQL may still be finishing what the dead process's connections
    had sent: wait until no other session of this database is busy."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while True:
            busy = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state NOT IN ('idle')"
                )
            )
            if not busy:
                return
            assert time.monotonic() < deadline, "PostgreSQL sessions of the killed backend linger"
            time.sleep(0.01)


@dataclass
class KillOutcome:
    killed: bool = False
    seen_at_kill: int = 0
    finished_first: bool = False
    error: BaseException | None = None


def kill_when_mid_push(
    engine: Engine,
    process: BackendProcess,
    device_id: str,
    *,
    floor: int,
    total: int,
    started: threading.Event,
    outcome: KillOutcome,
) -> None:
    """Poll the device's ``last_mutation_id`` and SIGKILL the backend process once about half
    of the first push request's batch has been applied (some, never all): that request's
    reply is lost, so the desk still holds every mutation as pending."""
    deadline = time.monotonic() + KILL_DEADLINE
    halfway = floor + max(1, min(total - floor, MAX_PUSH_BATCH) // 2)
    try:
        query = text("SELECT last_mutation_id FROM devices WHERE id = :id")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            started.set()
            while time.monotonic() < deadline:
                last = int(conn.scalar(query, {"id": device_id}) or 0)
                if halfway <= last < total:
                    process.kill()
                    outcome.killed = True
                    outcome.seen_at_kill = last
                    return
                if last >= total:
                    outcome.finished_first = True
                    return
                time.sleep(0.0005)
        outcome.error = AssertionError("the push did not start within the deadline")
    except BaseException as error:  # reported by the test thread
        outcome.error = error
        started.set()


# -- the backend killed mid-push -------------------------------------------------------------


def test_backend_killed_mid_push_then_restarted_applies_everything_once(
    backend: Backend, postgres_url: str, tmp_path: Path
) -> None:
    backend.at(NOW)
    user_ids = [
        backend.register(
            name=f"小川西町囲碁クラブ{kanji}", furigana=f"オガワニシマチイゴクラブ{kana}"
        )[0]
        for kanji, kana in (("一", "イチ"), ("二", "ニ"), ("三", "サン"))
    ]
    token = backend.enroll(CENTER, name="pushing")
    device_id = device_id_of(backend, token)
    engine = backend.ctx.db.engine
    current: list[BackendProcess] = []

    with backend_process(postgres_url, fixed_time=FIXED_TIME) as first:
        current.append(first)
        desk = remote_desk(
            backend,
            tmp_path / "desk.sqlcipher",
            lambda: current[-1].url,
            device_token=token,
            clock=ManualClock(NOW),
        )
        report = desk.sync()
        assert report.error == "" and report.snapshot, report
        assert server_last_id(backend, device_id) == 0

        walk_ins = book_walk_ins(desk, user_ids, WALK_INS)
        assert len(walk_ins) == WALK_INS
        outcome = KillOutcome()
        for attempt in range(ATTEMPTS):
            if attempt:
                # The last push finished before it could be caught: make the next bigger.
                for n in range(150 * 2**attempt):
                    desk.ops.record_audit("group_viewed", user_ids[n % len(user_ids)])
            floor = server_last_id(backend, device_id)
            total = outbox.last_id(desk.db)
            assert outbox.pending_count(desk.db) == total - floor
            outcome = KillOutcome()
            started = threading.Event()
            watcher = threading.Thread(
                target=kill_when_mid_push,
                args=(engine, first, device_id),
                kwargs={
                    "floor": floor,
                    "total": total,
                    "started": started,
                    "outcome": outcome,
                },
                daemon=True,
            )
            watcher.start()
            assert started.wait(SETTLE_DEADLINE)
            # This thread owns the SQLCipher connection (DESIGN.md §2), so the push runs here
            # and the watcher thread does the killing.
            report = desk.sync()
            watcher.join(KILL_DEADLINE)
            assert not watcher.is_alive()
            if outcome.error is not None:
                raise outcome.error
            if outcome.killed:
                break
            assert outcome.finished_first and report.error == "", (report, outcome)
            assert outbox.pending_count(desk.db) == 0
        assert outcome.killed, f"the push always finished before the kill ({ATTEMPTS} tries)"

        # The desk: no reply, so nothing it sent counts as done yet.
        assert report.error == "Offline", report
        assert desk.engine.status.online is False
        assert desk.engine.status.pending == total - floor
        assert outbox.pending_count(desk.db) == total - floor
        assert not first.alive()

    # The server: a clean prefix of the batch, each mutation whole or not at all.
    wait_until_settled(engine, time.monotonic() + SETTLE_DEADLINE)
    applied_before_restart = server_last_id(backend, device_id)
    assert floor < applied_before_restart < total
    assert applied_before_restart >= outcome.seen_at_kill
    # Walk-in k (0-based) is mutation 2k+1 and its audit event 2k+2; audit-only padding after.
    booked_in_prefix = sum(1 for k in range(len(walk_ins)) if 2 * k + 1 <= applied_before_restart)
    if floor == 0:
        assert len(server_reservations(backend)) == booked_in_prefix

    with backend_process(postgres_url, fixed_time=FIXED_TIME) as second:
        current.append(second)
        report = desk.sync()
        assert report.error == "", report
        assert report.rejected == []
        assert report.duplicates == applied_before_restart - floor
        assert report.applied == total - applied_before_restart
        assert desk.engine.status.online is True

        # A second sync changes nothing.
        again = desk.sync()
        assert again.error == "" and again.pushed == 0

    numbers = sorted(r.approval_number for r in server_reservations(backend))
    assert numbers == sorted(walk_ins)
    assert all(r.status == "booked" for r in server_reservations(backend))
    assert server_last_id(backend, device_id) == outbox.last_id(desk.db) == total
    assert outbox.pending_count(desk.db) == 0
    assert outbox.needs_attention(desk.db) == []
    pushed_events = [
        json.loads(row[0])["body"]["event_id"]
        for row in desk.db.execute("SELECT payload FROM outbox WHERE kind = 'audit_event'")
    ]
    assert len(pushed_events) == total - len(walk_ins)
    assert sorted(server_audit_ids(backend, device_id)) == sorted(pushed_events)
    pending_rows = desk.scalar("SELECT count(*) FROM reservations WHERE sync_state <> 'synced'")
    assert pending_rows == 0
    desk.cache.close()


# -- the desk killed between writing a booking and pushing it --------------------------------


def run_desk_script(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if part
    )
    return subprocess.run(
        [sys.executable, str(DESK_SCRIPT), *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_desk_killed_after_booking_before_push_keeps_it_and_pushes_it_once(
    backend: Backend, tmp_path: Path
) -> None:
    backend.at(tokyo(2027, 2, 10, 10, 0))
    user_id, _ = backend.register()
    path = tmp_path / "desk.sqlcipher"
    desk = make_desk(backend, path)
    first = desk.sync()
    assert first.error == "" and first.snapshot
    desk.cache.close()

    use_date = date(2027, 2, 15)
    died = run_desk_script(
        str(path), backend.clock.now().isoformat(), HALL, use_date.isoformat(), "evening", user_id
    )
    assert died.returncode == -signal.SIGKILL, (died.returncode, died.stderr)
    booked = json.loads(died.stdout.strip().splitlines()[-1])
    # Killed with its connection open: the booking is only in the WAL, never checkpointed.
    assert path.with_name(path.name + "-wal").exists()

    # Reopened by the next desk process: the cache is intact (no wipe) and still holds both
    # the booking and its mutation, pending.
    cache, recovery = open_desk_cache(path, KeyStore(), backend.clock)
    assert recovery is None
    desk = make_desk(backend, path, device_token=desk.device_token, cache=cache)
    row = desk.db.execute(
        "SELECT approval_number, sync_state, status FROM reservations WHERE id = ?",
        (booked["id"],),
    ).fetchone()
    assert tuple(row) == (booked["approval_number"], "pending", "booked")
    waiting = outbox.pending(desk.db)
    assert [e.kind for e in waiting] == ["last_minute_booking", "audit_event"]
    body = waiting[0].body
    assert isinstance(body, LastMinuteBooking)
    assert str(body.reservation.id) == booked["id"]
    # The ledger written before the kill names it too (what a wipe would have to report).
    ledger = ledger_for(path).read()
    assert ledger is not None
    # (Audit events are in it too, to be counted after a loss.)
    assert [w.kind for w in ledger] == ["last_minute_booking", "audit_event"]
    assert booked["approval_number"] in ledger[0].summary

    report = desk.sync()
    assert report.error == "" and report.rejected == []
    assert report.applied == 2
    assert [r.approval_number for r in server_reservations(backend)] == [booked["approval_number"]]
    assert desk.scalar("SELECT sync_state FROM reservations WHERE id = ?", booked["id"]) == (
        "synced"
    )

    again = desk.sync()
    assert again.error == "" and again.pushed == 0
    assert len(server_reservations(backend)) == 1
    assert outbox.pending_count(desk.db) == 0
    desk.cache.close()
