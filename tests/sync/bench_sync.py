"""Benchmark: the first sync of a new desk at a center with a year of bookings (issue 4).

    dbus-run-session -- bash tests/support/with-keyring.sh \\
        .venv/bin/python -m tests.sync.bench_sync
    # or, as a test (deselected by default):
    dbus-run-session -- bash tests/support/with-keyring.sh \\
        .venv/bin/python -m pytest tests/sync/bench_sync.py -m benchmark -s

Seeds a PostgreSQL database (a throwaway cluster) with one center's year of bookings, about
15,000 reservations, and 3,000 groups referenced there, in bulk through SQLAlchemy core with
their change-log and center-group rows. The backend is a real uvicorn process on loopback HTTP
(fixed clock; ``sync_days_back``/``sync_days_ahead`` widened so the whole year is in scope). The
desk is the real one: SQLCipher cache with its key in the Secret Service, the real engine.

Measured in interleaved pairs (subject, then baseline, then the other way round; see
tests/support/bench.py), each figure the median ratio of its pairs:
  (a) the first sync of a new desk (every page pulled into a fresh SQLCipher cache) against the
      same rows inserted straight into a fresh SQLCipher cache in one transaction (5 pairs);
  (b) a pull with nothing new, and a whole sync with nothing new, against ``GET /v1/health``
      on the same server (200 pairs each: a few ms each, and on a shared machine a single pair
      swings from 0.3× to 10×, so 60 pairs left the median to chance);
  (c) a push of 100 mutations (30 walk-ins with their audit events, and 40 audit events)
      (3 runs), the push requests alone and the whole sync (push, then the pull of what it
      changed): a plain figure.

The catalog's 小川西町 has 6 rooms: 6,570 slot-days a year, fewer than 15,000 bookings. The
benchmark center therefore gets 10 more rooms (16), with about one booking in ten cancelled.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import insert

from center_desk.backend.config import BackendSettings
from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import (
    CenterGroupRow,
    ChangeRow,
    GroupRow,
    ReservationRow,
    RoomRow,
)
from center_desk.backend.security import hash_password
from center_desk.backend.services import auth
from center_desk.backend.services.catalog import load_catalog
from center_desk.backend.services.groups import apply_form
from center_desk.backend.services.ids import user_id_with_check_digit
from center_desk.domain import (
    TOKYO,
    CenterCalendar,
    GroupForm,
    ManualClock,
    Person,
    registration_valid_until,
    tokyo_date,
)
from center_desk.protocol.sync import MutationEnvelope, PullResponse, PushResponse
from center_desk.resources import load_catalog as read_catalog
from center_desk.store import (
    Cache,
    Connection,
    KeyStore,
    meta,
    open_cache,
    outbox,
    transaction,
    wipe_cache,
)
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.engine import SyncEngine
from center_desk.sync.operations import DeskOperations, WalkIn
from center_desk.sync.recovery import ledger_for
from center_desk.sync.runner import InlineRunner
from tests.support import bench
from tests.support.backend_process import backend_process

T = TypeVar("T")

CENTER = "ogawa-nishimachi"
NOW = datetime(2027, 4, 1, 10, 0, tzinfo=TOKYO)
FIXED_TIME = NOW.isoformat()
SLOTS = ("morning", "afternoon", "evening")
EXTRA_ROOMS = 10
RESERVATIONS = 15_000
GROUPS = 3_000
#: The year of bookings: from 29 days back (inside the desk's 30-day keep) for 365 days.
FIRST_DAY = tokyo_date(NOW) - timedelta(days=29)
DAYS = 365
#: The counter window (today and the next 7 days) is left free for the push benchmark.
COUNTER_WINDOW = 8
FIRST_SYNC_RUNS = 5
NOTHING_NEW_RUNS = 200
PUSH_RUNS = 3
PUSH_WALK_INS = 30
PUSH_AUDITS = 40
BACKEND_ENV = {
    # The pull scope is 30 days back to 92 ahead by default; the whole year here.
    "CENTER_DESK_BACKEND_SYNC_DAYS_BACK": "60",
    "CENTER_DESK_BACKEND_SYNC_DAYS_AHEAD": "400",
}


# -- seeding -------------------------------------------------------------------------------


def _group_rows(count: int, now: datetime) -> list[dict[str, Any]]:
    password_hash = hash_password("bench-" + uuid.uuid4().hex)
    columns = [c.key for c in GroupRow.__table__.columns]
    rows: list[dict[str, Any]] = []
    for n in range(count):
        row = GroupRow(
            user_id=user_id_with_check_digit(60_000_001 + n),
            password_hash=password_hash,
            registered_at=now,
            registered_center_id=CENTER,
            valid_until=registration_valid_until(tokyo_date(now)),
            active=True,
            failed_sign_ins=0,
            updated_at=now,
            deregistered_at=None,
            locked_until=None,
        )
        apply_form(
            row,
            GroupForm(
                name=f"ベンチ団体{n:04d}",
                furigana="ベンチダンタイ",
                activity="囲碁",
                member_count=10,
                kodaira_member_count=8,
                representative_is_resident=True,
                representative=Person(
                    f"代表 {n:04d}",
                    "ダイヒョウ",
                    "187-0032",
                    "東京都小平市小川町1-2-3",
                    "042-341-1211",
                    "group@example.jp",
                ),
                responsible=Person(
                    f"責任 {n:04d}",
                    "セキニン",
                    "187-0032",
                    "東京都小平市小川町1-2-3",
                    "090-1234-5678",
                    None,
                ),
            ),
        )
        rows.append({key: getattr(row, key) for key in columns})
    return rows


def seed(db: Database) -> dict[str, int]:
    """The catalog, 10 extra rooms, 3,000 groups and 15,000 reservations, with their change-log
    and center-group rows, in bulk."""
    upgrade(db.engine)
    with db.session() as session:
        load_catalog(session, read_catalog(), NOW)
    rng = random.Random(20270401)
    groups = _group_rows(GROUPS, NOW)
    user_ids = [g["user_id"] for g in groups]
    rooms = [
        {
            "id": f"{CENTER}/bench-{n:02d}",
            "center_id": CENTER,
            "name": f"ベンチ室{n:02d}",
            "kind": "western",
            "capacity": 30,
            "individuals_allowed": False,
            "fees": {"morning": 700, "afternoon": 900, "evening": 900},
            "position": 100 + n,
            "active": True,
        }
        for n in range(EXTRA_ROOMS)
    ]
    catalog_rooms = [r.id for r in read_catalog().center(CENTER).rooms]
    room_ids = catalog_rooms + [r["id"] for r in rooms]
    calendar = CenterCalendar()
    window_end = tokyo_date(NOW) + timedelta(days=COUNTER_WINDOW - 1)
    slot_days = [
        (room_id, day, slot)
        for day in (FIRST_DAY + timedelta(days=d) for d in range(DAYS))
        if not calendar.is_closed(day) and not tokyo_date(NOW) <= day <= window_end
        for room_id in room_ids
        for slot in SLOTS
    ]
    live_needed = RESERVATIONS - RESERVATIONS // 10
    assert len(slot_days) >= live_needed, (len(slot_days), live_needed)
    rng.shuffle(slot_days)
    taken = slot_days[:live_needed]
    # One in ten cancelled: on slots someone else then booked, as happens.
    cancelled = rng.sample(taken, RESERVATIONS - live_needed)
    reservations: list[dict[str, Any]] = []
    for n, ((room_id, day, slot), status) in enumerate(
        [(s, "live") for s in taken] + [(s, "cancelled") for s in cancelled]
    ):
        past = day < tokyo_date(NOW)
        created = NOW - timedelta(days=rng.randint(1, 60))
        reservations.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "approval_number": f"B{n + 1:08d}",
                "center_id": CENTER,
                "room_id": room_id,
                "use_date": day,
                "use_month": f"{day.year:04d}-{day.month:02d}",
                "slot_id": slot,
                "kind": rng.choice(("lottery", "first_come", "first_come", "last_minute")),
                "channel": rng.choice(("online", "online", "counter")),
                "status": "cancelled" if status == "cancelled" else ("used" if past else "booked"),
                "user_id": rng.choice(user_ids),
                "individual_name": None,
                "purpose": "練習",
                "headcount": rng.randint(5, 20),
                "fee_nominal": 700 if slot == "morning" else 900,
                "fee_charged": 700 if slot == "morning" else 900,
                "fee_exemption": None,
                "fee_exemption_note": "",
                "checked_in_at": None,
                "cancelled_at": created if status == "cancelled" else None,
                "cancelled_reason": "都合により" if status == "cancelled" else "",
                "created_at": created,
                "created_by": "bench",
                "updated_at": created,
            }
        )
    changes = [
        {
            "entity": "group",
            "entity_id": user_id,
            "center_id": None,
            "user_id": user_id,
            "op": "upsert",
            "changed_at": NOW,
        }
        for user_id in user_ids
    ] + [
        {
            "entity": "reservation",
            "entity_id": str(r["id"]),
            "center_id": CENTER,
            "user_id": r["user_id"],
            "op": "upsert",
            "changed_at": r["updated_at"],
        }
        for r in reservations
    ]
    with db.engine.begin() as conn:
        conn.execute(insert(RoomRow), rooms)
        conn.execute(insert(GroupRow), groups)
        conn.execute(
            insert(CenterGroupRow),
            [{"center_id": CENTER, "user_id": u, "since": NOW} for u in user_ids],
        )
        conn.execute(insert(ReservationRow), reservations)
        conn.execute(insert(ChangeRow), changes)
    return {"reservations": len(reservations), "groups": len(groups), "rooms": len(room_ids)}


def enroll(db: Database) -> str:
    """A new desk of the center; its device token."""
    settings = BackendSettings(database_url=db.url, environment="test")
    with db.session() as session:
        code = auth.issue_enrollment_code(session, CENTER, now=NOW, settings=settings)
        enrolled = auth.enroll(session, code, "bench-desk", now=NOW)
        return enrolled.token


# -- the desk ----------------------------------------------------------------------------------


class TimedClient(BackendClient):
    """The real client, noting how long its push and pull requests take."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.push_seconds = 0.0
        self.pull_seconds = 0.0

    def push(
        self, envelopes: list[MutationEnvelope], *, sent_at: datetime | None = None
    ) -> PushResponse:
        start = time.perf_counter()
        try:
            return super().push(envelopes, sent_at=sent_at)
        finally:
            self.push_seconds += time.perf_counter() - start

    def pull(self, cursor: str | None, limit: int) -> PullResponse:
        start = time.perf_counter()
        try:
            return super().pull(cursor, limit)
        finally:
            self.pull_seconds += time.perf_counter() - start


