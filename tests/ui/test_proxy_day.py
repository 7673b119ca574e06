"""抽選・先着, second pass (issue 12, item 4): it starts on a day the center is open, shows the
chosen day's rooms and slots coloured as in 空き状況 and agreeing with the backend's
availability, and its remaining counts agree with the group's own entries and bookings."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from PySide6.QtGui import QColor

from center_desk.store import reservations as cached
from center_desk.ui.views.proxy import ProxyView
from center_desk.ui.widgets.cell_words import COLOURS
from center_desk.ui.widgets.cells import CellState
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_proxy import choose_group, proxy_view, type_date
from tests.ui.test_walk_in import off_gui, on_cache

#: The backend's words for what the desk's cells show.
BACKEND_STATE = {
    CellState.FREE: "free",
    CellState.BOOKED: "booked",
    CellState.LOTTERY: "booked",
    CellState.PENDING: "booked",
    CellState.CLOSED: "closed",
}


def test_it_starts_on_a_day_the_center_is_open(desk_app: DeskUnderTest) -> None:
    view = proxy_view(desk_app)
    assert view.use_date is not None
    assert view.calendar.closure(view.use_date) is None
    # 1/5 is the first Tuesday of January (a regular closing day): the next day is open.
    assert view.first_open_day(date(2027, 1, 5)) == date(2027, 1, 6)
    # On 3/2 the usual start (35 days ahead) is 4/6, the first Tuesday of April.
    desk_app.clock.advance(timedelta(days=20))
    fresh = ProxyView(desk_app.ctx, desk_app.window)
    desk_app.settle()
    assert fresh.use_date == date(2027, 4, 7)
    assert fresh.date_field.text() == "2027/04/07"


def test_the_days_rooms_and_slots_match_the_backends_availability(
    desk_app: DeskUnderTest,
) -> None:
    view = proxy_view(desk_app)
    center_id = desk_app.ctx.center_id
    checked_states: set[CellState] = set()
    for day in (date(2027, 3, 15), date(2027, 3, 16), date(2027, 3, 20), date(2027, 2, 20)):
        type_date(view, f"{day.year}/{day.month}/{day.day}")
        desk_app.settle()
        desk_app.qtbot.waitUntil(lambda d=day: view.use_date == d and bool(view.day_cells))
        answer = off_gui(
            desk_app,
            lambda d=day: httpx.get(
                f"{desk_app.backend.url}/v1/centers/{center_id}/availability",
                params={"from": d.isoformat(), "to": d.isoformat()},
            ).json(),
        )
        backend = {(c["room_id"], c["slot_id"]): c["state"] for c in answer["cells"]}
        assert backend, day
        for key, state in backend.items():
            cell = view.day_cells[key]
            assert BACKEND_STATE.get(cell.state, "free") == state, (day, key, cell.state)
            checked_states.add(cell.state)
        # Colour-coded as in 空き状況, and every cell says its state in words.
        center = desk_app.ctx.center
        assert center is not None
        for row, room in enumerate(center.rooms):
            for column, slot in enumerate(desk_app.ctx.slots):
                item = view.day_grid.item(row, column)
                cell = view.day_cells[(room.id, slot.id)]
                assert item.background().color() == QColor(COLOURS[cell.state][0])
                assert item.text()
    assert {CellState.FREE, CellState.CLOSED} <= checked_states
    assert checked_states & {CellState.BOOKED, CellState.LOTTERY}


@pytest.mark.usefixtures("english_ui")
def test_remaining_counts_agree_with_the_groups_entries_and_bookings(
    desk_app: DeskUnderTest,
) -> None:
    view = proxy_view(desk_app)
    choose_group(desk_app, view, "こだいらいご")
    group = view.group
    assert group is not None
    type_date(view, "2027/3/15")
    desk_app.settle()
    desk_app.qtbot.waitUntil(lambda: "booked" in view.quota_label.text(), timeout=10000)
    text = view.quota_label.text()
    found = re.search(r"\((?:all centers)\) (\d+) of (\d+) left, (\d+) entered", text)
    here = re.search(r"here (\d+) of (\d+) left, (\d+) booked", text)
    assert found and here, text
    entries = off_gui(desk_app, lambda: desk_app.ctx.ops.lottery_results(group.user_id))
    march = [e for e in entries if (e.use_date.year, e.use_date.month) == (2027, 3)]
    assert int(found.group(3)) == len(march)
    assert int(found.group(1)) == max(0, int(found.group(2)) - len(march))
    bookings = on_cache(
        desk_app,
        lambda db: [
            r
            for r in cached.between(db, desk_app.ctx.center_id, date(2027, 3, 1), date(2027, 3, 31))
            if r.user_id == group.user_id
            and r.kind in ("lottery", "first_come")
            and r.status != "cancelled"
        ],
    )
    assert int(here.group(3)) == len(bookings)
    # A lottery win is both an entry and a booking: the two lists agree.
    won = {(str(e.reservation_id)) for e in march if e.status == "won"}
    assert won <= {r.id for r in bookings}


@pytest.mark.usefixtures("english_ui")
def test_a_deregistered_group_is_marked_and_refused_before_sending(
    desk_app: DeskUnderTest,
) -> None:
    from center_desk.store import groups as cached_groups

    view = proxy_view(desk_app)
    target = on_cache(desk_app, lambda db: cached_groups.search(db, "書道"))[0]
    off_gui(desk_app, lambda: desk_app.ctx.ops.deregister_group(target.user_id, "解散"))
    desk_app.sync()
    view.search.query.setText(target.user_id)
    desk_app.qtbot.waitUntil(lambda: view.search.results.count() >= 1, timeout=5000)
    assert "(de-registered)" in view.search.results.item(0).text()
    view.search.results.setCurrentRow(0)
    desk_app.settle()
    assert view.group is not None and not view.group.active
    expected = f"{target.name} is de-registered: it cannot book or enter the lottery."
    assert view.outcome.kind == "error" and expected in view.outcome.text()
    type_date(view, "2027/3/15")
    view.book_first_come()
    assert not view._busy  # nothing was sent
    assert expected in view.outcome.text()
