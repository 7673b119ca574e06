"""The groups view's look-up at the reservation system, for a group this desk does not keep:
by its user id, or a search of every center's groups (with the reason staff chose, if any).
The backend audits each look-up with a reason and counts it against the desk's limit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from center_desk.protocol.groups import GroupOut, GroupSummary, LookupReason

from ...widgets.background import run_for
from ...widgets.group_search import cached_from_out, looks_like_user_id
from .showing import GroupsShowing


class GroupsLookup(GroupsShowing):
    """Finding a group at the reservation system; what is found is shown as any other."""

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