@dataclass
class BenchDesk:
    cache: Cache
    client: TimedClient
    engine: SyncEngine
    ops: DeskOperations

    def close(self) -> None:
        self.cache.close()


def make_bench_desk(path: Path, url: str, token: str, clock: ManualClock) -> BenchDesk:
    cache = open_cache(path, KeyStore())
    client = TimedClient(make_http(url, timeout=120.0), device_token=lambda: token)
    runner = InlineRunner(cache)
    engine = SyncEngine(runner, client, clock, ledger=ledger_for(path))
    ops = DeskOperations(runner, client, clock, staff_id=lambda: "s001", ledger=ledger_for(path))
    return BenchDesk(cache, client, engine, ops)


def discard(path: Path) -> None:
    wipe_cache(path, KeyStore())
    ledger_for(path).path.unlink(missing_ok=True)


def count(db: Connection, table: str) -> int:
    row = db.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


# -- the measurements ------------------------------------------------------------------------


@dataclass
class Figures:
    seeded: dict[str, int] = field(default_factory=dict)
    seed_seconds: float = 0.0
    pulled: int = 0
    cached_reservations: int = 0
    cached_groups: int = 0
    #: (first sync, baseline insert) seconds of each interleaved pair.
    first_sync: list[tuple[float, float]] = field(default_factory=list)
    #: (pull with nothing new, GET /v1/health) seconds of each interleaved pair.
    empty_pull: list[tuple[float, float]] = field(default_factory=list)
    #: (a whole sync with nothing to do, GET /v1/health).
    nothing_new: list[tuple[float, float]] = field(default_factory=list)
    push_requests: list[float] = field(default_factory=list)
    push_sync: list[float] = field(default_factory=list)
    pushed_per_run: int = 0
    cache_mb: float = 0.0
    total_seconds: float = 0.0

    def table(self) -> list[bench.Figure]:
        group = "sync"
        return [
            bench.from_pairs(
                f"first sync of one center ({self.cached_reservations:,} bookings,"
                f" {self.cached_groups:,} groups) into a fresh cache",
                "the same rows executemany'd into SQLCipher, one transaction",
                self.first_sync,
                target="≤ 3×",
                group=group,
            ),
            bench.from_pairs(
                "empty pull, loopback HTTP",
                "GET /v1/health on the same server",
                self.empty_pull,
                target="≤ 2×",
                group=group,
            ),
            bench.from_pairs(
                "a whole sync with nothing new (push nothing, pull nothing)",
                "GET /v1/health on the same server",
                self.nothing_new,
                group=group,
            ),
            bench.value(
                f"push of {self.pushed_per_run} mutations (walk-ins + audit events)",
                f"push requests {statistics.median(self.push_requests) * 1000:.0f} ms;"
                f" whole sync {statistics.median(self.push_sync) * 1000:.0f} ms",
                group=group,
            ),
        ]


