"""Issue 15: a group the backend anonymised under its retention period is blanked in the
caches of the desks that keep it, with their next pull."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.support.backend_app import Backend
from tests.support.desk import Desk

ADMIN = {"Authorization": "Bearer admin-secret"}


def test_an_anonymised_group_is_blanked_at_the_desk(
    backend: Backend, desks: Callable[..., Desk]
) -> None:
    desk = desks()
    user_id, _ = backend.register()
    desk.sync()
    assert desk.scalar("SELECT representative_name FROM groups WHERE user_id = ?", user_id) == (
        "小平 花子"
    )
    gone = backend.client.post(
        f"/v1/groups/{user_id}/deregister", json={"reason": "解散"}, headers=backend.desk()
    )
    assert gone.status_code == 200, gone.text
    backend.clock.set(backend.clock.now() + timedelta(days=366))
    done = backend.client.post("/v1/admin/retention/run", headers=ADMIN)
    assert done.json()["groups"] == 1, done.text

    desk.sync()
    row = desk.db.execute(
        "SELECT name, representative_name, representative_phone, representative_email,"
        " responsible_name, responsible_address FROM groups WHERE user_id = ?",
        (user_id,),
    ).fetchone()
    assert row is not None
    assert row[0] == "（匿名化済み）" and set(row[1:]) <= {"", None}, row
