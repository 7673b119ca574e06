"""本日 (today): the day's bookings at this center by slot and room, and the counter's work on
them: print both slips, check in, usage report, fee, cancel, no-show (issue 5).

A scanned approval slip (the scanner types the number and Enter) or a typed approval number
opens its booking, on whatever day it is. The board shows only group names; the details,
which show the representative and the person responsible, are audited when opened.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import tokyo_date

from ...context import DeskContext
from ...dates import DATE_INPUT_FORMAT
from .board import COLUMNS, DayBoard
from .counter_work import TodayCounterWork


class TodayView(TodayCounterWork):
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
