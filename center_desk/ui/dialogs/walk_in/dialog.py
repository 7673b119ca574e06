"""直前予約 (walk-in booking) at the counter, from a free cell of the availability grid or for a
group (issue 5, item 4).

The dialog collects the group (or an individual's name, for rooms open to individuals), the
room and one or more slots of one day (one booking each), purpose, headcount and the fee
exemption, and asks :meth:`DeskOperations.book_walk_in` off the GUI thread. The operations apply
the same rules as the backend on the desk's cache and write the booking with its outbox
mutation, so this works offline; the booking waits to sync and the board says so. A refusal is
shown next to the form as one sentence with the next step, and nothing typed is lost. After
booking, both slips can be printed at once (Enter).

This module puts the dialog together (its state, and its two pages from pages.py) and keeps
what was typed across a lock (drafts).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from center_desk.domain import tokyo_date
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation

from ...context import DeskContext
from .pages import WalkInPages
from .parts import CHARGED, DRAFT_KIND, SEARCH_DELAY_MS, DayFacts


class WalkInDialog(WalkInPages):
    def __init__(
        self,
        ctx: DeskContext,
        *,
        day: date | None = None,
        room_id: str | None = None,
        slot_id: str | None = None,
        user_id: str | None = None,
        looked_up: CachedGroup | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``looked_up``: the group as the reservation system sent it (the groups view's
        look-up), used while this desk's cache does not have it yet."""
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("walkIn")
        self.setWindowTitle(self.tr("Walk-in booking"))
        self.facts: DayFacts | None = None
        self.group: CachedGroup | None = None
        self.candidates: list[CachedGroup] = []
        #: Hits of a search at the reservation system: the completer's text → user id.
        self.remote_candidates: dict[str, str] = {}
        #: A group looked up at the reservation system that this desk's cache has not yet.
        self._awaiting_cache: str | None = None
        self.made: list[CachedReservation] = []
        self._wanted_room = room_id
        self._wanted_slots = {slot_id} if slot_id else set()
        self._draft: dict[str, str] | None = None
        self._search_generation = 0
        self._suggest_when_active = False
        self.slot_boxes: dict[str, QCheckBox] = {}
        today = tokyo_date(ctx.clock.now())

        outer = QVBoxLayout(self)
        # The form, then the result in its place (hidden widgets take no room, so the dialog
        # shrinks to the short result).
        self.form_page = self._build_form(today, day or today)
        self.done_page = self._build_done()
        self.done_page.hide()
        outer.addWidget(self.form_page)
        outer.addWidget(self.done_page)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_groups)
        ctx.sync.synced.connect(self._synced)

        self.setMinimumWidth(980)
        self._load_day()
        if user_id:
            self._load_group(user_id, looked_up)
        else:
            self.group_search.setFocus()

    # --- drafts (a lock keeps what was typed: drafts.py) -------------------------------------

    def draft_origin(self) -> tuple[str, dict[str, str]]:
        return DRAFT_KIND, {}

    def draft_values(self) -> dict[str, str] | None:
        if self.showing_result:
            return None
        typed = {
            "search": self.group_search.text().strip(),
            "user_id": self.group.user_id if self.group is not None else "",
            "individual": self.individual_name.text().strip(),
            "purpose": self.purpose.text().strip(),
            "headcount": str(self.headcount.value()) if self.headcount.value() else "",
            "exemption_note": self.exemption_note.text().strip(),
        }
        if not any(typed.values()):
            return None
        room = self.current_room()
        return {
            **typed,
            "date": self.day.isoformat(),
            "as_individual": "1" if self.as_individual.isChecked() else "",
            "room_id": room.id if room is not None else (self._wanted_room or ""),
            "slots": ",".join(self.chosen_slots()),
            "exemption": str(self.exemption.currentData() or ""),
        }

    @classmethod
    def from_draft(
        cls, ctx: DeskContext, values: dict[str, str], parent: QWidget | None = None
    ) -> WalkInDialog:
        try:
            day: date | None = date.fromisoformat(values.get("date", ""))
        except ValueError:
            day = None
        dialog = cls(
            ctx,
            day=day,
            room_id=values.get("room_id") or None,
            user_id=values.get("user_id") or None,
            parent=parent,
        )
        dialog._wanted_slots = {s for s in values.get("slots", "").split(",") if s}
        dialog._draft = values
        if values.get("as_individual"):
            dialog.as_individual.setChecked(True)
            dialog.individual_name.setText(values.get("individual", ""))
        elif not values.get("user_id"):
            dialog.group_search.setText(values.get("search", ""))
        dialog.purpose.setText(values.get("purpose", ""))
        dialog.headcount.setValue(int(values.get("headcount") or 0))
        dialog._restore_exemption()
        return dialog

    def _restore_exemption(self) -> None:
        if self._draft is None:
            return
        index = self.exemption.findData(self._draft.get("exemption") or CHARGED)
        if index >= 0:
            self.exemption.setCurrentIndex(index)
        self.exemption_note.setText(self._draft.get("exemption_note", ""))
