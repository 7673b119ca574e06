"""One date style (issue 12, item 5): dates are typed one way (2027/02/10) and read as era dates
with their weekday; brackets in Japanese text are full-width; the grid's footer says a free
cell is free once."""

from __future__ import annotations

from datetime import date

from center_desk.domain import format_era_date
from center_desk.ui.dates import DATE_INPUT_FORMAT
from center_desk.ui.dialogs.walk_in import WalkInDialog
from center_desk.ui.views.availability import AvailabilityView
from center_desk.ui.views.proxy import ProxyView
from center_desk.ui.views.today import TodayView
from center_desk.ui.widgets.cells import CellState
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_walk_in import availability, tomorrow


def test_every_date_field_is_typed_one_way_and_read_as_an_era_date(
    desk_app: DeskUnderTest,
) -> None:
    desk_app.sign_in()
    window = desk_app.window
    today = window.views["today"]
    assert isinstance(today, TodayView)
    assert today.date_edit.displayFormat() == DATE_INPUT_FORMAT
    assert today.date_edit.text() == "2027/02/10"
    assert window.date_label.text() == "令和9年2月10日(水)"
    proxy = window.views["proxy"]
    assert isinstance(proxy, ProxyView)
    assert proxy.use_date is not None
    assert proxy.date_field.text() == proxy.use_date.strftime("%Y/%m/%d")
    assert proxy.date_label.text() == format_era_date(proxy.use_date)
    dialog = WalkInDialog(desk_app.ctx, day=date(2027, 2, 16), parent=window)
    desk_app.qtbot.addWidget(dialog)
    dialog.show()
    desk_app.settle()
    assert dialog.date_edit.text() == "2027/02/16"
    assert dialog.date_label.text() == "令和9年2月16日(火)"
    # A closed day's reason in full-width brackets, as Japanese text has them.
    desk_app.qtbot.waitUntil(dialog.problem.isVisible, timeout=20000)
    assert "（定期休館日）" in dialog.problem.text()
    assert "(" not in dialog.problem.text()
    closed = [box.text() for box in dialog.slot_boxes.values()]
    assert closed and all(text.endswith("（休館）") for text in closed), closed


def test_the_grid_footer_says_free_once(desk_app: DeskUnderTest) -> None:
    view = availability(desk_app)
    assert isinstance(view, AvailabilityView)
    day = tomorrow(desk_app)
    position = next(
        p
        for p, cell in view.week_grid.cells.items()
        if cell.day == day and cell.state is CellState.FREE
    )
    view.week_grid.setCurrentCell(*position)
    desk_app.settle()
    text = view.message.text()
    assert text.count("空き") == 1, text
