"""The message bar every form and list shares (ui/widgets/message_bar.py): a message shows, and
clearing it takes the coloured box away, not only its words."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from center_desk.ui.widgets.message_bar import MessageBar


def test_a_cleared_message_leaves_no_empty_box(qtbot: QtBot) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    assert bar.isHidden()
    bar.show_message("info", "読み込み中…")
    assert not bar.isHidden()
    assert (bar.kind, bar.text()) == ("info", "読み込み中…")
    bar.clear_message()
    assert bar.isHidden()
    assert (bar.kind, bar.text()) == ("", "")


def test_an_empty_message_shows_nothing(qtbot: QtBot) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show_message("error", "")
    assert bar.isHidden()
