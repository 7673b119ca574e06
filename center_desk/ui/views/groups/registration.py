"""The groups view's changes to a group: registering a new one, changing a registration and
de-registering (登録廃止), and a walk-in booking for the group on screen. A registration
change goes to the reservation system; its answer is shown at once and the cache has it after
the next sync."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from center_desk.protocol.groups import GroupOut, GroupRegistered
from center_desk.store.groups import CachedGroup

from ...dialogs.group_form import GroupFormDialog
from ...dialogs.registration_done import RegistrationDoneDialog
from ...widgets.background import run_for
from ...widgets.group_search import cached_from_out
from .deregister import DeregisterDialog
from .showing import GroupsShowing


class GroupsRegistration(GroupsShowing):
    """The registration form, the password slip after registering, and de-registration."""

    def register_new(self) -> None:
        self._open_form(None)

    def walk_in_for_selected(self) -> None:
        """直前予約 for the group on screen (issue 5: "from a free cell or from a group")."""
        from ...dialogs.walk_in import WalkInDialog

        if self.group is not None:
            dialog = WalkInDialog(
                self.ctx, user_id=self.group.user_id, looked_up=self.group, parent=self.window()
            )
            dialog.open()

    def change_selected(self) -> None:
        if self.group is not None:
            self._open_form(self.group)

    def open_form(self, existing: CachedGroup | None) -> None:
        """The registration form: new (None) or a change of ``existing``'s registration."""
        self._open_form(existing)

    def _open_form(self, existing: CachedGroup | None) -> None:
        if self.form_dialog is not None and self.form_dialog.isVisible():
            self.form_dialog.raise_()
            return
        dialog = GroupFormDialog(self.ctx, self.window(), existing=existing)
        self.form_dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.orphan_saved = self._saved
        dialog.finished.connect(lambda _code: self._form_closed(dialog))
        dialog.resize(*self._dialog_size())
        dialog.open()

    def _dialog_size(self) -> tuple[int, int]:
        """Nearly the whole counter screen (1366×768 less the taskbar): the paper form has
        three columns and staff should not have to scroll it."""
        window = self.window().size()
        screen = self.screen().availableGeometry().size()
        width = max(window.width(), screen.width())
        height = max(window.height(), screen.height())
        return min(1300, width - 40), min(690, height - 40)

    def _form_closed(self, dialog: GroupFormDialog) -> None:
        if self.form_dialog is dialog:
            self.form_dialog = None
        dialog.deleteLater()

    def _saved(self, result: object) -> None:
        self.ctx.sync.nudge()
        if isinstance(result, GroupRegistered):
            self._audited = result.group.user_id
            # Shown from the backend's answer: the cache has it after the next sync.
            self.show_group(cached_from_out(result.group))
            self._pending_done = result
            QTimer.singleShot(0, self._show_done_again)
        elif isinstance(result, GroupOut):
            self.show_group(cached_from_out(result))
            self.message.show_message("success", self.tr("The changes were saved."))

    def _show_done_again(self) -> None:
        registered = self._pending_done
        if registered is None or self._done_dialog is not None or not self.isVisible():
            return
        dialog = RegistrationDoneDialog(self.ctx, registered, self.window())
        self._done_dialog = dialog

        def closed(_code: int) -> None:
            self._done_dialog = None
            if dialog.acknowledged:
                self._pending_done = None
            dialog.deleteLater()

        dialog.finished.connect(closed)
        dialog.open()

    def deregister_selected(self) -> None:
        if self.group is not None:
            self.deregister(self.group)

    def deregister(self, group: CachedGroup, reason: str = "") -> None:
        """登録廃止 for ``group``, the reason prefilled (after a lock closed the dialog)."""
        if not group.active:
            return
        dialog = DeregisterDialog(group, self.window())
        dialog.reason.setText(reason)

        def decided(code: int) -> None:
            reason = dialog.reason.text().strip()
            dialog.deleteLater()
            if code != QDialog.DialogCode.Accepted or not reason:
                return
            ops = self.ctx.ops
            user_id = group.user_id

            def done(out: GroupOut) -> None:
                self.ctx.sync.nudge()
                self.show_group(cached_from_out(out))
                self.message.show_message("success", self.tr("The group was de-registered."))

            run_for(
                self, self.ctx, lambda: ops.deregister_group(user_id, reason), done, self._error
            )

        dialog.finished.connect(decided)
        dialog.open()
