"""Benchmark: the 09:00 rush on one slot, 100, 500 and 1,000 clients at once (issue 9).

    bash tests/run.sh tests/backend/bench_rush.py -m benchmark -s

Two real ``center-desk-backend serve`` processes on one throwaway PostgreSQL, fixed clock at the
first-come opening; every client a signed-in group (sessions inserted directly) posting a
first-come booking of the same slot, half to each process, all released at once from one event
loop. Each size runs ROUNDS times, on a fresh slot each time, in turn (100, 500, 1000, 100, …)
so a machine busy with other work slows every size alike. Printed per size: the median over
rounds of p50 and p99 latency and of requests per second, with the rounds' min–max, and the
answers. Every round must have exactly one 201, everything else 409 or 503 + Retry-After.

A/B at 100 clients (below where the old server locked up): the admission gate as configured
against a gate too wide to matter (``MAX_IN_FLIGHT=1000``), interleaved, median ratio of wall
times with min–max: what the gate costs when there is no rush to hold.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta

import pytest

from tests.backend.rush import Job, Outcome, fire, first_come, percentile
from tests.support import bench
from tests.support.backend_app import (
    HALL,
    Backend,
    insert_citizen_sessions,
    insert_groups,
    tokyo,
)
from tests.support.backend_process import backend_processes

OPENING = tokyo(2027, 1, 4, 9, 0)
SIZES = (100, 500, 1000)
ROUNDS = 3
SLOTS = ("morning", "afternoon", "evening")


def _slots() -> list[tuple[date, str]]:
    """Fresh February slots of the hall, one per round (1st/3rd Tuesdays left out)."""
    days = [date(2027, 2, 1) + timedelta(days=n) for n in range(28)]
    open_days = [d for d in days if d not in (date(2027, 2, 2), date(2027, 2, 16))]
    return [(d, s) for d in open_days for s in SLOTS]


def _round(urls: list[str], headers: list[dict[str, str]], day: date, slot: str) -> list[Outcome]:
    jobs = [
        Job("POST", f"{urls[n % 2]}/v1/citizen/reservations", h, first_come(HALL, day, slot))
        for n, h in enumerate(headers)
    ]
    outcomes, wall = fire(jobs)
    tally = Counter((o.status, o.code) for o in outcomes)
    assert tally[(201, "")] == 1, tally
    # A group that won four earlier rounds is at its quota for the month: also a right answer.
    allowed = {(201, ""), (409, "slot_taken"), (409, "center_quota"), (503, "busy")}
    assert set(tally) <= allowed, tally
    assert all(o.retry_after for o in outcomes if o.status == 503)
    return [*outcomes, Outcome(-1, "wall", wall, None, {})]


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


@pytest.mark.benchmark
def test_rush_on_one_slot_at_100_500_and_1000_clients(backend: Backend, postgres_url: str) -> None:
    user_ids = insert_groups(backend.ctx, max(SIZES), now=OPENING.replace(hour=8))
    sessions = insert_citizen_sessions(
        backend.ctx, user_ids, now=OPENING.replace(hour=8), minutes=600
    )
    headers = [sessions[u] for u in user_ids]
    slots = iter(_slots())
    figures: dict[int, dict[str, list[float]]] = {
        n: {"p50": [], "p99": [], "rps": []} for n in SIZES
    }
    answers: dict[int, Counter[tuple[int, str]]] = {n: Counter() for n in SIZES}
    with backend_processes(
        postgres_url, count=2, fixed_time=OPENING.isoformat(), serve=True
    ) as processes:
        urls = [p.url for p in processes]
        for _ in range(ROUNDS):
            for size in SIZES:
                day, slot = next(slots)
                *outcomes, wall = _round(urls, headers[:size], day, slot)
                seconds = [o.seconds for o in outcomes]
                figures[size]["p50"].append(statistics.median(seconds))
                figures[size]["p99"].append(percentile(seconds, 0.99))
                figures[size]["rps"].append(size / wall.seconds)
                answers[size].update((o.status, o.code) for o in outcomes)
    print()
    print(
        "rush on one slot, 2 serve processes, 1 PostgreSQL; median (min–max) of", ROUNDS, "rounds"
    )
    for size in SIZES:
        f = figures[size]
        print(
            f"  {size:5d} clients: p50 {_spread(f['p50'])} s, p99 {_spread(f['p99'])} s, "
            f"{_spread(f['rps'])} req/s; answers {dict(answers[size])}"
        )
        # The one table (issue 13, item 5): latency under a rush has no same-run baseline of
        # its own, so it is a plain row; the target is the rush issue's (p99 under 5 s at 500).
        wins = sum(n for (status, _), n in answers[size].items() if status == 201)
        bench.record(
            bench.value(
                f"backend rush, {size} clients at once on one slot (2 serve processes)",
                f"p50 {_spread(f['p50'])} s, p99 {_spread(f['p99'])} s, "
                f"{_spread(f['rps'])} req/s; {wins} of {ROUNDS} rounds with one 201",
                target="p99 < 5 s" if size == 500 else "",
            )
        )

    # A/B at 100 clients: the gate as configured (A) against a gate too wide to act (B).
    walls: dict[str, list[float]] = {"A": [], "B": []}
    configs = {"A": {}, "B": {"CENTER_DESK_BACKEND_MAX_IN_FLIGHT": "1000"}}
    for _ in range(ROUNDS):
        for name in ("A", "B"):
            with backend_processes(
                postgres_url,
                count=2,
                fixed_time=OPENING.isoformat(),
                serve=True,
                extra_env=configs[name],
            ) as processes:
                day, slot = next(slots)
                *_, wall = _round([p.url for p in processes], headers[:100], day, slot)
                walls[name].append(wall.seconds)
    ratios = [a / b for a, b in zip(walls["A"], walls["B"], strict=True)]
    bench.record(
        bench.from_pairs(
            "backend rush wall time, 100 clients, admission gate as configured",
            "the same with the gate too wide to act",
            list(zip(walls["A"], walls["B"], strict=True)),
        )
    )
    print(
        f"  100 clients, gate A / no gate B wall time: median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}); A {_spread(walls['A'])} s, "
        f"B {_spread(walls['B'])} s"
    )
