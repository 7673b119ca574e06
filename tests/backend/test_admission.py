"""The admission gate on its own (center_desk/backend/admission.py): turns in arrival order,
the overflow answered 503 + Retry-After at once, reads in a lane of their own, and every turn
handed back, so the gate is empty again as soon as the work is done."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from center_desk.backend.admission import AdmissionGate


class HeldApp:
    """An ASGI app whose requests finish only when the test lets them."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope["path"]
        self.started.append(name)
        await self.release.setdefault(name, asyncio.Event()).wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    def finish(self, name: str) -> None:
        self.release.setdefault(name, asyncio.Event()).set()


async def _request(gate: AdmissionGate, path: str, method: str = "POST") -> dict[str, Any]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await gate({"type": "http", "method": method, "path": path, "headers": []}, receive, send)
    start = sent[0]
    headers = {k.decode(): v.decode() for k, v in start.get("headers", [])}
    body = json.loads(sent[1]["body"] or b"{}")
    return {"status": start["status"], "headers": headers, "body": body}


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_turns_in_order_overflow_shed_at_once_and_the_gate_drains() -> None:
    async def scenario() -> None:
        app = HeldApp()
        gate = AdmissionGate(app, limit=1, read_limit=1, queue=2, wait_seconds=60)
        first = asyncio.create_task(_request(gate, "/a"))
        await _settle()
        second = asyncio.create_task(_request(gate, "/b"))
        third = asyncio.create_task(_request(gate, "/c"))
        await _settle()
        assert app.started == ["/a"] and gate.writes.waiting == 2
        # The queue is full: the next request is answered at once, not parked.
        shed = await _request(gate, "/d")
        assert shed["status"] == 503 and shed["body"]["code"] == "busy"
        assert int(shed["headers"]["retry-after"]) >= 1
        # A read has its own lane: answered while the writes wait.
        app.finish("/r")
        read = await _request(gate, "/r", method="GET")
        assert read["status"] == 200
        for name in ("/a", "/b", "/c"):
            app.finish(name)
        results = await asyncio.gather(first, second, third)
        assert [r["status"] for r in results] == [200, 200, 200]
        assert app.started == ["/a", "/r", "/b", "/c"]  # writes in arrival order
        assert (gate.writes.working, gate.writes.waiting) == (0, 0)
        assert (gate.reads.working, gate.reads.waiting) == (0, 0)

    asyncio.run(scenario())


def test_a_client_that_leaves_while_waiting_gives_its_place_back() -> None:
    async def scenario() -> None:
        app = HeldApp()
        gate = AdmissionGate(app, limit=1, read_limit=1, queue=10, wait_seconds=60)
        first = asyncio.create_task(_request(gate, "/a"))
        await _settle()
        gone = asyncio.create_task(_request(gate, "/gone"))
        after = asyncio.create_task(_request(gate, "/after"))
        await _settle()
        gone.cancel()
        await _settle()
        assert gate.writes.waiting == 1
        app.finish("/a")
        app.finish("/after")
        assert (await first)["status"] == 200 and (await after)["status"] == 200
        assert "/gone" not in app.started
        assert (gate.writes.working, gate.writes.waiting) == (0, 0)

    asyncio.run(scenario())
