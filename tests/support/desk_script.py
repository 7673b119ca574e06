"""A desk process that books a walk-in offline and dies before it can push (issue 4's "desk
process killed between writing a booking and pushing it").

    python tests/support/desk_script.py CACHE NOW ROOM DAY SLOT USER_ID [HEADCOUNT]

Run it inside the tests' D-Bus session (it inherits DBUS_SESSION_BUS_ADDRESS and HOME), so
``KeyStore()`` finds the cache key in the same Secret Service. It opens the existing cache,
books through :class:`DeskOperations` with no backend client (offline), prints the booking as
one JSON line, and then SIGKILLs itself: no ``finally``, no ``atexit``, no cache close, no WAL
checkpoint; what survives is what SQLCipher committed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import date, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from center_desk.domain import ManualClock  # noqa: E402
from center_desk.store import KeyStore, open_cache  # noqa: E402
from center_desk.sync.operations import DeskOperations, WalkIn  # noqa: E402
from center_desk.sync.recovery import ledger_for  # noqa: E402
from center_desk.sync.runner import InlineRunner  # noqa: E402


def main(argv: list[str]) -> None:
    cache_path, now, room, day, slot, user_id, *rest = argv
    headcount = int(rest[0]) if rest else 12
    path = Path(cache_path)
    cache = open_cache(path, KeyStore(), create=False)
    ops = DeskOperations(
        InlineRunner(cache),
        None,
        ManualClock(datetime.fromisoformat(now)),
        staff_id=lambda: "s001",
        ledger=ledger_for(path),
    )
    booked = ops.book_walk_in(
        WalkIn(
            room_id=room,
            use_date=date.fromisoformat(day),
            slot_id=slot,
            headcount=headcount,
            purpose="練習",
            user_id=user_id,
        )
    )
    print(json.dumps({"id": booked.id, "approval_number": booked.approval_number}), flush=True)
    # Killed before any push, as a power cut or a crash would end it.
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv[1:])
