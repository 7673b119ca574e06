"""本日 (today): the day's bookings at this center by slot and room, and the counter's work on
them: print both slips, check in, usage report, fee, cancel, no-show (issue 5).

A scanned approval slip (the scanner types the number and Enter) or a typed approval number
opens its booking, on whatever day it is. The board shows only group names; the details,
which show the representative and the person responsible, are audited when opened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import AllowedActions, SlotDef, format_era_date, tokyo_date
from center_desk.domain import allowed_actions as reservation_actions
from center_desk.printing import PrintRecord
from center_desk.store import Connection
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from ..context import DeskContext
from ..dates import DATE_INPUT_FORMAT
from ..dialogs.day_actions import (
    ActionDialog,
    BookingDetailsDialog,
    CancelDialog,
    FeeDialog,
    NoShowDialog,
    UsageReportDialog,
)
from ..print_service import describe, print_service
from ..widgets.background import notify_changed
from ..widgets.booking_words import (
    ERROR_STYLE,
    closure_text,
    fee_text,
    holder_text,
    status_text,
    sync_text,
    time_range,
)

PENDING_BACKGROUND = QColor("#ffe8a3")
REFUSED_BACKGROUND = QColor("#f8c9cf")
CANCELLED_FOREGROUND = QColor("#8a8a8a")
SLOT_BACKGROUND = QColor("#e3ecf5")

COLUMNS = ("number", "time", "room", "holder", "people", "status", "fee", "sync")


def normalize_approval_number(text: str) -> str:
    """What a scanner or a hurried hand typed, as the cache stores it: full-width characters
    from a Japanese input method become ASCII, spaces go, letters are upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def allowed_actions(
    r: CachedReservation | None, slot: SlotDef | None, now: datetime
) -> AllowedActions:
    """Which actions make sense for a booking now: the guards the operations and the backend
    apply (domain/reservation.py), so an enabled action is one the counter will accept."""
    return reservation_actions(cached.facts(r, slot) if r is not None else None, now)


@dataclass(frozen=True)
class DayBoard:
    day: date
    bookings: list[CachedReservation]
    closure: str


