"""Who did it: whether a staff id a desk names may be believed (issue 9, item 5).

A desk sends the staff id with audit events and pushed mutations; a desk can be wrong or lie.
The backend records the id as given, with the device (which its token proves), and whether
the staff member may work at that center. Staff rotate between centers (DOMAIN.md), so any
active account may work at any center: in practice "exists and is active", kept here in one
place so a per-center rule, should the city make one, changes one function.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import StaffRow


def may_work_at(session: Session, staff_id: str | None, center_id: str | None) -> bool:
    if not staff_id or not center_id:
        return False
    staff = session.get(StaffRow, staff_id)
    return staff is not None and staff.active
