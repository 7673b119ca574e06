"""After registration: the new user id (利用者ID) and the initial password, shown this once.

The backend keeps only the password's hash, so this dialog is the one moment it exists in the
clear: staff print the registration notice (利用者登録通知書) for the group, or copy it by hand.
Printing goes to the desk's own printer only when it is on the city's allowed list, off the GUI
thread, and is audited.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import tokyo_date
from center_desk.printing import (
    PRODUCTION,
    Issuer,
    PrintPolicy,
    PrintRecord,
    RegistrationNotice,
    registration_notice_pdf,
)
from center_desk.protocol.groups import GroupRegistered

from ..context import DeskContext
from ..print_service import (
    PRINTED_EVENT,
    REPRINT_SUFFIX,
    SendPdf,
    default_sender,
    describe,
    printer_config,
)
from ..widgets.background import run_for
from ..widgets.message_bar import MessageBar

log = logging.getLogger("center_desk.ui.registration_done")

#: How a group signs in online, printed on the notice. The wording is the city's to set; until
#: the desk's settings carry it, these are the steps the citizens' portal follows.
SIGN_IN_STEPS = (
    "パソコンやスマートフォンで上記のアドレスを開き、「ログイン」を選びます。",
    "利用者IDと初期パスワードを入力します。",
    "初めてログインしたときは、新しいパスワードを設定してください。",
    "抽選・先着予約の申込みと、予約の確認・取消しができます。",
)


class RegistrationDoneDialog(QDialog):
    def __init__(
        self,
        ctx: DeskContext,
        registered: GroupRegistered,
        parent: QWidget | None = None,
        *,
        send: SendPdf | None = None,
        policy: PrintPolicy = PRODUCTION,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: How the notice reaches paper (CUPS or Qt printing); tests print to their own queue.
        self.send = send or default_sender()
        self.policy = policy
        self.registered = registered
        self.printed = False
        self.acknowledged = False
        self._printing = False
        self.setObjectName("registrationDone")
        self.setWindowTitle(self.tr("Group registered"))
        self.setModal(True)
        self.setMinimumWidth(620)
        group = registered.group

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Registered: %1").replace("%1", group.name), self)
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(heading)

        card = QFrame(self)
        card.setObjectName("credentials")
        card.setStyleSheet("#credentials { border: 1px solid #b8d0ea; background: #f5f9fd; }")
        grid = QGridLayout(card)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(18)
        mono.setWeight(QFont.Weight.Bold)
        self.user_id_label = self._value(card, group.user_id, mono, "userId")
        # Letter-spaced so 0/O and 1/l/I are told apart when copied by hand.
        mono.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.password_label = self._value(card, registered.initial_password, mono, "password")
        grid.addWidget(QLabel(self.tr("User ID"), card), 0, 0)
        grid.addWidget(self.user_id_label, 0, 1)
        grid.addWidget(QLabel(self.tr("Initial password"), card), 1, 0)
        grid.addWidget(self.password_label, 1, 1)
        grid.setColumnStretch(1, 1)
        layout.addWidget(card)

        warning = MessageBar(self)
        warning.setObjectName("onceWarning")
        warning.show_message(
            "warning",
            self.tr(
                "The password is shown only now and is not kept at the desk. Print the "
                "registration notice for the group, or have them copy it, before closing."
            ),
        )
        layout.addWidget(warning)
        self.print_result = MessageBar(self)
        self.print_result.setObjectName("printResult")
        layout.addWidget(self.print_result)

        self.confirm_bar = MessageBar(self)
        self.confirm_bar.setObjectName("closeConfirm")
        layout.addWidget(self.confirm_bar)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton(self.tr("Print notice"), self)
        self.print_button.setObjectName("printButton")
        self.print_button.setToolTip(self.tr("Print the registration notice (Ctrl+P)"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_notice)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_notice)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.request_close)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        if not self._printer_allowed():
            self.print_button.setEnabled(False)
            self.print_result.show_message(
                "info",
                self.tr("No allowed printer is set for this desk: copy the details by hand."),
            )

    def _value(self, parent: QWidget, text: str, font: QFont, name: str) -> QLabel:
        label = QLabel(text, parent)
        label.setObjectName(name)
        label.setFont(font)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _printer_allowed(self) -> bool:
        printer = self.ctx.config.printer
        return bool(printer) and printer in self.ctx.config.allowed_printers

    # --- printing ------------------------------------------------------------------------

    def notice(self) -> RegistrationNotice:
        group = self.registered.group
        center = self.ctx.center.name if self.ctx.center else self.ctx.center_id
        staff = self.ctx.staff.name if self.ctx.staff else ""
        portal = self.ctx.config.citizen_portal_url or self.ctx.config.backend_url
        return RegistrationNotice(
            group_name=group.name,
            representative_name=group.representative.name,
            user_id=group.user_id,
            initial_password=self.registered.initial_password,
            issued_on=tokyo_date(self.ctx.clock.now()),
            issuer=Issuer(center_name=center, staff_name=staff),
            sign_in_url=str(portal),
            sign_in_steps=SIGN_IN_STEPS,
            valid_until=group.valid_until,
            reprint=self.printed,
        )

    def print_notice(self) -> None:
        if self._printing or not self._printer_allowed():
            return
        self._printing = True
        self.print_button.setEnabled(False)
        self.print_result.show_message("info", self.tr("Printing…"))
        notice = self.notice()
        config = self.ctx.config
        ops = self.ctx.ops
        send, policy = self.send, self.policy

        def work() -> PrintRecord:
            printer = printer_config(config)  # refused before any PDF is made
            record = send(registration_notice_pdf(notice), printer, policy)
            subject = notice.user_id + (REPRINT_SUFFIX if notice.reprint else "")
            ops.record_audit(PRINTED_EVENT, subject)
            return record

        run_for(self, self.ctx, work, self._printed, self._print_failed)

    def _printed(self, record: PrintRecord) -> None:
        self._printing = False
        self.printed = True
        self.print_button.setEnabled(True)
        self.print_button.setText(self.tr("Print again"))
        self.close_button.setDefault(True)
        self.print_result.show_message(
            "success", self.tr("Sent to the printer %1.").replace("%1", record.queue)
        )

    def _print_failed(self, error: BaseException) -> None:
        self._printing = False
        self.print_button.setEnabled(True)
        log.warning("registration notice not printed: %s", type(error).__name__)
        self.print_result.show_message("error", describe(error).text())

    # --- closing -------------------------------------------------------------------------

    def request_close(self) -> None:
        """Before the notice is printed, closing asks once: the password is gone after."""
        if self.printed or self.confirm_bar.isVisible():
            self.acknowledged = True
            self.accept()
            return
        self.confirm_bar.show_message(
            "error",
            self.tr(
                "Not printed yet. Has the group copied the password? Press Esc or Close "
                "again to close; it cannot be shown again."
            ),
        )
        # Grow rather than squeeze the user id and password while staff are asked about them.
        self.adjustSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.request_close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:
        if not self.acknowledged:
            event.ignore()
            self.request_close()
            return
        super().closeEvent(event)
