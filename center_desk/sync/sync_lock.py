"""One sync at a time per cache (issue 10): two desk processes on one cache (the window and a
``center-desk sync --once`` from a scheduled task, say) would push the same mutations twice and
report counts that mean nothing.

An OS file lock beside the cache, taken without waiting: the OS drops it when the holder dies,
so a killed process never leaves the desk unable to sync.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType


class SyncLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @classmethod
    def beside(cls, cache_path: Path) -> SyncLock:
        return cls(cache_path.with_name(cache_path.name + ".sync-lock"))

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; False when another sync is running."""
        if self._fd is not None:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on the Windows desks
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
