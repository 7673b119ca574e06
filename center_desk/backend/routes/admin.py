"""The city's administration API (bearer admin token). The same operations exist as
``center-desk-backend`` commands."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from center_desk.protocol.common import WireModel
from center_desk.protocol.reservations import LotteryRunOut

from ..deps import Admin, Ctx, Db
from ..services import auth, catalog, lottery

router = APIRouter(tags=["admin"], prefix="/v1/admin")


class EnrollmentCodeIn(WireModel):
    center_id: str


class EnrollmentCodeOut(WireModel):
    center_id: str
    code: str


class ClosureIn(WireModel):
    center_id: str = Field(max_length=64)
    day: date
    reason: str = Field(min_length=1, max_length=catalog.CLOSURE_REASON_LENGTH)


@router.post("/lottery/{month}/run")
def run_lottery(month: str, ctx: Ctx, session: Db, _: Admin) -> LotteryRunOut:
    result = lottery.run_draw(session, month, now=ctx.now(), policy=ctx.policy)
    return LotteryRunOut(
        month=result.month,
        seed=result.seed,
        entries=result.entries,
        winners=result.winners,
        already_run=result.already_run,
    )


@router.post("/enrollment-codes", status_code=201)
def enrollment_code(body: EnrollmentCodeIn, ctx: Ctx, session: Db, _: Admin) -> EnrollmentCodeOut:
    code = auth.issue_enrollment_code(session, body.center_id, now=ctx.now(), settings=ctx.settings)
    return EnrollmentCodeOut(center_id=body.center_id, code=code)


@router.post("/devices/{device_id}/revoke", status_code=204)
def revoke(device_id: str, ctx: Ctx, session: Db, _: Admin) -> None:
    auth.revoke_device(session, device_id, now=ctx.now())


@router.post("/closures", status_code=201)
def set_closure(body: ClosureIn, ctx: Ctx, session: Db, _: Admin) -> ClosureIn:
    catalog.set_closure(session, body.center_id, body.day, body.reason, ctx.now())
    return body
