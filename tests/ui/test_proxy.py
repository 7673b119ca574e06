"""抽選・先着: the windows for a date answered at once; a lottery entry by proxy; offline, the
proxies say they need the reservation system (issue 5)."""

from __future__ import annotations

from datetime import date

import pytest

from center_desk.domain import (
    application_windows,
    format_era_date,
    parse_use_date,
)
from center_desk.sync.errors import NeedsBackend
from center_desk.ui import messages
from center_desk.ui.views.proxy import ProxyView
from tests.ui.conftest import DeskUnderTest

TODAY = date(2027, 2, 10)


def proxy_view(desk_app: DeskUnderTest) -> ProxyView:
    desk_app.sign_in()
    view = desk_app.window.show_view("proxy")
    assert isinstance(view, ProxyView)
    desk_app.settle()
    return view


def type_date(view: ProxyView, text: str) -> None:
    view.date_field.setText(text)
    view.date_field.textEdited.emit(text)


def choose_group(desk_app: DeskUnderTest, view: ProxyView, query: str) -> None:
    view.search.query.setText(query)
    desk_app.qtbot.waitUntil(lambda: view.search.results.count() >= 1, timeout=5000)
    view.search.results.setCurrentRow(0)
    desk_app.settle()
    assert view.group is not None


def test_windows_for_a_date_are_answered_at_once(desk_app: DeskUnderTest) -> None:
    view = proxy_view(desk_app)
    expectations = {"2/15": "counter", "3/15": "first_come", "4/15": "lottery"}
    for text, open_now in expectations.items():
        type_date(view, text)
        day = parse_use_date(text, TODAY)
        assert day is not None
        windows = application_windows(day, view.calendar)
        assert view.date_label.text() == format_era_date(day)
        lottery = view.window_rows["lottery"][0].text()
        assert format_era_date(windows.lottery_apply_from) in lottery
        assert format_era_date(windows.lottery_result_on) in lottery
        first_come = view.window_rows["first_come"][0].text()
        assert f"{format_era_date(windows.first_come_opens_at.date())} 09:00" in first_come
        assert format_era_date(windows.first_come_closes_on) in first_come
        assert format_era_date(windows.counter_from) in view.window_rows["counter"][0].text()
        states = {key: state.text() for key, (_period, state) in view.window_rows.items()}
        assert states[open_now] == view.tr("Open now"), (text, states)
        assert [k for k, v in states.items() if v == view.tr("Open now")] == [open_now]


def test_lottery_entry_by_proxy_shows_in_the_groups_entries(desk_app: DeskUnderTest) -> None:
    view = proxy_view(desk_app)
    choose_group(desk_app, view, "こだいらいご")
    type_date(view, "4/15")
    view.enter_lottery()
    desk_app.qtbot.waitUntil(lambda: view.outcome.kind in ("success", "error"), timeout=20000)
    desk_app.settle()
    assert view.outcome.kind == "success", view.outcome.text()
    assert view.results.rowCount() >= 1
    assert any(
        view.results.item(row, 0).text() == format_era_date(date(2027, 4, 15))
        for row in range(view.results.rowCount())
    )


def test_first_come_from_the_month_view_offline_needs_the_backend(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = proxy_view(desk_app)
    center = desk_app.ctx.center
    assert center is not None
    room = center.rooms[0]
    view.start_first_come(room.id, date(2027, 3, 15), "afternoon")
    assert view.room.currentData() == room.id
    assert view.slot.currentData() == "afternoon"
    assert view.date_label.text() == format_era_date(date(2027, 3, 15))
    choose_group(desk_app, view, "こだいらいご")
    desk_app.go_offline(monkeypatch)
    view.book_first_come()
    desk_app.qtbot.waitUntil(lambda: view.outcome.kind == "error", timeout=20000)
    desk_app.settle()
    assert view.outcome.text() == messages.for_error(NeedsBackend("first_come_proxy")).text()
