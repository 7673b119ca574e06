"""Text copied from the desk does not stay on the clipboard (STYLE.md §10, as KeePassXC does).

Staff copy a phone number or an address from the group view into another program; left there,
it would outlive the counter session. Whatever the desk puts on the clipboard (any copy made
while one of its windows has focus: a field, a selectable label, a table cell) is cleared after
30 seconds, and at once when the desk locks or closes, but only if the clipboard still holds
that text: something copied since, elsewhere, is not ours to clear.

Time comes from the injected clock; a one-second tick only looks at it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from center_desk.domain import Clock

#: How long copied text may stay on the clipboard.
CLEAR_AFTER = timedelta(seconds=30)


class ClipboardGuard(QObject):
    def __init__(
        self, clock: Clock, parent: QObject | None = None, *, clear_after: timedelta = CLEAR_AFTER
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._clear_after = clear_after
        self._ours: str | None = None
        self._deadline: datetime | None = None
        self._clipboard: QClipboard = QGuiApplication.clipboard()
        self._clipboard.dataChanged.connect(self._changed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.check)

    @property
    def holding(self) -> bool:
        """Whether text the desk copied is waiting to be cleared."""
        return self._ours is not None

    def _changed(self) -> None:
        text = self._clipboard.text()
        if self._ours is not None and text == self._ours:
            return
        if text and self._from_the_desk():
            self._ours = text
            self._deadline = self._clock.now() + self._clear_after
            self._tick.start()
        else:
            # Someone else's text, or emptied: nothing of ours to clear any more.
            self._forget()

    @staticmethod
    def _from_the_desk() -> bool:
        # On X11 and Windows the clipboard reports who owns it; platforms that keep it inside
        # the process (offscreen) do not, and there a copy with one of our windows focused is
        # ours.
        return bool(
            QGuiApplication.clipboard().ownsClipboard()
            or QApplication.activeWindow() is not None
            or QApplication.focusWidget() is not None
        )

    def check(self) -> None:
        """Clear the clipboard once the time is up (called by the tick)."""
        if self._deadline is not None and self._clock.now() >= self._deadline:
            self.clear_now()

    def clear_now(self) -> None:
        """Clear what the desk copied, if the clipboard still holds it (lock, close)."""
        ours = self._ours
        self._forget()
        if ours is not None and self._clipboard.text() == ours:
            self._clipboard.clear()

    def _forget(self) -> None:
        self._ours = None
        self._deadline = None
        self._tick.stop()
