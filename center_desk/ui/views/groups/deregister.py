"""De-registering a group (登録廃止): the reason, asked once, kept as a draft if the lock comes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from center_desk.store.groups import CachedGroup


class DeregisterDialog(QDialog):
    """De-registration (登録廃止) asks for a reason and a second look at which group it is."""

    def __init__(self, group: CachedGroup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_id = group.user_id
        self.setObjectName("deregisterDialog")
        self.setWindowTitle(self.tr("De-register a group"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "De-register %1 (user ID %2)? The group can no longer book or sign in "
                "online. Its bookings stay as they are."
            )
            .replace("%1", group.name)
            .replace("%2", group.user_id),
            self,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setObjectName("deregisterReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. the group has disbanded"))
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("De-register"))
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def draft_origin(self) -> tuple[str, dict[str, str]]:
        """A lock keeps the reason typed so far (drafts.py; reopeners.py opens it again)."""
        return "deregister", {"user_id": self.user_id}
