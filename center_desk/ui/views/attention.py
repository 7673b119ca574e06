"""要対応 (needs attention): changes made at this desk that the reservation system refused.

A refused change is never dropped silently (DESIGN.md §4): it stays here, with the reason in
one sentence and the next step, until staff have dealt with it (phoned the group, rebooked) and
mark it done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import TOKYO, format_short_date
from center_desk.store import Connection, outbox
from center_desk.store import reservations as cached_reservations
from center_desk.store.outbox import OutboxEntry
from center_desk.store.reservations import CachedReservation
from center_desk.sync.engine import SyncStatus

from .. import messages
from ..context import DeskContext
from ..widgets.background import run_for
from ..widgets.message_bar import MessageBar
from .groups import GroupsView

log = logging.getLogger("center_desk.ui.attention")


def when_text(created_at: str) -> str:
    """When staff made the change, in Japan time: 2月10日(水) 10:05."""
    try:
        moment = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    if moment.tzinfo is not None:
        moment = moment.astimezone(TOKYO)
    return f"{format_short_date(moment.date())} {moment.strftime('%H:%M')}"


@dataclass(frozen=True)
class Refusal:
    """A refused change and, when it was about a booking, that booking as the cache has it
    now (a refused walk-in stays there, cancelled, so staff can see what it was)."""

    entry: OutboxEntry
    reservation: CachedReservation | None

    @property
    def mutation_id(self) -> int:
        return self.entry.mutation_id

    @property
    def reason_code(self) -> str | None:
        return self.entry.reason_code

    @property
    def user_id(self) -> str | None:
        return self.reservation.user_id if self.reservation else None


def load_refusals(db: Connection) -> list[Refusal]:
    refusals = []
    for entry in outbox.needs_attention(db):
        reservation_id = entry.reservation_id
        reservation = cached_reservations.get(db, reservation_id) if reservation_id else None
        refusals.append(Refusal(entry, reservation))
    return refusals


class AttentionView(QWidget):
    COLUMNS = 4

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[Refusal] = []
        self.confirm_box: QMessageBox | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        intro = QLabel(
            self.tr(
                "Changes made at this desk that the reservation system refused. Deal with "
                "each one (for example, phone the group), then mark it done."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.message = MessageBar(self)
        self.message.setObjectName("attentionMessage")
        layout.addWidget(self.message)
        self.empty = QLabel(self.tr("Nothing needs attention."), self)
        self.empty.setObjectName("nothingToDo")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #1e5631; font-size: 13pt;")
        layout.addWidget(self.empty, 1)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("attentionTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("What"), self.tr("Why it was refused"), self.tr("Next step")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 380)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.hide()
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.group_button = QPushButton(self.tr("Show the group"), self)
        self.group_button.setObjectName("showGroupButton")
        self.group_button.setToolTip(self.tr("Open the group's details to contact them (Ctrl+G)"))
        self.group_button.setEnabled(False)
        self.group_button.clicked.connect(self.show_group)
        row.addWidget(self.group_button)
        self.done_button = QPushButton(self.tr("Mark as dealt with"), self)
        self.done_button.setObjectName("resolveButton")
        self.done_button.setToolTip(
            self.tr("Staff have dealt with the selected change (Ctrl+Shift+D)")
        )
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self.resolve_selected)
        row.addWidget(self.done_button)
        layout.addLayout(row)
        QShortcut(QKeySequence("Ctrl+Shift+D"), self, self.resolve_selected)
        QShortcut(QKeySequence("Ctrl+G"), self, self.show_group)
        ctx.sync.status_changed.connect(self._sync_status)

    # --- view protocol -------------------------------------------------------------------

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        db = self.ctx.db
        run_for(
            self,
            self.ctx,
            lambda: db.call(load_refusals),
            lambda entries: self._show(generation, entries),
            self._failed,
        )

    def _sync_status(self, _status: SyncStatus) -> None:
        # A sync may have brought new refusals (or the count changed elsewhere).
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        log.warning("needs-attention list not read: %s", type(error).__name__)
        self.message.show_message("error", messages.for_error(error).text())

    def _show(self, generation: int, entries: list[Refusal]) -> None:
        if generation != self._generation:
            return
        selected = self.selected()
        keep = selected.mutation_id if selected else None
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            words = messages.for_code(entry.reason_code or "")
            cells = [when_text(entry.entry.created_at), self.what(entry), words.sentence]
            cells.append(words.next_step)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.mutation_id)
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.table.setItem(row, column, item)
            if entry.mutation_id == keep:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(entries))
        self.empty.setVisible(not entries)
        self.done_button.setVisible(bool(entries))
        self.group_button.setVisible(bool(entries))
        if entries and self.selected() is None:
            self.table.selectRow(0)
        self._selection_changed()

    def what(self, refusal: Refusal) -> str:
        """The change in staff's words: what, which booking, whose; ids only, no names."""
        entry, booking = refusal.entry, refusal.reservation
        kinds = {
            "last_minute_booking": self.tr("Walk-in booking"),
            "check_in": self.tr("Check-in"),
            "usage_report": self.tr("Usage report"),
            "fee_receipt": self.tr("Fee received"),
            "cancel_reservation": self.tr("Cancellation"),
            "mark_no_show": self.tr("No-show"),
        }
        if booking is None:
            lines = [entry.summary or kinds.get(entry.kind, entry.kind)]
        else:
            slot = self.ctx.slot(booking.slot_id)
            lines = [
                f"{kinds.get(entry.kind, entry.kind)} {booking.approval_number}",
                f"{format_short_date(booking.use_date)} {self.ctx.room_name(booking.room_id)} "
                f"{slot.label if slot else booking.slot_id}",
            ]
            if booking.user_id:
                lines.append(self.tr("Group %1").replace("%1", booking.user_id))
        if entry.staff_id:
            lines.append(self.tr("by staff %1").replace("%1", entry.staff_id))
        return "\n".join(lines)

    def selected(self) -> Refusal | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _selection_changed(self) -> None:
        selected = self.selected()
        self.done_button.setEnabled(selected is not None)
        self.group_button.setEnabled(selected is not None and selected.user_id is not None)

    def show_group(self) -> None:
        """Open the group of the selected change in 団体, to phone them."""
        selected = self.selected()
        if selected is None or selected.user_id is None:
            return
        show_view = getattr(self.window(), "show_view", None)
        view = show_view("groups") if callable(show_view) else None
        if isinstance(view, GroupsView):
            view.search.query.setText(selected.user_id)
            view.search.search_now()

    # --- resolving -----------------------------------------------------------------------

    def resolve_selected(self) -> None:
        entry = self.selected()
        if entry is None or (self.confirm_box is not None and self.confirm_box.isVisible()):
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Mark as dealt with"),
            self.tr("Has this been dealt with? It leaves the list.") + "\n\n" + self.what(entry),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("resolveConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        self.confirm_box = box
        mutation_id = entry.mutation_id

        def answered(_code: int) -> None:
            self.confirm_box = None
            yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
            box.deleteLater()
            if yes:
                self._resolve(mutation_id)

        box.finished.connect(answered)
        box.open()

    def _resolve(self, mutation_id: int) -> None:
        ops = self.ctx.ops

        def done(_: object) -> None:
            self.message.show_message("success", self.tr("Marked as dealt with."))
            self.refresh()
            # The header's count of refusals comes with the next sync status.
            self.ctx.sync.nudge()

        run_for(self, self.ctx, lambda: ops.resolve_attention(mutation_id), done, self._failed)
