"""The groups view's right-hand side: the chosen group's registration, its bookings here and
what it has left this month (each group shown is an audit event, DESIGN.md §5)."""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from center_desk.domain import (
    format_short_date,
    tokyo_date,
)
from center_desk.protocol.groups import (
    GroupRegistered,
)
from center_desk.protocol.reservations import QuotaOut
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached_reservations
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation

from ... import messages
from ...context import DeskContext
from ...dialogs.group_form import GroupFormDialog
from ...dialogs.registration_done import RegistrationDoneDialog
from ...widgets.background import run_for
from ...widgets.group_search import GroupSearchBox, looks_like_user_id
from ...widgets.message_bar import MessageBar
from ...widgets.quota_words import quota_error_text, quota_text
from .details import GroupDetails

log = logging.getLogger("center_desk.ui.groups")

#: Bookings shown from this many days back (the cache keeps 30).
BOOKINGS_SINCE_DAYS = 30


class GroupsShowing(QWidget):
    """Choosing a group and showing it; :class:`~.view.GroupsView` lays it out and adds the
    look-up at the backend and registration."""

    # Set up by GroupsView.__init__; declared here so each part of the view is typed.
    ctx: DeskContext
    group: CachedGroup | None
    form_dialog: GroupFormDialog | None
    _stale: bool
    _audited: str | None
    _pending_done: GroupRegistered | None
    _remote_query: str | None
    _fetching: str | None
    _done_dialog: RegistrationDoneDialog | None
    search: GroupSearchBox
    lookup_button: QPushButton
    lookup_reason: QComboBox
    search_all_button: QPushButton
    remote_results: QListWidget
    new_button: QPushButton
    message: MessageBar
    placeholder: QLabel
    detail_panel: QWidget
    details: GroupDetails
    quota: QLabel
    bookings: QTableWidget
    change_button: QPushButton
    deregister_button: QPushButton
    walk_in_button: QPushButton

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

    # --- what registration does (GroupsView) ------------------------------------------------

    def _show_done_again(self) -> None:
        raise NotImplementedError
