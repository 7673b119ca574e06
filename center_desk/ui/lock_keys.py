"""The lock key seen application-wide, and where a dialog's ロック button goes: the pieces the
main window uses so that no open dialog, message box or menu can keep the desk from locking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QWidget,
)

from center_desk.security.lock import LockReason

if TYPE_CHECKING:
    from .window_locking import LockingWindow


def layout_holding(widget: QWidget) -> QBoxLayout | None:
    parent = widget.parentWidget()
    top = parent.layout() if parent is not None else None
    if top is None:
        return None
    for layout in [top, *top.findChildren(QBoxLayout)]:
        if isinstance(layout, QBoxLayout) and layout.indexOf(widget) >= 0:
            return layout
    return None


def depth(widget: QWidget) -> int:
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.parentWidget()
    return depth


#: The lock key. Seen by an application-wide filter, not only as the menu's shortcut: a modal
#: dialog, a message box or an open menu keeps window shortcuts from firing (KeePassXC's users'
#: top complaint is a lock an open dialog can block; STYLE.md §10).
LOCK_KEYS = QKeySequence("Ctrl+L")


def is_lock_key(event: QEvent) -> bool:
    if not isinstance(event, QKeyEvent):
        return False
    combo = event.keyCombination()
    return bool(QKeySequence(combo).matches(LOCK_KEYS) == QKeySequence.SequenceMatch.ExactMatch)


class ActivityFilter(QObject):
    """Every key, click and move counts as activity for the idle lock; Ctrl+L locks from
    anywhere."""

    def __init__(self, window: LockingWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and is_lock_key(event):
            # After this event is delivered: the lock closes the widget that receives it.
            QTimer.singleShot(0, lambda: self._window.lock(LockReason.ON_DEMAND))
            event.accept()
            return True
        if kind == QEvent.Type.Show and isinstance(watched, QDialog):
            self._window.add_lock_button(watched)
        if kind in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        ):
            self._window.lock_policy.activity()
        return False
