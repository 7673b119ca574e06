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
