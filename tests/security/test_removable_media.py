"""Issue 15: which OS announcements mean "a storage volume was connected"."""

from __future__ import annotations

from center_desk.security.removable_media import (
    DBT_DEVICEARRIVAL,
    DBT_DEVICEREMOVECOMPLETE,
    DBT_DEVTYP_VOLUME,
    MediaPresence,
    udisks_volume,
    windows_volumes,
)

BLOCK = "/org/freedesktop/UDisks2/block_devices/"


def test_udisks_block_devices_that_are_media() -> None:
    assert udisks_volume(BLOCK + "sdb1") == "sdb1"
    assert udisks_volume(BLOCK + "sdb") == "sdb"
    assert udisks_volume(BLOCK + "mmcblk0p1", hint_system=False) == "mmcblk0p1"
    assert udisks_volume(BLOCK + "sr0") == "sr0"  # an optical disc is external media too
    # Fixed disks (udisks2's HintSystem), and devices that come and go by themselves.
    assert udisks_volume(BLOCK + "sda1", hint_system=True) is None
    for name in ("loop7", "dm-0", "md127", "zram0", "ram0", "nbd0"):
        assert udisks_volume(BLOCK + name) is None, name
    # Drives, jobs and the manager itself are not volumes.
    assert udisks_volume("/org/freedesktop/UDisks2/drives/SanDisk_Ultra_123") is None
    assert udisks_volume("/org/freedesktop/UDisks2/jobs/12") is None
    assert udisks_volume(BLOCK) is None


def test_windows_device_change_names_volume_letters() -> None:
    e_and_f = (1 << 4) | (1 << 5)
    assert windows_volumes(DBT_DEVICEARRIVAL, DBT_DEVTYP_VOLUME, e_and_f) == (True, ["E:", "F:"])
    assert windows_volumes(DBT_DEVICEREMOVECOMPLETE, DBT_DEVTYP_VOLUME, 1 << 4) == (False, ["E:"])
    # Other device types (ports, interfaces) and other events name no volume.
    assert windows_volumes(DBT_DEVICEARRIVAL, 5, e_and_f) == (False, [])
    assert windows_volumes(0x0007, DBT_DEVTYP_VOLUME, e_and_f) == (False, [])


def test_presence_counts_each_volume_once() -> None:
    media = MediaPresence()
    assert not media.any
    assert media.appeared("sdb1") and not media.appeared("sdb1")
    assert media.appeared("sdb2")
    assert media.present == ("sdb1", "sdb2")
    assert media.gone("sdb1") and not media.gone("sdb1")
    assert media.any
    assert media.gone("sdb2") and not media.any
