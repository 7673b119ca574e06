"""How the window opens a dialog again after an unlock, from the draft the lock kept
(drafts.py). One entry per draft kind; a kind nobody can reopen is simply not offered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached_reservations
from center_desk.store.groups import CachedGroup
from center_desk.store.reservations import CachedReservation

from . import drafts
from .widgets.background import run_for

if TYPE_CHECKING:
    from .main_window import MainWindow

Reopener = Callable[[drafts.Draft], None]


def for_window(window: MainWindow) -> dict[str, Reopener]:
    return {
        "walk_in": lambda draft: _walk_in(window, draft),
        "group_form": lambda draft: _group_form(window, draft),
        "booking_action": lambda draft: _booking_action(window, draft),
        "deregister": lambda draft: _deregister(window, draft),
    }


def _walk_in(window: MainWindow, draft: drafts.Draft) -> None:
    from .dialogs.walk_in import WalkInDialog

    dialog = WalkInDialog.from_draft(window.ctx, draft.values, parent=window)
    dialog.finished.connect(lambda _code: dialog.deleteLater())
    dialog.open()


def _group_form(window: MainWindow, draft: drafts.Draft) -> None:
    """The form reads its own draft when it opens (group_form.draft_key)."""
    view = window.views.get("groups")
    open_form = getattr(view, "open_form", None)
    if view is None or open_form is None:
        return
    user_id = draft.origin.get("user_id") or None
    if user_id is None:
        window.show_view("groups")
        open_form(None)
        return
    ctx = window.ctx

    def loaded(group: CachedGroup | None) -> None:
        if group is not None:
            window.show_view("groups")
            open_form(group)

    run_for(window, ctx, lambda: ctx.db.call(lambda db: cached_groups.get(db, user_id)), loaded)


def _deregister(window: MainWindow, draft: drafts.Draft) -> None:
    view = window.views.get("groups")
    deregister = getattr(view, "deregister", None)
    user_id = draft.origin.get("user_id", "")
    if deregister is None or not user_id:
        return
    ctx = window.ctx

    def loaded(group: CachedGroup | None) -> None:
        if group is not None:
            window.show_view("groups")
            deregister(group, draft.values.get("deregisterReason", ""))

    run_for(window, ctx, lambda: ctx.db.call(lambda db: cached_groups.get(db, user_id)), loaded)


def _booking_action(window: MainWindow, draft: drafts.Draft) -> None:
    from .dialogs import day_actions

    classes = {
        cls.action: cls
        for cls in (
            day_actions.UsageReportDialog,
            day_actions.FeeDialog,
            day_actions.CancelDialog,
            day_actions.NoShowDialog,
        )
    }
    dialog_class = classes.get(draft.origin.get("action", ""))
    reservation_id = draft.origin.get("reservation_id", "")
    if dialog_class is None or not reservation_id:
        return
    ctx = window.ctx
    parent: QWidget = window.views.get("today") or window

    def loaded(reservation: CachedReservation | None) -> None:
        if reservation is None:
            return
        dialog = dialog_class(ctx, reservation, parent)
        drafts.apply(dialog, draft.values)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()

    run_for(
        window,
        ctx,
        lambda: ctx.db.call(lambda db: cached_reservations.get(db, reservation_id)),
        loaded,
    )
