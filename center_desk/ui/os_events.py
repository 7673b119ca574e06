"""The desk locks when the operating system does (DESIGN.md §5): on the screen saver or screen
lock, on suspend, and on a session lock (user switch). Linux desktops announce these on D-Bus;
on Windows the idle lock and the OS's own lock screen cover it until a native hook is added.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import SLOT, QObject, Signal, Slot

log = logging.getLogger("center_desk.ui")

#: (bus, path, interface, signal, slot signature): where each desktop says "locked".
_SESSION_SIGNALS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged"),
)


class OsLockWatcher(QObject):
    #: Emitted with "screen_lock", "suspend" or "session_lock".
    lock_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        if sys.platform.startswith("linux"):
            self._listen_linux()

    def _listen_linux(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for path, interface, name in _SESSION_SIGNALS:
                if self._connect(session, "", path, interface, name, "_screen(bool)"):
                    self.listening.append(f"{interface}.{name}")
        system = QDBusConnection.systemBus()
        if system.isConnected():
            login1 = "org.freedesktop.login1"
            if self._connect(
                system,
                login1,
                "/org/freedesktop/login1",
                f"{login1}.Manager",
                "PrepareForSleep",
                "_sleep(bool)",
            ):
                self.listening.append("login1.PrepareForSleep")
            if self._connect(
                system,
                login1,
                "/org/freedesktop/login1/session/auto",
                f"{login1}.Session",
                "Lock",
                "_session_lock()",
            ):
                self.listening.append("login1.Session.Lock")
        log.info("locking with the OS on: %s", ", ".join(self.listening) or "nothing found")

    def _connect(
        self, bus: object, service: str, path: str, interface: str, name: str, slot: str
    ) -> bool:
        # PySide6's stubs type the slot as bytes; at run time it must be SLOT()'s str.
        return bool(bus.connect(service, path, interface, name, self, SLOT(slot)))  # type: ignore[attr-defined]

    @Slot(bool)
    def _screen(self, active: bool) -> None:
        if active:
            self.lock_requested.emit("screen_lock")

    @Slot(bool)
    def _sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self.lock_requested.emit("suspend")

    @Slot()
    def _session_lock(self) -> None:
        self.lock_requested.emit("session_lock")
