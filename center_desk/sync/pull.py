"""What a pull does (DESIGN.md §4): pages of changes from the backend, the next asked for while
the desk writes this one, and each page applied to the cache with its cursor, so an interrupted
snapshot resumes where it stopped and keeps what it brought."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from center_desk.protocol.sync import MAX_PULL_PAGE, DeskState, PullResponse
from center_desk.store import Connection, meta, mirror, outbox, transaction

from .client import BackendClient
from .clock_offset import ClockOffset
from .errors import WrongDesk

log = logging.getLogger("center_desk.sync")

#: Changes per pull request: the most the backend serves. A snapshot page costs the backend a
#: few queries whatever its size, and each page is a round trip and a committed (fsynced)
#: transaction on the desk, so a first sync of 18,000 rows takes 5 pages rather than 19
#: (issue 13). A page still commits with its cursor, so an interrupted snapshot resumes.
PULL_PAGE = MAX_PULL_PAGE
#: The first page of a pull: most pulls are this or less; a snapshot's first page arrives
#: sooner, and the desk is writing it while the backend builds the next.
FIRST_PULL_PAGE = 1000


def pull_pages(
    client: BackendClient,
    cursor: str | None,
    page_size: int,
    take: Callable[[PullResponse, int], int],
) -> None:
    """Every page after ``cursor``, each handed to ``take`` with how many changes came before
    it; ``take`` returns how many have come with it."""
    # The first page is a small one: until it arrives the desk has nothing to write, and
    # the larger pages that follow are built by the backend while it writes (below).
    page = client.pull(cursor, min(page_size, FIRST_PULL_PAGE))
    if not page.has_more:
        take(page, 0)
        return
    # Several pages (a snapshot, a long time offline): the next page is asked for while
    # this one is written, so the backend builds it while the desk's disk is busy rather
    # than both waiting on each other (issue 13). It asks from this page's cursor, which is
    # what the cache holds once this page commits; should the commit fail, the page
    # fetched ahead is dropped with the error and the next sync asks again from the cache.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead") as ahead:
        done = 0
        while True:
            following = ahead.submit(client.pull, page.cursor, page_size) if page.has_more else None
            try:
                done = take(page, done)
            except BaseException:
                if following is not None:
                    following.cancel()
                raise
            if following is None:
                return
            page = following.result()


def apply_page(db: Connection, page: PullResponse, *, now: str, offset: ClockOffset) -> int:
    """Apply one page with its cursor, in one transaction with the clock offset; returns how
    many applied mutations the backend turned out to have lost (they wait to be pushed
    again)."""
    reopened = 0
    with transaction(db):
        _check_desk(db, page.desk)
        if page.snapshot_started:
            mirror.begin_snapshot(db)
        mirror.apply_changes(db, page.changes, now)
        if page.snapshot and not page.has_more:
            gone = mirror.finish_snapshot(db)
            if gone:
                log.info("snapshot complete: %d rows no longer upstream removed", gone)
        desk = page.desk
        meta.put(db, meta.PULL_CURSOR, page.cursor)
        meta.put(db, meta.CENTER_ID, desk.center_id)
        meta.put(db, meta.DEVICE_ID, desk.device_id)
        meta.put(db, meta.DEVICE_NUMBER, str(desk.device_number))
        counter = max(meta.get_int(db, meta.APPROVAL_COUNTER), desk.last_approval_counter)
        meta.put(db, meta.APPROVAL_COUNTER, str(counter))
        if meta.get(db, meta.OUTBOX_FLOOR_KNOWN) != "1":
            outbox.rebase(db, desk.last_mutation_id)
            meta.put(db, meta.OUTBOX_FLOOR_KNOWN, "1")
        elif desk.last_mutation_id < outbox.highest_applied(db):
            # The backend's last id for us went back: it was restored from a backup.
            reopened = outbox.reopen_lost(db, desk.last_mutation_id)
            outbox.rebase(db, desk.last_mutation_id)
            log.warning("the backend lost %d applied mutation(s); sending again", reopened)
        offset.store(db)
    return reopened


def changes_nothing(db: Connection, page: PullResponse) -> bool:
    """Whether applying ``page`` would leave the cache as it is: no changes, no snapshot, the
    cursor the cache holds, the desk state it holds (so no other device's, no rebase, no
    mutation the backend lost)."""
    if page.changes or page.snapshot or page.has_more:
        return False
    desk = page.desk
    counter = meta.get(db, meta.APPROVAL_COUNTER)
    return (
        meta.get(db, meta.PULL_CURSOR) == page.cursor
        and meta.get(db, meta.CENTER_ID) == desk.center_id
        and meta.get(db, meta.DEVICE_ID) == desk.device_id
        and meta.get(db, meta.DEVICE_NUMBER) == str(desk.device_number)
        and counter is not None
        and counter.isdigit()
        and int(counter) >= desk.last_approval_counter
        and meta.get(db, meta.OUTBOX_FLOOR_KNOWN) == "1"
        and desk.last_mutation_id >= outbox.highest_applied(db)
    )


def _check_desk(db: Connection, desk: DeskState) -> None:
    known = meta.get(db, meta.DEVICE_ID)
    if known is not None and known != desk.device_id:
        raise WrongDesk("the cache was filled for another device")
