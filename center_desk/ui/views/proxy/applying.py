"""The proxy view's group and application: the chosen group's standing and entries, and entering
the lottery or booking first-come for it (both need the backend)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QTableWidgetItem,
)

from center_desk.domain import (
    Phase,
    application_windows,
    format_era_date,
)
from center_desk.protocol.reservations import (
    LotteryEntryIn,
    LotteryEntryOut,
    QuotaOut,
    ReservationIn,
    ReservationOut,
)
from center_desk.store.groups import CachedGroup
from center_desk.sync.engine import SyncStatus

from ... import messages
from ...widgets.background import run_for
from ...widgets.quota_words import quota_error_text, quota_text
from .days import ProxyDays
from .state import ProxyRequest

log = logging.getLogger("center_desk.ui.proxy")


class ProxyApplying(ProxyDays):
    """The group, its quota and entries, and sending its application."""

    # --- the group -----------------------------------------------------------------------

    def choose_group(self, group: CachedGroup | None) -> None:
        if group is None:
            return
        changed = self.group is None or self.group.user_id != group.user_id
        self.group = group
        self.group_label.setText(
            self.tr("Applying for: %1 (user ID %2)")
            .replace("%1", group.name)
            .replace("%2", group.user_id)
        )
        if changed:
            self.purpose.setText(group.form.activity)
            self.outcome.clear_message()
        if not group.active:
            self.outcome.show_message("error", self._deregistered_text(group))
        self._load_group_state()

    def _deregistered_text(self, group: CachedGroup) -> str:
        return self.tr(
            "%1 is de-registered: it cannot book or enter the lottery. To book again it must "
            "register anew (Groups → Register a new group)."
        ).replace("%1", group.name)

    def _load_group_state(self) -> None:
        self._load_quota()
        self._load_results()

    def _load_quota(self) -> None:
        group, day = self.group, self.use_date
        if group is None or day is None:
            return
        user_id = group.user_id
        ops = self.ctx.ops

        def loaded(quota: QuotaOut) -> None:
            if self.group is not None and self.group.user_id == user_id:
                self.quota_label.setText(self.tr("Remaining — ") + quota_text(quota))

        def failed(error: BaseException) -> None:
            if self.group is not None and self.group.user_id == user_id:
                self.quota_label.setText(quota_error_text(error))

        self.quota_label.setText(self.tr("Remaining quota: asking the reservation system…"))
        run_for(self, self.ctx, lambda: ops.quota(user_id, day), loaded, failed)

    def _load_results(self) -> None:
        if self.group is None:
            return
        user_id = self.group.user_id
        ops = self.ctx.ops

        def loaded(entries: list[LotteryEntryOut]) -> None:
            if self.group is None or self.group.user_id != user_id:
                return
            self._fill_results(entries)

        def failed(error: BaseException) -> None:
            if self.group is None or self.group.user_id != user_id:
                return
            self.results.setRowCount(0)
            self.results_note.setText(messages.for_error(error).text())

        self.results_note.setText(self.tr("Asking the reservation system…"))
        run_for(self, self.ctx, lambda: ops.lottery_results(user_id), loaded, failed)

    def _fill_results(self, entries: list[LotteryEntryOut]) -> None:
        entries = sorted(entries, key=lambda e: (e.use_date, e.slot_id), reverse=True)
        self.results_note.setText(
            self.tr("Entries: %1").replace("%1", str(len(entries)))
            if entries
            else self.tr("No lottery entries.")
        )
        self.results.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            slot = self.ctx.slot(entry.slot_id)
            room = self.ctx.room_name(entry.room_id)
            if entry.center_id != self.ctx.center_id:
                room = self.tr("%1 (another center)").replace("%1", entry.room_id)
            cells = [
                format_era_date(entry.use_date),
                room,
                slot.label if slot else entry.slot_id,
                self._entry_state(entry),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the whole text, where the column cuts it short
                if entry.status == "won":
                    item.setForeground(Qt.GlobalColor.darkGreen)
                self.results.setItem(row, column, item)

    def _entry_state(self, entry: LotteryEntryOut) -> str:
        if entry.status == "won":
            return self.tr("Won")
        if entry.status == "lost":
            return self.tr("Not drawn")
        if entry.status == "pending":
            result_on = application_windows(entry.use_date, self.calendar).lottery_result_on
            # No weekday: the list's column is narrow and the result day is a fixed rule.
            return self.tr("Waiting for the draw (results %1)").replace(
                "%1", format_era_date(result_on, weekday=False)
            )
        return entry.status

    # --- rooms and slots -----------------------------------------------------------------

    def _fill_rooms(self) -> None:
        center = self.ctx.center
        if center is None:
            return
        current = self.room.currentData()
        self.room.blockSignals(True)
        self.room.clear()
        for room in center.rooms:
            self.room.addItem(
                self.tr("%1 (up to %2)").replace("%1", room.name).replace("%2", str(room.capacity)),
                room.id,
            )
        index = self.room.findData(current)
        self.room.setCurrentIndex(max(index, 0))
        self.room.blockSignals(False)
        self._room_changed()

    def _room_changed(self) -> None:
        center = self.ctx.center
        room_id = self.room.currentData()
        room = next((r for r in center.rooms if r.id == room_id), None) if center else None
        current = self.slot.currentData()
        self.slot.clear()
        for slot in self.ctx.slots:
            if room is None or room.offers(slot.id):
                times = f"{slot.start.strftime('%H:%M')}–{slot.end.strftime('%H:%M')}"
                self.slot.addItem(f"{slot.label} {times}", slot.id)
        index = self.slot.findData(current)
        self.slot.setCurrentIndex(max(index, 0))
        if room is not None:
            self.headcount.setMaximum(room.capacity)

    # --- applying ------------------------------------------------------------------------

    def _enter_pressed(self) -> None:
        """Enter in the purpose field takes whichever window is open now."""
        if self.windows is None:
            return
        phase = self.windows.phase_at(self.ctx.clock.now())
        if phase is Phase.LOTTERY:
            self.enter_lottery()
        elif phase is Phase.FIRST_COME:
            self.book_first_come()

    def _request(self, kind: str) -> ProxyRequest | None:
        if self.group is None:
            self.outcome.show_message("error", self.tr("Choose the group first (Ctrl+F)."))
            self.focus_group()
            return None
        if not self.group.active:
            # Refused here, with the reason, not after a round trip with a vaguer one.
            self.outcome.show_message("error", self._deregistered_text(self.group))
            return None
        if self.use_date is None:
            self.outcome.show_message("error", self.tr("Type the use date first (Ctrl+D)."))
            self.focus_date()
            return None
        room_id, slot_id = self.room.currentData(), self.slot.currentData()
        if not room_id or not slot_id:
            self.outcome.show_message("error", self.tr("Choose the room and the slot."))
            return None
        return ProxyRequest(
            kind=kind,
            user_id=self.group.user_id,
            room_id=str(room_id),
            use_date=self.use_date,
            slot_id=str(slot_id),
            headcount=self.headcount.value(),
            purpose=self.purpose.text().strip(),
        )

    def _request_id(self, request: ProxyRequest) -> uuid.UUID:
        # The same request sent again (after a lost reply) keeps its id, so the backend
        # recognises it instead of booking twice.
        return self._request_ids.setdefault(request, uuid.uuid4())

    def enter_lottery(self) -> None:
        request = self._request("lottery")
        if request is None or self._busy:
            return
        entry = LotteryEntryIn(
            id=self._request_id(request),
            room_id=request.room_id,
            use_date=request.use_date,
            slot_id=request.slot_id,
            user_id=request.user_id,
            purpose=request.purpose,
            headcount=request.headcount,
        )
        ops = self.ctx.ops
        self._send(request, lambda: ops.proxy_lottery(entry))

    def book_first_come(self) -> None:
        request = self._request("first_come")
        if request is None or self._busy:
            return
        reservation = ReservationIn(
            id=self._request_id(request),
            room_id=request.room_id,
            use_date=request.use_date,
            slot_id=request.slot_id,
            kind="first_come",
            user_id=request.user_id,
            purpose=request.purpose,
            headcount=request.headcount,
        )
        ops = self.ctx.ops
        self._send(request, lambda: ops.proxy_first_come(reservation))

    def _send(self, request: ProxyRequest, work: Callable[[], object]) -> None:
        self._busy = True
        self.lottery_button.setEnabled(False)
        self.first_come_button.setEnabled(False)
        self.outcome.show_message("info", self.tr("Sending to the reservation system…"))
        run_for(
            self,
            self.ctx,
            work,
            lambda result: self._sent(request, result),
            lambda error: self._refused(request, error),
        )

    def _where(self, request: ProxyRequest) -> str:
        slot = self.ctx.slot(request.slot_id)
        return (
            f"{format_era_date(request.use_date)} {self.ctx.room_name(request.room_id)} "
            f"{slot.label if slot else request.slot_id}"
        )

    def _sent(self, request: ProxyRequest, result: object) -> None:
        self._idle()
        self._request_ids.pop(request, None)
        if isinstance(result, ReservationOut):
            self.outcome.show_message(
                "success",
                self.tr("Booked first-come: %1, approval number %2.")
                .replace("%1", self._where(request))
                .replace("%2", result.approval_number),
            )
            self.ctx.sync.nudge()
        else:
            result_on = application_windows(request.use_date, self.calendar).lottery_result_on
            self.outcome.show_message(
                "success",
                self.tr("Entered in the lottery: %1. Results on %2.")
                .replace("%1", self._where(request))
                .replace("%2", format_era_date(result_on)),
            )
        self._load_group_state()

    def _refused(self, request: ProxyRequest, error: BaseException) -> None:
        self._idle()
        log.info("proxy %s not accepted: %s", request.kind, type(error).__name__)
        self.outcome.show_message("error", messages.for_error(error).text())

    def _idle(self) -> None:
        self._busy = False
        self.lottery_button.setEnabled(True)
        self.first_come_button.setEnabled(True)

    def _sync_status(self, status: SyncStatus) -> None:
        was = self.online
        self.online = status.online
        if status.online is False and was is not False:
            self.outcome.show_message(
                "warning",
                self.tr(
                    "Offline: lottery entries and first-come bookings need the reservation "
                    "system. Take the details and enter them when the line is back."
                ),
            )
        elif status.online and was is False and self.outcome.kind == "warning":
            self.outcome.clear_message()
