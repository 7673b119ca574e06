"""What the main window always shows above the views: who and where, today's date and the sync
state in the header; the banners for the line, the clock and the device policy (USB)."""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QWidget,
)

from center_desk.domain import format_era_date, tokyo_date
from center_desk.domain.offline_time import CLOCK_TOLERANCE
from center_desk.security.lock import LockReason
from center_desk.security.posture import PostureReport
from center_desk.store import meta
from center_desk.sync.status import SyncStatus

from .window_locking import LockingWindow

log = logging.getLogger("center_desk.ui")


class StatusWindow(LockingWindow):
    """The header and the banners; :class:`~.main_window.MainWindow` builds on it."""

    # Set up by MainWindow.__init__; declared here so each part of the window is typed.
    _status: SyncStatus
    #: The clock offset the cache kept from the last contact (see load_kept_clock_offset).
    _kept_offset: timedelta | None = None
    banner: QLabel
    progress: QProgressBar
    tabs: QTabWidget

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
        # Before the first sync the catalog is not in the cache yet: staff read a sentence, not
        # the center's id (the enrolment reply carries no name).
        self.center_label.setText(
            center.name if center else self.tr("(The center's name appears after the first sync)")
        )
        self.date_label.setText(format_era_date(tokyo_date(self.ctx.clock.now())))
        # Locked: nothing about who was signed in, and no lock button to press again.
        staff = None if self.lock_policy.locked else self.ctx.staff
        self.staff_label.setText(
            self.tr("Staff: %1").replace("%1", staff.name) if staff else self.tr("Not signed in")
        )
        self.lock_button.setEnabled(staff is not None)
        self.lock_button.setVisible(not self.lock_policy.locked)
        self.sync_label.setText(self.sync_text(self._status))
        # Lay the header out now, not at the next turn of the event loop: a text that grew
        # (接続中… to オンライン) would otherwise show cut at the end (「未送信 0」 for 「0件」)
        # in anything drawn before then, such as a screenshot.
        header = self.sync_label.parentWidget()
        row = header.layout() if header is not None else None
        if row is not None:
            row.activate()

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

    def clock_note(self, offset: timedelta) -> str:
        """``offset`` is the reservation system's clock minus this PC's."""
        seconds = abs(offset.total_seconds())
        if seconds >= 86400:
            amount = self.tr("%1 day(s)").replace("%1", str(round(seconds / 86400)))
        elif seconds >= 3600:
            amount = self.tr("%1 hour(s)").replace("%1", str(round(seconds / 3600)))
        else:
            amount = self.tr("%1 minute(s)").replace("%1", str(round(seconds / 60)))
        if offset > timedelta(0):
            text = self.tr(
                "This PC's clock is about %1 behind the reservation system's: the desk checks "
                "booking rules at the system's time, and the system's clock decides."
            )
        else:
            text = self.tr(
                "This PC's clock is about %1 ahead of the reservation system's: the desk checks "
                "booking rules at the system's time, and the system's clock decides."
            )
        return text.replace("%1", amount)

    def load_kept_clock_offset(self) -> None:
        """Offline from the start, no reply has measured the clock yet; the offset the cache
        kept from the last contact is what the rule checks use, so the banner says so too."""

        def kept(offset: timedelta | None) -> None:
            self._kept_offset = offset
            self._sync_status(self._status)

        def failed(exc: BaseException) -> None:
            log.warning("kept clock offset not read: %s", type(exc).__name__)

        # Read straight from the cache: the desk's operations (and the wire models they load)
        # are made on first use, after the window's first paint (issue 13).
        self.ctx.tasks.run(lambda: self.ctx.db.call(meta.server_clock_offset), kept, failed)

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
        # Measured at this session's last contact, or (offline since the start) the offset
        # the cache kept: either way the desk's own rule checks use it, and staff are told.
        offset = status.clock_offset if status.clock_offset is not None else self._kept_offset
        if offset is not None and abs(offset) > CLOCK_TOLERANCE:
            notes.append(self.clock_note(offset))
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

    # --- what the views part does (MainWindow) ----------------------------------------------

    def _view_index(self, name: str) -> int | None:
        raise NotImplementedError
