"""QA follow-up to issue 15: a pushed walk-in for a group registered at another center hands
this center the group's personal data: audited as a look-up with reason ``booking``, and the
walk-in is applied whatever the desk's look-up count (tests/backend/test_foreign_booking.py
covers the counter routes)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select, update

from center_desk.backend.models import AuditEventRow, CenterGroupRow, GroupRow
from center_desk.backend.services import foreign_lookups
from tests.support.backend_app import CENTER, OTHER_CENTER, Backend
from tests.support.desk import Desk
from tests.sync.test_sync import ready, walk_in


def test_a_pushed_walk_in_for_another_centers_group_is_an_audited_look_up(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk, user_id = ready(backend, desks)
    # The group has since moved its registration to 中島 and this center no longer keeps it
    # on the backend; the desk still has it in its cache and books a walk-in.
    with backend.ctx.db.session() as session:
        session.execute(
            update(GroupRow)
            .where(GroupRow.user_id == user_id)
            .values(registered_center_id=OTHER_CENTER)
        )
        session.execute(delete(CenterGroupRow).where(CenterGroupRow.center_id == CENTER))
    desk.ops.book_walk_in(walk_in(user_id))
    report = desk.sync()
    assert report.error == "" and report.applied >= 1, report
    with backend.ctx.db.session() as session:
        looked = session.execute(
            select(AuditEventRow.subject, AuditEventRow.center_id).where(
                AuditEventRow.event == foreign_lookups.LOOKUP_EVENT
            )
        ).all()
    assert [tuple(r) for r in looked] == [(f"{user_id} booking", CENTER)]
