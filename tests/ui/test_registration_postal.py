"""団体登録's postal look-up (issue 12, item 2): a 7-digit code typed without the hyphen and
left with Tab fills the address on the session's first look-up, although the field reformats
before the answer; a code Japan Post's list does not know warns and still registers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from center_desk.domain import contact
from center_desk.ui.dialogs.group_form import GroupFormDialog
from tests.ui.conftest import DeskUnderTest
from tests.ui.test_groups import GOOD, groups_view, open_form, type_into


def tab_out_of(desk_app: DeskUnderTest, dialog: GroupFormDialog, path: str, text: str) -> None:
    edit = dialog.field(path)
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.clear()
    desk_app.qtbot.keyClicks(edit, text)
    desk_app.qtbot.keyClick(edit, Qt.Key.Key_Tab)


def test_seven_digits_and_tab_fill_the_address_on_the_first_look_up(
    desk_app: DeskUnderTest,
) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    # The first look-up of a session: nothing cached, the dictionary opens cold.
    contact._lookup_address.cache_clear()
    tab_out_of(desk_app, dialog, "representative.postal_code", "1870032")
    tab_out_of(desk_app, dialog, "responsible.postal_code", "1870043")
    desk_app.settle()
    desk_app.qtbot.waitUntil(
        lambda: dialog.fields["representative.address"].get() == "東京都小平市小川町",
        timeout=10000,
    )
    desk_app.qtbot.waitUntil(
        lambda: dialog.fields["responsible.address"].get() == "東京都小平市学園東町",
        timeout=10000,
    )
    # The codes were put in their written form as well.
    assert dialog.fields["representative.postal_code"].get() == "187-0032"
    assert dialog.fields["responsible.postal_code"].get() == "187-0043"


def test_an_unknown_postal_code_warns_and_registration_goes_ahead(
    desk_app: DeskUnderTest,
) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    values = dict(GOOD)
    values["representative.postal_code"] = "187-0099"  # not in Japan Post's list
    values["representative.address"] = "東京都小平市新町1-2-3"
    assert contact.lookup_address("187-0099") is None
    type_into(dialog, values)
    desk_app.settle()
    assert "郵便番号データにありません" in dialog.error_text("representative.postal_code")
    dialog.submit()
    desk_app.settle()
    # Looked at once: the form stays, says why, and the next Enter sends it.
    assert dialog.registered is None and dialog.isVisible()
    assert dialog.submit_button.text() in ("Register anyway", "このまま登録")
    assert "郵便番号データにありません" in dialog.error_text("representative.postal_code")
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: dialog.registered is not None, timeout=20000)
    registered = dialog.registered
    assert registered is not None
    assert registered.group.representative.postal_code == "187-0099"
