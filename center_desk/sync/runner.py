"""How the sync layer reaches the cache: through a runner that executes a function on the
thread that owns the SQLCipher connection (DESIGN.md §2). The GUI's worker provides one; the
command line and the tests run functions inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from center_desk.store import Cache, Connection

T = TypeVar("T")


class DbRunner(Protocol):
    def __call__(self, work: Callable[[Connection], T], /) -> T: ...


class InlineRunner:
    """Runs work on the calling thread: for the command line and tests, where that thread
    owns the cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def __call__(self, work: Callable[[Connection], T], /) -> T:
        return work(self.cache.connection)
