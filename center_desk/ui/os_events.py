"""The desk locks when the operating system does (DESIGN.md §5): on the screen saver or screen
lock, on suspend, and on a session lock (user switch). Linux desktops announce these on
D-Bus; Windows sends the window WM_WTSSESSION_CHANGE once it has asked for it with
WTSRegisterSessionNotification, and WM_POWERBROADCAST before a suspend (read by a native event
filter).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import (
    SLOT,
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QObject,
    Signal,
    Slot,
)

from center_desk.security.os_session import NOTIFY_FOR_THIS_SESSION, windows_lock_reason

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
        self.windows_filter = WindowsSessionFilter(self.lock_requested.emit)
        if sys.platform.startswith("linux"):
            self._listen_linux()

    def listen_windows(self, window_handle: int) -> None:
        """Ask Windows to tell this window about session locks and user switches (the main
        window calls it with its winId once it exists)."""
        if sys.platform != "win32":  # pragma: no cover - the Windows desks only
            return
        app = QCoreApplication.instance()  # pragma: no cover
        if app is None:  # pragma: no cover
            return
        app.installNativeEventFilter(self.windows_filter)  # pragma: no cover
        wtsapi32 = ctypes.windll.wtsapi32  # pragma: no cover
        if wtsapi32.WTSRegisterSessionNotification(  # pragma: no cover
            ctypes.c_void_p(window_handle), NOTIFY_FOR_THIS_SESSION
        ):
            self.listening.append("WTSRegisterSessionNotification")  # pragma: no cover
        else:  # pragma: no cover
            log.warning("WTSRegisterSessionNotification failed")

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


class _Msg(ctypes.Structure):
    """The head of Windows' MSG: the same layout on every platform for these fields, so the
    decoding is tested on Linux with a message built here."""

    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint32),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
    )


class WindowsSessionFilter(QAbstractNativeEventFilter):
    """Reads WM_WTSSESSION_CHANGE and WM_POWERBROADCAST from Qt's native event stream."""

    def __init__(self, on_lock: Callable[[str], object]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> object:
        kind = bytes(eventType.data() if isinstance(eventType, QByteArray) else eventType)
        if kind != b"windows_generic_MSG" or not message:
            return False
        msg = _Msg.from_address(int(message))
        reason = windows_lock_reason(msg.message, msg.wParam)
        if reason is not None:
            self._on_lock(reason)
        # Never swallow the message: Windows and Qt still need it.
        return False
