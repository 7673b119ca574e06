"""要対応: a walk-in booked at this desk, then taken at the backend through another desk before
this one synced, comes back refused (slot_taken) and waits in Needs attention until staff
mark it dealt with (issue 5)."""

from __future__ import annotations

import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from center_desk.backend.config import BackendSettings
from center_desk.backend.db import Database
from center_desk.backend.services import auth
from center_desk.domain import tokyo_date
from center_desk.protocol.reservations import ReservationIn
from center_desk.store import Connection, outbox
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached_reservations
from center_desk.store.reservations import CachedReservation
from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.operations import WalkIn
from center_desk.ui import messages
from center_desk.ui.views.attention import AttentionView
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_groups import on_cache


def free_walk_in_slot(db: Connection, center_id: str, today: date) -> tuple[str, date, str]:
    """A room open to individuals with a free slot in the counter window (no group quota)."""
    center = cached_catalog.center(db, center_id)
    calendar = cached_catalog.calendar(db, center_id)
    assert center is not None
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        if calendar.is_closed(day):
            continue
        for room in center.rooms:
            if not room.individuals_allowed:
                continue
            for slot_id in room.fees:
                if not cached_reservations.slot_taken(db, room.id, day, slot_id):
                    return room.id, day, slot_id
    raise AssertionError("no free slot in the counter window")


def second_desk(desk_app: DeskUnderTest, data_dir: Path) -> BackendClient:
    """Another desk of the same center, enrolled with a code issued by the backend's own
    service (as the admin command does), with staff signed in."""
    url = f"sqlite:///{data_dir / 'demo-backend' / 'backend.sqlite3'}"
    database = Database(url)
    with database.session() as session:
        code = auth.issue_enrollment_code(
            session,
            desk_app.backend.center_id,
            now=desk_app.clock.now(),
            settings=BackendSettings(database_url=url, environment="demo"),
        )
    database.engine.dispose()
    tokens: list[str] = []
    client = BackendClient(
        make_http(desk_app.backend.url), device_token=lambda: tokens[0] if tokens else None
    )
    tokens.append(client.enroll(code, "second-desk").device_token)
    client.staff_sign_in(desk_app.backend.staff_id, desk_app.backend.staff_password)
    return client


def test_refused_walk_in_shows_in_needs_attention_until_resolved(
    desk_app: DeskUnderTest, tmp_path: Path
) -> None:
    desk_app.sign_in()
    ctx = desk_app.ctx
    today = tokyo_date(desk_app.clock.now())
    room_id, day, slot_id = on_cache(
        desk_app, lambda db: free_walk_in_slot(db, ctx.center_id, today)
    )
    # Booked here and not yet sent (the sync loop is not running in the tests)…
    booked: list[CachedReservation] = []
    walk_in = WalkIn(room_id, day, slot_id, headcount=3, individual_name="窓口 太郎")
    thread = threading.Thread(target=lambda: booked.append(ctx.ops.book_walk_in(walk_in)))
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(booked), timeout=10000)
    thread.join()
    # …while another desk takes the same slot at the backend.
    other = second_desk(desk_app, tmp_path / "data")
    other.book(
        ReservationIn(
            id=uuid.uuid4(),
            room_id=room_id,
            use_date=day,
            slot_id=slot_id,
            kind="last_minute",
            individual_name="別窓口 花子",
            headcount=2,
        )
    )

    desk_app.sync()
    view = desk_app.window.show_view("attention")
    assert isinstance(view, AttentionView)
    view.refresh()
    desk_app.settle()
    assert [e.reason_code for e in view.entries] == ["slot_taken"]
    assert view.table.rowCount() == 1
    words = messages.for_code("slot_taken")
    assert view.table.item(0, 2).text() == words.sentence
    assert view.table.item(0, 3).text() == words.next_step
    assert booked[0].approval_number in view.table.item(0, 1).text()

    view.resolve_selected()
    box = view.confirm_box
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    desk_app.qtbot.waitUntil(lambda: not view.entries, timeout=10000)
    desk_app.settle()
    assert view.empty.isVisible()
    assert on_cache(desk_app, outbox.needs_attention) == []
