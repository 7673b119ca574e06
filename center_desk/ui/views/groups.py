"""団体 (groups): find a group as staff type, see its registration, its bookings here and what
it has left this month; register, change or de-register it.

Searching reads this desk's cache (on the cache thread, through tasks); a group not kept here
can be looked up at the reservation system by its user id. Showing a group's details is
personal data on screen, so each group shown is an audit event (DESIGN.md §5).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    GroupForm,
    Person,
    format_era_date,
    format_era_month,
    format_short_date,
    tokyo_date,
)
from center_desk.protocol.groups import (
    GroupOut,
    GroupRegistered,
    GroupSummary,
    LookupReason,
    PersonOut,
)
from center_desk.protocol.reservations import QuotaOut
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached_reservations
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation
from center_desk.sync.errors import NeedsBackend

from .. import messages
from ..context import DeskContext
from ..dialogs.group_form import GroupFormDialog, MessageBar, exemption_label, run_for
from ..dialogs.registration_done import RegistrationDoneDialog

log = logging.getLogger("center_desk.ui.groups")

#: Wait this long after the last key before searching: one search per pause, not per key.
SEARCH_DEBOUNCE_MS = 250
#: Bookings shown from this many days back (the cache keeps 30).
BOOKINGS_SINCE_DAYS = 30


def cached_from_out(group: GroupOut) -> CachedGroup:
    """A group as the backend sent it, in the shape the cache gives (for showing it)."""

    def person(p: PersonOut) -> Person:
        return Person(p.name, p.furigana, p.postal_code, p.address, p.phone, p.email)

    return CachedGroup(
        user_id=group.user_id,
        form=GroupForm(
            name=group.name,
            furigana=group.furigana,
            activity=group.activity,
            member_count=group.member_count,
            kodaira_member_count=group.kodaira_member_count,
            representative_is_resident=group.representative_is_resident,
            representative=person(group.representative),
            responsible=person(group.responsible),
            fee_exemption=group.fee_exemption,
            fee_exemption_note=group.fee_exemption_note,
        ),
        valid_until=group.valid_until,
        active=group.active,
    )


def quota_text(quota: QuotaOut) -> str:
    """What the group has left for a use-month, saying what each count counts: lottery
    entries at every center (2 a month), and lottery and first-come bookings at this center
    (4 a month, lottery wins included)."""
    return (
        QCoreApplication.translate(
            "GroupsView",
            "%1: lottery entries (all centers) %2 of %3 left, %4 entered · lottery and "
            "first-come bookings here %5 of %6 left, %7 booked",
        )
        .replace("%1", format_era_month(*(int(part) for part in quota.month.split("-"))))
        .replace("%2", str(max(0, quota.lottery_limit - quota.lottery_entries)))
        .replace("%3", str(quota.lottery_limit))
        .replace("%4", str(quota.lottery_entries))
        .replace("%5", str(max(0, quota.center_limit - quota.center_bookings)))
        .replace("%6", str(quota.center_limit))
        .replace("%7", str(quota.center_bookings))
    )


def quota_error_text(error: BaseException) -> str:
    if isinstance(error, NeedsBackend):
        return QCoreApplication.translate("GroupsView", "Remaining quota: unknown while offline.")
    return QCoreApplication.translate(
        "GroupsView", "Remaining quota: could not be read (%1)."
    ).replace("%1", messages.for_error(error).sentence)


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


class GroupDetails(QWidget):
    """A group's registration as the paper form has it, without editing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.name = QLabel("", self)
        self.name.setObjectName("groupName")
        self.name.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.name.setWordWrap(True)
        self.state = QLabel("", self)
        self.state.setObjectName("groupState")
        top.addWidget(self.name, 1)
        top.addWidget(self.state, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.subtitle = QLabel("", self)
        self.subtitle.setObjectName("groupSubtitle")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.subtitle)
        columns = QHBoxLayout()
        self.group_box, self.group_rows = self._box(
            self.tr("Group"),
            [
                ("activity", self.tr("Activity")),
                ("members", self.tr("Members")),
                ("resident", self.tr("Representative")),
                ("exemption", self.tr("Fee exemption")),
            ],
        )
        people = [
            ("name", self.tr("Name")),
            ("address", self.tr("Address")),
            ("phone", self.tr("Phone")),
            ("email", self.tr("E-mail")),
        ]
        self.rep_box, self.rep_rows = self._box(self.tr("Representative"), people)
        self.resp_box, self.resp_rows = self._box(self.tr("Person responsible"), people)
        for box in (self.group_box, self.rep_box, self.resp_box):
            columns.addWidget(box, 1)
        layout.addLayout(columns)

    def _box(self, title: str, rows: list[tuple[str, str]]) -> tuple[QGroupBox, dict[str, QLabel]]:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        labels: dict[str, QLabel] = {}
        for key, text in rows:
            value = QLabel("", box)
            value.setObjectName(f"detail:{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(text, value)
            labels[key] = value
        return box, labels

    def show_group(self, group: CachedGroup) -> None:
        form = group.form
        self.name.setText(group.name)
        if group.active:
            self.state.setText(
                self.tr("Registered · valid until %1").replace(
                    "%1", format_era_date(group.valid_until, weekday=False)
                )
            )
            self.state.setStyleSheet("color: #1e5631; font-weight: bold;")
        else:
            self.state.setText(self.tr("De-registered"))
            self.state.setStyleSheet("color: #b00020; font-weight: bold;")
        self.subtitle.setText(
            self.tr("%1 · User ID %2").replace("%1", form.furigana).replace("%2", group.user_id)
        )
        self.group_rows["activity"].setText(form.activity)
        self.group_rows["members"].setText(
            self.tr("%1 (in Kodaira %2)")
            .replace("%1", str(form.member_count))
            .replace("%2", str(form.kodaira_member_count))
        )
        self.group_rows["resident"].setText(
            self.tr("Lives, works or studies in Kodaira")
            if form.representative_is_resident
            else self.tr("Not in Kodaira")
        )
        exemption = exemption_label(form.fee_exemption)
        if form.fee_exemption_note:
            exemption += f"（{form.fee_exemption_note}）"
        self.group_rows["exemption"].setText(exemption)
        for person, rows in (
            (form.representative, self.rep_rows),
            (form.responsible, self.resp_rows),
        ):
            rows["name"].setText(f"{person.name}（{person.furigana}）")
            rows["address"].setText(f"〒{person.postal_code}\n{person.address}")
            rows["phone"].setText(person.phone)
            rows["email"].setText(person.email or self.tr("(none)"))


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


class GroupsView(QWidget):
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

    # --- view protocol -------------------------------------------------------------------

    def refresh(self) -> None:
        """After a sync: the same search again and the shown group's fresh data (not audited
        again: it is the same group on screen)."""
        if not self.isVisible():
            # Every sync refreshes every view; a hidden one catches up when it is shown, so
            # the backend is not asked for quotas nobody is looking at.
            self._stale = True
            return
        self._stale = False
        if self.search.query.text().strip():
            self.search.search_now()
        if self.group is not None:
            self._load_group(self.group.user_id)

    def focus_search(self) -> None:
        self.search.query.setFocus()
        self.search.query.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            # Keyboard first: a tab switch lands in the search field.
            QTimer.singleShot(0, self.focus_search)
        if self._pending_done is not None and self._done_dialog is None:
            # The lock closed the password dialog before staff acknowledged it: show it again
            # now that a signed-in member of staff is back.
            QTimer.singleShot(0, self._show_done_again)

    # --- choosing and showing ------------------------------------------------------------

    def _searched(self, text: str, hits: int) -> None:
        user_id = looks_like_user_id(text)
        nothing_here = hits == 0 and bool(text)
        if self._remote_query != text:
            self._remote_query = None
            self.remote_results.clear()
            self.remote_results.hide()
        if nothing_here and user_id is not None:
            self.lookup_button.setText(
                self.tr("Look up %1 at the reservation system").replace("%1", user_id)
            )
        elif nothing_here:
            self.search_all_button.setText(
                self.tr("Search every center for “%1”").replace("%1", text)
            )
        self.lookup_button.setVisible(nothing_here and user_id is not None)
        self.search_all_button.setVisible(nothing_here and user_id is None)
        self.lookup_reason.setVisible(nothing_here)

    def _chosen(self, group: CachedGroup | None) -> None:
        if group is None:
            return
        self.show_group(group)

    def show_group(self, group: CachedGroup) -> None:
        self.group = group
        self.message.clear_message()
        self.placeholder.hide()
        self.detail_panel.show()
        self.details.show_group(group)
        self.change_button.setEnabled(True)
        self.walk_in_button.setEnabled(group.active)
        self.deregister_button.setEnabled(group.active)
        if self._audited != group.user_id:
            self._audited = group.user_id
            user_id = group.user_id
            ops = self.ctx.ops
            run_for(
                self,
                self.ctx,
                lambda: ops.record_audit("group_viewed", user_id),
                on_error=lambda e: log.warning("audit not recorded: %s", type(e).__name__),
            )
        self._load_bookings(group.user_id)
        self._load_quota(group.user_id)

    def _load_group(self, user_id: str) -> None:
        db = self.ctx.db

        def loaded(group: CachedGroup | None) -> None:
            if group is not None and self.group is not None and self.group.user_id == user_id:
                self.group = group
                self.details.show_group(group)
                self.deregister_button.setEnabled(group.active)
                self._load_bookings(user_id)
                self._load_quota(user_id)

        run_for(
            self,
            self.ctx,
            lambda: db.call(lambda conn: cached_groups.get(conn, user_id)),
            loaded,
            self._error,
        )

    def _load_bookings(self, user_id: str) -> None:
        since = tokyo_date(self.ctx.clock.now()) - timedelta(days=BOOKINGS_SINCE_DAYS)
        db = self.ctx.db

        def loaded(rows: list[CachedReservation]) -> None:
            if self.group is None or self.group.user_id != user_id:
                return
            self._fill_bookings(rows)

        run_for(
            self,
            self.ctx,
            lambda: db.call(lambda conn: cached_reservations.for_group(conn, user_id, since)),
            loaded,
            self._error,
        )

    def _fill_bookings(self, rows: list[CachedReservation]) -> None:
        today = tokyo_date(self.ctx.clock.now())
        # What is coming first (what staff are asked about), then the past, latest first.
        upcoming = [r for r in rows if r.use_date >= today]
        past = sorted((r for r in rows if r.use_date < today), key=lambda r: r.use_date)
        rows = upcoming + past[::-1]
        self.bookings.setRowCount(len(rows))
        for row, booking in enumerate(rows):
            slot = self.ctx.slot(booking.slot_id)
            cells = [
                format_short_date(booking.use_date),
                slot.label if slot else booking.slot_id,
                self.ctx.room_name(booking.room_id),
                self._kind_text(booking.kind),
                self._state_text(booking),
                booking.approval_number,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if booking.use_date < today or not booking.live:
                    item.setForeground(Qt.GlobalColor.gray)
                self.bookings.setItem(row, column, item)
        if not rows:
            self.bookings.setRowCount(1)
            item = QTableWidgetItem(self.tr("No bookings at this center"))
            item.setForeground(Qt.GlobalColor.gray)
            self.bookings.setItem(0, 0, item)
            self.bookings.setSpan(0, 0, 1, 6)
        else:
            self.bookings.clearSpans()

    def _kind_text(self, kind: str) -> str:
        return {
            "lottery": self.tr("Lottery"),
            "first_come": self.tr("First-come"),
            "last_minute": self.tr("Walk-in"),
        }.get(kind, kind)

    def _state_text(self, booking: CachedReservation) -> str:
        text = {
            "booked": self.tr("Booked"),
            "used": self.tr("Used"),
            "no_show": self.tr("No-show"),
            "cancelled": self.tr("Cancelled"),
        }.get(booking.status, booking.status)
        if booking.sync_state == "pending":
            text += self.tr(" (waiting to sync)")
        elif booking.sync_state == "rejected":
            text += self.tr(" (refused)")
        return text

    def _load_quota(self, user_id: str) -> None:
        ops = self.ctx.ops
        today = tokyo_date(self.ctx.clock.now())

        def loaded(quota: QuotaOut) -> None:
            if self.group is not None and self.group.user_id == user_id:
                self.quota.setText(self.tr("Remaining this month — ") + quota_text(quota))

        def failed(error: BaseException) -> None:
            if self.group is not None and self.group.user_id == user_id:
                self.quota.setText(quota_error_text(error))

        self.quota.setText(self.tr("Remaining quota: asking the reservation system…"))
        run_for(self, self.ctx, lambda: ops.quota(user_id, today), loaded, failed)

    def _error(self, error: BaseException) -> None:
        log.warning("groups view: %s", type(error).__name__)
        self.message.show_message("error", messages.for_error(error).text())

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
        from ..dialogs.walk_in import WalkInDialog

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
