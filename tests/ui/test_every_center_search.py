"""Follow-up to issues 9 and 15 at the desk: searching every center's groups with the reason
the clerk chose, and the wording for the backend's refusals (busy, too many sign-ins)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from center_desk.backend.services.foreign_lookups import LOOKUP_EVENT
from center_desk.sync.errors import NeedsBackend, Refused, ServerUnavailable
from center_desk.ui import messages
from center_desk.ui.dialogs.group_form import FIELD_ORDER, form_of, group_in
from center_desk.ui.dialogs.walk_in import WalkInDialog
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_groups import GOOD, groups_view
from tests.ui.test_walk_in import (
    availability,
    free_cell,
    open_from_grid,
    press_enter,
    tomorrow,
    type_headcount,
    type_text,
)


def _in_thread(desk_app: DeskUnderTest, work: Any) -> Any:
    """Call the desk's client off the GUI thread (the demo backend answers on its own)."""
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(work()))
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(box), timeout=30000)
    thread.join()
    return box[0]


def _group_of_another_center(desk_app: DeskUnderTest, tmp_path: Path) -> tuple[str, Path]:
    """A group registered through this desk's backend, then moved to 中島 (not synced here)."""
    values = {**{p: "" for p in FIELD_ORDER}, **GOOD, "representative.address": "小平市1-1"}
    wire = group_in(form_of(values))
    user_id = _in_thread(desk_app, lambda: desk_app.ctx.client.register_group(wire).group.user_id)
    backend_file = tmp_path / "data" / "demo-backend" / "backend.sqlite3"
    with sqlite3.connect(backend_file) as db:
        db.execute(
            "UPDATE groups SET registered_center_id = 'nakajima' WHERE user_id = ?", (user_id,)
        )
    return user_id, backend_file


def _lookups(backend_file: Path) -> list[str]:
    with sqlite3.connect(backend_file) as db:
        rows = db.execute(
            "SELECT subject FROM audit_events WHERE event = ? ORDER BY at, subject",
            (LOOKUP_EVENT,),
        ).fetchall()
    return [r[0] for r in rows]


def test_the_groups_view_searches_every_center_with_the_reason_chosen(
    desk_app: DeskUnderTest, tmp_path: Path
) -> None:
    view = groups_view(desk_app)
    user_id, backend_file = _group_of_another_center(desk_app, tmp_path)

    # By the group's name: no reason needed, and no one's name comes back.
    view.search.query.setText("ウクレレ同好会")
    view.search.search_now()
    desk_app.settle()
    assert view.search_all_button.isVisible()
    assert not view.lookup_button.isVisible() and view.lookup_reason.isVisible()
    view.search_all_button.click()
    desk_app.settle()
    assert view.remote_results.isVisible() and view.remote_results.count() == 1
    label = view.remote_results.item(0).text()
    assert user_id in label and "小平 一花" not in label
    assert _lookups(backend_file) == []

    # By the representative's name: not without a reason...
    view.search.query.setText("小平 一花")
    view.search.search_now()
    desk_app.settle()
    assert view.search_all_button.isVisible()
    assert not view.remote_results.isVisible()
    view.search_all_button.click()
    desk_app.settle()
    assert view.remote_results.count() == 0
    assert view.message.isVisible()
    # ...and with one, a counted, audited look-up that shows the representative.
    view.lookup_reason.setCurrentIndex(view.lookup_reason.findData("registration_check"))
    view.search_all_button.click()
    desk_app.settle()
    assert view.remote_results.count() == 1
    assert "小平 一花" in view.remote_results.item(0).text()
    assert _lookups(backend_file) == [f"{user_id} registration_check search"]

    # Opening it is the look-up proper, with the same reason.
    view.remote_results.itemClicked.emit(view.remote_results.item(0))
    desk_app.qtbot.waitUntil(
        lambda: view.group is not None and view.group.user_id == user_id, timeout=20000
    )
    desk_app.settle()
    assert sorted(_lookups(backend_file)) == [
        f"{user_id} registration_check",
        f"{user_id} registration_check search",
    ]


def test_the_walk_in_dialog_finds_another_centers_group_and_looks_it_up_as_a_walk_in(
    desk_app: DeskUnderTest, tmp_path: Path
) -> None:
    view = availability(desk_app)
    user_id, backend_file = _group_of_another_center(desk_app, tmp_path)
    dialog = open_from_grid(desk_app, view, free_cell(view, tomorrow(desk_app)))
    type_text(desk_app, dialog.group_search, "ウクレレ")
    desk_app.qtbot.waitUntil(dialog.search_all_button.isVisible, timeout=5000)
    dialog.search_all_button.click()
    desk_app.settle()
    assert list(dialog.remote_candidates.values()) == [user_id]
    assert _lookups(backend_file) == []  # found by name: nothing personal shown yet
    [label] = dialog.remote_candidates
    dialog._completion_chosen(label)
    desk_app.qtbot.waitUntil(lambda: dialog.group is not None, timeout=20000)
    desk_app.settle()
    assert dialog.group is not None and dialog.group.user_id == user_id
    assert _lookups(backend_file) == [f"{user_id} walk_in"]

    # The booking waits for the group to reach this desk's cache (the next sync)...
    type_headcount(desk_app, dialog, 4)
    press_enter(desk_app, dialog)
    assert not dialog.showing_result and dialog.made == []
    assert dialog.problem.text() == dialog.tr(
        "The group is being copied to this desk from the reservation system. "
        "Book again in a moment."
    )
    # ...and then goes through, nothing typed lost.
    desk_app.sync()
    press_enter(desk_app, dialog)
    assert dialog.showing_result, dialog.problem.text()
    assert [r.user_id for r in dialog.made] == [user_id]


