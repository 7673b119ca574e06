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
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import Center, SlotDef, format_era_date, tokyo_date
from center_desk.security.lock import LockPolicy, LockReason
from center_desk.security.posture import PostureReport, check_posture
from center_desk.security.removable_media import MediaPresence
from center_desk.store import catalog as cached_catalog
from center_desk.store import meta
from center_desk.sync.engine import SyncStatus

from . import drafts, reopeners
from .clipboard_guard import ClipboardGuard
from .context import DeskContext
from .dialogs.end_of_day import run_end_of_day
from .lock_keys import ActivityFilter
from .media_watcher import RemovableMediaWatcher
from .os_events import OsLockWatcher
from .sign_in import SignInPanel
from .views.attention import AttentionView
from .views.availability import AvailabilityView
from .views.groups import GroupsView
from .views.proxy import ProxyView
from .views.today import TodayView
from .views.usage import UsageView
from .window_locking import LockingWindow

log = logging.getLogger("center_desk.ui")

#: (object name, view class). Each view takes (ctx, parent) and has refresh().
VIEWS: tuple[tuple[str, Callable[[DeskContext, QWidget], QWidget]], ...] = (
    ("today", TodayView),
    ("availability", AvailabilityView),
    ("groups", GroupsView),
    ("proxy", ProxyView),
    ("attention", AttentionView),
    ("usage", UsageView),
)


class View(Protocol):
    def refresh(self) -> None: ...


