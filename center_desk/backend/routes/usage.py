"""Usage figures (利用状況): every center for the city office (admin token), and a desk's own
center for its 利用状況 view (staff signed in at an enrolled desk). Figures only, no personal
data; the desk keeps 30 days, so it asks here for a month or a year."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query

from center_desk.domain.usage import MonthError, parse_month
from center_desk.protocol.common import FieldError
from center_desk.protocol.usage import CenterUsageOut, UsageReportOut

from ..deps import Admin, Ctx, Db, Staff
from ..errors import forbidden, invalid
from ..services import usage
from ..services.catalog import get_center

router = APIRouter(tags=["usage"])


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except MonthError as exc:
        problem = FieldError(field="month", code="invalid_month", message="use YYYY-MM")
        raise invalid(str(exc), [problem]) from None


@router.get("/v1/admin/usage")
def all_centers(
    ctx: Ctx, session: Db, _: Admin, month: str = Query(description="YYYY-MM")
) -> UsageReportOut:
    figures = usage.usage_of_all(session, _month(month))
    return UsageReportOut(
        month=month.strip(),
        generated_at=ctx.now(),
        centers=[CenterUsageOut.from_domain(u) for u in figures],
    )


@router.get("/v1/centers/{center_id}/usage")
def one_center(
    center_id: str, session: Db, who: Staff, month: str = Query(description="YYYY-MM")
) -> CenterUsageOut:
    if center_id != who.device.center_id:
        raise forbidden("this desk serves another center")
    first = _month(month)
    get_center(session, center_id)
    return CenterUsageOut.from_domain(usage.usage_of_center(session, center_id, first))
