"""Firing many requests at real backend processes at the same instant, from one event loop
(issue 9): lighter than a thread per client, so the load is on the servers, not on the test.
Shared by the rush tests and the rush benchmark."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

#: Every request is bounded: a hung server fails the test, it does not stall CI.
REQUEST_TIMEOUT = 45.0


@dataclass(frozen=True)
class Job:
    method: str
    url: str
    headers: dict[str, str]
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class Outcome:
    status: int  # 0: no HTTP answer (connection error, timeout)
    code: str
    seconds: float
    retry_after: str | None
    body: dict[str, Any]


async def _fire(jobs: list[Job]) -> list[Outcome]:
    limits = httpx.Limits(max_connections=len(jobs) + 10, max_keepalive_connections=0)
    start = asyncio.Event()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as client:

        async def one(job: Job) -> Outcome:
            await start.wait()
            began = time.perf_counter()
            try:
                response = await client.request(
                    job.method, job.url, json=job.payload, headers=job.headers
                )
            except httpx.HTTPError as error:
                return Outcome(0, type(error).__name__, time.perf_counter() - began, None, {})
            seconds = time.perf_counter() - began
            try:
                data = response.json()
            except ValueError:
                data = {}
            body = data if isinstance(data, dict) else {"items": data}
            return Outcome(
                response.status_code,
                str(body.get("code", "")),
                seconds,
                response.headers.get("retry-after"),
                body,
            )

        tasks = [asyncio.create_task(one(job)) for job in jobs]
        await asyncio.sleep(0.05)  # every task waits at the start line
        start.set()
        return await asyncio.gather(*tasks)


def fire(jobs: list[Job]) -> tuple[list[Outcome], float]:
    """Send every job at once; the outcomes in job order and the wall time of the whole."""
    began = time.perf_counter()
    outcomes = asyncio.run(_fire(jobs))
    return outcomes, time.perf_counter() - began


def first_come(room: str, day: date, slot: str = "afternoon", **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "room_id": room,
        "use_date": day.isoformat(),
        "slot_id": slot,
        "kind": "first_come",
        "headcount": 5,
        "purpose": "練習",
        **extra,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(outcomes: list[Outcome], wall: float) -> str:
    seconds = [o.seconds for o in outcomes]
    tally = Counter((o.status, o.code) for o in outcomes)
    return (
        f"{len(outcomes)} requests in {wall:.2f} s ({len(outcomes) / wall:.0f} req/s): "
        f"p50 {statistics.median(seconds):.2f} s, p99 {percentile(seconds, 0.99):.2f} s, "
        f"max {max(seconds):.2f} s; {dict(tally)}"
    )
