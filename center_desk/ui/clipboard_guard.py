"""Text copied from the desk does not stay on the clipboard (STYLE.md §10, as KeePassXC does).

Staff copy a phone number or an address from the group view into another program; left there,
it would outlive the counter session. Whatever the desk puts on the clipboard (any copy made
while one of its windows has focus: a field, a selectable label, a table cell) is cleared after
30 seconds, and at once when the desk locks or closes, but only if the clipboard still holds
that text: something copied since, elsewhere, is not ours to clear. On X11 the primary selection
(text selected in a field, pasted with the middle button) is guarded the same way.

Time comes from the injected clock; a one-second tick only looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from center_desk.domain import Clock

#: How long copied text may stay on the clipboard.
CLEAR_AFTER = timedelta(seconds=30)


@dataclass
class _Held:
    text: str
    deadline: datetime


class ClipboardGuard(QObject):
    def __init__(
        self, clock: Clock, parent: QObject | None = None, *, clear_after: timedelta = CLEAR_AFTER
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._clear_after = clear_after
        self._clipboard: QClipboard = QGuiApplication.clipboard()
        # X11 also has the primary selection: text selected in a field, pasted with the middle
        # button. It is guarded the same way.
        self._modes = [QClipboard.Mode.Clipboard]
        if self._clipboard.supportsSelection():
            self._modes.append(QClipboard.Mode.Selection)
        self._held: dict[QClipboard.Mode, _Held] = {}
        self._clipboard.changed.connect(self._changed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.check)

    @property
    def holding(self) -> bool:
        """Whether text the desk copied is waiting to be cleared."""
        return bool(self._held)

    def _changed(self, mode: QClipboard.Mode) -> None:
        if mode not in self._modes:
            return
        text = self._clipboard.text(mode)
        held = self._held.get(mode)
        if held is not None and text == held.text:
            return
        if text and self._from_the_desk():
            self._held[mode] = _Held(text, self._clock.now() + self._clear_after)
            self._tick.start()
        else:
            # Someone else's text, or emptied: nothing of ours to clear any more.
            self._held.pop(mode, None)
            if not self._held:
                self._tick.stop()

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
        """Clear what has been there long enough (called by the tick)."""
        now = self._clock.now()
        self._clear([mode for mode, held in self._held.items() if now >= held.deadline])

    def clear_now(self) -> None:
        """Clear what the desk copied, if the clipboard still holds it (lock, close)."""
        self._clear(list(self._held))

    def _clear(self, modes: list[QClipboard.Mode]) -> None:
        for mode in modes:
            held = self._held.pop(mode)
            if self._clipboard.text(mode) == held.text:
                self._clipboard.clear(mode)
        if not self._held:
            self._tick.stop()
