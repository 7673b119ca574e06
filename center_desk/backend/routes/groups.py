"""Group registration and look-up at the counter (staff only)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from pydantic import Field

from center_desk.domain import tokyo_date
from center_desk.protocol.common import WireModel
from center_desk.protocol.groups import (
    GroupDeregister,
    GroupIn,
    GroupOut,
    GroupRegistered,
    GroupSearch,
    GroupSummary,
    LookupReason,
)
from center_desk.protocol.reservations import QuotaOut

from ..deps import Ctx, Db, Staff
from ..errors import check_dates
from ..models import GroupRow
from ..services import audit, foreign_lookups, groups
from ..services.reservations import month_of, usage_of

router = APIRouter(tags=["groups"], prefix="/v1/groups")


#: With a reason, at most this many groups registered elsewhere are shown per search: each
#: counts as a look-up, and a broad query ("田") must not spend a desk's hour at once.
FOREIGN_HITS_PER_SEARCH = 5


class SimilarQuery(WireModel):
    name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)


def _audit(session: Db, ctx: Ctx, who: Staff, event: str, subject: str) -> None:
    audit.record(
        session,
        event=event,
        at=ctx.now(),
        received_at=ctx.now(),
        staff_id=who.staff_id,
        device_id=who.device.id,
        center_id=who.device.center_id,
        subject=subject,
        staff_verified=True,  # the staff member's own session
    )


@router.post("", status_code=201)
def register(body: GroupIn, ctx: Ctx, session: Db, who: Staff) -> GroupRegistered:
    done = groups.register(session, body, center_id=who.device.center_id, now=ctx.now())
    _audit(session, ctx, who, "group_registered", done.row.user_id)
    return GroupRegistered(group=groups.to_out(done.row), initial_password=done.initial_password)


@router.post("/search")
def search(body: GroupSearch, ctx: Ctx, session: Db, who: Staff) -> list[GroupSummary]:
    """Across every center, bounded like a foreign look-up (issue 15). What staff need for a
    walk-in or a registration check is to find the group by its name or user id and open it;
    that needs no personal data, so without a reason another center's group is found only that
    way and shown without its representative. Finding a group by a person's name or phone, or
    seeing the representative, is a look-up: it takes a reason and counts, group by group."""
    center_id = who.device.center_id
    reason = body.reason
    hits = groups.search(session, body.query, personal_only_at=None if reason else center_id)
    if reason is not None:
        foreign = [g for g in hits if foreign_lookups.is_foreign(g, center_id)]
        dropped = {g.user_id for g in foreign[FOREIGN_HITS_PER_SEARCH:]}
        hits = [g for g in hits if g.user_id not in dropped]
        foreign_lookups.admit_many(
            session,
            ctx.db,
            ctx.settings,
            user_ids=[g.user_id for g in foreign[:FOREIGN_HITS_PER_SEARCH]],
            reason=reason,
            how="search",
            staff_id=who.staff_id,
            device_id=who.device.id,
            center_id=center_id,
            now=ctx.now(),
        )
    return [
        groups.summary_of(
            g,
            center_id=center_id,
            personal=reason is not None or not foreign_lookups.is_foreign(g, center_id),
        )
        for g in hits
    ]


@router.post("/similar")
def similar(body: SimilarQuery, session: Db, who: Staff) -> list[GroupSummary]:
    # The duplicate warning before registering needs the group, not its people: another
    # center's group is named without its representative (no look-up to count).
    center_id = who.device.center_id
    return [
        groups.summary_of(
            g, center_id=center_id, personal=not foreign_lookups.is_foreign(g, center_id)
        )
        for g in groups.similar(session, body.name, body.phone)
    ]


def _admit_foreign(
    session: Db, ctx: Ctx, who: Staff, row: GroupRow, reason: LookupReason | None
) -> bool:
    """A group registered at another center: admit the look-up (its reason, audit and per-desk
    bound) and say so; a group of this center: nothing to admit."""
    if not foreign_lookups.is_foreign(row, who.device.center_id):
        return False
    foreign_lookups.admit(
        session,
        ctx.db,
        ctx.settings,
        user_id=row.user_id,
        reason=reason,
        staff_id=who.staff_id,
        device_id=who.device.id,
        center_id=who.device.center_id,
        now=ctx.now(),
    )
    return True


def _admit_foreign_change(
    session: Db, ctx: Ctx, who: Staff, user_id: str, reason: LookupReason | None
) -> None:
    """Changing or de-registering a group registered elsewhere shows (and hands this center)
    its personal data like a look-up: the same reason, audit and per-desk bound."""
    _admit_foreign(session, ctx, who, groups.get(session, user_id), reason)


@router.get("/{user_id}")
def get_group(
    user_id: str, ctx: Ctx, session: Db, who: Staff, reason: LookupReason | None = None
) -> GroupOut:
    row = groups.get(session, user_id)
    # A group registered elsewhere: the desk says why; bounded per desk, and audited.
    if not _admit_foreign(session, ctx, who, row, reason):
        _audit(session, ctx, who, "group_viewed", user_id)
    # Looking a group up lets this center's desks keep it (DESIGN.md §3).
    groups.look_up_here(session, row, who.device.center_id, ctx.now())
    return groups.to_out(row)


@router.put("/{user_id}")
def change_group(
    user_id: str,
    body: GroupIn,
    ctx: Ctx,
    session: Db,
    who: Staff,
    reason: LookupReason | None = None,
) -> GroupOut:
    _admit_foreign_change(session, ctx, who, user_id, reason)
    row = groups.change(session, user_id, body, now=ctx.now())
    _audit(session, ctx, who, "group_changed", user_id)
    return groups.to_out(row)


@router.post("/{user_id}/deregister")
def deregister(
    user_id: str,
    body: GroupDeregister,
    ctx: Ctx,
    session: Db,
    who: Staff,
    reason: LookupReason | None = None,
) -> GroupOut:
    _admit_foreign_change(session, ctx, who, user_id, reason)
    row = groups.deregister(session, user_id, now=ctx.now())
    _audit(session, ctx, who, "group_deregistered", user_id)
    return groups.to_out(row)


@router.get("/{user_id}/quota")
def quota(
    user_id: str,
    ctx: Ctx,
    session: Db,
    who: Staff,
    month: date | None = Query(default=None, description="any day in the month"),
) -> QuotaOut:
    check_dates(month=month)
    groups.get(session, user_id)
    use_month = month_of(month or tokyo_date(ctx.now()))
    entries, bookings = usage_of(session, user_id, who.device.center_id, use_month, ctx.policy)
    return QuotaOut(
        user_id=user_id,
        month=use_month,
        lottery_entries=entries,
        lottery_limit=ctx.policy.lottery_slots_per_month,
        center_id=who.device.center_id,
        center_bookings=bookings,
        center_limit=ctx.policy.center_slots_per_month,
    )
