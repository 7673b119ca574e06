"""団体 (groups): find a group as staff type, see its registration, its bookings here and what
it has left this month; register, change or de-register it.

Searching reads this desk's cache (on the cache thread, through tasks); a group not kept here
can be looked up at the reservation system by its user id. Showing a group's details is
personal data on screen, so each group shown is an audit event (DESIGN.md §5).

This module lays the view out. Choosing and showing a group is showing.py, the look-up at the
reservation system lookup.py, and registering, changing and de-registering registration.py.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from center_desk.protocol.groups import GroupRegistered
from center_desk.store.groups import CachedGroup

from ...context import DeskContext
from ...dialogs.group_form import GroupFormDialog
from ...dialogs.registration_done import RegistrationDoneDialog
from ...widgets.group_search import GroupSearchBox
from ...widgets.message_bar import MessageBar
from .details import GroupDetails
from .lookup import GroupsLookup
from .registration import GroupsRegistration


class GroupsView(GroupsLookup, GroupsRegistration):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self.group: CachedGroup | None = None
        self._audited: str | None = None
        self._pending_done: GroupRegistered | None = None
        #: The query the backend search list (remoteResults) answers, if it is shown.
        self._remote_query: str | None = None
        self._fetching: str | None = None
        self._done_dialog: RegistrationDoneDialog | None = None
        self.form_dialog: GroupFormDialog | None = None

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        self.search = GroupSearchBox(ctx, left)
        self.search.chosen.connect(self._chosen)
        self.search.searched.connect(self._searched)
        left_layout.addWidget(self.search, 1)
        self.lookup_button = QPushButton("", left)
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.setToolTip(
            self.tr("Ask the reservation system for a group this desk does not keep")
        )
        self.lookup_button.clicked.connect(self.look_up)
        self.lookup_button.hide()
        # A group registered at another center is read only with a reason (the backend
        # audits it and bounds how often a desk may do so).
        self.lookup_reason = QComboBox(left)
        self.lookup_reason.setObjectName("lookupReason")
        self.lookup_reason.setPlaceholderText(self.tr("Why look it up? (another center's group)"))
        for code, label in (
            ("walk_in", self.tr("Walk-in booking")),
            ("registration_check", self.tr("Checking the registration")),
            ("proxy_booking", self.tr("Lottery or first-come booking for the group")),
            ("change", self.tr("Change of registration")),
            ("inquiry", self.tr("Question from the group")),
        ):
            self.lookup_reason.addItem(label, code)
        self.lookup_reason.setCurrentIndex(-1)
        self.lookup_reason.hide()
        left_layout.addWidget(self.lookup_reason)
        left_layout.addWidget(self.lookup_button)
        # Nothing here matches a name or phone: the reservation system searches every
        # center. Without a reason another center's group is found by its name or user id
        # only and shows no one's name; with one it is a counted, audited look-up.
        self.search_all_button = QPushButton("", left)
        self.search_all_button.setObjectName("searchAllButton")
        self.search_all_button.setToolTip(
            self.tr(
                "Search the groups of every center; another center's group shows its "
                "representative and can be found by phone only with a reason"
            )
        )
        self.search_all_button.clicked.connect(self.search_all)
        self.search_all_button.hide()
        left_layout.addWidget(self.search_all_button)
        self.remote_results = QListWidget(left)
        self.remote_results.setObjectName("remoteResults")
        self.remote_results.setAlternatingRowColors(True)
        self.remote_results.setFixedHeight(150)
        self.remote_results.setWordWrap(True)
        self.remote_results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.remote_results.itemActivated.connect(self._remote_chosen)
        self.remote_results.itemClicked.connect(self._remote_chosen)
        self.remote_results.hide()
        left_layout.addWidget(self.remote_results)
        self.new_button = QPushButton(self.tr("Register a new group…"), left)
        self.new_button.setObjectName("newGroupButton")
        self.new_button.setToolTip(self.tr("Type in a registration form (Ctrl+N)"))
        self.new_button.clicked.connect(self.register_new)
        left_layout.addWidget(self.new_button)

        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 8, 8, 8)
        self.message = MessageBar(right)
        self.message.setObjectName("groupsMessage")
        right_layout.addWidget(self.message)
        self.placeholder = QLabel(
            self.tr(
                "Search for a group on the left, or register a new one.\n"
                "Hiragana works for furigana; phone numbers with or without hyphens."
            ),
            right,
        )
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #555;")
        right_layout.addWidget(self.placeholder, 1)

        self.detail_panel = QWidget(right)
        detail_layout = QVBoxLayout(self.detail_panel)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.details = GroupDetails(self.detail_panel)
        # At its natural height: the bookings below take what is left.
        detail_layout.addWidget(self.details, 0)
        self.quota = QLabel("", self.detail_panel)
        self.quota.setObjectName("quota")
        self.quota.setStyleSheet("font-weight: bold;")
        detail_layout.addWidget(self.quota)
        bookings_title = QLabel(self.tr("Bookings at this center"), self.detail_panel)
        bookings_title.setStyleSheet("font-weight: bold;")
        detail_layout.addWidget(bookings_title)
        self.bookings = QTableWidget(0, 6, self.detail_panel)
        self.bookings.setObjectName("groupBookings")
        self.bookings.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Slot"),
                self.tr("Room"),
                self.tr("Kind"),
                self.tr("State"),
                self.tr("Approval no."),
            ]
        )
        self.bookings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bookings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.bookings.verticalHeader().hide()
        self.bookings.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.bookings.horizontalHeader().setStretchLastSection(True)
        self.bookings.horizontalHeader().setMinimumSectionSize(72)
        detail_layout.addWidget(self.bookings, 1)
        actions = QGridLayout()
        self.change_button = QPushButton(self.tr("Change registration…"), self.detail_panel)
        self.change_button.setObjectName("changeButton")
        self.change_button.setToolTip(self.tr("Open the form with this group's details (Ctrl+E)"))
        self.change_button.clicked.connect(self.change_selected)
        self.deregister_button = QPushButton(self.tr("De-register…"), self.detail_panel)
        self.deregister_button.setObjectName("deregisterButton")
        self.deregister_button.clicked.connect(self.deregister_selected)
        self.walk_in_button = QPushButton(self.tr("Walk-in booking…"), self.detail_panel)
        self.walk_in_button.setObjectName("walkInButton")
        self.walk_in_button.setToolTip(self.tr("Book a slot in the next seven days for this group"))
        self.walk_in_button.clicked.connect(self.walk_in_for_selected)
        actions.addWidget(self.walk_in_button, 0, 0)
        actions.addWidget(self.change_button, 0, 1)
        actions.addWidget(self.deregister_button, 0, 2)
        actions.setColumnStretch(3, 1)
        detail_layout.addLayout(actions)
        self.detail_panel.hide()
        right_layout.addWidget(self.detail_panel, 1)

        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 1000])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self.register_new)
        QShortcut(QKeySequence("Ctrl+E"), self, self.change_selected)
        self.setTabOrder(self.search.query, self.search.results)
