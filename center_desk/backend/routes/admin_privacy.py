"""Personal data the city accounts for (bearer admin token): the audit report for the privacy
officer, as ``center-desk-backend audit`` gives it (JSON or CSV), and the retention run."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Query, Response

from center_desk.protocol.audit import AuditEventOut, WhoSawOut
from center_desk.protocol.common import WireModel

from ..deps import Admin, Ctx, Db
from ..errors import invalid
from ..services import audit_report, retention
from ..services.groups import get as get_group

router = APIRouter(tags=["admin"], prefix="/v1/admin")


class RetentionOut(WireModel):
    groups: int
    individual_names: int
    audit_events: int


@router.get("/audit-events", response_model=list[AuditEventOut])
def audit_events(
    session: Db,
    _: Admin,
    # Bounded like the columns they match: a 100 kB filter is refused, not searched for.
    center: str | None = Query(default=None, max_length=64),
    staff: str | None = Query(default=None, max_length=32),
    device: str | None = Query(default=None, max_length=64),
    group: str | None = Query(default=None, max_length=32, description="a user id"),
    event: str | None = Query(default=None, max_length=64),
    first_day: date | None = Query(default=None, alias="from"),
    last_day: date | None = Query(default=None, alias="to"),
    limit: int = audit_report.MAX_ROWS,
    format: Literal["json", "csv"] = "json",
) -> list[AuditEventOut] | Response:
    try:
        where = audit_report.AuditFilter(
            center_id=center,
            staff_id=staff,
            device_id=device,
            user_id=group,
            event=event,
            first_day=first_day,
            last_day=last_day,
            limit=limit,
        )
    except ValueError as exc:
        raise invalid(str(exc)) from None
    events = audit_report.query(session, where)
    if format == "csv":
        return Response(
            audit_report.to_csv(events),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit-events.csv"'},
        )
    return events


@router.get("/audit-events/who-saw/{user_id}")
def who_saw(user_id: str, session: Db, _: Admin) -> list[WhoSawOut]:
    get_group(session, user_id)
    events = audit_report.query(session, audit_report.AuditFilter(user_id=user_id))
    return audit_report.who_saw(events)


@router.post("/retention/run")
def run_retention(ctx: Ctx, session: Db, _: Admin) -> RetentionOut:
    done = retention.run(session, ctx.settings, now=ctx.now())
    return RetentionOut(
        groups=done.groups, individual_names=done.individual_names, audit_events=done.audit_events
    )
