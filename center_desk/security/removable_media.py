"""Removable media that appear while the desk runs (DESIGN.md §5, "No USB export").

The device policy check (``posture``) reads the OS policy at start and on a timer; this module
decides, from what the OS announces, whether a storage volume was just connected: udisks2 on
Linux (an object under ``/org/freedesktop/UDisks2/block_devices``), ``WM_DEVICECHANGE`` on
Windows (a volume's drive letters). The UI listens for the announcements (ui/media_watcher.py)
and raises the red banner, records an audit event, and in strict mode keeps personal data off
the screen while any such volume is present.

Only device names (``sdb1``, ``E:``) are kept: a volume's label could be anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UDISKS_BLOCK_DEVICES = "/org/freedesktop/UDisks2/block_devices/"

#: Block devices that come and go without anyone plugging anything in: loop devices (snaps,
#: images), device-mapper and RAID volumes, compressed swap, RAM disks, network block devices.
_NOT_MEDIA = ("loop", "dm-", "md", "zram", "ram", "nbd")

# Windows: dbt.h.
WM_DEVICECHANGE = 0x0219
DBT_DEVICEARRIVAL = 0x8000
DBT_DEVICEREMOVECOMPLETE = 0x8004
DBT_DEVTYP_VOLUME = 0x00000002


def udisks_volume(object_path: str, hint_system: bool | None = None) -> str | None:
    """The device name of a block device udisks2 announced, if it may be removable storage.

    ``hint_system`` is the block's ``HintSystem`` property when it could be read: udisks2 sets
    it for fixed disks. Unknown counts as removable: a disk that appears while the desk runs is
    not one the PC booted with."""
    if not object_path.startswith(UDISKS_BLOCK_DEVICES):
        return None
    name = object_path[len(UDISKS_BLOCK_DEVICES) :]
    if not name or "/" in name or name.startswith(_NOT_MEDIA) or hint_system is True:
        return None
    return name


def windows_volumes(event: int, device_type: int, unit_mask: int) -> tuple[bool, list[str]]:
    """For a ``WM_DEVICECHANGE``: (arrived?, drive letters) of the volumes it names; no letters
    when it is not a volume arriving or leaving."""
    if device_type != DBT_DEVTYP_VOLUME or event not in (
        DBT_DEVICEARRIVAL,
        DBT_DEVICEREMOVECOMPLETE,
    ):
        return False, []
    letters = [f"{chr(ord('A') + bit)}:" for bit in range(26) if unit_mask & (1 << bit)]
    return event == DBT_DEVICEARRIVAL, letters


@dataclass
class MediaPresence:
    """Which removable volumes are connected now, as the OS announced them."""

    _present: set[str] = field(default_factory=set)

    def appeared(self, volume: str) -> bool:
        """True when the volume is new (a repeated announcement changes nothing)."""
        if volume in self._present:
            return False
        self._present.add(volume)
        return True

    def gone(self, volume: str) -> bool:
        if volume not in self._present:
            return False
        self._present.discard(volume)
        return True

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(sorted(self._present))

    @property
    def any(self) -> bool:
        return bool(self._present)
