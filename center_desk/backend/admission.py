"""The admission gate: how many requests work at once in one process (docs/backend-load.md).

Endpoints are synchronous: each runs on a thread from AnyIO's pool (40) and holds a database
connection. Let every arrival start at once and, at the 09:00 rush, the requests waiting on a
row lock or on the connection pool hold every thread while the one that holds the lock cannot
get a thread to finish: nobody is answered. The gate lets ``limit`` requests work (well below
the thread pool and the connection pool, so the lock holder always finishes) and keeps the rest
waiting in the event loop, where a waiting request costs no thread and no connection. A request
that waits longer than ``wait_seconds``, or arrives when ``queue`` are already waiting, is
answered 503 with ``Retry-After`` at once: shed, not piled up.
"""

from __future__ import annotations

import asyncio
import json
import math

from starlette.types import ASGIApp, Receive, Scope, Send

from center_desk.protocol.common import ErrorBody

#: Cheap and without a database: answered even while the gate is full, so a load balancer
#: does not take a busy process for a dead one.
UNGATED_PATHS = frozenset({"/v1/health"})


class AdmissionGate:
    """A pure ASGI middleware around the app."""

    def __init__(self, app: ASGIApp, *, limit: int, queue: int, wait_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.waiting = 0
        self.working = 0
        # Made on first use, inside the event loop that serves the requests.
        self._turns: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNGATED_PATHS:
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.limit)
        turns = self._turns
        if self.waiting >= self.queue and turns.locked():
            await shed(send, self.retry_after())
            return
        self.waiting += 1
        try:
            # asyncio.timeout, not wait_for: a turn granted as the time runs out is not lost.
            async with asyncio.timeout(self.wait_seconds):
                await turns.acquire()
        except TimeoutError:
            await shed(send, self.retry_after())
            return
        finally:
            self.waiting -= 1
        self.working += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.working -= 1
            turns.release()

    def retry_after(self) -> int:
        """Seconds until a retry is likely to find a turn: the queue ahead, at the pace the
        gate lets requests through (about one per ``limit`` per 50 ms, as measured)."""
        return max(1, min(30, math.ceil(self.waiting / max(1, self.limit) * 0.05)))


async def shed(send: Send, retry_after: int) -> None:
    body = ErrorBody(code="busy", message="the server is busy; try again shortly")
    payload = json.dumps(body.model_dump(mode="json")).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode("ascii")),
                (b"retry-after", str(retry_after).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
