"""The registration form (利用者登録届出書) as staff type it from paper, for a new group or a
change of registration.

Every problem is shown next to its field at once (the domain's ``validate_group`` lists them
all; the backend's 422 names the same fields). What staff typed is never thrown away: an error
keeps the form, an offline desk keeps the form, and a lock that closes the dialog leaves a draft
in the encrypted cache that the next form opens with (DESIGN.md §5).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import FieldProblem, GroupCheck, GroupForm
from center_desk.protocol.groups import GroupOut, GroupRegistered, GroupSummary, group_in
from center_desk.store import meta
from center_desk.store.groups import CachedGroup
from center_desk.sync.errors import Refused

from ... import messages
from ...context import DeskContext
from ...widgets.background import run_for
from ...widgets.message_bar import MessageBar
from .checks import GroupFormChecks
from .form_drafts import clear_draft, draft_key, save_draft
from .values import DOMAIN_CODES, values_of

log = logging.getLogger("center_desk.ui.group_form")

#: The form's natural size: three columns side by side, every field with room for its note.
FORM_SIZE = (1300, 690)


class GroupFormDialog(GroupFormChecks):
    """利用者登録届出書. ``existing``: change that group's registration (the user id stays)."""

    #: GroupRegistered (new) or GroupOut (change), after the backend accepted the form.
    saved = Signal(object)

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        existing: CachedGroup | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.registered: GroupRegistered | None = None
        #: Gets the backend's answer when it arrives after the form was closed (the lock).
        self.orphan_saved: Callable[[GroupRegistered | GroupOut], None] | None = None
        self.changed: GroupOut | None = None
        self.fields = {}
        self._touched: set[str] = set()
        self._to_normalize: set[str] = set()
        self._submitted = False
        self._busy = False
        self._finished = False
        self._check_generation = 0
        self._filling = False
        self._autofilled: dict[str, str] = {}
        self._similar_key: tuple[str, ...] | None = None
        self._similar_warned_key: tuple[str, ...] | None = None
        self._similar: list[GroupSummary] = []
        self._warned_fields: tuple[str, ...] = ()
        self.setObjectName("groupForm")
        self.setModal(True)
        if existing is None:
            self.setWindowTitle(self.tr("Register a group"))
        else:
            self.setWindowTitle(
                self.tr("Change of registration: %1").replace("%1", existing.user_id)
            )

        outer = QVBoxLayout(self)
        heading = QLabel(self.windowTitle(), self)
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        outer.addWidget(heading)
        self.banner = MessageBar(self)
        self.banner.setObjectName("formBanner")
        outer.addWidget(self.banner)
        self.similar_bar = MessageBar(self)
        self.similar_bar.setObjectName("similarWarning")
        outer.addWidget(self.similar_bar)

        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(self._group_box(body), 10)
        self._name_edit.editingFinished.connect(self._check_similar_soon)
        columns.addWidget(self._person_box(body, "representative"), 9)
        columns.addWidget(self._person_box(body, "responsible"), 9)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)

        self.discard_bar = QFrame(self)
        self.discard_bar.setObjectName("discardBar")
        self.discard_bar.setStyleSheet("#discardBar { background: #fff3cd; }")
        discard_row = QHBoxLayout(self.discard_bar)
        discard_row.addWidget(
            QLabel(self.tr("Discard what you typed? Press Esc again to discard."), self)
        )
        discard_row.addStretch(1)
        self.keep_button = QPushButton(self.tr("Keep typing"), self.discard_bar)
        self.keep_button.clicked.connect(self._keep_typing)
        self.discard_button = QPushButton(self.tr("Discard"), self.discard_bar)
        self.discard_button.setObjectName("discardButton")
        self.discard_button.clicked.connect(self.discard)
        discard_row.addWidget(self.keep_button)
        discard_row.addWidget(self.discard_button)
        self.discard_bar.hide()
        outer.addWidget(self.discard_bar)

        buttons = QHBoxLayout()
        self.status = QLabel("", self)
        self.status.setObjectName("formStatus")
        buttons.addWidget(self.status, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip(self.tr("Close the form (Esc)"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.request_cancel)
        self.submit_button = QPushButton(
            self.tr("Register") if existing is None else self.tr("Save changes"), self
        )
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setToolTip(self.tr("Check the form and send it (Enter)"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        outer.addLayout(buttons)
        # Ctrl+Enter submits from anywhere, including a combo box whose list is open.
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)

        self._initial = self.values()
        if existing is not None:
            self.set_values(values_of(existing.form))
            self._initial = self.values()
        self._load_draft()
        self.fields["name"].widget.setFocus()
        self._fit_size()

    # --- submitting ----------------------------------------------------------------------

    def _fit_size(self) -> None:
        """As large as the form wants, within the larger of the desk window and the screen
        (a counter PC's 1366×768 holds it; a smaller screen scrolls)."""
        width, height = FORM_SIZE
        bounds = []
        parent = self.parentWidget()
        if parent is not None:
            window = parent.window()
            bounds.append((window.width(), window.height()))
        screen = self.screen()
        if screen is not None:
            geometry = screen.availableGeometry()
            bounds.append((geometry.width(), geometry.height()))
        if bounds:
            max_width, max_height = max(bounds)
            width, height = min(width, max_width - 40), min(height, max_height - 40)
        self.resize(max(width, 600), max(height, 400))

    def submit(self) -> None:
        if self._busy or self._finished:
            return
        self._busy = True
        self._submitted = True
        self.banner.clear_message()
        self.discard_bar.hide()
        self.status.setText(self.tr("Checking…"))
        self._check(self._submit_checked)

    def _submit_checked(self, check: GroupCheck, snapshot: dict[str, str]) -> None:
        if self.values() != snapshot:
            # Typed on while the check ran: check what is there now, not what was.
            self._check(self._submit_checked)
            return
        self._write_back(check, snapshot, set(self.fields))
        self.show_problems(list(check.problems))
        if check.form is None:
            self._busy = False
            self.status.setText(
                self.tr("%1 problem(s): see the red notes.").replace("%1", str(len(check.problems)))
            )
            first = next(p.field for p in check.problems)
            target = self.fields.get(first)
            if target is not None:
                target.widget.setFocus()
            return
        form = check.form
        warned = tuple(w.field for w in check.warnings)
        if warned and self._warned_fields != warned:
            # An unknown postal code: staff look once; Enter again sends it all the same.
            self._warned_fields = warned
            self._busy = False
            self.show_warnings(list(check.warnings))
            self.status.setText(self.tr("Check the amber notes; press Enter again to go ahead."))
            self.submit_button.setText(
                self.tr("Register anyway") if self.existing is None else self.tr("Save anyway")
            )
            self.fields[warned[0]].widget.setFocus()
            return
        if self.existing is not None:
            self._send(form)
            return

        def after_similar() -> None:
            key = self._similar_query()
            if self._similar and self._similar_warned_key != key:
                # The first time staff see the warning, they decide: Enter again registers.
                self._similar_warned_key = key
                self._busy = False
                self.status.setText(self.tr("Press Enter again to register anyway."))
                self.submit_button.setText(self.tr("Register anyway"))
                return
            self._send(form)

        self._check_similar(then=after_similar)

    def _send(self, form: GroupForm) -> None:
        self.status.setText(self.tr("Sending to the reservation system…"))
        wire = group_in(form)
        ops = self.ctx.ops
        existing = self.existing
        user_id = existing.user_id if existing else None

        def work() -> GroupRegistered | GroupOut:
            if user_id is None:
                return ops.register_group(wire)
            return ops.change_group(user_id, wire)

        orphan = self.orphan_saved
        ctx = self.ctx

        def done(result: GroupRegistered | GroupOut) -> None:
            if shiboken6.isValid(self) and not self._finished:
                self._done(result)
                return
            # The lock closed the form while the backend was registering: the answer (the
            # only copy of the initial password) goes to whoever opened the form, and the
            # draft the lock kept is no longer needed.
            clear_draft(ctx, user_id)
            if orphan is not None:
                orphan(result)

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self) and not self._finished:
                self._refused(error)

        ctx.tasks.run(work, done, failed)

    def _done(self, result: GroupRegistered | GroupOut) -> None:
        self._busy = False
        if isinstance(result, GroupRegistered):
            self.registered = result
        else:
            self.changed = result
        self._finish()
        self._save_draft(None)
        self.saved.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._busy = False
        self.status.setText("")
        if self._finished:
            return
        log.info("group form not accepted: %s", type(error).__name__)
        if isinstance(error, Refused) and error.fields:
            generic = messages.for_code("invalid_input")
            problems = [
                FieldProblem(
                    f.field,
                    f.code,
                    f.message if f.code in DOMAIN_CODES else self.tr("This entry is not accepted."),
                )
                for f in error.fields
            ]
            self.show_problems(problems)
            self.banner.show_message("error", generic.text())
            first = next((p.field for p in problems if p.field in self.fields), None)
            if first:
                self.fields[first].widget.setFocus()
            return
        self.banner.show_message("error", messages.for_error(error).text())

    # --- closing -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.request_cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:
        if not self._finished and self.is_dirty():
            event.ignore()
            self.request_cancel()
            return
        super().closeEvent(event)

    def request_cancel(self) -> None:
        """Esc: close at once when nothing was typed; otherwise ask (Esc again discards)."""
        if not self.is_dirty():
            self.discard()
            return
        if self.discard_bar.isVisible():
            self.discard()
            return
        self.discard_bar.show()
        self.keep_button.setFocus()

    def _keep_typing(self) -> None:
        self.discard_bar.hide()
        self.fields["name"].widget.setFocus()

    def discard(self) -> None:
        self._finish()
        self._save_draft(None)
        super().reject()

    def reject(self) -> None:
        """Closing from outside (the lock) never asks and never loses the typing: it goes
        to the cache as a draft for the next form."""
        if not self._finished:
            self._finish()
            self._save_draft(self.values() if self.is_dirty() else None)
        super().reject()

    def _finish(self) -> None:
        self._finished = True

    # --- drafts --------------------------------------------------------------------------

    def draft_origin(self) -> tuple[str, dict[str, str]]:
        """For the offer after an unlock (drafts.py); the values wait under draft_key."""
        return "group_form", {"user_id": self.existing.user_id if self.existing else ""}

    def draft_values(self) -> dict[str, str] | None:
        return self.values() if not self._finished and self.is_dirty() else None

    def _save_draft(self, values: dict[str, str] | None) -> None:
        if values:
            save_draft(self.ctx, self.existing.user_id if self.existing else None, values)
        else:
            clear_draft(self.ctx, self.existing.user_id if self.existing else None)

    def _load_draft(self) -> None:
        key = draft_key(self.existing.user_id if self.existing else None)
        db = self.ctx.db

        def restored(text: str | None) -> None:
            if self._finished or not text:
                return
            try:
                values = json.loads(text)
            except ValueError:
                return
            if not isinstance(values, dict) or self.is_dirty():
                return
            self.set_values({str(k): str(v) for k, v in values.items()})
            self.banner.show_message(
                "info",
                self.tr(
                    "What was typed before the form closed (e.g. the desk locked) is back. "
                    "Check it and continue."
                ),
            )

        run_for(
            self,
            self.ctx,
            lambda: db.call(lambda conn: meta.get(conn, key)),
            restored,
            lambda e: log.warning("draft not read: %s", type(e).__name__),
        )
