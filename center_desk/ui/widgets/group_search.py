"""Finding a group as staff type (user id, name, furigana or phone), as the groups view and the
proxy view both do; and a group the backend sent, in the shape the cache gives."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_desk.protocol.groups import GroupOut, group_form
from center_desk.store import groups as cached_groups
from center_desk.store.groups import CachedGroup

from .. import messages
from ..context import DeskContext
from .background import run_for

log = logging.getLogger("center_desk.ui.groups")

#: Wait this long after the last key before searching: one search per pause, not per key.
SEARCH_DEBOUNCE_MS = 250


def cached_from_out(group: GroupOut) -> CachedGroup:
    """A group as the backend sent it, in the shape the cache gives (for showing it)."""

    return CachedGroup(
        user_id=group.user_id,
        form=group_form(group),
        valid_until=group.valid_until,
        active=group.active,
    )


def looks_like_user_id(text: str) -> str | None:
    """The user id in what staff typed (9 digits, full-width allowed), else None."""
    digits = "".join(ch for ch in text if ch.isdigit())
    normalized = digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    stripped = "".join(ch for ch in text if not ch.isspace() and ch not in "-ー－")
    if len(normalized) == 9 and len(stripped) == 9:
        return normalized
    return None


class GroupSearchBox(QWidget):
    """Type a user id, name, furigana (hiragana is fine) or phone number; the list follows.

    Down moves from the field into the list, Enter takes the first hit.
    """

    chosen = Signal(object)  # CachedGroup | None
    searched = Signal(str, int)  # the query, how many hits

    def __init__(
        self, ctx: DeskContext, parent: QWidget | None = None, *, list_height: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hits: list[CachedGroup] = []
        self._generation = 0
        self._current: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.query = QLineEdit(self)
        self.query.setObjectName("groupQuery")
        self.query.setPlaceholderText(self.tr("User ID, name, furigana or phone"))
        self.query.setClearButtonEnabled(True)
        self.query.setToolTip(self.tr("Search groups (Ctrl+F); Down to the list"))
        self.query.installEventFilter(self)
        layout.addWidget(self.query)
        self.results = QListWidget(self)
        self.results.setObjectName("groupResults")
        self.results.setAlternatingRowColors(True)
        self.results.setSpacing(2)
        if list_height is not None:
            self.results.setFixedHeight(list_height)
        layout.addWidget(self.results, 1)
        self.status = QLabel("", self)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self._take_first)
        self.results.currentItemChanged.connect(self._item_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                if self.results.currentRow() < 0:
                    self.results.setCurrentRow(0)
                return True
        return super().eventFilter(watched, event)

    def search_now(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self._generation += 1
        generation = self._generation
        if not text:
            self._show(generation, text, [])
            return
        db = self.ctx.db
        run_for(
            self,
            self.ctx,
            lambda: db.call(lambda conn: cached_groups.search(conn, text)),
            lambda hits: self._show(generation, text, hits),
            self._failed,
        )

    def _show(self, generation: int, text: str, hits: list[CachedGroup]) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        self.hits = hits
        keep = self._current
        self.results.blockSignals(True)
        self.results.clear()
        row_to_select = -1
        for index, group in enumerate(hits):
            label = f"{group.name}\n{group.form.furigana}　{group.user_id}"
            if not group.active:
                label += self.tr(" (de-registered)")
            item = QListWidgetItem(label)
            if not group.active:
                item.setForeground(QColor("#b00020"))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.results.addItem(item)
            if group.user_id == keep:
                row_to_select = index
        if row_to_select >= 0:
            self.results.setCurrentRow(row_to_select)
        self.results.blockSignals(False)
        if not text:
            self.status.setText("")
        elif hits:
            self.status.setText(self.tr("%1 group(s) at this desk").replace("%1", str(len(hits))))
        else:
            self.status.setText(self.tr("No group at this desk matches."))
        self.searched.emit(text, len(hits))

    def _failed(self, error: BaseException) -> None:
        log.warning("group search failed: %s", type(error).__name__)
        self.status.setText(messages.for_error(error).text())

    def _take_first(self) -> None:
        self.search_now_if_pending()
        if self.hits:
            self.results.setCurrentRow(0)
            self.results.setFocus()

    def search_now_if_pending(self) -> None:
        if self._timer.isActive():
            self.search_now()

    def _item_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        index = int(current.data(Qt.ItemDataRole.UserRole))
        group = self.hits[index]
        self._current = group.user_id
        self.chosen.emit(group)

    def current(self) -> CachedGroup | None:
        return next((g for g in self.hits if g.user_id == self._current), None)
