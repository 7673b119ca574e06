"""Sync endpoints for enrolled desks (device token; staff need not be signed in, so the outbox
drains even while the desk is locked)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from center_desk.protocol.sync import (
    DEFAULT_PULL_PAGE,
    MAX_PULL_PAGE,
    PullResponse,
    PushRequest,
    PushResponse,
)

from ..context import BackendContext
from ..deps import Ctx, Device
from ..services import sync, sync_push

router = APIRouter(tags=["sync"], prefix="/v1/sync")


@router.post("/push")
def push(body: PushRequest, ctx: Ctx, desk: Device) -> PushResponse:
    # Each mutation commits on its own, so this endpoint manages its own transactions.
    return sync_push.push(
        ctx.db.sessions,
        desk.id,
        body.mutations,
        clock=ctx.now,
        policy=ctx.policy,
        alert_per_hour=ctx.settings.foreign_lookup_alert_per_hour,
        sent_at=body.sent_at,
    )


@router.get("/pull", response_model=PullResponse)
def pull(
    request: Request,
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=DEFAULT_PULL_PAGE, ge=1, le=MAX_PULL_PAGE),
    x_device_token: Annotated[str | None, Header()] = None,
) -> Response:
    # The context, the session and the device are the endpoint's own rather than the ``Ctx``,
    # ``Db`` and ``Device`` dependencies': FastAPI runs each synchronous dependency, and a
    # generator's setup and teardown each, as a hop through its thread pool, and ``Device``
    # opens a second session. Most pulls find nothing new, and those hops and that session
    # were most of their time (issue 13). Its statements commit one by one
    # (Database.statement_session): BEGIN and COMMIT were two of an empty pull's five round
    # trips, and a pull needs no transaction: each of its reads stands alone (at READ
    # COMMITTED a transaction gave each statement its own snapshot anyway), and what it
    # writes (the device's last-seen minute, the log's epoch on first use) is one row each,
    # done before the answer is sent.
    ctx: BackendContext = request.app.state.ctx
    now = ctx.now()
    with ctx.db.statement_session() as session:
        # Serialised once, from the rows' fields. Returned as a model, a page of thousands of
        # changes would be dumped, validated again and serialised by the framework; its rows
        # were validated when written. The device is authenticated there, in the statement
        # that reads what the pull needs when the device has pulled before (_DESK_KEYS).
        page = sync.pull_json_for_token(
            session,
            x_device_token,
            cursor,
            limit=limit,
            now=now,
            settings=ctx.settings,
            keys=_DESK_KEYS,
        )
    return Response(page, media_type="application/json")


#: This process's note of each device's center and number (sync.DeskKeys).
_DESK_KEYS = sync.DeskKeys()
