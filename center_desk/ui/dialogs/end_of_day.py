"""業務終了 (end of day): send what is waiting and wait for the backend to confirm it (or list
exactly what is still pending), print the day journal, close the cache so its key leaves
memory, lock the OS session, and show the closing checklist (DESIGN.md §5)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import tokyo_date
from center_desk.printing import PrinterConfig, day_journal_pdf, print_pdf
from center_desk.printing.journal_source import build_day_journal
from center_desk.security.os_session import lock_os_session
from center_desk.sync.recovery import WaitingWork, waiting

from .. import messages
from ..context import DeskContext

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger("center_desk.ui")


@dataclass(frozen=True)
class Flushed:
    waiting: list[WaitingWork]
    online: bool


def day_journal_job(ctx: DeskContext) -> Callable[[], None] | None:
    """The work of printing today's journal (日報) to the desk's printer, to run off the GUI
    thread; None when the desk has no allowed printer (or no catalog yet)."""
    center = ctx.center
    printer = ctx.config.printer
    if center is None or not printer or printer not in ctx.config.allowed_printers:
        return None
    staff_name = ctx.staff.name if ctx.staff else ""
    now = ctx.clock.now()
    day = tokyo_date(now)

    def work() -> None:
        journal = ctx.db.call(
            lambda db: build_day_journal(
                db,
                center=center,
                slots=ctx.slots,
                day=day,
                printed_at=now,
                staff_name=staff_name,
            )
        )
        print_pdf(
            day_journal_pdf(journal),
            PrinterConfig(queue=printer, allowed_queues=frozenset(ctx.config.allowed_printers)),
        )
        ctx.ops.record_audit("printed", f"journal {day.isoformat()}")

    return work


class EndOfDayDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.ctx = window.ctx
        self.setObjectName("endOfDay")
        self.setWindowTitle(self.tr("End of day"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.step_sync = QLabel(self.tr("1. Sending waiting changes to the reservation system…"))
        self.step_sync.setWordWrap(True)
        layout.addWidget(self.step_sync)
        self.pending_list = QListWidget(self)
        self.pending_list.setObjectName("pending")
        self.pending_list.hide()
        layout.addWidget(self.pending_list)
        self.step_print = QLabel(self.tr("2. The day journal will be printed."))
        self.step_print.setWordWrap(True)
        layout.addWidget(self.step_print)
        self.print_button = QPushButton(self.tr("Print the day journal"), self)
        self.print_button.setObjectName("printJournal")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_journal)
        layout.addWidget(self.print_button)
        self.step_close = QLabel(
            self.tr(
                "3. Finishing closes the desk's data, locks this PC's session and shows the "
                "closing checklist."
            )
        )
        self.step_close.setWordWrap(True)
        layout.addWidget(self.step_close)
        self.buttons = QDialogButtonBox(self)
        self.finish_button = self.buttons.addButton(
            self.tr("Finish the day"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.finish_button.setObjectName("finish")
        self.finish_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.finish)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.finished_ok = False
        self.os_locked: bool | None = None
        self.flush()

    def flush(self) -> None:
        ctx = self.ctx

        def work() -> Flushed:
            report = ctx.sync.sync_now()
            return Flushed(ctx.db.call(waiting), report.error == "")

        ctx.tasks.run(work, self._flushed, self._failed)

    def _flushed(self, result: Flushed) -> None:
        if not result.waiting:
            self.step_sync.setText(self.tr("1. Everything has reached the reservation system."))
        else:
            self.step_sync.setText(
                self.tr(
                    "1. These %1 change(s) have NOT reached the reservation system yet. "
                    "They stay on this desk and are sent at the next start:"
                ).replace("%1", str(len(result.waiting)))
            )
            self.pending_list.clear()
            for item in result.waiting:
                self.pending_list.addItem(item.summary)
            self.pending_list.show()
        self.print_button.setEnabled(True)
        self.finish_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.step_sync.setText(messages.for_error(error).text())
        self.print_button.setEnabled(True)
        self.finish_button.setEnabled(True)

    def print_journal(self) -> None:
        work = day_journal_job(self.ctx)
        if work is None:
            self.step_print.setText(
                self.tr(
                    "2. No counter printer is set up for this desk; the journal was not printed."
                )
            )
            return
        self.print_button.setEnabled(False)
        self.ctx.tasks.run(
            work,
            lambda _: self.step_print.setText(
                self.tr("2. The day journal has been sent to the printer.")
            ),
            self._print_failed,
        )

    def _print_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.step_print.setText(
            self.tr("2. The journal could not be printed: %1").replace(
                "%1", messages.for_error(error).sentence
            )
        )

    def finish(self) -> None:
        ctx = self.ctx
        ctx.tasks.run(
            lambda: ctx.ops.record_audit("end_of_day", ""), self._close_down, self._close_down
        )

    def _close_down(self, _result: object = None) -> None:
        ctx = self.ctx
        ctx.sync.stop()
        ctx.tasks.wait(10000)
        # Closing the cache drops its key from memory with the connection.
        ctx.db.close()
        self.os_locked = lock_os_session()
        self.finished_ok = True
        self.accept()


CHECKLIST = (
    QT_TRANSLATE_NOOP("EndOfDay", "Switch off the PC."),
    QT_TRANSLATE_NOOP("EndOfDay", "Put the PC in the lockable cabinet and lock it."),
    QT_TRANSLATE_NOOP("EndOfDay", "Put printed forms that name people in the locked drawer."),
    QT_TRANSLATE_NOOP("EndOfDay", "Keep the cabinet key as the office directs."),
)


def show_checklist(parent: QWidget, os_locked: bool | None) -> None:
    box = QDialog(parent)
    box.setObjectName("closingChecklist")
    box.setWindowTitle(box.tr("Closing checklist"))
    layout = QVBoxLayout(box)
    if os_locked is False:
        note = QLabel(
            box.tr("This PC's session could not be locked automatically: lock it now."), box
        )
        note.setStyleSheet("color: #b00020; font-weight: bold;")
        note.setWordWrap(True)
        layout.addWidget(note)
    for line in CHECKLIST:
        label = QLabel("☐ " + QCoreApplication.translate("EndOfDay", str(line)), box)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(label)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, box)
    buttons.accepted.connect(box.accept)
    layout.addWidget(buttons)
    box.exec()


def run_end_of_day(window: MainWindow) -> None:
    dialog = EndOfDayDialog(window)
    dialog.exec()
    if dialog.finished_ok:
        show_checklist(window, dialog.os_locked)
        window.close()
