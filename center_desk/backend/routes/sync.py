"""Sync endpoints for enrolled desks (device token; staff need not be signed in, so the outbox
drains even while the desk is locked)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from center_desk.protocol.sync import (
    DEFAULT_PULL_PAGE,
    MAX_PULL_PAGE,
    PullResponse,
    PushRequest,
    PushResponse,
)

from ..deps import Ctx, Db, Device
from ..services import auth, sync

router = APIRouter(tags=["sync"], prefix="/v1/sync")


@router.post("/push")
def push(body: PushRequest, ctx: Ctx, desk: Device) -> PushResponse:
    # Each mutation commits on its own, so this endpoint manages its own transactions.
    return sync.push(
        ctx.db.sessions,
        desk.id,
        body.mutations,
        clock=ctx.now,
        policy=ctx.policy,
        sent_at=body.sent_at,
    )


@router.get("/pull", response_model=PullResponse)
def pull(
    ctx: Ctx,
    session: Db,
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=DEFAULT_PULL_PAGE, ge=1, le=MAX_PULL_PAGE),
    x_device_token: Annotated[str | None, Header()] = None,
) -> Response:
    # The device is looked up in the pull's own transaction, not in one of its own as the
    # ``Device`` dependency does (for endpoints that run several): a pull is one transaction,
    # and most pulls find nothing new, so a second session's checkout and commit were a
    # large part of their time (issue 13).
    now = ctx.now()
    desk = auth.device_for_token(session, x_device_token, now=now)
    # Serialised once, from the rows' fields. Returned as a model, a page of thousands of
    # changes would be dumped, validated again and serialised by the framework; its rows were
    # validated when written.
    page = sync.pull_json(session, desk, cursor, limit=limit, now=now, settings=ctx.settings)
    return Response(page, media_type="application/json")