class MainWindow(LockingWindow):
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
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._filter)
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
        self.check_posture()

    # --- header -------------------------------------------------------------------------

    def _build_header(self) -> QWidget:
        header = QFrame(self)
        header.setObjectName("header")
        header.setStyleSheet("#header { background: #1f4e79; } #header QLabel { color: white; }")
        row = QHBoxLayout(header)
        row.setContentsMargins(12, 6, 12, 6)
        self.center_label = QLabel("", header)
        self.center_label.setObjectName("centerName")
        self.center_label.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.date_label = QLabel("", header)
        self.date_label.setObjectName("today")
        self.date_label.setStyleSheet("font-size: 13pt;")
        self.staff_label = QLabel("", header)
        self.staff_label.setObjectName("staff")
        self.sync_label = QLabel("", header)
        self.sync_label.setObjectName("syncState")
        self.lock_button = QPushButton(self.tr("Lock"), header)
        self.lock_button.setObjectName("lockButton")
        self.lock_button.clicked.connect(lambda: self.lock(LockReason.ON_DEMAND))
        for widget in (self.center_label, self.date_label):
            row.addWidget(widget)
            row.addSpacing(16)
        row.addStretch(1)
        row.addWidget(self.staff_label)
        row.addSpacing(16)
        row.addWidget(self.sync_label)
        row.addSpacing(12)
        row.addWidget(self.lock_button)
        return header

    def _update_header(self) -> None:
        center = self.ctx.center
        self.center_label.setText(center.name if center else self.ctx.center_id)
        self.date_label.setText(format_era_date(tokyo_date(self.ctx.clock.now())))
        # Locked: nothing about who was signed in, and no lock button to press again.
        staff = None if self.lock_policy.locked else self.ctx.staff
        self.staff_label.setText(
            self.tr("Staff: %1").replace("%1", staff.name) if staff else self.tr("Not signed in")
        )
        self.lock_button.setEnabled(staff is not None)
        self.lock_button.setVisible(not self.lock_policy.locked)
        self.sync_label.setText(self.sync_text(self._status))

    def sync_text(self, status: SyncStatus) -> str:
        if status.revoked:
            state = self.tr("Revoked")
        elif status.online is None:
            state = self.tr("Connecting…")
        elif status.online:
            state = self.tr("Online")
        else:
            state = self.tr("Offline")
        parts = [state, self.tr("Waiting: %1").replace("%1", str(status.pending))]
        if status.last_sync_at is not None:
            parts.append(
                self.tr("Last sync %1").replace(
                    "%1",
                    status.last_sync_at.astimezone(self.ctx.clock.now().tzinfo).strftime("%H:%M"),
                )
            )
        return " · ".join(parts)

    def _sync_progress(self, done: int, remaining: int) -> None:
        # Only a long pull (the first sync of a center) is worth a progress bar.
        if remaining > 0:
            self.progress.setRange(0, done + remaining)
            self.progress.setValue(done)
            self.progress.show()
        else:
            self.progress.hide()

    # --- device policy (USB) --------------------------------------------------------------

    def check_posture(self) -> None:
        self.ctx.tasks.run(check_posture, self._posture_checked, self.show_error)

    def _posture_checked(self, report: PostureReport) -> None:
        first_failure = not report.in_force and (self.posture is None or self.posture.in_force)
        self.posture = report
        self._show_restriction()
        if report.in_force:
            return
        if first_failure:
            codes = ",".join(report.codes)
            self.ctx.tasks.run(
                lambda: self.ctx.ops.record_audit("posture_failed", codes), on_error=lambda _e: None
            )
        if self.ctx.config.strict_posture and self.pages.currentIndex() == self.PAGE_WORK:
            self.lock(LockReason.OS_LOCK)

    def _show_restriction(self) -> None:
        """The red banner: the device policy not in force, or a volume connected now."""
        parts = []
        if self.posture is not None and not self.posture.in_force:
            parts.append(
                self.tr(
                    "USB storage is not blocked on this PC as the city requires. Do not "
                    "connect any storage device; tell the office."
                )
            )
        if self.media.any:
            parts.append(
                self.tr(
                    "A storage device (%1) has been connected to this PC. Remove it now; "
                    "the office has been told."
                ).replace("%1", ", ".join(self.media.present))
            )
        if parts and self.ctx.config.strict_posture:
            parts.append(self.tr("Personal data stays hidden until it is fixed."))
        self.posture_banner.setText(" ".join(parts))
        self.posture_banner.setVisible(bool(parts))

    def media_appeared(self, volume: str) -> None:
        if not self.media.appeared(volume):
            return
        log.warning("removable storage connected: %s", volume)
        self._show_restriction()
        self.ctx.tasks.run(
            lambda: self.ctx.ops.record_audit("removable_media_connected", volume),
            on_error=lambda _e: None,
        )
        if self.ctx.config.strict_posture and self.pages.currentIndex() == self.PAGE_WORK:
            self.lock(LockReason.OS_LOCK)

    def media_gone(self, volume: str) -> None:
        if not self.media.gone(volume):
            return
        log.info("removable storage removed: %s", volume)
        self._show_restriction()
        self.ctx.tasks.run(
            lambda: self.ctx.ops.record_audit("removable_media_removed", volume),
            on_error=lambda _e: None,
        )

    def _sync_status(self, status: SyncStatus) -> None:
        self._status = status
        self._update_header()
        notes = []
        if status.online is False:
            notes.append(
                self.tr(
                    "Offline: walk-in bookings and day-of-use work continue and are "
                    "sent when the line is back."
                )
            )
        if status.clock_warning and status.clock_offset is not None:
            minutes = int(abs(status.clock_offset.total_seconds()) // 60)
            notes.append(
                self.tr(
                    "This PC's clock is off by about %1 minutes; the reservation "
                    "system's clock decides."
                ).replace("%1", str(minutes))
            )
        if status.needs_attention:
            notes.append(
                self.tr(
                    "%1 change(s) were refused by the reservation system: see Needs attention."
                ).replace("%1", str(status.needs_attention))
            )
        self.banner.setText("\n".join(notes))
        self.banner.setVisible(bool(notes))
        index = self._view_index("attention")
        if index is not None:
            label = self.tr("Needs attention")
            if status.needs_attention:
                label += f"（{status.needs_attention}）"
            self.tabs.setTabText(index, label)

    # --- menus --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        desk_menu = self.menuBar().addMenu(self.tr("&Desk"))
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock(LockReason.ON_DEMAND))
        desk_menu.addAction(self.lock_action)
        self.sync_action = QAction(self.tr("&Sync now"), self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self.ctx.sync.nudge)
        desk_menu.addAction(self.sync_action)
        self.journal_action = QAction(self.tr("Print the day &journal"), self)
        self.journal_action.setShortcut(QKeySequence("Ctrl+Shift+J"))
        self.journal_action.triggered.connect(self.print_day_journal)
        desk_menu.addAction(self.journal_action)
        desk_menu.addSeparator()
        self.end_of_day_action = QAction(self.tr("&End of day…"), self)
        self.end_of_day_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
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
        for name, make_view in VIEWS:
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

        self.ctx.tasks.run(load, loaded, self.show_error)

    def end_of_day(self) -> None:
        run_end_of_day(self)

    def closeEvent(self, event: Any) -> None:
        self._idle_timer.stop()
        self.clipboard_guard.clear_now()
        super().closeEvent(event)
