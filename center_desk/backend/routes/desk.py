"""Desk enrollment and staff sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request

from center_desk.protocol.auth import EnrollRequest, EnrollResponse, StaffSession, StaffSignIn

from ..deps import Ctx, Db, Device, Staff, client_address
from ..errors import ApiError
from ..security import hash_password
from ..services import audit, auth

router = APIRouter(tags=["desk"])


@router.post("/v1/devices/enroll", status_code=201)
def enroll(body: EnrollRequest, ctx: Ctx, session: Db) -> EnrollResponse:
    enrolled = auth.enroll(session, body.code, body.device_name, now=ctx.now())
    audit.record(
        session,
        event="device_enrolled",
        at=ctx.now(),
        received_at=ctx.now(),
        device_id=enrolled.device.id,
        center_id=enrolled.device.center_id,
    )
    return EnrollResponse(
        device_id=enrolled.device.id,
        device_token=enrolled.token,
        center_id=enrolled.device.center_id,
        server_time=ctx.now(),
    )


@router.post("/v1/staff/sign-in")
def staff_sign_in(body: StaffSignIn, ctx: Ctx, desk: Device, request: Request) -> StaffSession:
    ctx.sign_ins.admit(
        client=client_address(request), account=f"staff:{body.staff_id}", now=ctx.now()
    )
    # Its own transaction: a failed attempt must be counted even though the reply is an error.
    with ctx.db.session() as session:
        try:
            signed = auth.staff_sign_in(
                session,
                body.staff_id,
                body.password,
                device=desk,
                now=ctx.now(),
                settings=ctx.settings,
            )
        except ApiError as error:
            failure: ApiError | None = error
        else:
            failure = None
            audit.record(
                session,
                event="staff_signed_in",
                at=ctx.now(),
                received_at=ctx.now(),
                staff_id=signed.subject,
                device_id=desk.id,
                center_id=desk.center_id,
                staff_verified=True,
            )
    if failure is not None:
        raise failure
    return StaffSession(
        token=signed.token,
        expires_at=signed.expires_at,
        staff_id=signed.subject,
        staff_name=signed.name,
        server_time=ctx.now(),
        # The desk's own verifier for offline sign-in: a fresh argon2id hash, never the
        # backend's stored hash, so a desk's cache reveals nothing reusable here.
        offline_verifier=hash_password(body.password),
    )


@router.post("/v1/staff/sign-out", status_code=204)
def staff_sign_out(
    who: Staff, session: Db, authorization: Annotated[str | None, Header()] = None
) -> None:
    if authorization:
        auth.sign_out(session, authorization[7:].strip())
