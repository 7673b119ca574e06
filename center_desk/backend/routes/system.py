"""Health and time: desks compare the server's clock with their own."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from center_desk.protocol import API_VERSION, MIN_API_VERSION
from center_desk.protocol.common import WireModel

from ..deps import Ctx

router = APIRouter(tags=["system"])


class Health(WireModel):
    status: str
    api_version: int
    min_api_version: int
    server_time: datetime


@router.get("/v1/health")
def health(ctx: Ctx) -> Health:
    return Health(
        status="ok",
        api_version=API_VERSION,
        min_api_version=MIN_API_VERSION,
        server_time=ctx.now(),
    )
