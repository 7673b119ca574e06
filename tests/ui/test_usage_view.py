"""利用状況 on the real window with the demo backend (issue 12, item 6): the figures the view
shows for February 2027 match a count made directly from the demo backend's bookings; the
previous year is beside them; offline the view says it needs the reservation system; the
monthly report previews and prints (audited)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import text

from center_desk.backend.db import Database
from center_desk.printing import FormPdf, PrinterConfig, PrintPolicy, PrintRecord
from center_desk.ui.print_service import PreviewDialog, PrintService
from center_desk.ui.views.usage import UsageView
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_today import queued_audit

#: A heat-map row is tall enough for two lines of figures.
HEAT_ROW_MIN = 30


def usage_view(desk_app: DeskUnderTest) -> UsageView:
    desk_app.sign_in()
    view = desk_app.window.show_view("usage")
    assert isinstance(view, UsageView)
    desk_app.qtbot.waitUntil(lambda: view.usage is not None, timeout=20000)
    desk_app.settle()
    return view


def direct_counts(
    desk_app: DeskUnderTest, data: Path, start: date, end: date
) -> dict[tuple[str, str], int]:
    """Live bookings per room and slot, counted in the demo backend's own database (the
    ``desk_app`` fixture keeps it under the test's ``tmp_path / "data"``)."""
    url = f"sqlite:///{data / 'data' / 'demo-backend' / 'backend.sqlite3'}"
    database = Database(url)
    try:
        with database.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT room_id, slot_id, count(*) FROM reservations WHERE center_id = :c"
                    " AND use_date BETWEEN :s AND :e AND status <> 'cancelled'"
                    " GROUP BY room_id, slot_id"
                ),
                {"c": desk_app.backend.center_id, "s": start.isoformat(), "e": end.isoformat()},
            ).all()
    finally:
        database.dispose()
    return {(r[0], r[1]): int(r[2]) for r in rows}


def figure_row(view: UsageView, label: str) -> list[str]:
    for row in range(view.table.rowCount()):
        item = view.table.item(row, 0)
        if item is not None and item.text().strip() == label:
            return [view.table.item(row, c).text() for c in range(1, 5)]  # type: ignore[union-attr]
    raise AssertionError(f"no row {label}")


def test_the_month_on_screen_matches_the_bookings(desk_app: DeskUnderTest, tmp_path: Path) -> None:
    view = usage_view(desk_app)
    usage = view.usage
    assert usage is not None
    assert usage.month == date(2027, 2, 1)
    assert view.month_label.text() == "令和9年2月"

    counted = direct_counts(desk_app, tmp_path, date(2027, 2, 1), date(2027, 2, 28))
    assert counted, "the demo seeds February 2027"
    for cell in usage.this_month.cells:
        assert cell.used == counted.get((cell.room_id, cell.slot_id), 0), cell
    last_year = direct_counts(desk_app, tmp_path, date(2026, 2, 1), date(2026, 2, 28))
    assert last_year, "the demo seeds a year of history"
    for cell in usage.previous_year.cells:
        assert cell.used == last_year.get((cell.room_id, cell.slot_id), 0), cell

    # The table shows those numbers, the heat map and both charts have them.
    used = figure_row(view, "利用コマ数")
    assert used[0] == f"{sum(counted.values()):,}" and used[1] == f"{sum(last_year.values()):,}"
    assert view.heat_map.usage is usage and view.heat_map.height() > 6 * HEAT_ROW_MIN
    assert view.kind_chart.series[0].values == tuple(
        usage.this_month.by_kind[k] for k in ("lottery", "first_come", "last_minute")
    )
    assert sum(view.kind_chart.series[0].values) == sum(counted.values())
    assert view.print_button.isEnabled()


def test_months_move_and_offline_says_it_needs_the_system(
    desk_app: DeskUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = usage_view(desk_app)
    view.table.setFocus()
    desk_app.qtbot.keyClick(view.table, Qt.Key.Key_PageUp, Qt.KeyboardModifier.AltModifier)
    desk_app.qtbot.waitUntil(lambda: view.loaded_month == date(2027, 1, 1), timeout=20000)
    desk_app.settle()
    assert view.month_label.text() == "令和9年1月"
    counted = direct_counts(desk_app, tmp_path, date(2027, 1, 1), date(2027, 1, 31))
    assert view.usage is not None and view.usage.this_month.used == sum(counted.values())

    desk_app.go_offline(monkeypatch)
    view.next.click()
    desk_app.qtbot.waitUntil(lambda: view.message.kind == "error", timeout=20000)
    desk_app.settle()
    assert "予約システム" in view.message.text()
    assert view.usage is None and view.table.rowCount() == 0
    assert not view.print_button.isEnabled()


def test_the_monthly_report_previews_and_prints(desk_app: DeskUnderTest) -> None:
    view = usage_view(desk_app)
    sent: list[tuple[FormPdf, PrinterConfig]] = []

    def send(form: FormPdf, config: PrinterConfig, policy: PrintPolicy) -> PrintRecord:
        # Stands in for CUPS here; tests/printing/test_usage_report.py prints to a real queue.
        sent.append((form, config))
        return PrintRecord(form.kinds, config.queue, "job-1", form.reprint, form.pages)

    desk_app.ctx.printer = PrintService(desk_app.ctx, send=send)
    view.print_button.click()
    desk_app.qtbot.waitUntil(
        lambda: view.findChild(PreviewDialog, "usageReportPreview") is not None, timeout=20000
    )
    dialog = view.findChild(PreviewDialog, "usageReportPreview")
    assert isinstance(dialog, PreviewDialog)
    assert len(dialog.page_labels) == 1
    assert dialog.print_button.text() == "報告を印刷"
    dialog.print_button.click()
    desk_app.qtbot.waitUntil(lambda: bool(sent), timeout=20000)
    desk_app.settle()
    form, config = sent[0]
    assert config.queue == desk_app.ctx.config.printer
    assert [k.value for k in form.kinds] == ["usage_report"]
    page = PdfReader(io.BytesIO(form.data)).pages[0].extract_text().replace(" ", "")
    assert "月次利用状況報告" in page and "令和9年2月分" in page
    assert f"usage_report {desk_app.backend.center_id} 2027-02" in queued_audit(desk_app, "printed")
    assert view.message.kind == "success"
