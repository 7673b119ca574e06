"""The main window: who and where, today's date, the sync state, always visible; the five
views as tabs; sign-in and the lock screen in front of them (DESIGN.md §5: locked means no
personal data on screen)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import Center, SlotDef
from center_desk.security.lock import LockPolicy, LockReason
from center_desk.security.posture import PostureReport, check_posture
from center_desk.security.removable_media import MediaPresence
from center_desk.store import catalog as cached_catalog
from center_desk.store import meta
from center_desk.sync.status import SyncStatus

from . import drafts, reopeners
from .clipboard_guard import ClipboardGuard
from .context import DeskContext
from .lock_keys import ActivityFilter
from .media_watcher import RemovableMediaWatcher
from .os_events import OsLockWatcher
from .sign_in import SignInPanel
from .startup import after_first_paint
from .widgets.background import run_for
from .window_status import StatusWindow

log = logging.getLogger("center_desk.ui")


def view_classes() -> tuple[tuple[str, Callable[[DeskContext, QWidget], QWidget]], ...]:
    """(object name, view class) of the tabs. Each view takes (ctx, parent) and has refresh().

    Imported here, when the first staff member signs in, not with the window: the sign-in
    panel is all a cold start shows, and the views bring the forms, charts and wire models
    with them (issue 13). ``--self-test`` imports them too (ui/smoke.py)."""
    from .views.attention import AttentionView
    from .views.availability import AvailabilityView
    from .views.groups import GroupsView
    from .views.proxy import ProxyView
    from .views.today import TodayView
    from .views.usage import UsageView

    return (
        ("today", TodayView),
        ("availability", AvailabilityView),
        ("groups", GroupsView),
        ("proxy", ProxyView),
        ("attention", AttentionView),
        ("usage", UsageView),
    )


class View(Protocol):
    def refresh(self) -> None: ...


class MainWindow(StatusWindow):
    def __init__(self, ctx: DeskContext, *, demo_hint: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Community center counter desk"))
        self.lock_policy = LockPolicy(
            ctx.clock, idle_after=timedelta(minutes=ctx.config.idle_lock_minutes)
        )
        self.views: dict[str, QWidget] = {}
        self._status = SyncStatus()

        root = QWidget(self)
        layout = QVBoxLayout(root)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_header())
        self.banner = QLabel("", root)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff3cd; color: #5c4400; padding: 4px 12px; font-weight: bold;"
        )
        self.banner.hide()
        layout.addWidget(self.banner)
        self.posture_banner = QLabel("", root)
        self.posture_banner.setObjectName("postureBanner")
        self.posture_banner.setWordWrap(True)
        self.posture_banner.setStyleSheet(
            "background: #b00020; color: white; padding: 4px 12px; font-weight: bold;"
        )
        self.posture_banner.hide()
        layout.addWidget(self.posture_banner)
        self.offer_bar = self._build_offer_bar(root)
        layout.addWidget(self.offer_bar)
        self._drafts: list[drafts.Draft] = []
        #: draft kind -> how to open that dialog again with its draft (see reopeners.py).
        self.reopeners: dict[str, Callable[[drafts.Draft], None]] = reopeners.for_window(self)
        self.progress = QProgressBar(root)
        self.progress.setObjectName("syncProgress")
        self.progress.setFormat(self.tr("Loading this center's data: %v of %m"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.pages = QStackedWidget(root)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(root)

        self.sign_in_panel = SignInPanel(ctx, hint=demo_hint, parent=self.pages)
        self.sign_in_panel.signed_in.connect(self._signed_in)
        self.pages.addWidget(self.sign_in_panel)
        self.tabs = QTabWidget(self.pages)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.pages.addWidget(self.tabs)
        self.unlock_panel = SignInPanel(
            ctx,
            title=self.tr("The desk is locked"),
            hint=self.tr("Sign in to continue. Any staff member may unlock it."),
            parent=self.pages,
        )
        self.unlock_panel.signed_in.connect(self._unlocked)
        self.pages.addWidget(self.unlock_panel)
        self._build_menus()

        ctx.sync.status_changed.connect(self._sync_status)
        self.load_kept_clock_offset()
        ctx.sync.synced.connect(lambda _report: self._after_sync())
        ctx.sync.revoked.connect(self._revoked)
        ctx.sync.progress.connect(self._sync_progress)
        self.posture: PostureReport | None = None
        self._posture_timer = QTimer(self)
        self._posture_timer.setInterval(10 * 60 * 1000)
        self._posture_timer.timeout.connect(self.check_posture)
        self._posture_timer.start()
        # A storage volume connected while the desk runs (issue 15): banner, audit, strict mode.
        self.media = MediaPresence()
        self.media_watcher = RemovableMediaWatcher(self)
        self.media_watcher.appeared.connect(self.media_appeared)
        self.media_watcher.gone.connect(self.media_gone)
        self._filter = ActivityFilter(self)
        # Copied text leaves the clipboard after 30 s, and on lock (issue 15).
        self.clipboard_guard = ClipboardGuard(ctx.clock, self)
        # The screen saver, suspend or a user switch lock the desk too.
        self.os_lock = OsLockWatcher(self)
        self.os_lock.lock_requested.connect(lambda _reason: self.lock(LockReason.OS_LOCK))
        if sys.platform == "win32":  # pragma: no cover - WTS notifications go to a window
            self.os_lock.listen_windows(int(self.winId()))
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(5000)
        self._idle_timer.timeout.connect(self.check_idle)
        self._idle_timer.start()
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(30000)
        self._clock_timer.timeout.connect(self._update_header)
        self._clock_timer.start()
        self.pages.setCurrentIndex(self.PAGE_SIGN_IN)
        self._update_header()
        self.sign_in_panel.reset()
        # The center's name is not personal data: show it before anyone signs in.
        self._load_catalog(then_refresh=False)
        # Both from the first paint on, when only the sign-in panel is on screen (issue 13).
        # An application-wide filter sees every event of every object, and PySide6 builds the
        # Python type of each kind of object (all its enums) the first time one passes through
        # it: some 150 types before a first paint, with no activity to see and no dialog to
        # give a lock button yet. A device-policy failure is recorded through the desk's
        # operations, whose wire models would load while the window is being painted.
        after_first_paint(self, self._watch_activity, self.check_posture)

    def _watch_activity(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._filter)

    # --- device policy (USB): the check; the banner is StatusWindow's --------------------

    def check_posture(self) -> None:
        run_for(self, self.ctx, check_posture, self._posture_checked, self.show_error)

    # --- menus --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        # setShortcuts([…]), not setShortcut(…): PySide6 resolves the single-key overload by
        # building the Qt namespace's Python enums (90 of them, tens of ms) at the first call,
        # before the window is painted (issue 13). The first in the list is the shortcut.
        desk_menu = self.menuBar().addMenu(self.tr("&Desk"))
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcuts([QKeySequence("Ctrl+L")])
        self.lock_action.triggered.connect(lambda: self.lock(LockReason.ON_DEMAND))
        desk_menu.addAction(self.lock_action)
        self.sync_action = QAction(self.tr("&Sync now"), self)
        self.sync_action.setShortcuts([QKeySequence("F5")])
        self.sync_action.triggered.connect(self.ctx.sync.nudge)
        desk_menu.addAction(self.sync_action)
        self.journal_action = QAction(self.tr("Print the day &journal"), self)
        self.journal_action.setShortcuts([QKeySequence("Ctrl+Shift+J")])
        self.journal_action.triggered.connect(self.print_day_journal)
        desk_menu.addAction(self.journal_action)
        desk_menu.addSeparator()
        self.end_of_day_action = QAction(self.tr("&End of day…"), self)
        self.end_of_day_action.setShortcuts([QKeySequence("Ctrl+Shift+Q")])
        self.end_of_day_action.triggered.connect(self.end_of_day)
        desk_menu.addAction(self.end_of_day_action)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))

    def _add_view_actions(self) -> None:
        self.view_menu.clear()
        for index in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(index), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            self.view_menu.addAction(action)

    # --- views --------------------------------------------------------------------------

    def view_titles(self) -> dict[str, str]:
        return {
            "today": self.tr("Today"),
            "availability": self.tr("Availability"),
            "groups": self.tr("Groups"),
            "proxy": self.tr("Lottery / first-come"),
            "attention": self.tr("Needs attention"),
            "usage": self.tr("Usage"),
        }

    def _build_views(self) -> None:
        if self.views:
            return
        titles = self.view_titles()
        for name, make_view in view_classes():
            view = make_view(self.ctx, self.tabs)
            view.setObjectName(f"view_{name}")
            self.views[name] = view
            self.tabs.addTab(view, titles[name])
        # A free cell in the availability month view starts a first-come proxy booking.
        availability, proxy = self.views.get("availability"), self.views.get("proxy")
        if availability is not None and proxy is not None:
            availability.first_come_requested.connect(proxy.start_first_come)  # type: ignore[attr-defined]
        self._add_view_actions()

    def _view_index(self, name: str) -> int | None:
        view = self.views.get(name)
        return self.tabs.indexOf(view) if view is not None else None

    def show_view(self, name: str) -> QWidget | None:
        view = self.views.get(name)
        if view is not None:
            self.tabs.setCurrentWidget(view)
        return view

    def open_proxy_for(
        self, day: date, room_id: str | None, slot_id: str | None, user_id: str | None
    ) -> None:
        """抽選・先着 for a day the walk-in form cannot take (past the counter window)."""
        start = getattr(self.views.get("proxy"), "start_for", None)
        if callable(start):
            start(day, room_id=room_id, slot_id=slot_id, user_id=user_id)

    def refresh_views(self) -> None:
        for view in self.views.values():
            refresh = getattr(view, "refresh", None)
            if refresh is not None:
                refresh()

    def _after_sync(self) -> None:
        # The center's name (not personal data) is shown before sign-in as well.
        self._load_catalog(then_refresh=self.pages.currentIndex() == self.PAGE_WORK)

    def _load_catalog(self, *, then_refresh: bool) -> None:
        def load() -> tuple[Center | None, tuple[SlotDef, ...]]:
            return self.ctx.db.call(
                lambda db: (
                    cached_catalog.center(db, meta.get(db, meta.CENTER_ID) or self.ctx.center_id),
                    cached_catalog.slots(db),
                )
            )

        def loaded(result: tuple[Center | None, tuple[SlotDef, ...]]) -> None:
            center, slots = result
            if center is not None:
                self.ctx.center = center
                self.ctx.slots = slots
            self._update_header()
            if then_refresh:
                self.refresh_views()

        run_for(self, self.ctx, load, loaded, self.show_error)

    def end_of_day(self) -> None:
        from .dialogs.end_of_day import run_end_of_day  # with the day journal's forms, on use

        run_end_of_day(self)

    def closeEvent(self, event: Any) -> None:
        self._idle_timer.stop()
        self.clipboard_guard.clear_now()
        super().closeEvent(event)
