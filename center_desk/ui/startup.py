"""What the desk starts once its window is on screen, not before: the first sync and the
forms' fonts (issue 13). Both run on threads of their own, but on two cores and one GIL they
would still slow the start staff wait for, and nothing on the sign-in panel needs them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: If the window is never painted (shown minimised, say), the actions run after this long.
FALLBACK_MS = 3000


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, actions: tuple[Callable[[], None], ...]) -> None:
        super().__init__(window)
        self._actions = actions
        self._done = False

    def fire(self) -> None:
        if self._done:
            return
        self._done = True
        for action in self._actions:
            action()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window's first update request paints all of it; the actions run just after.
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.fire)
        return False


def after_first_paint(window: QWidget, *actions: Callable[[], None]) -> None:
    """Run ``actions`` once, on the GUI thread, when ``window`` has been painted for the first
    time. Call it before ``window.show()``."""
    watcher = _FirstPaint(window, actions)
    window.installEventFilter(watcher)
    QTimer.singleShot(FALLBACK_MS, watcher.fire)


def warm_up_printing() -> None:
    """Import the form builders, parse their fonts and build one throwaway pair of slips on a
    background thread, so the first slip at the counter costs what every later one does."""
    from center_desk.printing import warm

    warm.warm_up()
