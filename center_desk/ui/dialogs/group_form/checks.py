"""Checking the registration form as staff go: every problem next to its field, the address from
the postal code, and the warning about a similar group already registered (never a block)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QLineEdit,
)

from center_desk.domain import FieldProblem, GroupCheck, validate_group
from center_desk.domain import lookup_address as domain_lookup_address
from center_desk.domain.contact import normalize_postal_code
from center_desk.protocol.groups import GroupSummary

from ... import messages
from ...widgets.background import run_for
from ...widgets.message_bar import ERROR_COLOUR, WARNING_COLOUR
from .fields import GroupFormFields
from .values import FIELD_ORDER, form_of, values_of

log = logging.getLogger("center_desk.ui.group_form")


class GroupFormChecks(GroupFormFields):
    """The checks of the registration form, off the GUI thread; the dialog submits with them."""

    # --- checking ------------------------------------------------------------------------

    def _left(self, path: str) -> None:
        """Staff left a field: check the form off the GUI thread (the postal-code check reads
        Japan Post's dictionary) and mark the fields they have already been through."""
        if self._filling:
            return
        if self.fields[path].get() not in ("", "0"):
            self._touched.add(path)
        if path in ("member_count", "kodaira_member_count", "representative_is_resident"):
            self._touched.update(("member_count", "kodaira_member_count"))
        self._recheck(normalize=path)

    def _recheck(self, *, normalize: str | None = None) -> None:
        if normalize is not None:
            # Kept until a check is delivered: only the newest check is, and it normalises
            # every field left since the last one.
            self._to_normalize.add(normalize)
        self._check(self._checked, latest_only=True)

    def _check(
        self, then: Callable[[GroupCheck, dict[str, str]], None], *, latest_only: bool = False
    ) -> None:
        self._check_generation += 1
        generation = self._check_generation
        snapshot = self.values()
        form = form_of(snapshot)

        def deliver(check: GroupCheck) -> None:
            if self._finished:
                return
            # A field check speaks only if it is the newest (an older one describes text that
            # has changed since); the submit's check always does, or the submit would hang.
            if latest_only and generation != self._check_generation:
                return
            then(check, snapshot)

        run_for(self, self.ctx, lambda: validate_group(form), deliver, self._failed)

    def _checked(self, check: GroupCheck, snapshot: dict[str, str]) -> None:
        self._write_back(check, snapshot, self._to_normalize)
        self._to_normalize = set()
        shown = set(FIELD_ORDER) if self._submitted else self._touched
        self.show_problems([p for p in check.problems if p.field in shown], only=shown)
        self.show_warnings([w for w in check.warnings if w.field in shown])

    def show_warnings(self, warnings: list[FieldProblem]) -> None:
        """Amber notes under fields that have no problem: staff may go on regardless."""
        for warning in warnings:
            field = self.fields.get(warning.field)
            if field is None or not field.error.isHidden():
                continue
            field.error.setText(warning.message)
            field.error.setStyleSheet(f"color: {WARNING_COLOUR};")
            field.error.show()

    def _write_back(self, check: GroupCheck, snapshot: dict[str, str], paths: set[str]) -> None:
        """Put the normalised values (katakana, phone and postal formats) back into the fields
        that still hold what was checked; never touch a field staff have typed on since."""
        normalized = values_of(check.normalized)
        for path in paths:
            field = self.fields[path]
            unchanged = path in normalized and field.get() == snapshot[path]
            if unchanged and normalized[path] != snapshot[path]:
                field.put(normalized[path])

    def show_problems(self, problems: list[FieldProblem], *, only: set[str] | None = None) -> None:
        """Each problem under its field; fields in ``only`` (all by default) without a problem
        are cleared."""
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            path = problem.field if problem.field in self.fields else ""
            by_field.setdefault(path, []).append(problem.message)
        for path, field in self.fields.items():
            if only is not None and path not in only:
                continue
            text = "\n".join(by_field.get(path, []))
            field.error.setText(text)
            field.error.setStyleSheet(f"color: {ERROR_COLOUR};")
            field.error.setVisible(bool(text))
            field.widget.setProperty("invalid", bool(text))
            # The field's own frame turns red too, for staff who look at the boxes first.
            # Line edits get a red frame too; spin and combo boxes would lose their native
            # arrows under a style sheet, so the note alone marks them.
            if isinstance(field.widget, QLineEdit):
                field.widget.setStyleSheet(
                    f"QLineEdit {{ border: 2px solid {ERROR_COLOUR}; }}" if text else ""
                )
        stray = by_field.get("", [])
        if stray:
            self.banner.show_message("error", "\n".join(stray))

    def _postal_left(self, role: str) -> None:
        """Fill the address from the postal code, off the GUI thread, unless staff have already
        typed an address of their own."""
        postal = self.fields[f"{role}.postal_code"].get()
        if not postal.strip():
            return

        def filled(address: str | None) -> None:
            if self._finished or address is None:
                return
            # The field may have been reformatted meanwhile (1870032 -> 187-0032, by the check
            # that runs as staff leave it): the same code still gets its address.
            now = self.fields[f"{role}.postal_code"].get()
            if normalize_postal_code(now) != normalize_postal_code(postal):
                return
            target = self.fields[f"{role}.address"]
            current = target.get()
            previous = self._autofilled.get(role)
            if not current.strip() or current == previous:
                target.put(address)
                self._autofilled[role] = address
                edit = target.widget
                if isinstance(edit, QLineEdit):
                    edit.setCursorPosition(len(address))

        run_for(self, self.ctx, lambda: domain_lookup_address(postal), filled, self._failed)

    def _failed(self, error: BaseException) -> None:
        if self._finished:
            return
        log.warning("group form background work failed: %s", type(error).__name__)
        self.banner.show_message("error", messages.for_error(error).text())

    # --- similar groups (a warning, never a block) ------------------------------------------

    def _similar_query(self) -> tuple[str, ...]:
        values = self.values()
        return (
            values["name"].strip(),
            values["representative.phone"].strip(),
            values["responsible.phone"].strip(),
        )

    def _check_similar_soon(self) -> None:
        # After the current event: editingFinished fires before the focus has moved on.
        QTimer.singleShot(0, lambda: self._check_similar(then=None))

    def _check_similar(self, then: Callable[[], None] | None) -> None:
        key = self._similar_query()
        if self._finished or not any(key):
            if then:
                then()
            return
        if key == self._similar_key:
            if then:
                then()
            return
        name, phone_a, phone_b = key
        ops = self.ctx.ops
        own = self.existing.user_id if self.existing else None

        def work() -> list[GroupSummary]:
            found: dict[str, GroupSummary] = {}
            for phone in dict.fromkeys((phone_a, phone_b)):
                for hit in ops.similar_groups(name, phone):
                    found[hit.user_id] = hit
            return [hit for uid, hit in found.items() if uid != own]

        def done(hits: list[GroupSummary]) -> None:
            if self._finished:
                return
            self._similar_key = key
            self._similar = hits
            self._show_similar()
            if then:
                then()

        def failed(error: BaseException) -> None:
            # Offline or refused: no warning to give; registration itself will say why.
            log.info("similar-group check skipped: %s", type(error).__name__)
            if then and not self._finished:
                then()

        run_for(self, self.ctx, work, done, failed)

    def _show_similar(self) -> None:
        if not self._similar:
            self.similar_bar.clear_message()
            return
        lines = [self.tr("A group with the same name or phone number is already registered:")]
        for hit in self._similar[:5]:
            state = "" if hit.active else self.tr(" (de-registered)")
            who = (
                self.tr("registered at another center")
                if hit.representative_name is None
                else self.tr("representative %1").replace("%1", hit.representative_name)
            )
            lines.append(f"・{hit.user_id}　{hit.name}　" + who + state)
        lines.append(self.tr("Check that it is not the same group before registering."))
        self.similar_bar.show_message("warning", "\n".join(lines))
