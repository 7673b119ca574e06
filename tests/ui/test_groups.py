"""団体: search, and group registration with bad input, good input and no backend (issue 5)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from center_desk.domain import validate_group
from center_desk.printing import FormPdf, PrinterConfig, PrintPolicy, PrintRecord
from center_desk.store import Connection
from center_desk.store import groups as cached_groups
from center_desk.ui.dialogs.group_form import FIELD_ORDER, GroupFormDialog, form_of, group_in
from center_desk.ui.dialogs.registration_done import RegistrationDoneDialog
from center_desk.ui.views.groups import DeregisterDialog, GroupsView
from tests.ui.conftest import DeskUnderTest

T = TypeVar("T")


def on_cache(desk_app: DeskUnderTest, work: Callable[[Connection], T]) -> T:
    """Read the cache the way the GUI does: on its own thread, never the GUI's."""
    box: list[T] = []
    thread = threading.Thread(target=lambda: box.append(desk_app.ctx.db.call(work)))
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(box), timeout=10000)
    thread.join()
    return box[0]


def groups_view(desk_app: DeskUnderTest) -> GroupsView:
    desk_app.sign_in()
    view = desk_app.window.show_view("groups")
    assert isinstance(view, GroupsView)
    return view


def open_form(desk_app: DeskUnderTest, view: GroupsView) -> GroupFormDialog:
    view.register_new()
    dialog = view.form_dialog
    assert dialog is not None
    desk_app.qtbot.waitUntil(dialog.isVisible)
    desk_app.settle()
    return dialog


def type_into(dialog: GroupFormDialog, values: dict[str, str]) -> None:
    """As staff do: type each field, then leave it (which checks and normalises it)."""
    for path, text in values.items():
        widget = dialog.field(path)
        dialog.fields[path].put(text)
        if isinstance(widget, QLineEdit):
            widget.editingFinished.emit()


GOOD: dict[str, str] = {
    "name": "小川西町ウクレレ同好会",
    "furigana": "おがわにしまちうくれれどうこうかい",
    "activity": "ウクレレの演奏",
    "member_count": "8",
    "kodaira_member_count": "6",
    "representative_is_resident": "1",
    "representative.name": "小平 一花",
    "representative.furigana": "こだいら いちか",
    "representative.postal_code": "1870035",
    "representative.phone": "０４２３４１９９８７",
    "representative.email": "ichika@example.jp",
    "responsible.name": "小平 二郎",
    "responsible.furigana": "コダイラ ジロウ",
    "responsible.postal_code": "187-0032",
    "responsible.address": "東京都小平市小川町1-2-3",
    "responsible.phone": "090-1111-2222",
}


