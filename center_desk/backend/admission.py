"""The admission gate: how many requests work at once in one process (docs/backend-load.md).

Endpoints are synchronous: each runs on a thread from AnyIO's pool (40) and holds a database
connection. Let every arrival start at once and, at the 09:00 rush, the requests waiting on a
row lock or on the connection pool hold every thread while the one that holds the lock cannot
get a thread to finish: nobody is answered. The gate lets ``limit`` requests work (well below
the thread pool and the connection pool, so the lock holder always finishes) and keeps the rest
waiting in the event loop, where a waiting request costs no thread and no connection. A request
that would wait longer than ``wait_seconds`` (judged from the queue ahead and how fast it
moves), or arrives when ``queue`` are already waiting, is answered 503 with ``Retry-After`` at
once; one that waited the whole ``wait_seconds`` anyway is answered so then: shed, never piled
up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections import deque

from starlette.types import ASGIApp, Receive, Scope, Send

from center_desk.protocol import API_VERSION, API_VERSION_HEADER
from center_desk.protocol.common import ErrorBody

#: Cheap and without a database: answered even while the gate is full, so a load balancer
#: does not take a busy process for a dead one.
UNGATED_PATHS = frozenset({"/v1/health"})


class Lane:
    """Turns for one kind of request: ``limit`` at work, the rest waiting in arrival order."""

    def __init__(self, *, limit: int, queue: int, wait_seconds: float) -> None:
        self.limit = limit
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.working = 0
        # Waiters in arrival order, each a future the next free turn resolves, numbered so a
        # waiter knows how many are ahead of it (about: shed ones leave gaps) in O(1).
        self._waiters: deque[tuple[int, asyncio.Future[None]]] = deque()
        self._tickets = 0
        # When the last requests finished: the pace the queue actually moves at. Time in the
        # app would mislead: a request waiting on the winner's row lock takes long but costs
        # nothing, so only completions tell how fast turns come round.
        self._finished: deque[float] = deque(maxlen=64)

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def turn(self) -> bool:
        """Wait for a turn; False when this request is to be shed instead."""
        if self.working < self.limit and not self._waiters:
            self.working += 1
            return True
        if self.waiting >= self.queue or self.hopeless(self.expected_wait(self.waiting), 0.0):
            return False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_seconds
        self._tickets += 1
        entry = (self._tickets, loop.create_future())
        self._waiters.append(entry)
        ticket, granted = entry
        admitted = False
        try:
            while True:
                left = deadline - loop.time()
                if left <= 0:
                    return False
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(granted), min(left, 0.25))
                if granted.done():
                    admitted = True
                    return True
                # The queue's pace is known better now than when this request arrived.
                ahead = ticket - self._waiters[0][0] if self._waiters else 0
                waited = self.wait_seconds - (deadline - loop.time())
                if self.hopeless(self.expected_wait(ahead), waited):
                    return False
        finally:
            if not admitted:
                if granted.done():
                    self.release()  # granted as this request gave up (or its client left)
                else:
                    granted.cancel()
                    with contextlib.suppress(ValueError):
                        self._waiters.remove(entry)

    def release(self) -> None:
        """Hand the turn to the longest waiter still waiting, or give it back."""
        self._finished.append(time.monotonic())
        while self._waiters:
            _, granted = self._waiters.popleft()
            if not granted.done():
                granted.set_result(None)
                return  # the turn passes on: ``working`` stays as it is
        self.working -= 1

    def hopeless(self, expected: float, waited: float) -> bool:
        """Whether a request that has waited ``waited`` and expects ``expected`` more would
        miss its deadline even at half again the pace: the pace is measured while arrivals
        are still being read, which makes it look slower than it will be, so shed only what
        is clearly beyond reach."""
        return waited + expected / 1.5 > self.wait_seconds

    def expected_wait(self, ahead: int) -> float:
        """How long a request with ``ahead`` waiters before it would wait for a turn, at the
        pace of the last completions; 0 (no reason to shed early) until there is one."""
        if len(self._finished) < 32:
            return 0.0
        span = self._finished[-1] - self._finished[0]
        if span <= 0 or time.monotonic() - self._finished[-1] > 1.0:
            return 0.0  # no recent pace to go by; the deadline still holds
        return (ahead + 1) * span / (len(self._finished) - 1)

    def retry_after(self) -> int:
        """Whole seconds until today's queue has drained, at least 1."""
        return max(1, min(60, math.ceil(self.expected_wait(self.waiting))))


class AdmissionGate:
    """A pure ASGI middleware around the app, with one lane for reads (GET, HEAD) and one for
    the rest: a rush of bookings, whose turns are slower, does not queue the public reads."""

    def __init__(
        self, app: ASGIApp, *, limit: int, read_limit: int, queue: int, wait_seconds: float
    ) -> None:
        self.app = app
        self.writes = Lane(limit=limit, queue=queue, wait_seconds=wait_seconds)
        self.reads = Lane(limit=read_limit, queue=queue, wait_seconds=wait_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNGATED_PATHS:
            await self.app(scope, receive, send)
            return
        lane = self.reads if scope.get("method") in ("GET", "HEAD") else self.writes
        if not await lane.turn():
            await shed(send, lane.retry_after())
            return
        try:
            await self.app(scope, receive, send)
        finally:
            lane.release()


async def shed(send: Send, retry_after: int) -> None:
    body = ErrorBody(code="busy", message="the server is busy; try again shortly")
    payload = json.dumps(body.model_dump(mode="json")).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (API_VERSION_HEADER.lower().encode("ascii"), str(API_VERSION).encode("ascii")),
                (b"content-length", str(len(payload)).encode("ascii")),
                (b"retry-after", str(retry_after).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
