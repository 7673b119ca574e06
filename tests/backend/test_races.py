"""Races against real backend processes on one PostgreSQL database (issue 3, "Races").

The in-process TestClient serialises more than a real deployment does, so these tests start
``uvicorn`` subprocesses (tests/support/backend_process.py) with a fixed clock and fire real
HTTP requests at them from a thread pool.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import httpx
from sqlalchemy import func, select

from center_desk.backend.models import LotteryEntryRow, ReservationRow
from tests.support.backend_app import (
    HALL,
    OTHER_CENTER,
    Backend,
    insert_citizen_sessions,
    insert_groups,
    tokyo,
)
from tests.support.backend_process import backend_processes

USE = date(2027, 2, 15)  # first-come opens 2027-01-04 09:00 (1/1–1/3 closed; 1/4 a Monday)
OPENING = tokyo(2027, 1, 4, 9, 0)
GROUPS = 200
THREADS = 50
#: Every request and the whole rush are bounded: a hung server fails the test, not CI.
REQUEST_TIMEOUT = 60.0
RUSH_DEADLINE = 120.0


@dataclass(frozen=True)
class Outcome:
    status: int  # 0: no HTTP answer (connection error, timeout)
    code: str
    detail: str


def _post(
    client: httpx.Client, url: str, payload: dict[str, object], headers: dict[str, str]
) -> Outcome:
    try:
        response = client.post(url, json=payload, headers=headers)
    except httpx.HTTPError as error:
        return Outcome(0, type(error).__name__, str(error))
    try:
        body = response.json()
    except ValueError:
        return Outcome(response.status_code, "not_json", response.text[:200])
    code = str(body.get("code", "")) if isinstance(body, dict) else ""
    return Outcome(response.status_code, code, response.text[:200])


def _rush(
    jobs: list[tuple[str, dict[str, object], dict[str, str]]], *, threads: int
) -> list[Outcome]:
    """POST every (url, payload, headers) job from ``threads`` threads that start together;
    each thread keeps its own keep-alive client."""
    start = threading.Event()
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()

    def client() -> httpx.Client:
        existing: httpx.Client | None = getattr(local, "client", None)
        if existing is None:
            existing = httpx.Client(timeout=REQUEST_TIMEOUT)
            local.client = existing
            with lock:
                clients.append(existing)
        return existing

    def fire(job: tuple[str, dict[str, object], dict[str, str]]) -> Outcome:
        url, payload, headers = job
        c = client()
        start.wait(timeout=RUSH_DEADLINE)
        return _post(c, url, payload, headers)

    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            futures = [pool.submit(fire, job) for job in jobs]
            time.sleep(0.2)  # let the threads reach the start line
            start.set()
            deadline = time.monotonic() + RUSH_DEADLINE
            return [f.result(timeout=max(0.1, deadline - time.monotonic())) for f in futures]
    finally:
        for c in clients:
            c.close()


def _first_come(room: str, day: date) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "room_id": room,
        "use_date": day.isoformat(),
        "slot_id": "afternoon",
        "kind": "first_come",
        "headcount": 10,
        "purpose": "練習",
    }


def test_two_hundred_groups_rush_one_slot_on_two_processes(
    backend: Backend, postgres_url: str
) -> None:
    session_start: datetime = OPENING.replace(hour=8)
    user_ids = insert_groups(backend.ctx, GROUPS, now=session_start)
    headers = insert_citizen_sessions(backend.ctx, user_ids, now=session_start, minutes=180)

    with backend_processes(postgres_url, count=2, fixed_time=OPENING.isoformat()) as processes:
        jobs = [
            (
                f"{processes[n % 2].url}/v1/citizen/reservations",
                _first_come(HALL, USE),
                headers[user_id],
            )
            for n, user_id in enumerate(user_ids)
        ]
        began = time.monotonic()
        outcomes = _rush(jobs, threads=THREADS)
        elapsed = time.monotonic() - began
        logs = "\n".join(p.output()[-4000:] for p in processes)
        assert all(p.alive() for p in processes), f"a backend process died in the rush:\n{logs}"

    tally = Counter((o.status, o.code) for o in outcomes)
    assert tally[(201, "")] == 1, (tally, logs)
    # Everyone else is told "taken", or, if the machine is too slow to answer them all within
    # the admission gate's wait, "busy, retry" (docs/backend-load.md): never anything else.
    assert tally[(409, "slot_taken")] + tally[(503, "busy")] == GROUPS - 1, (
        tally,
        [o for o in outcomes if o.status != 409][:5],
        logs,
    )
    assert elapsed < RUSH_DEADLINE
    with backend.ctx.db.session() as session:
        live = session.scalars(
            select(ReservationRow).where(
                ReservationRow.room_id == HALL,
                ReservationRow.use_date == USE,
                ReservationRow.slot_id == "afternoon",
                ReservationRow.status != "cancelled",
            )
        ).all()
        total = session.scalar(select(func.count()).select_from(ReservationRow))
    assert len(live) == 1 and total == 1
    winner = next(
        user_id
        for user_id, outcome in zip(user_ids, outcomes, strict=True)
        if outcome.status == 201
    )
    assert live[0].user_id == winner and live[0].kind == "first_come"


def test_ten_lottery_entries_at_once_get_exactly_two_accepted(
    backend: Backend, postgres_url: str
) -> None:
    moment = tokyo(2026, 12, 12, 10, 0)
    (user_id,) = insert_groups(backend.ctx, 1, now=moment)
    headers = insert_citizen_sessions(backend.ctx, [user_id], now=moment)[user_id]
    # Ten entries: eight different slots (two centers), and two repeats of the first slot.
    slots = [(HALL, date(2027, 2, d)) for d in (1, 3, 4, 5, 8)]
    slots += [(f"{OTHER_CENTER}/1-shukai", date(2027, 2, d)) for d in (9, 10, 11)]
    slots += [slots[0], slots[0]]

    with backend_processes(postgres_url, count=2, fixed_time=moment.isoformat()) as processes:
        jobs: list[tuple[str, dict[str, object], dict[str, str]]] = [
            (
                f"{processes[n % 2].url}/v1/citizen/lottery-entries",
                {
                    "id": str(uuid.uuid4()),
                    "room_id": room,
                    "use_date": day.isoformat(),
                    "slot_id": "afternoon",
                    "headcount": 10,
                },
                headers,
            )
            for n, (room, day) in enumerate(slots)
        ]
        outcomes = _rush(jobs, threads=len(jobs))

    assert [o for o in outcomes if o.status == 0 or o.status >= 500] == []
    accepted = [o for o in outcomes if o.status == 201]
    refused = [o for o in outcomes if o.status != 201]
    assert len(accepted) == 2, outcomes
    assert {(o.status, o.code) for o in refused} <= {
        (409, "lottery_quota"),
        (409, "already_entered"),
    }
    with backend.ctx.db.session() as session:
        stored = session.scalar(
            select(func.count())
            .select_from(LotteryEntryRow)
            .where(LotteryEntryRow.user_id == user_id)
        )
    assert stored == 2
