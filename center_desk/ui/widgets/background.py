"""Work off the GUI thread for a widget, and telling the views that the cache has changed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject

from ..context import DeskContext

# The logger name from before the move: log filters and tests keep their meaning.
log = logging.getLogger("center_desk.ui.group_form")

T = TypeVar("T")


def run_for(
    owner: QObject,
    ctx: DeskContext,
    work: Callable[[], T],
    on_done: Callable[[T], object] = lambda _: None,
    on_error: Callable[[BaseException], object] | None = None,
) -> None:
    """``ctx.tasks.run`` for a widget: the answer is dropped once the widget is gone (a
    dialog the lock closed, a window closed at exit), so a late reply never reaches it."""

    def done(result: T) -> None:
        if shiboken6.isValid(owner):
            on_done(result)

    def failed(error: BaseException) -> None:
        if not shiboken6.isValid(owner):
            return
        if on_error is None:
            log.warning("background work failed: %s", type(error).__name__)
            return
        on_error(error)

    ctx.tasks.run(work, done, failed)


def notify_changed(ctx: DeskContext) -> None:
    """A local change was made: every view that listens reloads from the cache at once
    (the sync that follows refreshes them again with the backend's answer)."""
    for listener in list(ctx.listeners):
        listener()