def _copy_rows(cache: Cache, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows = cache.connection.execute(f"SELECT * FROM {table}").fetchall()
    columns = list(rows[0].keys())
    return columns, [tuple(row) for row in rows]


def _baseline_insert(
    path: Path, tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
) -> float:
    """The same rows straight into a fresh cache, one transaction (opening not timed)."""
    cache = open_cache(path, KeyStore())
    try:
        start = time.perf_counter()
        with transaction(cache.connection) as db:
            for table, (columns, rows) in tables.items():
                marks = ", ".join("?" for _ in columns)
                db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        return time.perf_counter() - start
    finally:
        cache.close()
        discard(path)


def _first_sync(path: Path, url: str, token: str, clock: ManualClock) -> tuple[float, BenchDesk]:
    """A new desk's first sync (no cursor, so a full snapshot); opening is not timed."""
    desk = make_bench_desk(path, url, token, clock)
    seconds, report = timed(desk.engine.sync_once)
    assert report.error == "" and report.snapshot, report
    return seconds, desk


def _walk_ins(desk: BenchDesk, user_ids: list[str], run: int) -> None:
    rooms = [
        r[0]
        for r in desk.cache.connection.execute(
            "SELECT room_id FROM rooms WHERE center_id = ? ORDER BY sort_order", (CENTER,)
        )
    ]
    free = [
        (room, tokyo_date(NOW) + timedelta(days=d), slot)
        for d in range(COUNTER_WINDOW)
        for room in rooms
        for slot in SLOTS
    ]
    for n, (room, day, slot) in enumerate(free[run * PUSH_WALK_INS : (run + 1) * PUSH_WALK_INS]):
        desk.ops.book_walk_in(
            WalkIn(room_id=room, use_date=day, slot_id=slot, headcount=8, user_id=user_ids[n])
        )


def run(database_url: str, workdir: Path) -> Figures:
    began = time.perf_counter()
    figures = Figures()
    db = Database(database_url)
    try:
        figures.seed_seconds, figures.seeded = timed(lambda: seed(db))
        token = enroll(db)
    finally:
        db.engine.dispose()
    clock = ManualClock(NOW)

    with backend_process(database_url, fixed_time=FIXED_TIME, extra_env=BACKEND_ENV) as server:
        # A first sync to learn the rows (and warm the server), then interleaved pairs: a new
        # desk's first sync into a fresh cache, and the same rows inserted straight into one.
        seconds, desk = _first_sync(workdir / "first.sqlcipher", server.url, token, clock)
        db_conn = desk.cache.connection
        figures.cached_reservations = count(db_conn, "reservations")
        figures.cached_groups = count(db_conn, "groups")
        tables = {table: _copy_rows(desk.cache, table) for table in ("groups", "reservations")}
        for n in range(FIRST_SYNC_RUNS):
            path = workdir / f"pair-{n}.sqlcipher"

            def subject(path: Path = path) -> float:
                seconds, other = _first_sync(path, server.url, token, clock)
                other.close()
                discard(path)
                return seconds

            def baseline(n: int = n) -> float:
                return _baseline_insert(workdir / f"baseline-{n}.sqlcipher", tables)

            if n % 2 == 0:
                pair = (subject(), baseline())
            else:
                b = baseline()
                pair = (subject(), b)
            figures.first_sync.append(pair)

        # Nothing new: the pull request alone, and a whole sync, each against a health check.
        cursor = meta.get(db_conn, meta.PULL_CURSOR)
        assert cursor
        pulled_nothing = desk.client.pull(cursor, 1000)
        assert pulled_nothing.changes == [] and not pulled_nothing.has_more
        figures.empty_pull = bench.interleave(
            lambda: desk.client.pull(cursor, 1000), desk.client.health, NOTHING_NEW_RUNS, warmup=3
        )

        def nothing_new() -> None:
            report = desk.engine.sync_once()
            assert report.error == "" and report.pulled == 0 and report.pushed == 0, report

        figures.nothing_new = bench.interleave(nothing_new, desk.client.health, NOTHING_NEW_RUNS)

        # A push of 100 mutations.
        user_ids = [
            r[0] for r in db_conn.execute("SELECT user_id FROM groups ORDER BY user_id LIMIT 100")
        ]
        for n in range(PUSH_RUNS):
            _walk_ins(desk, user_ids, n)
            for k in range(PUSH_AUDITS):
                desk.ops.record_audit("group_viewed", user_ids[k])
            waiting = outbox.pending_count(db_conn)
            assert waiting == 2 * PUSH_WALK_INS + PUSH_AUDITS, waiting
            desk.client.push_seconds = 0.0
            seconds, report = timed(desk.engine.sync_once)
            assert report.error == "" and report.rejected == [], report
            assert report.applied == waiting, report
            figures.pushed_per_run = waiting
            figures.push_requests.append(desk.client.push_seconds)
            figures.push_sync.append(seconds)

        path = desk.cache.path
        desk.close()
        figures.cache_mb = path.stat().st_size / 1e6
    discard(path)
    figures.total_seconds = time.perf_counter() - began
    return figures


def report(figures: Figures) -> str:
    seeded = figures.seeded
    return "\n".join(
        [
            "sync benchmark: backend = uvicorn process on loopback HTTP, PostgreSQL 15 (fsync off);"
            " desk = SQLCipher cache, key in the Secret Service",
            f"  seeded {seeded['reservations']:,} reservations, {seeded['groups']:,} groups,"
            f" {seeded['rooms']} rooms at one center in {figures.seed_seconds:.1f} s;"
            f" cache {figures.cache_mb:.1f} MB; benchmark took {figures.total_seconds:.0f} s",
            bench.text_table(figures.table()),
        ]
    )


# -- entry points ----------------------------------------------------------------------------


@pytest.mark.benchmark
def test_sync_benchmark(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = run(postgres_url, tmp_path)
    with capsys.disabled():
        print("\n" + report(figures))
    assert figures.cached_reservations == RESERVATIONS
    assert figures.cached_groups == GROUPS
    for figure in figures.table():
        bench.record(figure)


def main() -> int:
    from tests.support.postgres import start_server

    server = start_server()
    try:
        name = f"bench_sync_{uuid.uuid4().hex[:8]}"
        url = server.create_database(name)
        with tempfile.TemporaryDirectory(prefix="center-desk-bench-") as workdir:
            figures = run(url, Path(workdir))
        print(report(figures))
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
