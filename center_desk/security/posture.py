"""Is the counter PC's device policy in force? (DESIGN.md §5, "No USB export".)

The installers apply the OS policy (installers/linux, installers/windows); the desk checks it at
start and periodically. When it is not in force the desk runs restricted: a red banner and an
audit event, and in the city's strict mode no personal data on screen at all.

The checks read files (Linux) or the registry (Windows) under an injectable root, so tests run
them against a prepared folder rather than this machine's real settings.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One part of the policy that is missing. ``code`` is stable; the UI words it."""

    code: str
    detail: str = ""


@dataclass(frozen=True)
class PostureReport:
    findings: tuple[Finding, ...]

    @property
    def in_force(self) -> bool:
        return not self.findings

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


_BLOCK_LINE = re.compile(r"^\s*install\s+usb[-_]storage\s+/bin/(false|true)\b", re.MULTILINE)


def _read_all(folder: Path, pattern: str) -> str:
    if not folder.is_dir():
        return ""
    texts = []
    for path in sorted(folder.glob(pattern)):
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return "\n".join(texts)


def check_linux(root: Path = Path("/")) -> PostureReport:
    findings: list[Finding] = []
    modprobe = _read_all(root / "etc/modprobe.d", "*.conf")
    if not _BLOCK_LINE.search(modprobe):
        findings.append(
            Finding(
                "usb_storage_module_allowed",
                "no 'install usb-storage /bin/false' in /etc/modprobe.d",
            )
        )
    modules = root / "proc/modules"
    try:
        loaded = modules.read_text(encoding="utf-8") if modules.exists() else ""
    except OSError:
        loaded = ""
    if re.search(r"^usb_storage\s", loaded, re.MULTILINE):
        findings.append(Finding("usb_storage_module_loaded", "usb_storage is loaded now"))
    polkit = _read_all(root / "etc/polkit-1/rules.d", "*.rules")
    if "org.freedesktop.udisks2.filesystem-mount" not in polkit or "Result.NO" not in polkit:
        findings.append(Finding("removable_mount_allowed", "no polkit rule denying udisks2 mounts"))
    usbguard = root / "etc/usbguard/rules.conf"
    try:
        rules = usbguard.read_text(encoding="utf-8") if usbguard.exists() else ""
    except OSError:
        rules = ""
    if not re.search(
        r"^\s*(reject|block)\s+with-interface\s+one-of\s+\{\s*08:", rules, re.MULTILINE
    ):
        findings.append(
            Finding(
                "usbguard_not_blocking_storage", "USBGuard does not block mass-storage interfaces"
            )
        )
    return PostureReport(tuple(findings))


def check_posture(root: Path | None = None) -> PostureReport:
    if sys.platform == "win32":  # pragma: no cover - the Windows desks
        return _check_windows()
    return check_linux(root or Path("/"))


if sys.platform == "win32":  # pragma: no cover - mypy checks this branch only for Windows
    import winreg

    def _check_windows() -> PostureReport:
        findings: list[Finding] = []

        def value(path: str, name: str) -> int | None:
            try:
                with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path) as key:
                    found, _ = winreg.QueryValueEx(key, name)
                    return int(found)
            except OSError:
                return None

        if value(r"SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices", "Deny_All") != 1:
            findings.append(Finding("removable_storage_policy_off", "Deny_All is not 1"))
        if value(r"SYSTEM\CurrentControlSet\Services\USBSTOR", "Start") != 4:
            findings.append(Finding("usbstor_driver_enabled", "USBSTOR Start is not 4"))
        return PostureReport(tuple(findings))
