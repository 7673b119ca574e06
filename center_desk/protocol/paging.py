"""What building or reading a pull page needs on either side of the wire."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block: for building (backend) or
    parsing (desk) a pull page.

    A snapshot page is thousands of rows made into dicts and models, and each few hundred new
    containers set the collector off to walk everything alive: a quarter of the server's CPU
    for a first sync and half of the desk's parse (issue 13). A page holds no reference cycles,
    so nothing is left behind; the collector runs again after. Process-wide, so it is only ever
    re-enabled by whoever found it enabled: with pages handled at once in several threads it is
    paused at most for the length of one of them, and never left off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
