"""抽選・先着 (lottery and first-come by proxy): for citizens without a device, staff answer
"when can I book 2月15日?" at once, and enter the lottery or book first-come for the group.

The windows come from the domain rules and this center's closed days, on the desk's clock (the
backend's clock decides; the header warns when they differ). Both proxies compete with online
users, so they need the backend: offline, the view says so instead of queueing them.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    ApplicationWindows,
    CenterCalendar,
    tokyo_date,
)
from center_desk.store.groups import CachedGroup

from ...context import DeskContext
from ...widgets.cells import Cell
from ...widgets.group_search import GroupSearchBox
from ...widgets.message_bar import MessageBar
from .applying import ProxyApplying
from .days import DateField
from .state import ProxyRequest


class ProxyView(ProxyApplying):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self.calendar = CenterCalendar()  # the regular closed days until the cache answers
        self.use_date: date | None = None
        self.windows: ApplicationWindows | None = None
        self.group: CachedGroup | None = None
        self.online: bool | None = None
        self._request_ids: dict[ProxyRequest, uuid.UUID] = {}
        self._busy = False

        columns = QHBoxLayout(self)
        columns.setContentsMargins(8, 8, 8, 8)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        left.addWidget(self._windows_box(), 0)
        left.addWidget(self._day_box(), 0)
        left.addWidget(self._results_box(), 1)
        right.addWidget(self._group_box(), 1)
        right.addWidget(self._application_box(), 0)

        QShortcut(QKeySequence("Ctrl+D"), self, self.focus_date)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_group)
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, self.enter_lottery)
        QShortcut(QKeySequence("Ctrl+Shift+B"), self, self.book_first_come)
        ctx.sync.status_changed.connect(self._sync_status)
        # The order staff work in: the date, the group, the application, then the entries.
        chain = [
            self.date_field,
            self.search.query,
            self.search.results,
            self.room,
            self.slot,
            self.headcount,
            self.purpose,
            self.lottery_button,
            self.first_come_button,
            self.results,
        ]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self._date_typed_by_staff = False
        self.set_use_date(self.first_open_day(tokyo_date(ctx.clock.now()) + timedelta(days=35)))

    # --- building ------------------------------------------------------------------------

    def _windows_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("When can it be booked?"), self)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Use date"), box))
        self.date_field = DateField(self)
        self.date_field.setObjectName("useDate")
        self.date_field.setPlaceholderText(self.tr("e.g. 2/15"))
        self.date_field.setToolTip(
            self.tr("Type 2/15, 2月15日 or 2027/2/15 (Ctrl+D); Up/Down: a day, PgUp/PgDn: a month")
        )
        self.date_field.setMaximumWidth(170)
        self.date_field.textEdited.connect(self._date_typed)
        row.addWidget(self.date_field)
        self.date_label = QLabel("", box)
        self.date_label.setObjectName("useDateEra")
        self.date_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        row.addWidget(self.date_label, 1)
        layout.addLayout(row)
        self.closed_note = MessageBar(box)
        self.closed_note.setObjectName("closedNote")
        layout.addWidget(self.closed_note)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.window_rows: dict[str, tuple[QLabel, QLabel]] = {}
        names = (
            ("lottery", self.tr("Lottery")),
            ("first_come", self.tr("First-come")),
            ("counter", self.tr("Counter only")),
        )
        for index, (key, title) in enumerate(names):
            name = QLabel(title, box)
            name.setStyleSheet("font-weight: bold;")
            period = QLabel("", box)
            period.setObjectName(f"window:{key}")
            period.setWordWrap(True)
            state = QLabel("", box)
            state.setObjectName(f"state:{key}")
            grid.addWidget(name, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(period, index, 1)
            grid.addWidget(state, index, 2, Qt.AlignmentFlag.AlignTop)
            self.window_rows[key] = (period, state)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.now_label = QLabel("", box)
        self.now_label.setObjectName("openNow")
        self.now_label.setWordWrap(True)
        layout.addWidget(self.now_label)
        return box

    def _day_box(self) -> QGroupBox:
        """The chosen day's rooms and slots, coloured as in 空き状況: staff see a taken slot
        before they press 先着予約する."""
        box = QGroupBox(self.tr("That day at this center"), self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 4, 6, 4)
        self.day_grid = QTableWidget(0, 0, box)
        self.day_grid.setObjectName("proxyDayGrid")
        self.day_grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.day_grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.day_grid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.day_grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.day_grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.day_grid.verticalHeader().setDefaultSectionSize(24)
        self.day_grid.cellClicked.connect(self._day_cell_clicked)
        layout.addWidget(self.day_grid)
        self.day_cells: dict[tuple[str, str], Cell] = {}
        return box

    def _results_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("The group's lottery entries"), self)
        layout = QVBoxLayout(box)
        self.results_note = QLabel(self.tr("Choose a group to see its entries."), box)
        self.results_note.setObjectName("resultsNote")
        self.results_note.setWordWrap(True)
        layout.addWidget(self.results_note)
        self.results = QTableWidget(0, 4, box)
        self.results.setObjectName("lotteryResults")
        self.results.setHorizontalHeaderLabels(
            [self.tr("Use date"), self.tr("Room"), self.tr("Slot"), self.tr("Result")]
        )
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(72)
        layout.addWidget(self.results, 1)
        return box

    def _group_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Group"), self)
        layout = QVBoxLayout(box)
        self.search = GroupSearchBox(self.ctx, box)
        self.search.chosen.connect(self.choose_group)
        layout.addWidget(self.search, 1)
        self.group_label = QLabel(self.tr("No group chosen"), box)
        self.group_label.setObjectName("chosenGroup")
        self.group_label.setStyleSheet("font-weight: bold;")
        self.group_label.setWordWrap(True)
        layout.addWidget(self.group_label)
        self.quota_label = QLabel("", box)
        self.quota_label.setObjectName("proxyQuota")
        self.quota_label.setWordWrap(True)
        layout.addWidget(self.quota_label)
        return box

    def _application_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Application"), self)
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.room = QComboBox(box)
        self.room.setObjectName("proxyRoom")
        self.room.currentIndexChanged.connect(lambda _i: self._room_changed())
        self.slot = QComboBox(box)
        self.slot.setObjectName("proxySlot")
        self.headcount = QSpinBox(box)
        self.headcount.setObjectName("proxyHeadcount")
        self.headcount.setRange(1, 1000)
        self.headcount.setValue(10)
        self.headcount.setSuffix(self.tr(" people"))
        self.purpose = QLineEdit(box)
        self.purpose.setObjectName("proxyPurpose")
        self.purpose.setMaxLength(200)
        form.addRow(self.tr("Room"), self.room)
        form.addRow(self.tr("Slot"), self.slot)
        form.addRow(self.tr("Headcount"), self.headcount)
        form.addRow(self.tr("Purpose"), self.purpose)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.lottery_button = QPushButton(self.tr("Enter the lottery"), box)
        self.lottery_button.setObjectName("lotteryButton")
        self.lottery_button.setToolTip(self.tr("Enter the group in the lottery (Ctrl+Shift+L)"))
        self.lottery_button.clicked.connect(self.enter_lottery)
        self.first_come_button = QPushButton(self.tr("Book first-come"), box)
        self.first_come_button.setObjectName("firstComeButton")
        self.first_come_button.setToolTip(self.tr("Book the slot for the group (Ctrl+Shift+B)"))
        self.first_come_button.clicked.connect(self.book_first_come)
        buttons.addWidget(self.lottery_button)
        buttons.addWidget(self.first_come_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.outcome = MessageBar(box)
        self.outcome.setObjectName("proxyOutcome")
        layout.addWidget(self.outcome)
        self.purpose.returnPressed.connect(self._enter_pressed)
        return box
