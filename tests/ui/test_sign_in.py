"""Sign-in good and bad (issue 5)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from tests.ui.conftest import DeskUnderTest


def test_good_sign_in_opens_the_views(desk_app: DeskUnderTest) -> None:
    desk_app.sign_in()
    window = desk_app.window
    assert window.pages.currentIndex() == window.PAGE_WORK
    assert "小川西町地域センター" in window.center_label.text()
    assert "令和9年2月10日(水)" in window.date_label.text()


def test_bad_password_is_refused_without_saying_which_part(desk_app: DeskUnderTest) -> None:
    panel = desk_app.window.sign_in_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText("wrong-password")
    panel.submit()
    desk_app.settle()
    assert panel.error.isVisible()
    text_wrong_password = panel.error.text()
    panel.staff_id.setText("nobody")
    panel.password.setText("wrong-password")
    panel.submit()
    desk_app.settle()
    assert panel.error.text() == text_wrong_password
    assert desk_app.ctx.staff is None
    assert desk_app.window.pages.currentIndex() == desk_app.window.PAGE_SIGN_IN


def test_the_header_never_shows_the_center_id_nor_cuts_the_sync_state(
    desk_app: DeskUnderTest,
) -> None:
    window = desk_app.window
    # Before the first sync the catalog is not in the cache: a sentence, not the center's id.
    desk_app.ctx.center = None
    window._update_header()
    assert window.center_label.text() == "（センター名は同期後に表示）"
    assert desk_app.ctx.center_id not in window.center_label.text()
    # The state grows from 接続中… to オンライン: the label is wide enough at once, so 「件」
    # is not cut off, at the counter PC's 1366×768.
    status = replace(window._status, online=None, last_sync_at=None, pending=0)
    window._sync_status(status)
    QCoreApplication.processEvents()  # the header settles on the shorter text
    window._sync_status(replace(status, online=True))
    label = window.sync_label
    assert label.text().endswith("未送信 0件"), label.text()
    assert label.width() >= label.sizeHint().width()
