"""Counter operations at a desk (staff signed in at an enrolled device of one center)."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Query, Response

from center_desk.domain import tokyo_date
from center_desk.domain.offline_time import decision_time
from center_desk.domain.windows import application_windows
from center_desk.protocol.reservations import (
    CancelIn,
    FeeReceiptIn,
    LotteryEntryIn,
    LotteryEntryOut,
    ReservationIn,
    ReservationOut,
    UsageReportIn,
)
from center_desk.protocol.sync import AuditEventIn

from ..deps import Ctx, Db, Staff, commit_now
from ..errors import check_dates, invalid
from ..models import LotteryEntryRow
from ..services import attribution, audit, reservations
from ..services import lottery_entries as lottery_service
from ..services.catalog import calendar_for

router = APIRouter(tags=["counter"], prefix="/v1/counter")

MAX_DAYS = 92


@router.post("/reservations", status_code=201)
def book(
    body: ReservationIn, ctx: Ctx, session: Db, who: Staff, response: Response
) -> ReservationOut:
    """First-come proxy bookings and last-minute bookings made online at the counter."""
    row, created = reservations.book(
        session,
        body,
        caller=who.booking_caller(ctx.settings),
        now=ctx.now(),
        policy=ctx.policy,
    )
    commit_now(session)
    if not created:
        response.status_code = 200
    return reservations.to_out(session, row)


@router.get("/reservations")
def day_list(
    ctx: Ctx,
    session: Db,
    who: Staff,
    start: date | None = Query(default=None, alias="from"),
    end: date | None = Query(default=None, alias="to"),
) -> list[ReservationOut]:
    check_dates(from_=start, to=end)
    first = start or tokyo_date(ctx.now())
    last = end or first
    if last < first or (last - first).days > MAX_DAYS:
        raise invalid(f"the range must run forward and span at most {MAX_DAYS} days")
    rows = reservations.list_for_center(session, who.device.center_id, first, last)
    return [reservations.to_out(session, r) for r in rows]


@router.get("/reservations/by-approval-number/{number}")
def by_approval_number(number: str, session: Db, who: Staff) -> ReservationOut:
    row = reservations.by_approval_number(session, number)
    reservations.check_center(who.caller, row.center_id)
    return reservations.to_out(session, row)


@router.post("/reservations/{reservation_id}/cancel")
def cancel(
    reservation_id: uuid.UUID, body: CancelIn, ctx: Ctx, session: Db, who: Staff
) -> ReservationOut:
    row = reservations.get(session, reservation_id, who.caller)
    reservations.cancel(session, row, body.reason, caller=who.caller, now=ctx.now())
    return reservations.to_out(session, row)


@router.post("/reservations/{reservation_id}/check-in")
def check_in(reservation_id: uuid.UUID, ctx: Ctx, session: Db, who: Staff) -> ReservationOut:
    row = reservations.get(session, reservation_id, who.caller)
    reservations.check_in(session, row, at=ctx.now(), now=ctx.now())
    return reservations.to_out(session, row)


@router.post("/reservations/{reservation_id}/usage-report")
def usage_report(
    reservation_id: uuid.UUID, body: UsageReportIn, ctx: Ctx, session: Db, who: Staff
) -> ReservationOut:
    row = reservations.get(session, reservation_id, who.caller)
    reservations.record_usage(session, row, body, by=f"staff:{who.staff_id}", now=ctx.now())
    return reservations.to_out(session, row)


@router.post("/reservations/{reservation_id}/fee-receipt")
def fee_receipt(
    reservation_id: uuid.UUID, body: FeeReceiptIn, ctx: Ctx, session: Db, who: Staff
) -> ReservationOut:
    row = reservations.get(session, reservation_id, who.caller)
    reservations.record_fee(session, row, body, by=f"staff:{who.staff_id}", now=ctx.now())
    return reservations.to_out(session, row)


@router.post("/reservations/{reservation_id}/no-show")
def no_show(reservation_id: uuid.UUID, ctx: Ctx, session: Db, who: Staff) -> ReservationOut:
    row = reservations.get(session, reservation_id, who.caller)
    reservations.mark_no_show(session, row, now=ctx.now())
    return reservations.to_out(session, row)


@router.post("/lottery-entries", status_code=201)
def enter_lottery(
    body: LotteryEntryIn, ctx: Ctx, session: Db, who: Staff, response: Response
) -> LotteryEntryOut:
    """Proxy lottery entry for people without a device."""
    row, created = lottery_service.enter_lottery(
        session,
        body,
        caller=who.booking_caller(ctx.settings),
        now=ctx.now(),
        policy=ctx.policy,
    )
    commit_now(session)
    if not created:
        response.status_code = 200
    return _entry_out(session, ctx, row)


def _entry_out(session: Db, ctx: Ctx, row: LotteryEntryRow) -> LotteryEntryOut:
    windows = application_windows(row.use_date, calendar_for(session, row.center_id))
    return lottery_service.lottery_entry_out(
        row, results_visible=windows.lottery_results_visible(ctx.now())
    )


@router.get("/groups/{user_id}/lottery-entries")
def lottery_entries(user_id: str, ctx: Ctx, session: Db, who: Staff) -> list[LotteryEntryOut]:
    since = tokyo_date(ctx.now()).replace(day=1)
    # Only this center's entries, as for reservations (issue 15): the group's entries at other
    # centers are not this desk's business. The lottery limit spans all centers, but the
    # quota route answers that with a count.
    return [
        _entry_out(session, ctx, r)
        for r in lottery_service.lottery_entries_of(session, user_id, since)
        if r.center_id == who.device.center_id
    ]


@router.get("/groups/{user_id}/reservations")
def group_reservations(user_id: str, ctx: Ctx, session: Db, who: Staff) -> list[ReservationOut]:
    since = tokyo_date(ctx.now()).replace(day=1)
    # Only this center's bookings: another center's are not this desk's business.
    return [
        reservations.to_out(session, r)
        for r in reservations.list_for_group(session, user_id, since)
        if r.center_id == who.device.center_id
    ]


@router.post("/audit-events", status_code=202)
def audit_event(body: AuditEventIn, ctx: Ctx, session: Db, who: Staff) -> None:
    # The desk may name another staff member (an event recorded before this sign-in): that
    # claim is checked, the signed-in staff member is known.
    staff_id = body.staff_id or who.staff_id
    center_id = who.device.center_id
    audit.record(
        session,
        event=body.event,
        # Sent right away, so no skew is measured: a claimed time in the future or older than
        # the offline window is replaced by ours (domain/offline_time.py).
        at=decision_time(body.at, ctx.now()),
        received_at=ctx.now(),
        staff_id=staff_id,
        device_id=who.device.id,
        center_id=center_id,
        subject=body.subject,
        event_id=body.event_id,
        staff_verified=staff_id == who.staff_id
        or attribution.may_work_at(session, staff_id, center_id),
    )
