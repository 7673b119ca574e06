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

from center_desk.domain import DomainError
from center_desk.protocol import API_VERSION, API_VERSION_HEADER, MIN_API_VERSION
from center_desk.protocol.common import ErrorBody, FieldError

from .config import BackendSettings, load_settings
from .context import BackendContext, clock_from_settings
from .db import Database
from .errors import ApiError, from_domain
from .routes import admin, catalog, citizen, counter, desk, groups, sync, system

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
    return JSONResponse(exc.body().model_dump(mode="json"), status_code=exc.status)


def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return _api_error(request, from_domain(exc))


def _unexpected(request: Request, exc: Exception) -> Response:
    # The exception's text may quote data; log only its type and the route.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, _route(request))
    body = ErrorBody(code="internal", message="the server failed; try again")
    return JSONResponse(body.model_dump(mode="json"), status_code=500)


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", request.url.path)


def create_app(
    settings: BackendSettings | None = None, *, ctx: BackendContext | None = None
) -> FastAPI:
    if ctx is None:
        settings = settings or load_settings()
        ctx = BackendContext(
            settings, Database(settings.database_url), clock_from_settings(settings)
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

    for module in (system, desk, catalog, groups, counter, citizen, admin, sync):
        app.include_router(module.router)
    return app


def app_from_environment() -> FastAPI:
    """``uvicorn --factory center_desk.backend.app:app_from_environment``."""
    return create_app(load_settings())
