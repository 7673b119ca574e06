"""A real desk for tests: a real SQLCipher cache (key in the real Secret Service), the real
sync engine and operations, talking to the real backend app through httpx. Faults are
scripted with :class:`FaultTransport` wrapped around the backend's own transport."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from center_desk.domain import Clock
from center_desk.store import Cache, Connection, KeyStore, open_cache
from center_desk.sync.client import BackendClient
from center_desk.sync.engine import SyncEngine, SyncReport
from center_desk.sync.operations import DeskOperations
from center_desk.sync.recovery import ledger_for
from center_desk.sync.runner import InlineRunner

from .backend_app import CENTER, Backend

Fault = Callable[[httpx.Request], httpx.Response | None]


class FaultTransport(httpx.BaseTransport):
    """Passes requests to the real backend unless a scripted fault says otherwise.

    ``faults`` is consumed in order; each is called with the request and may raise (a
    transport error), return a response (the backend is not reached), or return None (pass
    through). ``lose_reply_after`` makes the next matching request reach the backend, which
    commits, and then loses its reply, as a dropped connection does.
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.faults: list[Fault] = []
        self.offline = False
        self.lose_reply_paths: list[str] = []
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if self.offline:
            raise httpx.ConnectError("network unreachable", request=request)
        if self.faults:
            fault = self.faults.pop(0)
            scripted = fault(request)
            if scripted is not None:
                return scripted
        response = self.inner.handle_request(request)
        if request.url.path in self.lose_reply_paths:
            self.lose_reply_paths.remove(request.url.path)
            response.read()
            raise httpx.ReadTimeout("reply lost", request=request)
        return response


class RerouteTransport(httpx.BaseTransport):
    """Sends each request to whatever address ``target()`` names at that moment."""

    PLACEHOLDER = "http://backend.invalid"

    def __init__(self, inner: httpx.BaseTransport, target: Callable[[], str]) -> None:
        self.inner = inner
        self.target = target

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = httpx.URL(self.target())
        request.url = request.url.copy_with(
            scheme=target.scheme, host=target.host, port=target.port
        )
        request.headers["Host"] = target.netloc.decode("ascii")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def status_fault(code: int, body: dict[str, Any] | None = None) -> Fault:
    def fault(request: httpx.Request) -> httpx.Response:
        return httpx.Response(code, json=body or {"code": "internal", "message": "x"})

    return fault


@dataclass
class Desk:
    backend: Backend
    cache: Cache
    transport: FaultTransport
    client: BackendClient
    engine: SyncEngine
    ops: DeskOperations
    device_token: str
    staff_id: str = "s001"
    reauth_count: list[int] = field(default_factory=lambda: [0])

    @property
    def db(self) -> Connection:
        return self.cache.connection

    def sync(self) -> SyncReport:
        return self.engine.sync_once()

    def go_offline(self) -> None:
        self.transport.offline = True

    def go_online(self) -> None:
        self.transport.offline = False

    def scalar(self, sql: str, *params: Any) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None


def make_desk(
    backend: Backend,
    path: Path,
    *,
    center_id: str = CENTER,
    clock: Clock | None = None,
    device_token: str | None = None,
    key_store: KeyStore | None = None,
    cache: Cache | None = None,
) -> Desk:
    """A desk on the in-process backend app. ``cache``: an already open cache for ``path``
    (one that :func:`~center_desk.sync.recovery.open_desk_cache` rebuilt, say)."""
    token = device_token or backend.enroll(center_id, name=path.stem)
    transport = FaultTransport(backend.client._transport)
    return _assemble(
        backend,
        path,
        cache or open_cache(path, key_store or KeyStore()),
        transport,
        "http://testserver",
        token,
        clock or backend.clock,
    )


def remote_desk(
    backend: Backend,
    path: Path,
    address: str | Callable[[], str],
    *,
    device_token: str,
    clock: Clock,
    key_store: KeyStore | None = None,
    cache: Cache | None = None,
    timeout: float = 30.0,
) -> Desk:
    """A desk talking HTTP to a real backend process at ``base_url`` (``make_http``'s client
    under a :class:`FaultTransport`, so it can still be taken offline). ``backend`` is the
    in-process app on the same database, for set-up and for looking at the database.

    ``address`` may be a function: it is asked on every request, so a desk keeps its engine
    (back-off, status) while the backend it talks to is replaced by a process on another
    port, as a restarted server behind a fixed name would be."""
    inner: httpx.BaseTransport = httpx.HTTPTransport()
    if callable(address):
        inner = RerouteTransport(inner, address)
        base_url = RerouteTransport.PLACEHOLDER
    else:
        base_url = address
    transport = FaultTransport(inner)
    return _assemble(
        backend,
        path,
        cache or open_cache(path, key_store or KeyStore()),
        transport,
        base_url,
        device_token,
        clock,
        timeout=timeout,
    )


def _assemble(
    backend: Backend,
    path: Path,
    cache: Cache,
    transport: FaultTransport,
    base_url: str,
    token: str,
    clock: Clock,
    *,
    timeout: float | None = None,
) -> Desk:
    http = httpx.Client(
        transport=transport,
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=5.0) if timeout is not None else 5.0,
    )
    client = BackendClient(http, device_token=lambda: token)
    runner = InlineRunner(cache)
    reauth = [0]

    def on_unauthorized() -> bool:
        reauth[0] += 1
        return True

    engine = SyncEngine(
        runner,
        client,
        clock,
        on_unauthorized=on_unauthorized,
        ledger=ledger_for(path),
    )
    ops = DeskOperations(runner, client, clock, staff_id=lambda: "s001", ledger=ledger_for(path))
    return Desk(backend, cache, transport, client, engine, ops, token, reauth_count=reauth)


def closing(desks: list[Desk]) -> Iterator[None]:
    try:
        yield
    finally:
        for desk in desks:
            if not desk.cache.closed:
                desk.cache.close()
