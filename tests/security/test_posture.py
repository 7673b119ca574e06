"""The posture check against the installers' own policy files, laid out in a folder as the
installer would lay them out on a counter PC."""

from __future__ import annotations

import shutil
from pathlib import Path

from center_desk.security.posture import check_linux

INSTALLERS = Path(__file__).resolve().parents[2] / "installers" / "linux"


def _installed(root: Path) -> Path:
    for folder, source, name in (
        ("etc/modprobe.d", "usb-storage-block.conf", "center-desk-usb-storage.conf"),
        (
            "etc/polkit-1/rules.d",
            "49-center-desk-no-removable-media.rules",
            "49-center-desk-no-removable-media.rules",
        ),
        ("etc/usbguard", "usbguard-rules.conf", "rules.conf"),
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(INSTALLERS / source, root / folder / name)
    (root / "proc").mkdir()
    (root / "proc/modules").write_text("snd_hda_intel 1 0 - Live 0x0\n", encoding="utf-8")
    return root


def test_the_installed_policy_is_in_force(tmp_path: Path) -> None:
    assert check_linux(_installed(tmp_path)).in_force


def test_a_bare_machine_fails_every_check(tmp_path: Path) -> None:
    report = check_linux(tmp_path)
    assert set(report.codes) == {
        "usb_storage_module_allowed",
        "removable_mount_allowed",
        "usbguard_not_blocking_storage",
    }


def test_a_loaded_storage_driver_is_noticed(tmp_path: Path) -> None:
    root = _installed(tmp_path)
    (root / "proc/modules").write_text("usb_storage 81920 0 - Live 0x0\n", encoding="utf-8")
    assert check_linux(root).codes == ("usb_storage_module_loaded",)


def test_removing_one_part_is_noticed(tmp_path: Path) -> None:
    root = _installed(tmp_path)
    (root / "etc/polkit-1/rules.d/49-center-desk-no-removable-media.rules").unlink()
    assert check_linux(root).codes == ("removable_mount_allowed",)
