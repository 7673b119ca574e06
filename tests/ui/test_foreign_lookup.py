"""Issue 15: a desk looking up a group registered at another center says why; the backend
refuses without a reason and audits the look-up with it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from center_desk.backend.services.foreign_lookups import LOOKUP_EVENT
from center_desk.ui import messages
from center_desk.ui.dialogs.group_form import FIELD_ORDER, form_of, group_in
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_groups import GOOD, groups_view


def test_a_group_of_another_center_is_looked_up_with_a_reason(
    desk_app: DeskUnderTest, tmp_path: Path
) -> None:
    view = groups_view(desk_app)
    values = {
        **{p: "" for p in FIELD_ORDER},
        **GOOD,
        "representative.address": "東京都小平市小川西町1-1",
    }
    wire = group_in(form_of(values))
    box: list[str] = []
    thread = threading.Thread(
        target=lambda: box.append(desk_app.ctx.client.register_group(wire).group.user_id)
    )
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(box), timeout=10000)
    thread.join()
    user_id = box[0]
    # The group moves its registration to 中島: for this desk it is another center's group.
    backend_file = tmp_path / "data" / "demo-backend" / "backend.sqlite3"
    with sqlite3.connect(backend_file) as db:
        db.execute(
            "UPDATE groups SET registered_center_id = 'nakajima' WHERE user_id = ?", (user_id,)
        )

    view.search.query.setText(user_id)
    desk_app.qtbot.waitUntil(view.lookup_button.isVisible, timeout=5000)
    assert view.lookup_reason.isVisible() and view.lookup_reason.currentIndex() == -1
    view.lookup_button.click()
    desk_app.settle()
    assert view.group is None or view.group.user_id != user_id
    assert view.message.text() == messages.for_code("lookup_reason_required").text()

    view.lookup_reason.setCurrentIndex(view.lookup_reason.findData("walk_in"))
    view.lookup_button.click()
    desk_app.qtbot.waitUntil(
        lambda: view.group is not None and view.group.user_id == user_id, timeout=20000
    )
    desk_app.settle()
    assert not view.lookup_reason.isVisible()
    with sqlite3.connect(backend_file) as db:
        audited = db.execute(
            "SELECT staff_id, subject FROM audit_events WHERE event = ?", (LOOKUP_EVENT,)
        ).fetchall()
    assert audited == [(desk_app.backend.staff_id, f"{user_id} walk_in")]

    # Changing the group is a look-up too: the desk says the reason the clerk chose for it.
    changed: list[str] = []
    renamed = group_in(form_of({**values, "name": "小平混声合唱団"}))
    thread = threading.Thread(
        target=lambda: changed.append(desk_app.ctx.ops.change_group(user_id, renamed).name)
    )
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(changed), timeout=10000)
    thread.join()
    assert changed == ["小平混声合唱団"]
    with sqlite3.connect(backend_file) as db:
        audited = db.execute(
            "SELECT staff_id, subject FROM audit_events WHERE event = ?", (LOOKUP_EVENT,)
        ).fetchall()
    assert audited == [(desk_app.backend.staff_id, f"{user_id} walk_in")] * 2
