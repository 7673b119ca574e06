"""Every view at 1366×768, the common counter-PC screen, in Japanese: no text cut off."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tests.support.qt_layout import clipped_texts
from tests.ui.conftest import DeskUnderTest


def test_no_clipped_text_at_1366x768(desk_app: DeskUnderTest) -> None:
    window = desk_app.window
    assert (window.width(), window.height()) == (1366, 768)
    problems = [f"sign-in: {p}" for p in clipped_texts(window)]
    desk_app.sign_in()
    for name in window.views:
        window.show_view(name)
        desk_app.settle()
        QCoreApplication.processEvents()  # let the layouts settle
        problems += [f"{name}: {p}" for p in clipped_texts(window)]
    assert problems == []