def test_the_sign_in_panel_says_how_long_to_wait_after_too_many_attempts(
    desk_app: DeskUnderTest,
) -> None:
    panel = desk_app.window.sign_in_panel
    staff_id = desk_app.backend.staff_id

    def hammer() -> Refused | None:
        # Wrong passwords until the backend's per-account limit answers (12 a minute).
        for _ in range(40):
            try:
                desk_app.ctx.client.staff_sign_in(staff_id, "wrong-password")
            except Refused as refused:
                return refused
            except Exception:
                continue
        return None

    refused = _in_thread(desk_app, hammer)
    assert refused is not None and refused.code == "too_many_attempts"
    assert refused.retry_after is not None and refused.retry_after > 0

    panel.staff_id.setText(staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.settle()
    assert desk_app.ctx.staff is None
    text = panel.error.text()
    assert text == messages.for_error(refused).text()
    assert messages.for_code("too_many_attempts").sentence in text
    assert messages.wait_text(refused.retry_after) in text
    assert text != messages.for_code("bad_credentials").text()


def test_busy_reads_as_busy_even_behind_needs_backend(desk_app: DeskUnderTest) -> None:
    busy = ServerUnavailable(503, "busy", 2.0)
    try:
        raise NeedsBackend("group_lookup") from busy
    except NeedsBackend as wrapped:
        assert messages.for_error(wrapped) == messages.for_code("busy")
    assert messages.for_error(busy) == messages.for_code("busy")
    # A 503 without "busy" (a proxy in front) is still "cannot be reached".
    assert messages.for_error(ServerUnavailable(503)) != messages.for_code("busy")
    for code in ("busy", "too_many_attempts", "too_large", "https_required"):
        assert messages.for_code(code) != messages.for_code("no_such_code"), code
    assert messages.wait_text(30) != messages.wait_text(90)


def test_sign_in_while_the_backend_sheds_load_says_busy(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The backend's admission gate turning every request away (scripted: a real shed needs a
    # rush this test would not survive on two cores).
    shed = httpx.MockTransport(
        lambda request: httpx.Response(
            503,
            json={"code": "busy", "message": "the server is busy; try again shortly"},
            headers={"Retry-After": "2"},
        )
    )
    monkeypatch.setattr(
        desk_app.ctx.client, "_http", httpx.Client(base_url=desk_app.backend.url, transport=shed)
    )
    panel = desk_app.window.sign_in_panel
    panel.staff_id.setText("s0999")  # never signed in here: no offline sign-in to fall back on
    panel.password.setText("whatever-it-is")
    panel.submit()
    desk_app.settle()
    assert desk_app.ctx.staff is None
    assert panel.error.text() == messages.for_code("busy").text()


def test_a_walk_in_from_a_group_just_looked_up_waits_for_the_cache_then_books(
    desk_app: DeskUnderTest, tmp_path: Path
) -> None:
    view = groups_view(desk_app)
    user_id, _ = _group_of_another_center(desk_app, tmp_path)
    view.search.query.setText(user_id)
    view.search.search_now()
    desk_app.settle()
    view.lookup_reason.setCurrentIndex(view.lookup_reason.findData("walk_in"))
    view.lookup_button.click()
    desk_app.qtbot.waitUntil(
        lambda: view.group is not None and view.group.user_id == user_id, timeout=20000
    )
    desk_app.settle()
    view.walk_in_for_selected()
    desk_app.settle()
    [dialog] = [d for d in desk_app.window.findChildren(WalkInDialog) if d.isVisible()]
    desk_app.qtbot.waitUntil(lambda: bool(dialog.slot_boxes), timeout=10000)
    desk_app.settle()
    assert dialog.group is not None and dialog.group.user_id == user_id
    assert not dialog.problem.isVisible()  # not "could not be found"
    free = next(box for box in dialog.slot_boxes.values() if box.isEnabled())
    free.setChecked(True)
    type_headcount(desk_app, dialog, 4)
    press_enter(desk_app, dialog)
    assert dialog.made == [] and dialog.problem.isVisible()
    desk_app.sync()
    press_enter(desk_app, dialog)
    assert dialog.showing_result, dialog.problem.text()
    assert [r.user_id for r in dialog.made] == [user_id]
