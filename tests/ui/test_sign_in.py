"""Sign-in good and bad (issue 5)."""

from __future__ import annotations

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