def test_bad_input_marks_every_field_at_once_and_keeps_the_typing(
    desk_app: DeskUnderTest,
) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    bad = {
        "name": "",
        "furigana": "漢字のふりがな",
        "activity": "囲碁",
        "member_count": "3",
        "kodaira_member_count": "1",
        "representative.name": "小平 花子",
        "representative.furigana": "こだいら はなこ",
        "representative.postal_code": "1234",
        "representative.address": "東京都小平市小川町1-1",
        "representative.phone": "12345",
        "representative.email": "hanako@",
        "responsible.phone": "042-341-ABCD",
    }
    type_into(dialog, bad)
    # Enter submits from any field, a spin box included.
    desk_app.qtbot.keyClick(dialog.field("member_count"), Qt.Key.Key_Return)
    desk_app.settle()

    expected = validate_group(form_of(dialog.values())).problems
    fields_with_problems = {p.field for p in expected}
    assert {
        "name",
        "furigana",
        "member_count",
        "representative_is_resident",
        "kodaira_member_count",
        "representative.postal_code",
        "representative.phone",
        "representative.email",
        "responsible.name",
        "responsible.phone",
    } <= fields_with_problems
    for problem in expected:
        assert problem.message in dialog.error_text(problem.field), problem.field
    for path in dialog.fields:
        if path not in fields_with_problems:
            assert dialog.error_text(path) == "", path
    # Nothing typed is lost; fine values come back normalised.
    assert dialog.isVisible()
    assert (
        dialog.fields["furigana"].get() == "漢字ノフリガナ"
        or "漢字" in dialog.fields["furigana"].get()
    )
    assert dialog.fields["representative.furigana"].get() == "コダイラ ハナコ"
    assert dialog.fields["representative.phone"].get() == "12345"
    assert dialog.fields["representative.email"].get() == "hanako@"
    assert dialog.fields["responsible.phone"].get() == "042-341-ABCD"
    assert dialog.fields["activity"].get() == "囲碁"
    assert dialog.registered is None
    # Esc asks before throwing the typing away; a second Esc does.
    desk_app.qtbot.keyClick(dialog.field("activity"), Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.discard_bar.isVisible()
    desk_app.qtbot.keyClick(dialog.keep_button, Qt.Key.Key_Escape)
    desk_app.qtbot.waitUntil(lambda: view.form_dialog is None, timeout=5000)


def test_good_input_registers_and_shows_the_password_once(desk_app: DeskUnderTest) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    type_into(dialog, GOOD)
    desk_app.settle()
    # The postal code filled the address; staff add the block number.
    address = dialog.fields["representative.address"].get()
    assert address == "東京都小平市小川西町"
    dialog.fields["representative.address"].put(address + "2-5-8")
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: dialog.registered is not None, timeout=20000)
    desk_app.settle()
    registered = dialog.registered
    assert registered is not None
    assert registered.group.furigana == "オガワニシマチウクレレドウコウカイ"
    assert registered.group.representative.phone == "042-341-9987"

    desk_app.qtbot.waitUntil(lambda: view._done_dialog is not None, timeout=5000)
    done = view._done_dialog
    assert isinstance(done, RegistrationDoneDialog)
    assert done.user_id_label.text() == registered.group.user_id
    assert done.password_label.text() == registered.initial_password
    # Closing before the notice is printed asks first: the password is gone after.
    done.request_close()
    assert done.isVisible()
    assert done.confirm_bar.isVisible()

    sent: list[FormPdf] = []

    def to_paper(form: FormPdf, printer: PrinterConfig, policy: PrintPolicy) -> PrintRecord:
        sent.append(form)
        return PrintRecord(form.kinds, printer.queue, "job-1", form.reprint, form.pages)

    done.send = to_paper
    done.print_notice()
    desk_app.qtbot.waitUntil(lambda: done.printed, timeout=20000)
    desk_app.settle()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sent[0].data)).pages)
    assert registered.group.user_id in text
    assert "利用者登録通知書" in text
    printed = on_cache(
        desk_app,
        lambda db: db.execute(
            "SELECT count(*) FROM audit_events WHERE kind = 'printed' AND subject = ?",
            (registered.group.user_id,),
        ).fetchone()[0],
    )
    assert printed == 1
    done.request_close()
    desk_app.qtbot.waitUntil(lambda: view._done_dialog is None, timeout=5000)
    assert view._pending_done is None

    desk_app.sync()
    hits = on_cache(desk_app, lambda db: cached_groups.search(db, registered.group.user_id))
    assert [g.user_id for g in hits] == [registered.group.user_id]
    view.search.query.setText("うくれれ")
    desk_app.qtbot.waitUntil(lambda: view.search.results.count() == 1, timeout=5000)


def test_search_by_hiragana_furigana_and_by_phone(desk_app: DeskUnderTest) -> None:
    view = groups_view(desk_app)
    view.search.query.setText("こだいらいご")
    desk_app.qtbot.waitUntil(lambda: view.search.results.count() >= 1, timeout=5000)
    assert "小平囲碁クラブ" in view.search.results.item(0).text()

    target = on_cache(desk_app, lambda db: cached_groups.search(db, "ケヤキショドウ"))[0]
    phone_digits = target.form.representative.phone.replace("-", "")
    view.search.query.setText(phone_digits)
    desk_app.qtbot.waitUntil(
        lambda: any(g.user_id == target.user_id for g in view.search.hits), timeout=5000
    )
    # Choosing a group shows its details and records that staff viewed them.
    row = next(i for i, g in enumerate(view.search.hits) if g.user_id == target.user_id)
    view.search.results.setCurrentRow(row)
    desk_app.settle()
    assert view.details.name.text() == "けやき書道会"
    assert target.form.representative.phone in view.details.rep_rows["phone"].text()
    audited = on_cache(
        desk_app,
        lambda db: db.execute(
            "SELECT count(*) FROM audit_events WHERE kind = 'group_viewed' AND subject = ?",
            (target.user_id,),
        ).fetchone()[0],
    )
    assert audited == 1
    assert "left" in view.quota.text() or "残" in view.quota.text()


def test_registration_offline_says_it_needs_the_backend_and_keeps_the_form(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    type_into(dialog, GOOD)
    desk_app.settle()
    typed = dialog.values()
    desk_app.go_offline(monkeypatch)
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=20000)
    desk_app.settle()
    assert dialog.banner.kind == "error"
    assert dialog.isVisible()
    assert dialog.registered is None
    assert "Walk-in bookings still work" in dialog.banner.text() or "窓口" in dialog.banner.text()
    assert dialog.values() == typed


