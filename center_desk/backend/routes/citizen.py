"""What the citizens' online portal calls: a group signs in with its user id and password and
sees and changes only its own bookings."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from center_desk.domain import tokyo_date
from center_desk.domain.windows import application_windows
from center_desk.protocol.auth import CitizenSession, CitizenSignIn
from center_desk.protocol.reservations import (
    CancelIn,
    LotteryEntryIn,
    LotteryEntryOut,
    ReservationIn,
    ReservationOut,
)

from ..deps import CitizenUser, Ctx, Db, client_address, commit_now
from ..errors import ApiError, forbidden
from ..models import LotteryEntryRow
from ..services import auth, lottery_entries, reservations
from ..services.catalog import calendar_for

router = APIRouter(tags=["citizen"], prefix="/v1/citizen")


@router.post("/sign-in")
def sign_in(body: CitizenSignIn, ctx: Ctx, request: Request) -> CitizenSession:
    ctx.sign_ins.admit(
        client=client_address(request), account=f"citizen:{body.user_id}", now=ctx.now()
    )
    with ctx.db.session() as session:
        try:
            signed = auth.citizen_sign_in(
                session, body.user_id, body.password, now=ctx.now(), settings=ctx.settings
            )
        except ApiError as error:
            failure: ApiError | None = error
        else:
            failure = None
    if failure is not None:
        raise failure
    return CitizenSession(
        token=signed.token,
        expires_at=signed.expires_at,
        user_id=signed.subject,
        group_name=signed.name,
    )


def _own(user_id: str | None, who: CitizenUser) -> None:
    if user_id is not None and user_id != who.user_id:
        raise forbidden("a group books only for itself")


@router.post("/reservations", status_code=201)
def book(
    body: ReservationIn, ctx: Ctx, session: Db, who: CitizenUser, response: Response
) -> ReservationOut:
    _own(body.user_id, who)
    data = body.model_copy(update={"user_id": who.user_id})
    row, created = reservations.book(
        session, data, caller=who.caller, now=ctx.now(), policy=ctx.policy
    )
    commit_now(session)
    if not created:
        response.status_code = 200
    return reservations.to_out(session, row)


@router.get("/reservations")
def my_reservations(ctx: Ctx, session: Db, who: CitizenUser) -> list[ReservationOut]:
    since = tokyo_date(ctx.now()).replace(day=1)
    return [
        reservations.to_out(session, r)
        for r in reservations.list_for_group(session, who.user_id, since)
    ]


@router.post("/reservations/{reservation_id}/cancel")
def cancel(
    reservation_id: uuid.UUID, body: CancelIn, ctx: Ctx, session: Db, who: CitizenUser
) -> ReservationOut:
    row = reservations.get(session, reservation_id)
    if row.user_id != who.user_id:
        # Same answer as a missing booking: another group's bookings are not even confirmed.
        raise ApiError(404, "not_found", "reservation not found")
    reservations.cancel(session, row, body.reason, caller=who.caller, now=ctx.now())
    return reservations.to_out(session, row)


def _entry_out(session: Db, ctx: Ctx, row: LotteryEntryRow) -> LotteryEntryOut:
    windows = application_windows(row.use_date, calendar_for(session, row.center_id))
    return lottery_entries.lottery_entry_out(
        row, results_visible=windows.lottery_results_visible(ctx.now())
    )


@router.post("/lottery-entries", status_code=201)
def enter_lottery(
    body: LotteryEntryIn, ctx: Ctx, session: Db, who: CitizenUser, response: Response
) -> LotteryEntryOut:
    _own(body.user_id, who)
    data = body.model_copy(update={"user_id": who.user_id})
    row, created = lottery_entries.enter_lottery(
        session, data, caller=who.caller, now=ctx.now(), policy=ctx.policy
    )
    commit_now(session)
    if not created:
        response.status_code = 200
    return _entry_out(session, ctx, row)


@router.get("/lottery-entries")
def my_lottery_entries(ctx: Ctx, session: Db, who: CitizenUser) -> list[LotteryEntryOut]:
    since = tokyo_date(ctx.now()).replace(day=1)
    return [
        _entry_out(session, ctx, r)
        for r in lottery_entries.lottery_entries_of(session, who.user_id, since)
    ]


@router.post("/lottery-entries/{entry_id}/withdraw")
def withdraw(entry_id: uuid.UUID, ctx: Ctx, session: Db, who: CitizenUser) -> LotteryEntryOut:
    row = session.get(LotteryEntryRow, entry_id)
    if row is None or row.user_id != who.user_id:
        raise ApiError(404, "not_found", "lottery entry not found")
    lottery_entries.withdraw_lottery_entry(session, row, now=ctx.now())
    return _entry_out(session, ctx, row)
