"""The sign-in panel: staff id and password, checked online or, when the backend cannot be
reached, offline for staff who signed in here recently. Used at start and to unlock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_desk.sync.sign_in import SignedIn, SignInFailed

from . import messages
from .context import DeskContext


class SignInPanel(QWidget):
    signed_in = Signal(object)  # SignedIn

    def __init__(
        self,
        ctx: DeskContext,
        *,
        title: str = "",
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("signIn")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setObjectName("signInCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        # Fixed: a word-wrapped label in a free-width card gets too little height.
        card.setFixedWidth(520)
        layout = QVBoxLayout(card)
        heading = QLabel(title or self.tr("Sign in to the counter desk"), card)
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.hint = QLabel(hint, card)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        form = QFormLayout()
        self.staff_id = QLineEdit(card)
        self.staff_id.setObjectName("staffId")
        self.password = QLineEdit(card)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Staff ID"), self.staff_id)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.error = QLabel("", card)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout.addWidget(self.error)
        self.button = QPushButton(self.tr("Sign in"), card)
        self.button.setObjectName("signInButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.password.returnPressed.connect(self.submit)
        self.staff_id.returnPressed.connect(self.password.setFocus)
        # Centred between two stretches rather than by Qt.AlignmentFlag: the panel is the first
        # thing the desk paints, and the Qt namespace's Python type (some 80 enums, 40 ms on
        # the counter PC's two cores) would be built for this one flag (issue 13).
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.staff_id, self.password)
        self.setTabOrder(self.password, self.button)

    def reset(self, staff_id: str = "") -> None:
        self.staff_id.setText(staff_id)
        self.password.clear()
        self.error.hide()
        self.button.setEnabled(True)
        (self.password if staff_id else self.staff_id).setFocus()

    def submit(self) -> None:
        staff_id = self.staff_id.text().strip()
        password = self.password.text()
        if not staff_id or not password:
            self.show_error(self.tr("Type your staff ID and password."))
            return
        self.button.setEnabled(False)
        self.error.hide()
        sign_in: Callable[[], SignedIn] = lambda: self._ctx.staff_sign_in.sign_in(  # noqa: E731
            staff_id, password
        )
        self._ctx.tasks.run(sign_in, self._done, self._failed)

    def _done(self, who: SignedIn) -> None:
        self.password.clear()
        self.button.setEnabled(True)
        self.signed_in.emit(who)

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if isinstance(error, SignInFailed):
            self.show_error(messages.for_code(error.code).text())
        else:
            self.show_error(messages.for_error(error).text())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
