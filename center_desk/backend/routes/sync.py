"""Sync endpoints for enrolled desks (device token; staff need not be signed in, so the outbox
drains even while the desk is locked)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from center_desk.protocol.sync import (
    DEFAULT_PULL_PAGE,
    MAX_PULL_PAGE,
    PullResponse,
    PushRequest,
    PushResponse,
)

from ..deps import Ctx, Db, Device
from ..services import sync

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
        alert_per_hour=ctx.settings.foreign_lookup_alert_per_hour,
        sent_at=body.sent_at,
    )


@router.get("/pull", response_model=PullResponse)
def pull(
    ctx: Ctx,
    session: Db,
    desk: Device,
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=DEFAULT_PULL_PAGE, ge=1, le=MAX_PULL_PAGE),
) -> Response:
    page = sync.pull(session, desk, cursor, limit=limit, now=ctx.now(), settings=ctx.settings)
    # Serialised once. Returned as a model, a page of thousands of changes would be dumped,
    # validated again and serialised by the framework; its rows were validated when written.
    return Response(page.model_dump_json(), media_type="application/json")
