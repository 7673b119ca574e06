"""団体 (groups): find a group as staff type, see its registration, its bookings here and what
it has left this month; register, change or de-register it.

Searching reads this desk's cache (on the cache thread, through tasks); a group not kept here
can be looked up at the reservation system by its user id. Showing a group's details is
personal data on screen, so each group shown is an audit event (DESIGN.md §5).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from center_desk.protocol.groups import (
    GroupOut,
    GroupRegistered,
    GroupSummary,
    LookupReason,
)
from center_desk.store.groups import CachedGroup

from ...context import DeskContext
from ...dialogs.group_form import GroupFormDialog
from ...dialogs.registration_done import RegistrationDoneDialog
from ...widgets.background import run_for
from ...widgets.group_search import GroupSearchBox, cached_from_out, looks_like_user_id
from ...widgets.message_bar import MessageBar
from .deregister import DeregisterDialog
from .details import GroupDetails
from .showing import GroupsShowing


class GroupsView(GroupsShowing):
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

    # --- look-up at the backend ----------------------------------------------------------

    def search_all(self) -> None:
        """Every center's groups at the reservation system, with the reason chosen (if any)."""
        text = self.search.query.text().strip()
        if not text:
            return
        ops = self.ctx.ops
        reason = self.lookup_reason.currentData()
        self.search_all_button.setEnabled(False)

        def found(hits: list[GroupSummary]) -> None:
            self.search_all_button.setEnabled(True)
            if self.search.query.text().strip() != text:
                return  # staff typed on meanwhile
            self._remote_query = text
            self.remote_results.clear()
            for hit in hits:
                label = f"{hit.name}\n{hit.furigana}\n{hit.user_id}"
                if hit.representative_name:
                    label += "\n" + self.tr("representative %1").replace(
                        "%1", hit.representative_name
                    )
                if hit.registered_elsewhere:
                    label += self.tr(" (another center)")
                if not hit.active:
                    label += self.tr(" (de-registered)")
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, hit.user_id)
                self.remote_results.addItem(item)
            self.remote_results.setVisible(bool(hits))
            if hits:
                self.message.clear_message()
            else:
                self.message.show_message(
                    "info",
                    self.tr("No group at any center matches.")
                    + (
                        ""
                        if reason
                        else "\n"
                        + self.tr(
                            "Another center's group is found by a person's name or phone "
                            "only with a reason for the look-up: choose one and search again."
                        )
                    ),
                )

        def failed(error: BaseException) -> None:
            self.search_all_button.setEnabled(True)
            self._error(error)

        run_for(self, self.ctx, lambda: ops.search_groups(text, reason), found, failed)

    def _remote_chosen(self, item: QListWidgetItem) -> None:
        user_id = str(item.data(Qt.ItemDataRole.UserRole))
        if self._fetching == user_id:
            return  # a double click is one look-up (each counts against the desk's limit)
        self._fetch(user_id, self.lookup_reason.currentData())

    def look_up(self) -> None:
        user_id = looks_like_user_id(self.search.query.text())
        if user_id is None:
            return
        self._fetch(user_id, self.lookup_reason.currentData())

    def _fetch(self, user_id: str, reason: LookupReason | None) -> None:
        ops = self.ctx.ops
        self.lookup_button.setEnabled(False)
        self._fetching = user_id

        def found(group: GroupOut) -> None:
            self._fetching = None
            self.lookup_button.setEnabled(True)
            self.lookup_button.hide()
            self.search_all_button.hide()
            self.remote_results.hide()
            self.lookup_reason.hide()
            self.lookup_reason.setCurrentIndex(-1)
            # The backend audited this look-up and lets this desk keep the group: the next
            # sync brings it into the cache.
            self._audited = group.user_id
            self.show_group(cached_from_out(group))
            self.message.show_message(
                "info", self.tr("Found at the reservation system; this desk keeps it from now on.")
            )
            self.ctx.sync.nudge()

        def failed(error: BaseException) -> None:
            self._fetching = None
            self.lookup_button.setEnabled(True)
            self._error(error)

        run_for(self, self.ctx, lambda: ops.fetch_group(user_id, reason), found, failed)

    # --- registration, change, de-registration -------------------------------------------

    def register_new(self) -> None:
        self._open_form(None)

    def walk_in_for_selected(self) -> None:
        """直前予約 for the group on screen (issue 5: "from a free cell or from a group")."""
        from ...dialogs.walk_in import WalkInDialog

        if self.group is not None:
            dialog = WalkInDialog(
                self.ctx, user_id=self.group.user_id, looked_up=self.group, parent=self.window()
            )
            dialog.open()

    def change_selected(self) -> None:
        if self.group is not None:
            self._open_form(self.group)

    def open_form(self, existing: CachedGroup | None) -> None:
        """The registration form: new (None) or a change of ``existing``'s registration."""
        self._open_form(existing)

    def _open_form(self, existing: CachedGroup | None) -> None:
        if self.form_dialog is not None and self.form_dialog.isVisible():
            self.form_dialog.raise_()
            return
        dialog = GroupFormDialog(self.ctx, self.window(), existing=existing)
        self.form_dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.orphan_saved = self._saved
        dialog.finished.connect(lambda _code: self._form_closed(dialog))
        dialog.resize(*self._dialog_size())
        dialog.open()

    def _dialog_size(self) -> tuple[int, int]:
        """Nearly the whole counter screen (1366×768 less the taskbar): the paper form has
        three columns and staff should not have to scroll it."""
        window = self.window().size()
        screen = self.screen().availableGeometry().size()
        width = max(window.width(), screen.width())
        height = max(window.height(), screen.height())
        return min(1300, width - 40), min(690, height - 40)

    def _form_closed(self, dialog: GroupFormDialog) -> None:
        if self.form_dialog is dialog:
            self.form_dialog = None
        dialog.deleteLater()

    def _saved(self, result: object) -> None:
        self.ctx.sync.nudge()
        if isinstance(result, GroupRegistered):
            self._audited = result.group.user_id
            # Shown from the backend's answer: the cache has it after the next sync.
            self.show_group(cached_from_out(result.group))
            self._pending_done = result
            QTimer.singleShot(0, self._show_done_again)
        elif isinstance(result, GroupOut):
            self.show_group(cached_from_out(result))
            self.message.show_message("success", self.tr("The changes were saved."))

    def _show_done_again(self) -> None:
        registered = self._pending_done
        if registered is None or self._done_dialog is not None or not self.isVisible():
            return
        dialog = RegistrationDoneDialog(self.ctx, registered, self.window())
        self._done_dialog = dialog

        def closed(_code: int) -> None:
            self._done_dialog = None
            if dialog.acknowledged:
                self._pending_done = None
            dialog.deleteLater()

        dialog.finished.connect(closed)
        dialog.open()

    def deregister_selected(self) -> None:
        if self.group is not None:
            self.deregister(self.group)

    def deregister(self, group: CachedGroup, reason: str = "") -> None:
        """登録廃止 for ``group``, the reason prefilled (after a lock closed the dialog)."""
        if not group.active:
            return
        dialog = DeregisterDialog(group, self.window())
        dialog.reason.setText(reason)

        def decided(code: int) -> None:
            reason = dialog.reason.text().strip()
            dialog.deleteLater()
            if code != QDialog.DialogCode.Accepted or not reason:
                return
            ops = self.ctx.ops
            user_id = group.user_id

            def done(out: GroupOut) -> None:
                self.ctx.sync.nudge()
                self.show_group(cached_from_out(out))
                self.message.show_message("success", self.tr("The group was de-registered."))

            run_for(
                self, self.ctx, lambda: ops.deregister_group(user_id, reason), done, self._error
            )

        dialog.finished.connect(decided)
        dialog.open()
