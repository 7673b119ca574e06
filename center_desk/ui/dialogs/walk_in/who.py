"""Who the walk-in booking is for (a group found as staff type, or an individual), and its
headcount and fee exemption."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QStandardItem,
)

from center_desk.domain import (
    ExemptionReason,
    FeeError,
    calculate_fee,
    resolve_exemption,
    tokyo_date,
)
from center_desk.protocol.groups import GroupOut, GroupSummary
from center_desk.store import groups as cached_groups
from center_desk.store.groups import CachedGroup

from ... import messages
from ...widgets.background import run_for
from ...widgets.booking_words import NOTE_STYLE, WARNING_STYLE, exemption_label, yen
from ...widgets.group_search import cached_from_out
from .day import WalkInDay
from .parts import CHARGED, group_choice_text


class WalkInWho(WalkInDay):
    """The applicant, the headcount and the fee."""

    # --- who -------------------------------------------------------------------------------

    def _applicant_changed(self) -> None:
        as_group = self.as_group.isChecked()
        self.group_search.setEnabled(as_group)
        self.individual_name.setEnabled(not as_group)
        room = self.current_room()
        if not as_group and room is not None and not room.individuals_allowed:
            allowed = [
                r.name
                for r in (self.facts.center.rooms if self.facts and self.facts.center else ())
                if r.individuals_allowed
            ]
            self.room_note.setText(
                self.tr("Individuals may use only: %1.").replace("%1", "、".join(allowed))
            )
            self.room_note.show()
        else:
            self.room_note.hide()
        self._reset_exemption()

    def _group_text_edited(self, _text: str) -> None:
        if self.group is not None:
            self.group = None
            self._show_group()
        self._search_timer.start()

    def _search_groups(self) -> None:
        text = self.group_search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self._set_candidates(generation, [])
            return
        run_for(
            self,
            self.ctx,
            lambda: self.ctx.db.call(lambda db: cached_groups.search(db, text, limit=20)),
            lambda found: self._set_candidates(generation, found),
            self._failed,
        )

    def _set_candidates(self, generation: int, found: list[CachedGroup]) -> None:
        if generation != self._search_generation:
            return
        self.candidates = found
        self.remote_candidates = {}
        self._suggest_when_active = False
        self.search_all_button.setVisible(not found and bool(self.group_search.text().strip()))
        self.group_model.clear()
        for group in found:
            item = QStandardItem(group_choice_text(group))
            if not group.active:
                item.setForeground(QColor("#b00020"))
            item.setData(group.user_id, Qt.ItemDataRole.UserRole)
            self.group_model.appendRow(item)
        if found and self.focusWidget() is self.group_search:
            self._offer_suggestions()
        if not found and self.group_search.text().strip():
            self.group_label.setText(self.tr("No registered group matches."))

    def _offer_suggestions(self) -> None:
        """Open the list now if the dialog is the active window, else as soon as it is: the
        window system may not have activated it yet (hasFocus() is false until then, and the
        list was lost), or staff went to another program meanwhile, where a list popping up
        would take their typing."""
        if self.isActiveWindow():
            self._suggest_when_active = False
            self.completer.complete()
        else:
            self._suggest_when_active = True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self._suggest_when_active
        ):
            self._suggest_when_active = False
            if (
                self.group is None
                and self.group_model.rowCount()
                and self.focusWidget() is self.group_search
            ):
                self.completer.complete()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # ↓ in the field opens the suggestions again once they have gone (Esc, a click
        # elsewhere), as ↓ in the groups view's search goes down to its list.
        popup = self.completer.popup()
        if (
            watched is self.group_search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.group_model.rowCount()
            and popup is not None
            and not popup.isVisible()
        ):
            self.completer.complete()
            return True
        return super().eventFilter(watched, event)

    def _completion_chosen(self, text: str) -> None:
        group = next((g for g in self.candidates if group_choice_text(g) == text), None)
        if group is not None:
            self.choose_group(group)
        elif text in self.remote_candidates:
            self._fetch_remote(self.remote_candidates[text])

    def search_all_centers(self) -> None:
        text = self.group_search.text().strip()
        if not text:
            return
        self._search_generation += 1
        generation = self._search_generation
        ops = self.ctx.ops
        self.search_all_button.setEnabled(False)

        def found(hits: list[GroupSummary]) -> None:
            self.search_all_button.setEnabled(True)
            if generation != self._search_generation:
                return
            self.remote_candidates = {}
            self.group_model.clear()
            for hit in hits:
                label = f"{hit.name}（{hit.furigana}） {hit.user_id}"
                if hit.registered_elsewhere:
                    label += self.tr(" · another center")
                self.remote_candidates[label] = hit.user_id
                item = QStandardItem(label)
                item.setData(hit.user_id, Qt.ItemDataRole.UserRole)
                self.group_model.appendRow(item)
            if hits:
                self.group_search.setFocus()
                self._offer_suggestions()
            else:
                self.group_label.setText(self.tr("No group at any center matches."))

        def failed(error: BaseException) -> None:
            self.search_all_button.setEnabled(True)
            self._failed(error)

        # No reason on the search itself: names and user ids need none, and only the group
        # staff pick is looked up (with "walk-in"), so only it counts against this desk.
        run_for(self, self.ctx, lambda: ops.search_groups(text), found, failed)

    def _synced(self, _report: object) -> None:
        user_id = self._awaiting_cache
        if user_id is None:
            return

        def loaded(group: CachedGroup | None) -> None:
            if group is None or self._awaiting_cache != user_id:
                return
            self._awaiting_cache = None
            if self.group is not None and self.group.user_id == user_id:
                self.group = group
                self._show_group()

        run_for(
            self,
            self.ctx,
            lambda: self.ctx.db.call(lambda db: cached_groups.get(db, user_id)),
            loaded,
            self._failed,
        )

    def _fetch_remote(self, user_id: str) -> None:
        ops = self.ctx.ops

        def found(group: GroupOut) -> None:
            self.search_all_button.hide()
            # The backend now lets this center keep the group; a booking refers to the
            # group in the cache, so it waits until the next sync has brought it here.
            self._awaiting_cache = group.user_id
            self.choose_group(cached_from_out(group))
            self.ctx.sync.nudge()

        run_for(self, self.ctx, lambda: ops.fetch_group(user_id, "walk_in"), found, self._failed)

    def choose_group(self, group: CachedGroup) -> None:
        self.group = group
        self.group_search.setText(group_choice_text(group))
        if not self.purpose.text().strip():
            self.purpose.setText(group.form.activity)
        self._show_group()
        self._reset_exemption()
        self._restore_exemption()
        self.headcount.setFocus()
        self.headcount.selectAll()

    def _load_group(self, user_id: str, looked_up: CachedGroup | None = None) -> None:
        def found(group: CachedGroup | None) -> None:
            if group is None and looked_up is not None and looked_up.user_id == user_id:
                # Looked up a moment ago; the sync brings it into the cache.
                self._awaiting_cache = user_id
                self.choose_group(looked_up)
                self.ctx.sync.nudge()
                return
            if group is None:
                self.show_problem(messages.for_code("not_found").text())
                return
            self.choose_group(group)

        run_for(
            self,
            self.ctx,
            lambda: self.ctx.db.call(lambda db: cached_groups.get(db, user_id)),
            found,
            self._failed,
        )

    def deregistered_text(self, group: CachedGroup) -> str:
        return self.tr(
            "%1 is de-registered: it cannot book. To book again it must register anew "
            "(Groups → Register a new group)."
        ).replace("%1", group.name)

    def _show_group(self) -> None:
        group = self.group
        if group is None:
            self.group_label.setText(self.tr("No group chosen yet."))
            self.group_label.setStyleSheet(NOTE_STYLE)
            return
        parts = [self.tr("User ID %1").replace("%1", group.user_id)]
        if group.form.fee_exemption:
            parts.append(
                self.tr("Exempt: %1").replace("%1", exemption_label(group.form.fee_exemption))
            )
        warning = ""
        if not group.active:
            warning = self.tr("This group is de-registered.")
            self.show_problem(self.deregistered_text(group))
        elif group.valid_until < tokyo_date(self.ctx.clock.now()):
            warning = self.tr("This group's registration has expired.")
        text = f"{group.name} · " + " · ".join(parts)
        self.group_label.setText(f"{text}\n{warning}" if warning else text)
        self.group_label.setStyleSheet(WARNING_STYLE if warning else "color: #1b5e20;")

    # --- headcount and fee ----------------------------------------------------------------

    def _check_headcount(self) -> None:
        room = self.current_room()
        if room is None:
            self.capacity_note.clear()
            return
        over = self.headcount.value() > room.capacity
        text = (
            self.tr("More than this room holds (up to %1).")
            if over
            else self.tr("This room holds up to %1.")
        )
        self.capacity_note.setText(text.replace("%1", str(room.capacity)))
        self.capacity_note.setStyleSheet(WARNING_STYLE if over else NOTE_STYLE)

    def _default_exemption(self) -> str | None:
        if self.as_group.isChecked() and self.group is not None:
            return self.group.form.fee_exemption
        return None

    def _reset_exemption(self) -> None:
        """The group's registered exemption by default (none for an individual)."""
        default = self._default_exemption()
        self.exemption.setCurrentIndex(max(self.exemption.findData(default or CHARGED), 0))
        self._update_fee()

    def _exemption_choice(self) -> tuple[ExemptionReason | None, str]:
        """The exemption the booking gets, resolved as the operations and the backend do."""
        registered = self._default_exemption()
        typed = self.exemption_note.text().strip()
        reason, note = resolve_exemption(
            self.exemption.currentData() or CHARGED,
            typed,
            registered=registered,
            registered_note=self.group.form.fee_exemption_note if registered and self.group else "",
        )
        # Charging a group registered as exempt also wants its reason typed (see below).
        return reason, note or typed

    def _exemption_problem(self) -> str:
        reason, note = self._exemption_choice()
        changed = (reason.value if reason else None) != self._default_exemption()
        if (changed or reason is ExemptionReason.OTHER) and not note:
            return self.tr("Give the reason for this exemption.")
        return ""

    def _update_fee(self) -> None:
        room = self.current_room()
        slots = self.chosen_slots()
        if room is None or not slots:
            self.fee_label.setText(self.tr("Choose at least one slot."))
            return
        reason, note = self._exemption_choice()
        try:
            fee = calculate_fee(room, slots, reason, note or "-")
        except (FeeError, KeyError):
            self.fee_label.setText("")
            return
        text = self.tr("Nominal %1 · to pay %2").replace("%1", yen(fee.nominal))
        text = text.replace("%2", yen(fee.charged))
        if fee.exemption is not None:
            text += " " + self.tr("(exempt: %1)").replace("%1", exemption_label(fee.exemption))
        problem = self._exemption_problem()
        self.fee_label.setText(f"{text}\n{problem}" if problem else text)