class TodayView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board: DayBoard | None = None
        self.dialog: QDialog | None = None
        self._generation = 0
        self._select_after_load: str | None = None
        self._open_after_load = False
        today = tokyo_date(ctx.clock.now())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        top = QHBoxLayout()
        self.previous_day = self._tool_button(self.tr("◀"), self.tr("Previous day (Alt+Left)"))
        self.previous_day.clicked.connect(lambda: self._move_day(-1))
        self._shortcut("Alt+Left", lambda: self._move_day(-1))
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(DATE_INPUT_FORMAT)
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setToolTip(self.tr("The day shown (Alt+Left, Alt+Right, Ctrl+T for today)"))
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.next_day = self._tool_button(self.tr("▶"), self.tr("Next day (Alt+Right)"))
        self.next_day.clicked.connect(lambda: self._move_day(1))
        self._shortcut("Alt+Right", lambda: self._move_day(1))
        self.today_button = self._tool_button(self.tr("Today"), self.tr("Back to today (Ctrl+T)"))
        self.today_button.clicked.connect(self.show_today)
        self._shortcut("Ctrl+T", self.show_today)
        self.day_label = QLabel("", self)
        self.day_label.setObjectName("dayLabel")
        self.day_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        for widget in (self.previous_day, self.date_edit, self.next_day, self.today_button):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.day_label)
        top.addStretch(1)
        # 直前予約 starts here too, not only from the grid or a group's page (issue 12).
        self.walk_in_button = QPushButton(self.tr("Walk-in booking…"), self)
        self.walk_in_button.setObjectName("walkInButton")
        self.walk_in_button.setToolTip(self.tr("Book for a group at the counter (Ctrl+N)"))
        self.walk_in_button.setAutoDefault(False)
        self.walk_in_button.clicked.connect(self.start_walk_in)
        self._shortcut("Ctrl+N", self.start_walk_in)
        top.addWidget(self.walk_in_button)
        top.addSpacing(12)
        search_label = QLabel(self.tr("Approval number"), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("approvalSearch")
        self.search.setPlaceholderText(self.tr("Scan the slip or type the number"))
        self.search.setToolTip(
            self.tr("Scan an approval slip, or type its number and Enter (Ctrl+F)")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.returnPressed.connect(self.open_approval_number)
        search_label.setBuddy(self.search)
        top.addWidget(search_label)
        top.addWidget(self.search)
        layout.addLayout(top)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("board")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(
            [
                self.tr("Approval no."),
                self.tr("Time"),
                self.tr("Room"),
                self.tr("Group"),
                self.tr("People"),
                self.tr("Status"),
                self.tr("Fee"),
                self.tr("Sync"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(14)
        # Room to breathe: counter staff read this board at arm's length all day.
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 6px; }")
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # The group's name takes what is left; the others are sized to their text after each
        # load (_size_columns), so neither a cell nor a column title is ever cut.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("holder"), QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda _item, _col: self.open_details())
        self.tree.currentItemChanged.connect(lambda _a, _b: self._update_actions())
        layout.addWidget(self.tree, 1)

        self.actions_row = QHBoxLayout()
        # Enter on the board opens the details (itemActivated); a shortcut would take Enter
        # from the search field too, so the action only names the key.
        self.details_action = self._action(
            "details", self.tr("Details…"), "", self.open_details, shown=self.tr("Enter")
        )
        self.print_action = self._action(
            "print", self.tr("Print both slips"), "Ctrl+P", self.print_slips
        )
        self.preview_action = self._action(
            "preview", self.tr("Preview…"), "Ctrl+Shift+P", self.preview_slips
        )
        self.check_in_action = self._action("checkIn", self.tr("Check in"), "Ctrl+I", self.check_in)
        self.usage_action = self._action(
            "usage", self.tr("Usage report…"), "Ctrl+U", self.usage_report
        )
        self.fee_action = self._action("fee", self.tr("Fee received…"), "Ctrl+Y", self.record_fee)
        self.cancel_action = self._action(
            "cancel", self.tr("Cancel booking…"), "Ctrl+Delete", self.cancel_booking
        )
        self.no_show_action = self._action(
            "noShow", self.tr("No-show…"), "Ctrl+Shift+N", self.no_show
        )
        self.actions_row.addStretch(1)
        layout.addLayout(self.actions_row)

        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        self._shortcut(QKeySequence.StandardKey.Find, self.focus_search)

        self.setTabOrder(self.search, self.tree)
        ctx.listeners.append(self.refresh)
        self._update_actions()

    # --- building ---------------------------------------------------------------------------

    def _shortcut(self, keys: str | QKeySequence.StandardKey, slot: Callable[[], None]) -> QAction:
        """A key for this view only: other views may use the same keys for their own work,
        and only the view on screen should answer."""
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        return button

    def _action(
        self, name: str, text: str, shortcut: str, slot: Callable[[], None], *, shown: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        if shortcut:
            sequence = QKeySequence(shortcut)
            action.setShortcut(sequence)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text.rstrip('…')} ({shown})")
        action.triggered.connect(slot)
        self.addAction(action)
        button = QToolButton(self)
        button.setObjectName(f"{name}Button")
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumHeight(32)
        self.actions_row.addWidget(button)
        return action

    # --- loading ----------------------------------------------------------------------------

    @property
    def day(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def set_day(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def show_today(self) -> None:
        today = tokyo_date(self.ctx.clock.now())
        if self.day == today:
            self.refresh()
        else:
            self.set_day(today)

    def _move_day(self, delta: int) -> None:
        self.set_day(self.day + timedelta(days=delta))

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        day = self.day
        center_id = self.ctx.center_id

        def read(db: Connection) -> DayBoard:
            bookings = cached.between(db, center_id, day, day, include_cancelled=True)
            closure = cached_catalog.calendar(db, center_id).closure(day)
            return DayBoard(day, bookings, closure_text(closure) if closure else "")

        def load() -> DayBoard:
            return self.ctx.db.call(read)

        self.ctx.tasks.run(load, lambda board: self._loaded(generation, board), self._failed)

    def _loaded(self, generation: int, board: DayBoard) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        current = self.current_reservation()
        keep = self._select_after_load or (current.id if current else None)
        self.board = board
        self._fill(board)
        if keep is None or not self.select_reservation(keep):
            # Something is always selected, so the action keys work from the first moment.
            rows = self.rows()
            if rows:
                self.tree.setCurrentItem(rows[0])
        if self._select_after_load is not None and self._open_after_load:
            self._open_after_load = False
            self.open_details()
        self._select_after_load = None
        self._update_actions()

    def _fill(self, board: DayBoard) -> None:
        self.tree.clear()
        live = sum(1 for b in board.bookings if b.live)
        heading = f"{format_era_date(board.day)}  "
        if board.closure:
            heading += self.tr("Closed: %1").replace("%1", board.closure)
        else:
            heading += self.tr("%1 bookings").replace("%1", str(live))
        self.day_label.setText(heading)
        slots = list(self.ctx.slots)
        known = {s.id for s in slots}
        for extra in sorted({b.slot_id for b in board.bookings} - known):
            slots.append(SlotDef(extra, extra, datetime.min.time(), datetime.max.time()))
        room_order = (
            {room.id: i for i, room in enumerate(self.ctx.center.rooms)}
            if (self.ctx.center)
            else {}
        )
        bold = self.tree.font()
        bold.setBold(True)
        if not board.bookings:
            empty = QTreeWidgetItem(self.tree)
            empty.setText(0, self.tr("No bookings on this day."))
            empty.setFirstColumnSpanned(True)
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            return
        for slot in slots:
            rows = [b for b in board.bookings if b.slot_id == slot.id]
            rows.sort(key=lambda b: (room_order.get(b.room_id, 99), b.room_id, not b.live))
            header = QTreeWidgetItem(self.tree)
            count = sum(1 for b in rows if b.live)
            header.setText(
                0,
                self.tr("%1 %2 · %3 booked")
                .replace("%1", slot.label)
                .replace("%2", time_range(slot) if slot.id in known else "")
                .replace("%3", str(count)),
            )
            header.setFirstColumnSpanned(True)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setFont(0, bold)
            for column in range(len(COLUMNS)):
                header.setBackground(column, QBrush(SLOT_BACKGROUND))
            for booking in rows:
                self._add_row(header, booking, slot)
            header.setExpanded(True)
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.tree.header()
        title = self.tree.headerItem()
        metrics = header.fontMetrics()
        for index, name in enumerate(COLUMNS):
            if name == "holder" or title is None:
                continue
            needed = metrics.horizontalAdvance(title.text(index)) + 24
            header.resizeSection(index, max(self.tree.sizeHintForColumn(index), needed))

    def _add_row(self, parent: QTreeWidgetItem, r: CachedReservation, slot: SlotDef) -> None:
        item = QTreeWidgetItem(parent)
        people = str(r.headcount or "")
        if r.usage_headcount is not None:
            people = self.tr("%1 → %2").replace("%1", people).replace("%2", str(r.usage_headcount))
        values = (
            r.approval_number,
            time_range(slot) if slot.label != slot.id else "",
            self.ctx.room_name(r.room_id),
            holder_text(r),
            people,
            status_text(r),
            fee_text(r),
            sync_text(r),
        )
        for column, value in enumerate(values):
            item.setText(column, value)
        item.setData(0, Qt.ItemDataRole.UserRole, r.id)
        item.setTextAlignment(
            COLUMNS.index("people"), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        sync_column = COLUMNS.index("sync")
        if r.sync_state in ("pending", "rejected"):
            colour = PENDING_BACKGROUND if r.sync_state == "pending" else REFUSED_BACKGROUND
            item.setBackground(sync_column, QBrush(colour))
            bold = item.font(sync_column)
            bold.setBold(True)
            item.setFont(sync_column, bold)
        else:
            # Synced is the normal state: quiet, so the waiting ones stand out.
            item.setForeground(sync_column, QBrush(CANCELLED_FOREGROUND))
        if not r.live:
            for column in range(len(COLUMNS)):
                if column != sync_column:
                    item.setForeground(column, QBrush(CANCELLED_FOREGROUND))

    def _failed(self, error: BaseException) -> None:
        self.show_message(describe(error).text(), error=True)

    # --- selection --------------------------------------------------------------------------

    def current_reservation(self) -> CachedReservation | None:
        item = self.tree.currentItem()
        if item is None or self.board is None:
            return None
        rid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((b for b in self.board.bookings if b.id == rid), None)

    def rows(self) -> list[QTreeWidgetItem]:
        """The booking rows, in board order (slot headers left out)."""
        found: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    found.append(child)
        return found

    def select_reservation(self, reservation_id: str) -> bool:
        for item in self.rows():
            if item.data(0, Qt.ItemDataRole.UserRole) == reservation_id:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return True
        return False

    def _update_actions(self) -> None:
        r = self.current_reservation()
        allowed = allowed_actions(r, self.ctx.slot(r.slot_id) if r else None, self.ctx.clock.now())
        self.details_action.setEnabled(allowed.details)
        self.print_action.setEnabled(allowed.print)
        self.preview_action.setEnabled(allowed.print)
        self.check_in_action.setEnabled(allowed.check_in)
        self.usage_action.setEnabled(allowed.usage)
        self.fee_action.setEnabled(allowed.fee)
        self.cancel_action.setEnabled(allowed.cancel)
        self.no_show_action.setEnabled(allowed.no_show)

    def _context_menu(self, position: QPoint) -> None:
        if self.current_reservation() is None:
            return
        menu = QMenu(self)
        for action in (
            self.details_action,
            self.print_action,
            self.preview_action,
            None,
            self.check_in_action,
            self.usage_action,
            self.fee_action,
            None,
            self.cancel_action,
            self.no_show_action,
        ):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.tree.viewport().mapToGlobal(position))

    # --- the approval-number search ---------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def open_approval_number(self) -> None:
        number = normalize_approval_number(self.search.text())
        if not number:
            return

        def find() -> CachedReservation | None:
            return self.ctx.db.call(lambda db: cached.by_approval_number(db, number))

        self.ctx.tasks.run(find, lambda r: self._found(number, r), self._failed)

    def _found(self, number: str, r: CachedReservation | None) -> None:
        if r is None or r.center_id != self.ctx.center_id:
            self.show_message(
                self.tr("No booking numbered %1 is held at this desk.").replace("%1", number)
                + "\n"
                + self.tr("Check the number; bookings of other centers are not shown here."),
                error=True,
            )
            self.search.selectAll()
            return
        self.search.clear()
        self.hide_message()
        if r.use_date != self.day:
            # Select and open it once the other day has loaded.
            self._select_after_load = r.id
            self._open_after_load = True
            self.set_day(r.use_date)
            return
        if self.select_reservation(r.id):
            self.open_details()
        else:
            self._select_after_load = r.id
            self._open_after_load = True
            self.refresh()

    # --- actions ----------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()  # the previous one, closed by now
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self.tree.setFocus())
        dialog.open()

    def start_walk_in(self) -> None:
        """直前予約 for the day on the board (the dialog keeps to the counter window)."""
        from ..dialogs.walk_in import WalkInDialog

        self._open(WalkInDialog(self.ctx, day=self.day, parent=self))

    def open_details(self) -> None:
        r = self.current_reservation()
        if r is None:
            return
        dialog = BookingDetailsDialog(self.ctx, r, self)
        dialog.print_requested.connect(lambda: self._print([r.id], dialog))
        dialog.preview_requested.connect(lambda: self._preview(r.id))
        self._open(dialog)

    def print_slips(self) -> None:
        r = self.current_reservation()
        if r is not None and r.live:
            self._print([r.id], None)

    def _print(self, ids: list[str], details: BookingDetailsDialog | None) -> None:
        self.show_message(self.tr("Printing…"))

        def done(records: list[PrintRecord]) -> None:
            numbers = ", ".join(rec.approval_number or "" for rec in records)
            text = self.tr("Both slips sent to the printer: %1.").replace("%1", numbers)
            if any(rec.reprint for rec in records):
                text += " " + self.tr("Marked as a reprint.")
            self.show_message(text)
            if details is not None and details.isVisible():
                details.show_message(text)

        def failed(error: BaseException) -> None:
            self._failed(error)
            if details is not None and details.isVisible():
                details.show_message(describe(error).text(), error=True)

        print_service(self.ctx).print_slips(ids, done, failed)

    def preview_slips(self) -> None:
        r = self.current_reservation()
        if r is not None and r.live:
            self._preview(r.id)

    def _preview(self, reservation_id: str) -> None:
        def printed(records: list[PrintRecord]) -> None:
            self.show_message(
                self.tr("Both slips sent to the printer: %1.").replace(
                    "%1", ", ".join(rec.approval_number or "" for rec in records)
                )
            )

        print_service(self.ctx).preview(reservation_id, self, self._failed, printed)

    def check_in(self) -> None:
        r = self.current_reservation()
        if r is None:
            return
        name = holder_text(r)

        def done(_updated: CachedReservation) -> None:
            self.show_message(self.tr("Checked in: %1.").replace("%1", name))
            notify_changed(self.ctx)

        self.ctx.tasks.run(lambda: self.ctx.ops.check_in(r.id), done, self._failed)

    def _with_dialog(
        self, dialog_class: Callable[[DeskContext, CachedReservation, QWidget], ActionDialog]
    ) -> None:
        r = self.current_reservation()
        if r is None:
            return
        self._open(dialog_class(self.ctx, r, self))

    def usage_report(self) -> None:
        self._with_dialog(UsageReportDialog)

    def record_fee(self) -> None:
        self._with_dialog(FeeDialog)

    def cancel_booking(self) -> None:
        self._with_dialog(CancelDialog)

    def no_show(self) -> None:
        self._with_dialog(NoShowDialog)

    # --- messages ---------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20; padding: 4px;")
        self.message.setText(text)
        self.message.show()

    def hide_message(self) -> None:
        self.message.hide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The scanner types into whatever has focus: start where a scan belongs.
        if self.dialog is None or not self.dialog.isVisible():
            self.search.setFocus()
