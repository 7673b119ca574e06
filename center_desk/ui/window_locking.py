"""Sign-in, the lock and what it keeps, and the end of the day: the half of the main window
that decides who may see the desk (DESIGN.md §5: locked means no personal data on screen)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from center_desk.security.lock import LockPolicy, LockReason
from center_desk.security.posture import PostureReport
from center_desk.security.removable_media import MediaPresence
from center_desk.sync.sign_in import SignedIn

from . import drafts, messages
from .clipboard_guard import ClipboardGuard
from .context import DeskContext
from .lock_keys import depth, layout_holding
from .sign_in import SignInPanel

log = logging.getLogger("center_desk.ui")


class LockingWindow(QMainWindow):
    """Signing in, locking, unlocking and offering what the lock kept; :class:`MainWindow`
    builds the window around it."""

    PAGE_SIGN_IN, PAGE_WORK, PAGE_LOCKED = 0, 1, 2

    # Set up by MainWindow.__init__; declared here so each half of the window is typed.
    ctx: DeskContext
    lock_policy: LockPolicy
    views: dict[str, QWidget]
    posture: PostureReport | None
    media: MediaPresence
    clipboard_guard: ClipboardGuard
    reopeners: dict[str, Callable[[drafts.Draft], None]]
    _drafts: list[drafts.Draft]
    pages: QStackedWidget
    sign_in_panel: SignInPanel
    unlock_panel: SignInPanel
    posture_banner: QLabel
    offer_bar: QFrame
    offer_label: QLabel
    reopen_button: QPushButton
    discard_drafts_button: QPushButton

    # --- sign-in, lock, end of day --------------------------------------------------------

    def _restricted(self) -> bool:
        """Strict mode with the device policy off or a storage volume connected: no personal
        data on screen (DESIGN.md §5)."""
        policy_off = self.posture is not None and not self.posture.in_force
        return bool(self.ctx.config.strict_posture and (policy_off or self.media.any))

    def _signed_in(self, who: SignedIn) -> None:
        if self._restricted():
            self.sign_in_panel.show_error(self.posture_banner.text())
            return
        self.ctx.staff = who
        self.lock_policy.unlock()
        self._build_views()
        self.pages.setCurrentIndex(self.PAGE_WORK)
        self._update_header()
        self._load_catalog(then_refresh=True)
        self.ctx.sync.nudge()

    def check_idle(self) -> None:
        if self.ctx.staff is None or self.lock_policy.locked:
            return
        reason = self.lock_policy.should_lock()
        if reason is not None:
            self.lock(reason)

    def lock(self, reason: LockReason) -> None:
        """Lock now. An open dialog cannot refuse: it is closed (STYLE.md §10)."""
        if self.ctx.staff is None or self.lock_policy.locked:
            return
        self.clipboard_guard.clear_now()
        self.lock_policy.lock(reason)
        self.close_everything_open()
        self.pages.setCurrentIndex(self.PAGE_LOCKED)
        self._update_header()
        self.unlock_panel.reset()
        self.ctx.tasks.run(
            lambda: self.ctx.ops.record_audit("locked", str(reason)), on_error=self.show_error
        )
        log.info("desk locked (%s)", reason)

    def add_lock_button(self, dialog: QDialog) -> None:
        """A ロック button in every dialog's button row: while a dialog is open, Qt blocks
        clicks on the window behind it, the header's button included."""
        if dialog.property("lockButton") or isinstance(dialog, QMessageBox):
            return
        if self.ctx.staff is None:  # before sign-in (enrolment) there is nothing to lock
            return
        dialog.setProperty("lockButton", True)
        buttons: list[QPushButton] = []
        for box in dialog.findChildren(QDialogButtonBox):
            buttons.append(box.addButton(self.tr("Lock"), QDialogButtonBox.ButtonRole.HelpRole))
        # A dialog with a button row of its own (the registration form): next to Cancel.
        cancel = dialog.findChild(QPushButton, "cancelButton")
        row = layout_holding(cancel) if cancel is not None else None
        if not buttons and cancel is not None and row is not None:
            button = QPushButton(self.tr("Lock"), dialog)
            row.insertWidget(row.indexOf(cancel), button)
            buttons.append(button)
        for button in buttons:
            button.setObjectName("dialogLock")
            button.setAutoDefault(False)
            button.setToolTip(self.tr("Lock the desk; what you typed is kept (Ctrl+L)"))
            button.clicked.connect(lambda: self.lock(LockReason.ON_DEMAND))

    def close_everything_open(self) -> None:
        """Close every menu, message box and dialog, nested ones first; what was typed in a
        dialog that can be reopened is kept in the cache first (drafts.py)."""
        for _ in range(20):  # a popup's parent popup (a submenu's menu) closes next round
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
        ]
        drafts.keep(self.ctx, [d for d in (drafts.draft_of(w) for w in dialogs) if d])
        # A dialog opened from another one closes before its parent (its exec() loop returns
        # first, so the parent's code after it runs against a still-living dialog).
        for dialog in sorted(dialogs, key=depth, reverse=True):
            if dialog.isVisible():
                dialog.reject()
            if dialog.isVisible():  # a dialog that refuses reject() is closed all the same
                dialog.done(QDialog.DialogCode.Rejected)
        self.offer_bar.hide()

    def _offer_drafts(self) -> None:
        """After an unlock: what the lock closed mid-typing, to open again or discard."""

        def got(kept: list[drafts.Draft]) -> None:
            usable = [d for d in kept if d.kind in self.reopeners]
            self._drafts = usable
            if not usable or self.lock_policy.locked:
                self.offer_bar.hide()
                return
            titles = "、".join(dict.fromkeys(f"「{d.title}」" for d in usable))
            self.offer_label.setText(
                self.tr("Input kept when the desk locked: %1. Open it again?").replace("%1", titles)
            )
            self.offer_bar.show()

        drafts.take(self.ctx, got, self)

    def reopen_drafts(self) -> None:
        kept, self._drafts = self._drafts, []
        self.offer_bar.hide()
        drafts.forget(self.ctx)
        for draft in kept:
            reopen = self.reopeners.get(draft.kind)
            if reopen is not None:
                reopen(draft)

    def discard_drafts(self) -> None:
        self._drafts = []
        self.offer_bar.hide()
        drafts.forget(self.ctx)

    def _build_offer_bar(self, parent: QWidget) -> QFrame:
        bar = QFrame(parent)
        bar.setObjectName("draftOffer")
        bar.setStyleSheet(
            "#draftOffer { background: #e7f0fa; } #draftOffer QLabel { color: #1f4e79; }"
        )
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 4, 12, 4)
        self.offer_label = QLabel("", bar)
        self.offer_label.setObjectName("draftOfferText")
        self.offer_label.setWordWrap(True)
        row.addWidget(self.offer_label, 1)
        self.reopen_button = QPushButton(self.tr("Open again"), bar)
        self.reopen_button.setObjectName("reopenDrafts")
        self.reopen_button.clicked.connect(self.reopen_drafts)
        self.discard_drafts_button = QPushButton(self.tr("Discard"), bar)
        self.discard_drafts_button.setObjectName("discardDrafts")
        self.discard_drafts_button.clicked.connect(self.discard_drafts)
        row.addWidget(self.reopen_button)
        row.addWidget(self.discard_drafts_button)
        bar.hide()
        return bar

    def _unlocked(self, who: SignedIn) -> None:
        if self._restricted():
            self.unlock_panel.show_error(self.posture_banner.text())
            return
        self.ctx.staff = who
        self.lock_policy.unlock()
        self.pages.setCurrentIndex(self.PAGE_WORK)
        self._update_header()
        self.ctx.tasks.run(
            lambda: self.ctx.ops.record_audit("unlocked", who.staff_id), on_error=self.show_error
        )
        self._offer_drafts()

    def print_day_journal(self) -> None:
        from .dialogs.end_of_day import day_journal_job

        if self.ctx.staff is None:
            return
        work = day_journal_job(self.ctx)
        if work is None:
            self.statusBar().showMessage(
                self.tr("No counter printer is set up for this desk."), 10000
            )
            return
        self.ctx.tasks.run(
            work,
            lambda _: self.statusBar().showMessage(
                self.tr("The day journal has been sent to the printer."), 10000
            ),
            self.show_error,
        )

    def _revoked(self) -> None:
        QMessageBox.critical(
            self, self.tr("Desk revoked"), messages.for_code("device_revoked").text()
        )
        self.close()

    def show_error(self, error: BaseException) -> None:
        message = messages.for_error(error)
        log.warning("error shown to staff: %s", type(error).__name__)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Could not complete"),
            message.sentence,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setInformativeText(message.next_step)
        box.setObjectName("errorBox")
        box.open()

    # --- what the rest of the window does (MainWindow) --------------------------------------

    def _build_views(self) -> None:
        raise NotImplementedError

    def _update_header(self) -> None:
        raise NotImplementedError

    def _load_catalog(self, *, then_refresh: bool) -> None:
        raise NotImplementedError
