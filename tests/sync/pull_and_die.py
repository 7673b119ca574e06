"""A desk process whose first sync is killed between pulled pages (issue 10).

    python tests/sync/pull_and_die.py CACHE URL TOKEN NOW PAGE_SIZE PAGES

Run inside the tests' D-Bus session (the cache key is in the same Secret Service). It syncs
with pages of PAGE_SIZE changes and SIGKILLs itself right after page PAGES is committed: no
``finally``, no cache close; what survives is what SQLCipher committed.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from center_desk.domain import ManualClock  # noqa: E402
from center_desk.store import KeyStore, open_cache  # noqa: E402
from center_desk.sync.client import BackendClient, make_http  # noqa: E402
from center_desk.sync.engine import SyncEngine  # noqa: E402
from center_desk.sync.runner import InlineRunner  # noqa: E402


def main(argv: list[str]) -> None:
    cache_path, url, token, now, page_size, pages = argv
    cache = open_cache(Path(cache_path), KeyStore())
    seen = [0]

    def on_progress(done: int, remaining: int) -> None:
        seen[0] += 1
        print(f"page {seen[0]}: {done} done, {remaining} to come", flush=True)
        if seen[0] >= int(pages):
            os.kill(os.getpid(), signal.SIGKILL)

    engine = SyncEngine(
        InlineRunner(cache),
        BackendClient(make_http(url), device_token=lambda: token),
        ManualClock(datetime.fromisoformat(now)),
        on_progress=on_progress,
        pull_page=int(page_size),
    )
    report = engine.sync_once()
    print(f"finished without being killed: {report}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
