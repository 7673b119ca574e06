"""Locking the operating system's session at the end of the day (DESIGN.md §5)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence

Runner = Callable[[Sequence[str]], int]


def _run(command: Sequence[str]) -> int:
    return subprocess.run(list(command), check=False, timeout=10).returncode


def lock_command() -> list[str] | None:
    """The command that locks this OS session, or None when none is known here."""
    if sys.platform == "win32":  # pragma: no cover - the Windows desks
        return ["rundll32.exe", "user32.dll,LockWorkStation"]
    for command in (["loginctl", "lock-session"], ["xdg-screensaver", "lock"]):
        if shutil.which(command[0]):
            return command
    return None


def lock_os_session(run: Runner = _run) -> bool:
    """Lock the session; False when it could not be done (staff are then told to lock it)."""
    command = lock_command()
    if command is None:
        return False
    try:
        return run(command) == 0
    except (OSError, subprocess.SubprocessError):
        return False


# --- Windows: the session's own lock, suspend and user switch (no Qt, so it can be tested) --

#: WM_WTSSESSION_CHANGE, sent to a window registered with WTSRegisterSessionNotification.
WM_WTSSESSION_CHANGE = 0x02B1
WTS_CONSOLE_DISCONNECT = 0x2  # fast user switching away from this session
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
#: WM_POWERBROADCAST with PBT_APMSUSPEND: the PC is about to sleep.
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
#: WTSRegisterSessionNotification's flag: only this session's changes.
NOTIFY_FOR_THIS_SESSION = 0


def windows_lock_reason(message: int, wparam: int) -> str | None:
    """Why a Windows message means the desk must lock ("session_lock", "user_switch",
    "suspend"), or ``None`` for any other message."""
    if message == WM_WTSSESSION_CHANGE:
        return {
            WTS_SESSION_LOCK: "session_lock",
            WTS_CONSOLE_DISCONNECT: "user_switch",
            WTS_REMOTE_DISCONNECT: "user_switch",
        }.get(wparam)
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return "suspend"
    return None
