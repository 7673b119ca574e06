"""A full counter day in the GUI on the demo backend, run by tests/e2e/test_leak_scan.py in a
process of its own (``python -m pytest tests/e2e/full_day.py``) whose home, config, data,
cache and temp folders are fresh, so that afterwards every file the day left can be searched.

Register a group (and print its notice), sync, a walk-in for the group and one for an
individual, preview and print both slips to the real CUPS queue, copy a phone number, lock and
unlock, end of day (push, day journal printed, cache closed). The values typed are in
:data:`ENTERED`; the outer test searches for them.
"""

from __future__ import annotations

import functools
import logging
import sys
from dataclasses import replace
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication

from center_desk.printing import FormPdf, PrinterConfig, PrintPolicy, PrintRecord
from center_desk.printing.dispatch import print_pdf
from center_desk.security.lock import LockReason
from center_desk.ui import demo
from center_desk.ui.dialogs import end_of_day
from center_desk.ui.dialogs.registration_done import RegistrationDoneDialog
from center_desk.ui.dialogs.walk_in import WalkInDialog
from center_desk.ui.print_service import PreviewDialog, PrintService
from tests.ui.conftest import DeskUnderTest, demo_template, desk_app, japanese_desk
from tests.ui.test_groups import groups_view, open_form, type_into
from tests.ui.test_walk_in import (
    availability,
    choose_group,
    free_cell,
    open_from_grid,
    press_enter,
    tomorrow,
    type_headcount,
)

__all__ = ["demo_template", "desk_app", "japanese_desk"]

#: Everything personal typed during the day, as typed (the outer test adds the normalised and
#: digit-only forms). Distinct from the demo data, so a hit can only come from this day.
ENTERED: dict[str, str] = {
    "name": "漏れ検査ハーモニカの会",
    "furigana": "もれけんさはーもにかのかい",
    "activity": "ハーモニカの演奏",
    "member_count": "9",
    "kodaira_member_count": "7",
    "representative_is_resident": "1",
    "representative.name": "検査 一花子",
    "representative.furigana": "けんさ いちかこ",
    "representative.postal_code": "1870035",
    "representative.phone": "042-399-1234",
    "representative.email": "leakcheck.rep@example.jp",
    "responsible.name": "検査 次郎丸",
    "responsible.furigana": "ケンサ ジロウマル",
    "responsible.postal_code": "187-0032",
    "responsible.address": "東京都小平市小川町3-9-27",
    "responsible.phone": "090-3141-5926",
    "responsible.email": "leakcheck.resp@example.jp",
}
ADDRESS_BLOCK = "8-6-41"  # typed after the address the postal code filled
INDIVIDUAL = "通行 掛子"  # an individual's walk-in
INDIVIDUAL_OFFLINE = "未送信 太郎兵衛"  # booked with the line down: still waiting at day's end

#: The test's cups-pdf queue is a file printer, which production refuses.
TEST_PRINTS = PrintPolicy(allow_virtual_for_tests=True)
QUEUE = "counter-pdf"


@pytest.fixture(autouse=True)
def log_to_stderr() -> None:
    # The process's log output, as a desk would write it: the outer test searches it.
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


def _wait_printed(desk_app: DeskUnderTest, dialog: WalkInDialog) -> None:
    desk_app.qtbot.waitUntil(
        lambda: dialog.print_button.isEnabled() and dialog.print_message.isVisible(),
        timeout=120000,
    )
    desk_app.settle()
    # Green for "sent to the printer", red for a problem (walk_in.WalkInDialog._print_note).
    assert "#1b5e20" in dialog.print_message.styleSheet(), dialog.print_message.text()


