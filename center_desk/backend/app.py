"""The reservation backend's ASGI application.

``create_app`` builds it from settings (or a ready context, for tests and the embedded demo).
Every error leaves as an :class:`ErrorBody` with a reason code; a malformed request is a 422
naming the fields at fault (never echoing their values, which may be personal data) and never
a 5xx.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from center_desk.domain import DomainError
from center_desk.protocol import API_VERSION, API_VERSION_HEADER, MIN_API_VERSION
from center_desk.protocol.common import ErrorBody, FieldError

from .admission import AdmissionGate
from .config import BackendSettings, load_settings
from .context import BackendContext, clock_from_settings
from .db import Database, engine_options
from .errors import ApiError, from_domain
from .loopback import LoopbackOnlyWithoutTls
from .request_guard import RequestGuard
from .routes import (
    admin,
    admin_privacy,
    catalog,
    citizen,
    counter,
    desk,
    groups,
    sync,
    system,
    usage,
)

log = logging.getLogger("center_desk.backend")


_LOCATIONS = ("body", "query", "path", "header", "cookie")


def _field_path(loc: tuple[object, ...], error_type: str = "") -> str:
    # ("body", "representative", "phone") -> "representative.phone"; only the first part is
    # the location, so a field that is itself called "query" keeps its name.
    parts = list(loc[1:] if loc and loc[0] in _LOCATIONS else loc)
    if error_type == "json_invalid":
        return "request"  # its loc ends with the character offset, not a field
    return ".".join(str(p) for p in parts) or "request"


def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [
        FieldError(
            field=_field_path(tuple(e.get("loc", ())), str(e.get("type", ""))),
            code=str(e.get("type", "invalid")),
            message=str(e.get("msg", "invalid")),
        )
        for e in exc.errors()
    ]
    body = ErrorBody(code="invalid_input", message="the request is not valid", fields=fields)
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


def _api_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        exc.body().model_dump(mode="json"), status_code=exc.status, headers=exc.headers or None
    )


def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return _api_error(request, from_domain(exc))


def _unexpected(request: Request, exc: Exception) -> Response:
    # The exception's text may quote data; log only its type and the route.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, _route(request))
    body = ErrorBody(code="internal", message="the server failed; try again")
    return JSONResponse(body.model_dump(mode="json"), status_code=500)


#: SQLSTATEs that mean "busy, try again": lock_not_available (lock_timeout), query_canceled
#: (statement_timeout), serialization_failure, deadlock_detected, too_many_connections.
_BUSY_SQLSTATES = frozenset({"55P03", "57014", "40001", "40P01", "53300"})


def _database_error(request: Request, exc: Exception) -> Response:
    """A database refusal is never the client's 500: contention is a 503 the client retries,
    and a value the database cannot hold (class 22, data exception) is the client's 422."""
    if isinstance(exc, PoolTimeout):
        return _busy()
    sqlstate = (
        getattr(getattr(exc, "orig", None), "sqlstate", None)
        if isinstance(exc, DBAPIError)
        else None
    )
    if sqlstate in _BUSY_SQLSTATES:
        return _busy()
    if sqlstate is not None and sqlstate.startswith("22"):
        log.info(
            "refused a value the database cannot hold on %s %s", request.method, _route(request)
        )
        body = ErrorBody(
            code="invalid_input",
            message="a value is out of range or cannot be stored",
            fields=[FieldError(field="request", code="out_of_range", message="not storable")],
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=422)
    return _unexpected(request, exc)


def _busy() -> Response:
    body = ErrorBody(code="busy", message="the server is busy; try again shortly")
    return JSONResponse(body.model_dump(mode="json"), status_code=503, headers={"Retry-After": "1"})


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", request.url.path)


def create_app(
    settings: BackendSettings | None = None,
    *,
    ctx: BackendContext | None = None,
    loopback_only_without_tls: bool = False,
) -> FastAPI:
    """``loopback_only_without_tls``: refuse plain-HTTP requests that arrive on an address
    beyond loopback, for servers this code does not start itself (``uvicorn --factory``)."""
    if ctx is None:
        settings = settings or load_settings()
        ctx = BackendContext(
            settings,
            Database(settings.database_url, **engine_options(settings)),
            clock_from_settings(settings),
        )
    app = FastAPI(
        title="center-desk reservation backend",
        version=str(API_VERSION),
        description="System of record for Kodaira's community center reservations.",
    )
    app.state.ctx = ctx
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(Exception, _unexpected)

    @app.middleware("http")
    async def version_and_access_log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        raw_version = request.headers.get(API_VERSION_HEADER)
        if raw_version is not None:
            try:
                version = int(raw_version)
            except ValueError:
                version = -1
            if version < MIN_API_VERSION:
                body = ErrorBody(code="upgrade_required", message="this desk is too old")
                return JSONResponse(body.model_dump(mode="json"), status_code=426)
        try:
            response = await call_next(request)
        except Exception as exc:
            # Answered here rather than by Starlette's error middleware, which would log the
            # full traceback, and a traceback's text can quote request data.
            response = _unexpected(request, exc)
        response.headers[API_VERSION_HEADER] = str(API_VERSION)
        response.headers["X-Server-Time"] = ctx.now().isoformat()
        # Access log by route template: no query strings, ids only as the path has them.
        log.info(
            "%s %s %d %.1fms",
            request.method,
            _route(request),
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    # Outside the version and access log (Starlette's BaseHTTPMiddleware, which costs a task
    # and streams per request): the gate, and around it the guard (an oversized or refused
    # request never waits for a turn). A shed request costs next to nothing to answer, which
    # is what lets a saturated process still answer at once (docs/backend-load.md).
    settings = ctx.settings
    app.add_middleware(
        AdmissionGate,
        limit=settings.max_in_flight,
        read_limit=settings.max_reads_in_flight,
        queue=settings.max_queued,
        wait_seconds=settings.queue_seconds,
    )
    app.add_middleware(RequestGuard, max_body_bytes=settings.max_body_bytes)

    if loopback_only_without_tls:
        app.add_middleware(LoopbackOnlyWithoutTls)

    for module in (
        system,
        desk,
        catalog,
        groups,
        counter,
        citizen,
        admin,
        admin_privacy,
        usage,
        sync,
    ):
        app.include_router(module.router)
    return app


def app_from_environment() -> FastAPI:
    """``uvicorn --factory center_desk.backend.app:app_from_environment``.

    uvicorn, not ``serve``, chooses the address here, so the app itself refuses plain HTTP
    that arrives beyond loopback (DOMAIN.md: traffic to the backend is encrypted)."""
    return create_app(load_settings(), loopback_only_without_tls=True)
