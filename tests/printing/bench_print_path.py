"""Benchmark: the print path does not grow with the desk's history (issue 13).

    bash tests/run.sh tests/printing/bench_print_path.py -m benchmark -s

What the desk reads from its cache to print a booking's slips (``load_for_print``: the booking,
its group, the center, and whether this slip was printed before) and the day journal's data
(``build_day_journal``), on a cache whose audit trail holds 200,000 events, against the same on
a cache with 2,000: interleaved pairs, median ratio. Both caches are real SQLCipher files with
their keys in the Secret Service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from center_desk.domain import TOKYO, Center, Room, RoomKind, SlotDef
from center_desk.printing.journal_source import build_day_journal
from center_desk.store import Cache, Connection, KeyStore, open_cache, transaction, wipe_cache
from center_desk.ui.print_service import load_for_print
from tests.store.conftest import DeskSample
from tests.support import bench

DAY = date(2026, 12, 1)
RESERVATION_ID = "7f1c2a9e-0000-4000-8000-000000000123"
KINDS = ("printed", "group_viewed", "fee_receipt", "locked", "unlocked")
PAIRS = 30


def _fill(db: Connection, events: int) -> None:
    """``events`` audit events over the days before ``DAY``, 100 a day."""
    rows = []
    for n in range(events):
        day = DAY - timedelta(days=1 + n // 100)
        at = datetime.combine(day, time(8, 30), TOKYO) + timedelta(minutes=(n % 100) * 8)
        rows.append((at.isoformat(), KINDS[n % len(KINDS)], "S0042", f"A-2026-{n:06d}"))
    with transaction(db):
        db.executemany(
            "INSERT INTO audit_events (at, kind, staff_id, subject, synced) VALUES (?, ?, ?, ?, 1)",
            rows,
        )


def _cache(path: Path, events: int) -> Cache:
    cache = open_cache(path, KeyStore())
    with transaction(cache.connection):
        DeskSample().seed(cache.connection)
    _fill(cache.connection, events)
    return cache


def _center() -> Center:
    room = Room(
        id="ogawa-nishi/1-shukai",
        center_id="ogawa-nishi",
        name="第一集会室",
        kind=RoomKind.WESTERN,
        capacity=40,
        individuals_allowed=False,
        fees={"morning": 700},
    )
    return Center(id="ogawa-nishi", name="小川西町地域センター", rooms=(room,))


def _print_path(db: Connection) -> Callable[[], object]:
    center = _center()
    slots = (SlotDef("morning", "午前", time(9, 0), time(12, 0)),)
    printed_at = datetime.combine(DAY, time(21, 0), TOKYO)

    def action() -> object:
        load_for_print(db, RESERVATION_ID)
        return build_day_journal(
            db, center=center, slots=slots, day=DAY, printed_at=printed_at, staff_name="窓口"
        )

    return action


def run(workdir: Path, pairs: int = PAIRS) -> bench.Figure:
    big = _cache(workdir / "big.sqlcipher", 200_000)
    small = _cache(workdir / "small.sqlcipher", 2_000)
    try:
        return bench.interleaved(
            "print path (load_for_print + day journal), 200k audit events",
            _print_path(big.connection),
            "the same with 2k audit events",
            _print_path(small.connection),
            runs=pairs,
            warmup=3,
            target="≤ 1.5×",
            group="print path",
        )
    finally:
        for cache in (big, small):
            path = cache.path
            cache.close()
            wipe_cache(path, KeyStore())


@pytest.mark.benchmark
def test_print_path_benchmark(tmp_path: Path) -> None:
    bench.record(run(tmp_path))