def test_a_full_counter_day(monkeypatch: pytest.MonkeyPatch, desk_app: DeskUnderTest) -> None:
    # The demo forgets its desk folder when it stops; here it stays for the scan (monkeypatch
    # is set up before desk_app, so it is undone only after desk_app's teardown).
    monkeypatch.setattr(demo, "shutil", SimpleNamespace(rmtree=lambda *_a, **_k: None))
    print(f"DESK DIR {desk_app.backend.desk_dir}", flush=True)
    ctx = desk_app.ctx
    ctx.config = replace(ctx.config, printer=QUEUE, allowed_printers=(QUEUE,))
    ctx.printer = PrintService(ctx, policy=TEST_PRINTS)
    monkeypatch.setattr(end_of_day, "print_pdf", functools.partial(print_pdf, policy=TEST_PRINTS))
    monkeypatch.setattr(end_of_day, "lock_os_session", lambda: True)

    # 1. Register the group from its paper form, and print the registration notice.
    view = groups_view(desk_app)
    form = open_form(desk_app, view)
    type_into(form, ENTERED)
    desk_app.settle()
    address = form.fields["representative.address"].get()
    form.fields["representative.address"].put(address + ADDRESS_BLOCK)
    form.submit()
    desk_app.qtbot.waitUntil(lambda: form.registered is not None, timeout=30000)
    desk_app.qtbot.waitUntil(lambda: view._done_dialog is not None, timeout=10000)
    done = view._done_dialog
    assert isinstance(done, RegistrationDoneDialog)

    def to_cups(form_pdf: FormPdf, printer: PrinterConfig, _policy: PrintPolicy) -> PrintRecord:
        return print_pdf(form_pdf, printer, TEST_PRINTS)

    done.send = to_cups
    done.print_notice()
    desk_app.qtbot.waitUntil(lambda: done.printed, timeout=120000)
    done.request_close()
    desk_app.qtbot.waitUntil(lambda: view._done_dialog is None, timeout=10000)
    desk_app.sync()

    # 2. Walk-ins: the group, then an individual; preview and print both slips.
    grid = availability(desk_app)
    day = tomorrow(desk_app)
    dialog = open_from_grid(desk_app, grid, free_cell(grid, day))
    choose_group(desk_app, dialog, "もれけんさ")
    type_headcount(desk_app, dialog, 6)
    press_enter(desk_app, dialog)
    assert dialog.showing_result, dialog.problem.text()
    dialog.preview_slips()
    desk_app.qtbot.waitUntil(
        lambda: any(
            isinstance(w, PreviewDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=60000,
    )
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PreviewDialog):
            widget.reject()
    dialog.print_slips()
    _wait_printed(desk_app, dialog)
    dialog.reject()
    desk_app.settle()

    individual = open_from_grid(desk_app, grid, free_cell(grid, day, individuals=True))
    individual.as_individual.setChecked(True)
    individual.individual_name.setText(INDIVIDUAL)
    type_headcount(desk_app, individual, 2)
    press_enter(desk_app, individual)
    assert individual.showing_result, individual.problem.text()
    individual.print_slips()
    _wait_printed(desk_app, individual)
    individual.reject()
    desk_app.settle()

    # The line goes down: one more individual, kept in the outbox (and the waiting ledger).
    desk_app.sync()  # what was booked so far reaches the reservation system
    desk_app.go_offline(monkeypatch)
    offline = open_from_grid(desk_app, grid, free_cell(grid, day, individuals=True))
    offline.as_individual.setChecked(True)
    offline.individual_name.setText(INDIVIDUAL_OFFLINE)
    type_headcount(desk_app, offline, 3)
    press_enter(desk_app, offline)
    assert offline.showing_result, offline.problem.text()
    offline.print_slips()
    _wait_printed(desk_app, offline)
    offline.reject()
    desk_app.settle()

    # 3. Staff copy the representative's phone number, then lock and unlock.
    window = desk_app.window
    groups = window.show_view("groups")
    window.activateWindow()  # staff work in the window: the copy is the desk's
    desk_app.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    field = groups.search.query  # type: ignore[attr-defined]
    field.setFocus()
    field.setText(ENTERED["representative.phone"])
    field.selectAll()
    field.copy()
    field.clear()
    window.lock(LockReason.ON_DEMAND)
    assert QApplication.clipboard().text() == ""
    panel = window.unlock_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.qtbot.waitUntil(lambda: window.pages.currentIndex() == window.PAGE_WORK, timeout=30000)

    # 4. End of day: everything pushed, the journal printed, the cache closed.
    closing = end_of_day.EndOfDayDialog(window)
    closing.show()
    desk_app.qtbot.waitUntil(closing.finish_button.isEnabled, timeout=60000)
    before = closing.step_print.text()
    closing.print_button.click()
    desk_app.qtbot.waitUntil(lambda: closing.step_print.text() != before, timeout=120000)
    assert not closing.print_button.isEnabled(), closing.step_print.text()  # sent, not failed
    assert closing.pending_list.count() == 1  # the offline walk-in, listed without a name
    closing.finish_button.click()
    desk_app.qtbot.waitUntil(lambda: closing.finished_ok, timeout=120000)
    print("FULL DAY DONE", flush=True)
