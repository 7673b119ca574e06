"""FastAPI dependencies: the request's database session and who is calling."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from center_desk.domain import Channel

from .config import BackendSettings
from .context import BackendContext
from .errors import ApiError, forbidden, unauthorized
from .models import DeviceRow, SessionRow
from .security import constant_time_equals
from .services import auth
from .services.reservations import Caller, DeskRef


def context(request: Request) -> BackendContext:
    ctx: BackendContext = request.app.state.ctx
    return ctx


Ctx = Annotated[BackendContext, Depends(context)]


def db_session(ctx: Ctx) -> Iterator[Session]:
    """One transaction per request: committed when the endpoint returns, rolled back when it
    raises, so a refused request changes nothing."""
    with ctx.db.sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def commit_now(session: Session) -> None:
    """Commit the request's work before building the answer. For bookings: the change-log
    lock and the group's row lock are held to commit, and every other booking in the city
    waits on the first (docs/backend-load.md), so the answer's own reads come after it. The
    session goes on in a fresh transaction."""
    session.commit()


#: ``scope="function"``: committed before the response is sent, not after (FastAPI's default
#: for a yield dependency). A client told 201 has a booking that is stored, a retry that
#: follows the answer finds it, and the winner's locks are released before its answer travels.
Db = Annotated[Session, Depends(db_session, scope="function")]


def client_address(request: Request) -> str:
    """The caller's address as the server saw it (behind a proxy, uvicorn's
    ``--proxy-headers`` with ``--forwarded-allow-ips`` makes it the real client's)."""
    return request.client.host if request.client else "unknown"


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def device(ctx: Ctx, x_device_token: Annotated[str | None, Header()] = None) -> DeviceRow:
    # A short transaction of its own: endpoints that run several transactions (sign-in, push)
    # must not find one already open and holding locks for the whole request.
    with ctx.db.session() as session:
        return auth.device_for_token(session, x_device_token, now=ctx.now())


Device = Annotated[DeviceRow, Depends(device)]


@dataclass(frozen=True)
class StaffAtDesk:
    staff_id: str
    device: DeviceRow

    @property
    def caller(self) -> Caller:
        return Caller(Channel.COUNTER, f"staff:{self.staff_id}", self.device.center_id)

    def booking_caller(self, settings: BackendSettings) -> Caller:
        """The caller of a booking: its desk is audited if the booking hands this center
        another center's group (a foreign look-up with reason ``booking``)."""
        desk = DeskRef(
            device_id=self.device.id,
            staff_id=self.staff_id,
            staff_verified=True,  # the staff member's own session at this desk
            alert_per_hour=settings.foreign_lookup_alert_per_hour,
        )
        return replace(self.caller, desk=desk)


def staff(
    ctx: Ctx,
    session: Db,
    desk: Device,
    authorization: Annotated[str | None, Header()] = None,
) -> StaffAtDesk:
    row: SessionRow = auth.session_for(session, _bearer(authorization), "staff", now=ctx.now())
    if row.device_id != desk.id:
        raise unauthorized("this session belongs to another desk")
    return StaffAtDesk(row.subject, desk)


Staff = Annotated[StaffAtDesk, Depends(staff)]


@dataclass(frozen=True)
class Citizen:
    user_id: str

    @property
    def caller(self) -> Caller:
        return Caller(Channel.ONLINE, f"citizen:{self.user_id}")


def citizen(
    ctx: Ctx, session: Db, authorization: Annotated[str | None, Header()] = None
) -> Citizen:
    row = auth.session_for(session, _bearer(authorization), "citizen", now=ctx.now())
    return Citizen(row.subject)


CitizenUser = Annotated[Citizen, Depends(citizen)]


def admin(ctx: Ctx, authorization: Annotated[str | None, Header()] = None) -> None:
    expected = ctx.settings.admin_token
    if not expected:
        raise forbidden("the admin API is disabled; use center-desk-backend commands")
    token = _bearer(authorization)
    if token is None or not constant_time_equals(token, expected):
        raise ApiError(401, "unauthorized", "admin token required")


Admin = Annotated[None, Depends(admin)]
