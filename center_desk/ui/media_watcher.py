"""Hears the OS announce removable storage while the desk runs: udisks2's object manager on the
system bus (Linux), ``WM_DEVICECHANGE`` (Windows). What counts as a removable volume is decided
in ``center_desk.security.removable_media``; this module only listens and reports."""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from PySide6.QtCore import SLOT, QAbstractNativeEventFilter, QCoreApplication, QObject, Signal, Slot

from center_desk.security.removable_media import WM_DEVICECHANGE, udisks_volume, windows_volumes

log = logging.getLogger("center_desk.ui")

UDISKS = "org.freedesktop.UDisks2"
_OBJECT_MANAGER = "org.freedesktop.DBus.ObjectManager"


class RemovableMediaWatcher(QObject):
    #: A removable volume appeared / went away: its device name ("sdb1", "E:").
    appeared = Signal(str)
    gone = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        bus: Any = None,
        service: str = UDISKS,
    ) -> None:
        super().__init__(parent)
        self.listening = False
        self._bus = bus
        self._service = service
        self._native: _DeviceChangeFilter | None = None
        if sys.platform.startswith("linux"):
            self._listen_udisks()
        elif sys.platform == "win32":  # pragma: no cover - the Windows desks
            self._listen_windows()

    def _listen_udisks(self) -> None:
        # QtDBus is imported here: Windows builds of Qt may lack it.
        from PySide6.QtDBus import QDBusConnection

        bus = self._bus or QDBusConnection.systemBus()
        self._bus = bus
        if not bus.isConnected():
            log.info("removable media: no system bus; the device policy check still runs")
            return
        path = "/org/freedesktop/UDisks2"
        added = bus.connect(  # type: ignore[call-overload]
            self._service,
            path,
            _OBJECT_MANAGER,
            "InterfacesAdded",
            self,
            SLOT("_added(QDBusMessage)"),
        )
        removed = bus.connect(  # type: ignore[call-overload]
            self._service,
            path,
            _OBJECT_MANAGER,
            "InterfacesRemoved",
            self,
            SLOT("_removed(QDBusMessage)"),
        )
        self.listening = bool(added and removed)
        log.info("removable media: %s", "udisks2 signals" if self.listening else "not watched")

    @staticmethod
    def _path_of(message: Any) -> str:
        arguments = message.arguments()
        first: Any = arguments[0] if arguments else ""
        return str(first.path()) if hasattr(first, "path") else str(first)

    def _hint_system(self, object_path: str) -> bool | None:
        """udisks2's own word on whether the disk is fixed; None when it cannot be asked."""
        from PySide6.QtDBus import QDBusInterface, QDBusMessage

        if self._bus is None or not self._service:
            return None
        props = QDBusInterface(
            self._service, object_path, "org.freedesktop.DBus.Properties", self._bus
        )
        reply = props.call("Get", f"{UDISKS}.Block", "HintSystem")
        values = reply.arguments()
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not values:
            return None
        value: Any = values[0]
        value = value.variant() if hasattr(value, "variant") else value
        return value if isinstance(value, bool) else None

    @Slot("QDBusMessage")
    def _added(self, message: Any) -> None:
        path = self._path_of(message)
        if udisks_volume(path) is None:
            return
        volume = udisks_volume(path, self._hint_system(path))
        if volume is not None:
            self.appeared.emit(volume)

    @Slot("QDBusMessage")
    def _removed(self, message: Any) -> None:
        volume = udisks_volume(self._path_of(message))
        if volume is not None:
            self.gone.emit(volume)

    def _listen_windows(self) -> None:  # pragma: no cover - the Windows desks
        app = QCoreApplication.instance()
        if app is None:
            return
        self._native = _DeviceChangeFilter(self)
        app.installNativeEventFilter(self._native)
        self.listening = True


class _MSG(ctypes.Structure):
    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_uint32),
        ("pt_x", ctypes.c_long),
        ("pt_y", ctypes.c_long),
    ]


class _DEV_BROADCAST_VOLUME(ctypes.Structure):
    _fields_ = [
        ("dbcv_size", ctypes.c_uint32),
        ("dbcv_devicetype", ctypes.c_uint32),
        ("dbcv_reserved", ctypes.c_uint32),
        ("dbcv_unitmask", ctypes.c_uint32),
        ("dbcv_flags", ctypes.c_uint16),
    ]


class _DeviceChangeFilter(QAbstractNativeEventFilter):  # pragma: no cover - Windows only
    """Windows broadcasts volume arrival and removal to top-level windows as WM_DEVICECHANGE;
    Qt hands each native message to this filter first."""

    def __init__(self, watcher: RemovableMediaWatcher) -> None:
        super().__init__()
        self._watcher = watcher

    def nativeEventFilter(self, event_type: Any, message: Any) -> Any:
        if bytes(event_type) != b"windows_generic_MSG":
            return False, 0
        msg = _MSG.from_address(int(message))
        if msg.message != WM_DEVICECHANGE or not msg.lParam:
            return False, 0
        header = _DEV_BROADCAST_VOLUME.from_address(msg.lParam)
        device_type = header.dbcv_devicetype
        mask = header.dbcv_unitmask if device_type == 2 else 0
        arrived, letters = windows_volumes(int(msg.wParam), device_type, mask)
        for letter in letters:
            (self._watcher.appeared if arrived else self._watcher.gone).emit(letter)
        return False, 0
