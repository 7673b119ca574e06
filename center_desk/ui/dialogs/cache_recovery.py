"""The desk's local data will not open (DESIGN.md §3, issue 10): staff decide, nothing is
deleted on the spot.

Shown at start, before the window. It names what had not reached the reservation system yet
(bookings and other changes, and how many audit events), and offers: try again (after the
office's IT has restored the key), or start with fresh local data, the old file kept aside for
IT for a set number of days, the changes that could still be read sent first. SQLCipher's own
messages never appear here.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.sync.recovery import CacheTrouble


class RecoveryChoice(Enum):
    RETRY = "retry"
    FRESH = "fresh"
    QUIT = "quit"


class CacheRecoveryDialog(QDialog):
    def __init__(
        self, trouble: CacheTrouble, keep_days: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.choice = RecoveryChoice.QUIT
        self.setWindowTitle(self.tr("The desk's local data cannot be opened"))
        layout = QVBoxLayout(self)
        reason = (
            self.tr("The key of the local data is missing from this PC's keyring.")
            if trouble.reason == "key_missing"
            else self.tr("The local data file is damaged or does not match its key.")
        )
        layout.addWidget(_wrapped(reason + " " + self.tr("Nothing has been deleted.")))
        if trouble.known:
            waiting = self.tr(
                "Not yet sent to the reservation system: %1 change(s), %2 audit event(s)."
            )
            layout.addWidget(
                _wrapped(
                    waiting.replace("%1", str(len(trouble.waiting))).replace(
                        "%2", str(trouble.audit_events)
                    )
                    + " "
                    + self._salvage_sentence(len(trouble.waiting), len(trouble.salvaged))
                )
            )
            self.waiting = QListWidget()
            self.waiting.addItems([item.summary for item in trouble.waiting])
            layout.addWidget(self.waiting)
        else:
            layout.addWidget(
                _wrapped(self.tr("What had not been sent yet could not be determined."))
            )
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Ask the office's IT first: if they restore the key, choose Try again and "
                    "nothing is lost. Otherwise start with fresh local data: it is downloaded "
                    "again from the reservation system, and the old file is kept for IT for "
                    "%1 days."
                ).replace("%1", str(keep_days))
            )
        )
        buttons = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Try again"))
        self.fresh_button = QPushButton(self.tr("Start with fresh local data"))
        self.quit_button = QPushButton(self.tr("Close the desk"))
        for button, choice in (
            (self.retry_button, RecoveryChoice.RETRY),
            (self.fresh_button, RecoveryChoice.FRESH),
            (self.quit_button, RecoveryChoice.QUIT),
        ):
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.retry_button.setDefault(True)

    def _salvage_sentence(self, waiting: int, salvaged: int) -> str:
        # "0 of them will be sent" reads as a promise; staff need to hear that nothing can be.
        if waiting == 0:
            return ""
        if salvaged == 0:
            return self.tr("None of them can be read, so none can be sent from here.")
        if salvaged >= waiting:
            return self.tr("All of them can still be read and will be sent first.")
        return self.tr("%1 of them can still be read and will be sent first.").replace(
            "%1", str(salvaged)
        )

    def _choose(self, choice: RecoveryChoice) -> None:
        self.choice = choice
        self.accept()


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
