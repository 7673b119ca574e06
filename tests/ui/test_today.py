"""本日: the day's board, the approval-number search, the day-of-use actions, and printing both
slips from it (issues 5 and 6)."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from center_desk.domain import tokyo_date
from center_desk.printing import FormPdf, PrinterConfig, PrintPolicy, PrintRecord
from center_desk.protocol.sync import AuditEventIn
from center_desk.store import outbox
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation
from center_desk.ui.dialogs.booking_details import BookingDetailsDialog
from center_desk.ui.dialogs.day_actions import (
    CancelDialog,
    FeeDialog,
    NoShowDialog,
    UsageReportDialog,
)
from center_desk.ui.print_service import PrintService
from center_desk.ui.views.today import TodayView
from tests.support.qt_layout import clipped_texts
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_walk_in import on_cache, type_text

# Wording is checked by its English source; the Japanese by test_translations.
pytestmark = pytest.mark.usefixtures("english_ui")


def today_view(desk_app: DeskUnderTest) -> TodayView:
    desk_app.sign_in()
    view = desk_app.window.show_view("today")
    assert isinstance(view, TodayView)
    desk_app.qtbot.waitUntil(lambda: view.board is not None, timeout=10000)
    desk_app.settle()
    return view


def bookings(desk_app: DeskUnderTest, day: date) -> list[CachedReservation]:
    center_id = desk_app.ctx.center_id
    return on_cache(
        desk_app, lambda db: cached.between(db, center_id, day, day, include_cancelled=True)
    )


def row_of(view: TodayView, number: str) -> dict[str, str]:
    for item in view.rows():
        if item.text(0) == number:
            keys = ("number", "time", "room", "group", "people", "status", "fee", "sync")
            return {key: item.text(i) for i, key in enumerate(keys)}
    raise AssertionError(f"{number} is not on the board")


def select(desk_app: DeskUnderTest, view: TodayView, r: CachedReservation) -> None:
    assert view.select_reservation(r.id)
    view.tree.setFocus()


def queued_audit(desk_app: DeskUnderTest, event: str) -> list[str]:
    bodies = [e.body for e in on_cache(desk_app, outbox.pending)]
    return [b.subject for b in bodies if isinstance(b, AuditEventIn) and b.event == event]


def run_dialog(desk_app: DeskUnderTest, view: TodayView, dialog_type: type) -> object:
    desk_app.qtbot.waitUntil(lambda: isinstance(view.dialog, dialog_type), timeout=5000)
    dialog = view.dialog
    assert dialog is not None
    desk_app.qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_board_lists_the_days_bookings_by_slot(desk_app: DeskUnderTest) -> None:
    view = today_view(desk_app)
    day = tokyo_date(desk_app.clock.now())
    expected = {r.approval_number for r in bookings(desk_app, day)}
    assert expected
    assert {item.text(0) for item in view.rows()} == expected
    # Slots in their order, each a header with its rows under it.
    headers = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    assert [h.text(0).split()[0] for h in headers if h is not None] == ["午前", "午後", "夜間"]
    assert "令和9年2月10日(水)" in view.day_label.text()
    # Tooltips name the shortcuts (keyboard first).
    assert "Ctrl+P" in view.print_action.toolTip()
    assert "Ctrl+I" in view.check_in_action.toolTip()
    # Enter on a booking opens its details.
    view.tree.setFocus()
    desk_app.qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    details = run_dialog(desk_app, view, BookingDetailsDialog)
    assert isinstance(details, BookingDetailsDialog)
    desk_app.settle()
    current = view.current_reservation()
    assert current is not None
    assert details.fields["approvalNumber"].text() == current.approval_number
    desk_app.qtbot.keyClick(details, Qt.Key.Key_Escape)
    assert not details.isVisible()
    # Another day, and back.
    view.next_day.click()
    desk_app.settle()
    tomorrow = day + timedelta(days=1)
    assert {i.text(0) for i in view.rows()} == {
        r.approval_number for r in bookings(desk_app, tomorrow)
    }
    # (Closing a dialog under the offscreen platform does not give the window back its
    # activation, which window shortcuts need; a real desktop does.)
    desk_app.window.activateWindow()
    desk_app.qtbot.waitUntil(lambda: QApplication.activeWindow() is desk_app.window)
    view.tree.setFocus()
    desk_app.qtbot.keyClick(view.tree, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    desk_app.settle()
    assert view.day == day


def test_a_scanned_approval_number_opens_its_booking_on_its_day(
    desk_app: DeskUnderTest,
) -> None:
    view = today_view(desk_app)
    later = tokyo_date(desk_app.clock.now()) + timedelta(days=3)
    target = next(r for r in bookings(desk_app, later) if r.user_id)
    # A scanner behind a Japanese input method may send full-width characters.
    full_width = target.approval_number.translate(
        {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
    ).lower()
    type_text(desk_app, view.search, full_width)
    desk_app.qtbot.keyClick(view.search, Qt.Key.Key_Return)
    dialog = run_dialog(desk_app, view, BookingDetailsDialog)
    assert isinstance(dialog, BookingDetailsDialog)
    desk_app.settle()
    assert view.day == later
    current = view.current_reservation()
    assert current is not None and current.id == target.id
    assert dialog.fields["approvalNumber"].text() == target.approval_number
    # The details show the representative: that is audited.
    assert "〒" in dialog.fields["representative"].text()
    assert clipped_texts(dialog) == []
    assert target.user_id in queued_audit(desk_app, "group_viewed")

    dialog.reject()
    type_text(desk_app, view.search, "NOPE-1")
    desk_app.qtbot.keyClick(view.search, Qt.Key.Key_Return)
    desk_app.settle()
    assert "No booking numbered NOPE-1" in view.message.text()


def test_check_in_then_usage_report(desk_app: DeskUnderTest) -> None:
    view = today_view(desk_app)
    day = tokyo_date(desk_app.clock.now())
    target = next(r for r in bookings(desk_app, day) if r.status == "booked")
    select(desk_app, view, target)
    assert view.check_in_action.isEnabled()
    desk_app.qtbot.keyClick(view.tree, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    desk_app.settle()
    row = row_of(view, target.approval_number)
    assert (row["status"], row["sync"]) == ("Checked in", "Waiting to sync")
    assert not view.check_in_action.isEnabled()
    assert not view.no_show_action.isEnabled()

    desk_app.qtbot.keyClick(view.tree, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = run_dialog(desk_app, view, UsageReportDialog)
    assert isinstance(dialog, UsageReportDialog)
    dialog.headcount.setValue(4)
    type_text(desk_app, dialog.remarks, "障子に穴")
    desk_app.qtbot.keyClick(dialog.remarks, Qt.Key.Key_Return)
    desk_app.settle()
    assert not dialog.isVisible()
    row = row_of(view, target.approval_number)
    assert row["status"] == "Used"
    assert row["people"].endswith("4")
    stored = on_cache(desk_app, lambda db: cached.get(db, target.id))
    assert stored is not None
    assert (stored.actual_headcount, stored.remarks) == (4, "障子に穴")


def test_fee_must_match_and_needs_a_receipt_number(desk_app: DeskUnderTest) -> None:
    view = today_view(desk_app)
    day = tokyo_date(desk_app.clock.now())
    payer = None
    # Nearly every demo group is exempt (as in life): find a booking that pays.
    while payer is None:
        payer = next((r for r in bookings(desk_app, day) if r.fee_charged and not r.fee_paid), None)
        if payer is None:
            day += timedelta(days=1)
    view.set_day(day)
    desk_app.settle()
    select(desk_app, view, payer)
    assert view.fee_action.isEnabled()
    view.fee_action.trigger()
    dialog = run_dialog(desk_app, view, FeeDialog)
    assert isinstance(dialog, FeeDialog)
    type_text(desk_app, dialog.amount, str(payer.fee_charged - 100))
    type_text(desk_app, dialog.receipt, "R-0042")
    desk_app.qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert f"¥{payer.fee_charged:,}" in dialog.error.text()
    assert dialog.receipt.text() == "R-0042"  # nothing typed is lost

    dialog.amount.clear()
    type_text(desk_app, dialog.amount, str(payer.fee_charged))
    desk_app.qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    desk_app.settle()
    assert not dialog.isVisible()
    assert row_of(view, payer.approval_number)["fee"].endswith("paid")
    assert "not paid" not in row_of(view, payer.approval_number)["fee"]
    assert not view.fee_action.isEnabled()


def test_cancel_needs_a_reason_and_no_show_waits_for_the_slots_end(
    desk_app: DeskUnderTest,
) -> None:
    view = today_view(desk_app)
    day = tokyo_date(desk_app.clock.now())
    day_bookings = [r for r in bookings(desk_app, day) if r.status == "booked"]
    to_cancel, to_miss = (
        day_bookings[0],
        next(r for r in day_bookings if r.slot_id == "morning" and r.id != day_bookings[0].id),
    )
    select(desk_app, view, to_cancel)
    view.cancel_action.trigger()
    dialog = run_dialog(desk_app, view, CancelDialog)
    assert isinstance(dialog, CancelDialog)
    desk_app.qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible() and "reason" in dialog.error.text()
    type_text(desk_app, dialog.reason, "会員の体調不良のため")
    desk_app.qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    desk_app.settle()
    assert not dialog.isVisible()
    assert row_of(view, to_cancel.approval_number)["status"] == "Cancelled"

    # No-show: not while the morning slot runs (10:00), only after it ends at 12:00.
    select(desk_app, view, to_miss)
    assert not view.no_show_action.isEnabled()
    desk_app.clock.set(desk_app.clock.now().replace(hour=12, minute=1))
    view.refresh()
    desk_app.settle()
    select(desk_app, view, to_miss)
    assert view.no_show_action.isEnabled()
    view.no_show_action.trigger()
    dialog = run_dialog(desk_app, view, NoShowDialog)
    assert isinstance(dialog, NoShowDialog)
    desk_app.qtbot.keyClick(dialog, Qt.Key.Key_Return)
    desk_app.settle()
    assert row_of(view, to_miss.approval_number)["status"] == "No-show"


def test_print_service_builds_both_slips(desk_app: DeskUnderTest) -> None:
    view = today_view(desk_app)
    day = tokyo_date(desk_app.clock.now())
    target = next(r for r in bookings(desk_app, day) if r.user_id)
    sent: list[tuple[FormPdf, PrinterConfig]] = []

    def send(form: FormPdf, config: PrinterConfig, policy: PrintPolicy) -> PrintRecord:
        # Stands in for CUPS (its own tests print to a real queue): keep what would be sent.
        sent.append((form, config))
        return PrintRecord(
            form.kinds, config.queue, "job-1", form.reprint, form.pages, form.approval_number
        )

    desk_app.ctx.printer = PrintService(desk_app.ctx, send=send)
    select(desk_app, view, target)
    desk_app.qtbot.keyClick(view.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    desk_app.settle()
    assert len(sent) == 1
    form, config = sent[0]
    assert config.queue == desk_app.ctx.config.printer
    assert [k.value for k in form.kinds] == ["usage_application", "approval_slip"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(form.data)).pages)
    assert target.approval_number in text
    assert (target.group_name or "") in text
    assert not form.reprint
    assert target.approval_number in queued_audit(desk_app, "printed")
    assert "Both slips sent to the printer" in view.message.text()

    # The second print of the same booking is a reprint, and audited as one.
    view.print_action.trigger()
    desk_app.settle()
    assert sent[1][0].reprint
    assert f"{target.approval_number} reprint" in queued_audit(desk_app, "printed")
    assert "reprint" in view.message.text()


def test_a_printer_not_on_the_allowed_list_is_refused(desk_app: DeskUnderTest) -> None:
    view = today_view(desk_app)
    day = tokyo_date(desk_app.clock.now())
    target = next(r for r in bookings(desk_app, day) if r.user_id)
    sent: list[FormPdf] = []

    def send(form: FormPdf, config: PrinterConfig, policy: PrintPolicy) -> PrintRecord:
        sent.append(form)
        raise AssertionError("nothing may be sent to a printer that is not allowed")

    desk_app.ctx.config = dataclasses.replace(desk_app.ctx.config, printer="PDF-Writer")
    desk_app.ctx.printer = PrintService(desk_app.ctx, send=send)
    select(desk_app, view, target)
    view.print_action.trigger()
    desk_app.settle()
    assert sent == []
    assert "The desk's printer is not on the allowed list." in view.message.text()
    assert "Ask the office" in view.message.text()
    assert queued_audit(desk_app, "printed") == []
