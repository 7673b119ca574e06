"""The one-line message above a form or list: an error, a warning, a note or a success."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"


class MessageBar(QLabel):
    """One message above a form or list: an error, a warning or a note."""

    STYLES: ClassVar[dict[str, str]] = {
        "error": f"background: #fde7ea; color: {ERROR_COLOUR}; border: 1px solid #f3b6bf;",
        "warning": "background: #fff3cd; color: #5c4400; border: 1px solid #f0d58a;",
        "info": "background: #e7f0fa; color: #1f4e79; border: 1px solid #b8d0ea;",
        "success": "background: #e6f4ea; color: #1e5631; border: 1px solid #a8d5b5;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ {self.STYLES[kind]} padding: 6px 10px; }}")
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()
