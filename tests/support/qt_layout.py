"""Finds text a screen cuts off: labels, buttons, tabs and table headers narrower than their
text at the window's size (issue 5: readable at 1366×768, no clipped text)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTabBar,
    QWidget,
)

_MNEMONIC = re.compile(r"&(?!&)")


def _plain(text: str) -> str:
    return _MNEMONIC.sub("", text).replace("&&", "&")


def _longest_line(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max((metrics.horizontalAdvance(line) for line in text.splitlines() or [""]), default=0)


def clipped_texts(root: QWidget) -> list[str]:
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        name = f"{type(widget).__name__}#{widget.objectName() or '?'}"
        if isinstance(widget, QLabel):
            text = widget.text()
            if not text or widget.textFormat() == Qt.TextFormat.RichText or "<" in text:
                continue
            if widget.wordWrap():
                if widget.heightForWidth(widget.contentsRect().width()) > widget.height() + 2:
                    problems.append(f"{name}: wrapped text taller than the label: {text[:30]!r}")
            elif _longest_line(widget, text) > widget.contentsRect().width() + 1:
                problems.append(f"{name}: {text[:40]!r} is cut off")
        elif isinstance(widget, (QCheckBox, QRadioButton)):
            text = _plain(widget.text())
            if text and widget.sizeHint().width() > widget.width() + 1:
                problems.append(f"{name}: {text[:40]!r} is cut off")
        elif isinstance(widget, QAbstractButton):
            text = _plain(widget.text())
            if text and _longest_line(widget, text) + 8 > widget.width():
                problems.append(f"{name}: {text[:40]!r} is cut off")
        elif isinstance(widget, QTabBar):
            metrics = widget.fontMetrics()
            for index in range(widget.count()):
                text = _plain(widget.tabText(index))
                if metrics.horizontalAdvance(text) > widget.tabRect(index).width():
                    problems.append(f"{name}: tab {text!r} is cut off")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            model = widget.model()
            if model is None:
                continue
            metrics = widget.fontMetrics()
            for section in range(widget.count()):
                if widget.isSectionHidden(section):
                    continue
                text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                if metrics.horizontalAdvance(text) + 6 > widget.sectionSize(section):
                    problems.append(f"{name}: column {text!r} is cut off")
    return problems