def test_a_lock_closes_the_form_and_the_next_form_gets_the_typing_back(
    desk_app: DeskUnderTest,
) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    type_into(dialog, {"name": "けやき合唱団", "representative.name": "小平 三太"})
    window = desk_app.window
    window.lock_action.trigger()
    desk_app.settle()
    assert view.form_dialog is None  # closed by the lock (and deleted)
    assert window.pages.currentIndex() == window.PAGE_LOCKED
    panel = window.unlock_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.qtbot.waitUntil(lambda: window.pages.currentIndex() == window.PAGE_WORK, timeout=20000)
    again = open_form(desk_app, view)
    desk_app.qtbot.waitUntil(lambda: again.fields["name"].get() == "けやき合唱団", timeout=5000)
    assert again.fields["representative.name"].get() == "小平 三太"
    assert again.banner.kind == "info"
    # Discarding on purpose forgets the draft.
    again.request_cancel()
    again.request_cancel()
    desk_app.settle()
    third = open_form(desk_app, view)
    desk_app.settle()
    assert third.fields["name"].get() == ""


def test_change_reuses_the_form_prefilled_then_deregister(desk_app: DeskUnderTest) -> None:
    view = groups_view(desk_app)
    view.search.query.setText("けやきしょどう")
    desk_app.qtbot.waitUntil(lambda: view.search.results.count() == 1, timeout=5000)
    view.search.results.setCurrentRow(0)
    desk_app.settle()
    group = view.group
    assert group is not None
    view.change_selected()
    dialog = view.form_dialog
    assert dialog is not None
    desk_app.settle()
    assert dialog.fields["representative.phone"].get() == group.form.representative.phone
    assert not dialog.is_dirty()
    dialog.fields["activity"].put("書道と篆刻")
    # Enter in a field submits the form.
    desk_app.qtbot.keyClick(dialog.field("activity"), Qt.Key.Key_Return)
    desk_app.qtbot.waitUntil(lambda: dialog.changed is not None, timeout=20000)
    desk_app.settle()
    assert view.details.group_rows["activity"].text() == "書道と篆刻"
    assert view.group is not None and view.group.user_id == group.user_id

    view.deregister_selected()
    confirm = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, DeregisterDialog) and w.isVisible()
    )
    confirm.reason.setText("解散のため")
    confirm.buttons.accepted.emit()
    desk_app.qtbot.waitUntil(
        lambda: view.group is not None and not view.group.active, timeout=20000
    )
    desk_app.settle()
    assert not view.deregister_button.isEnabled()


def test_a_group_not_kept_here_is_looked_up_at_the_reservation_system(
    desk_app: DeskUnderTest,
) -> None:
    view = groups_view(desk_app)
    # Registered through another path (the backend directly): this desk has not synced it.
    wire = group_in(
        form_of(
            {
                **{p: "" for p in FIELD_ORDER},
                **GOOD,
                "representative.address": "東京都小平市小川西町1-1",
            }
        )
    )
    box: list[str] = []
    thread = threading.Thread(
        target=lambda: box.append(desk_app.ctx.client.register_group(wire).group.user_id)
    )
    thread.start()
    desk_app.qtbot.waitUntil(lambda: bool(box), timeout=10000)
    thread.join()
    user_id = box[0]
    view.search.query.setText(user_id)
    desk_app.qtbot.waitUntil(view.lookup_button.isVisible, timeout=5000)
    view.lookup_button.click()
    desk_app.qtbot.waitUntil(lambda: view.group is not None, timeout=20000)
    desk_app.settle()
    assert view.group is not None and view.group.user_id == user_id
    assert view.details.name.text() == GOOD["name"]
    desk_app.sync()
    assert [
        g.user_id for g in on_cache(desk_app, lambda db: cached_groups.search(db, user_id))
    ] == [user_id]


def test_same_name_warns_once_and_enter_again_registers(desk_app: DeskUnderTest) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    type_into(dialog, {**GOOD, "name": "小平囲碁クラブ"})
    dialog.submit()
    desk_app.qtbot.waitUntil(dialog.similar_bar.isVisible, timeout=20000)
    desk_app.settle()
    assert "小平囲碁クラブ" in dialog.similar_bar.text()
    assert dialog.registered is None
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: dialog.registered is not None, timeout=20000)


def test_the_password_comes_back_after_a_lock_until_staff_close_it(
    desk_app: DeskUnderTest,
) -> None:
    view = groups_view(desk_app)
    dialog = open_form(desk_app, view)
    type_into(dialog, GOOD)
    dialog.submit()
    desk_app.qtbot.waitUntil(lambda: view._done_dialog is not None, timeout=20000)
    password = view._done_dialog.password_label.text()
    window = desk_app.window
    window.lock_action.trigger()
    desk_app.settle()
    assert view._done_dialog is None  # closed: locked means no personal data on screen
    panel = window.unlock_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.qtbot.waitUntil(lambda: view._done_dialog is not None, timeout=20000)
    assert view._done_dialog.password_label.text() == password
