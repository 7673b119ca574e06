"""Booking the walk-in: the last look at the form, the bookings sent to the operations, and
printing both slips after."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import (
    QWidget,
)

from center_desk.printing import PrintRecord
from center_desk.store import Connection
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation
from center_desk.sync.operations import WalkIn

from ... import drafts, messages
from ...print_service import describe, print_service
from ...widgets.background import notify_changed, run_for
from ...widgets.booking_words import ERROR_STYLE, booking_summary
from .parts import DRAFT_KIND, Outcome
from .who import WalkInWho


class WalkInBooking(WalkInWho):
    """Submitting the form and what follows."""

    # --- booking ----------------------------------------------------------------------------

    def _form_problem(self) -> tuple[str, QWidget | None]:
        """What is missing from the form; the rules themselves are the operations' to judge."""
        if self.as_group.isChecked():
            if self.group is None and len(self.candidates) == 1:
                self.choose_group(self.candidates[0])
            if self.group is None:
                return (
                    self.tr(
                        "Choose the group from the list: type part of its name, furigana, "
                        "user ID or phone."
                    ),
                    self.group_search,
                )
            if not self.group.active:
                return self.deregistered_text(self.group), self.group_search
            if self.group.user_id == self._awaiting_cache:
                self.ctx.sync.nudge()
                return (
                    self.tr(
                        "The group is being copied to this desk from the reservation system. "
                        "Book again in a moment."
                    ),
                    None,
                )
        elif not self.individual_name.text().strip():
            return self.tr("Type the individual's name."), self.individual_name
        if self.current_room() is None:
            return self.tr("Choose a room."), self.room
        if not self.chosen_slots():
            return self.tr("Choose at least one free slot."), None
        if self.headcount.value() < 1:
            return self.tr("Type the expected headcount."), self.headcount
        problem = self._exemption_problem()
        if problem:
            return problem, self.exemption_note
        return "", None

    def requests(self) -> list[WalkIn]:
        room = self.current_room()
        assert room is not None
        reason, note = self._exemption_choice()
        as_group = self.as_group.isChecked()
        return [
            WalkIn(
                room_id=room.id,
                use_date=self.day,
                slot_id=slot_id,
                headcount=self.headcount.value(),
                purpose=self.purpose.text().strip(),
                user_id=self.group.user_id if as_group and self.group else None,
                individual_name=None if as_group else self.individual_name.text().strip(),
                fee_exemption=reason,
                fee_exemption_note=note,
                # Charging a group registered as exempt is staff's explicit choice.
                charge_fee=reason is None and self._default_exemption() is not None,
            )
            for slot_id in self.chosen_slots()
        ]

    def submit(self) -> None:
        if self.showing_result or not self.book_button.isEnabled():
            return
        problem, field = self._form_problem()
        if problem:
            self.show_problem(problem)
            if field is not None:
                field.setFocus()
            return
        self.problem.hide()
        requests = self.requests()
        self.book_button.setEnabled(False)

        def book_all() -> Outcome:
            done: list[CachedReservation] = []
            for request in requests:
                try:
                    done.append(self.ctx.ops.book_walk_in(request))
                except Exception as exc:  # shown to staff; the rest of the slots wait
                    return Outcome(done, exc)
            return Outcome(done, None)

        ctx = self.ctx

        def booked(outcome: Outcome) -> None:
            # The views show what was booked even when the dialog has gone meanwhile (a lock
            # closed it); only the dialog's own answer needs the dialog.
            closed = not shiboken6.isValid(self) or not self.isVisible()
            if outcome.booked:
                notify_changed(ctx)
                if closed and outcome.error is None:
                    # The lock kept what was typed, and all of it is booked now.
                    drafts.drop(ctx, DRAFT_KIND, {})
            if shiboken6.isValid(self):
                self._booked(outcome)

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self):
                self._failed(error)

        self.ctx.tasks.run(book_all, booked, failed)

    def _booked(self, outcome: Outcome) -> None:
        self.book_button.setEnabled(True)
        if outcome.booked:
            self.made.extend(outcome.booked)
            self.booked.emit(list(outcome.booked))
        if outcome.error is not None:
            text = messages.for_error(outcome.error).text()
            if outcome.booked:
                text += "\n" + self.tr("Already booked: %1.").replace(
                    "%1", ", ".join(r.approval_number for r in outcome.booked)
                )
                # Those slots are taken now (by this group); show them so.
                self._load_day()
            self.show_problem(text)
            return
        self._show_done()

    def _failed(self, error: BaseException) -> None:
        self.book_button.setEnabled(True)
        self.show_problem(describe(error).text())

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    # --- after booking ----------------------------------------------------------------------

    @property
    def showing_result(self) -> bool:
        """The bookings are made and the dialog offers to print their slips."""
        return not self.done_page.isHidden()

    def _show_done(self) -> None:
        self.done_list.setText("\n".join(booking_summary(self.ctx, r) for r in self.made))
        self.done_note.hide()
        self._refresh_done_note()
        # The note about waiting goes once the reservation system has confirmed them.
        self.ctx.sync.synced.connect(self._refresh_done_note)
        self.ctx.sync.nudge()
        self.form_page.hide()
        self.done_page.show()
        self.adjustSize()
        self.print_button.setDefault(True)
        self.print_button.setFocus()

    def _refresh_done_note(self, _report: object = None) -> None:
        ids = [r.id for r in self.made]
        db = self.ctx.db

        def states() -> list[str]:
            def read(conn: Connection) -> list[str]:
                found = (cached.get(conn, rid) for rid in ids)
                return [r.sync_state for r in found if r is not None]

            return db.call(read)

        run_for(self, self.ctx, states, self._show_done_note)

    def _show_done_note(self, states: list[str]) -> None:
        self.done_note.setVisible("pending" in states)
        self.adjustSize()

    def _print_if_done(self) -> None:
        if self.showing_result:
            self.print_slips()

    def print_slips(self) -> None:
        if not self.made:
            return
        self.print_button.setEnabled(False)
        self._print_note(self.tr("Printing…"), error=False)

        def done(records: list[PrintRecord]) -> None:
            self.print_button.setEnabled(True)
            self._print_note(
                self.tr("Both slips sent to the printer: %1.").replace(
                    "%1", ", ".join(r.approval_number or "" for r in records)
                ),
                error=False,
            )
            self.close_button.setDefault(True)
            self.close_button.setFocus()

        def failed(error: BaseException) -> None:
            self.print_button.setEnabled(True)
            self._print_note(describe(error).text(), error=True)

        print_service(self.ctx).print_slips([r.id for r in self.made], done, failed)

    def preview_slips(self) -> None:
        if not self.showing_result or not self.made:
            return
        print_service(self.ctx).preview(
            self.made[0].id, self, lambda e: self._print_note(describe(e).text(), error=True)
        )

    def _print_note(self, text: str, *, error: bool) -> None:
        self.print_message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.print_message.setText(text)
        self.print_message.show()
