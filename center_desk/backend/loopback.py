"""No plain HTTP beyond this machine, also when uvicorn (not ``serve``) binds the socket.

``serve`` refuses to start without TLS on a non-loopback address (server.py). Started as
``uvicorn --factory center_desk.backend.app:app_from_environment --host 0.0.0.0`` the app never
sees the address it was given, so it looks at each request instead: one that arrived over plain
HTTP on an address that is not loopback is refused before anything else runs. A TLS proxy on
the same machine (connecting to 127.0.0.1) and HTTPS itself pass.
"""

from __future__ import annotations

import ipaddress
import json
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from center_desk.protocol.common import ErrorBody

log = logging.getLogger("center_desk.backend")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _arrived_beyond_loopback(scope: Scope) -> bool:
    server = scope.get("server")
    if not server:
        return False  # no socket address: an in-process transport
    host, port = server[0], server[1] if len(server) > 1 else None
    if port is None:
        return False  # a Unix socket: only this machine reaches it
    return not is_loopback(str(host))


class LoopbackOnlyWithoutTls:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._warned = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] in ("http", "websocket")
            and scope.get("scheme") in ("http", "ws")
            and _arrived_beyond_loopback(scope)
        ):
            if not self._warned:
                self._warned = True
                log.error(
                    "refusing plain HTTP beyond this machine: serve with TLS "
                    "(CENTER_DESK_BACKEND_TLS_CERTFILE/KEYFILE, or uvicorn --ssl-certfile)"
                )
            if scope["type"] == "http":
                await _refuse(send)
            return
        await self.app(scope, receive, send)


async def _refuse(send: Send) -> None:
    body = ErrorBody(code="https_required", message="this server answers over HTTPS only")
    payload = json.dumps(body.model_dump(mode="json")).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
