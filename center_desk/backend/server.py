"""Running the API with uvicorn, over HTTPS when a certificate is configured.

Without TLS the server listens on loopback only: the city promised encrypted traffic
(DOMAIN.md), so plain HTTP is for the embedded demo and tests on the same machine.
"""

from __future__ import annotations

import sys

import uvicorn

from .app import create_app
from .config import BackendSettings
from .loopback import is_loopback


def serve(settings: BackendSettings, *, host: str | None = None, port: int | None = None) -> int:
    host = host or settings.host
    port = port or settings.port
    tls = settings.tls_certfile is not None
    if not tls and not is_loopback(host):
        print(
            "refusing to serve plain HTTP beyond this machine: set CENTER_DESK_BACKEND_TLS_CERTFILE"
            " and CENTER_DESK_BACKEND_TLS_KEYFILE",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        ssl_certfile=settings.tls_certfile,
        ssl_keyfile=settings.tls_keyfile,
        # Our own access log (app.py) leaves out query strings; uvicorn's would not.
        access_log=False,
        log_level="info",
    )
    return 0
