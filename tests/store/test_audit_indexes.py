"""The print path and the day journal do not grow with the audit trail (issue 13): every query
they send to ``audit_events`` is answered from an index, never by a scan of the table.

The statements are caught as the real functions send them (SQLite's trace callback, with their
parameters bound) and handed to ``EXPLAIN QUERY PLAN``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

from center_desk.domain import TOKYO, Center, Room, RoomKind, SlotDef
from center_desk.printing.journal_source import build_day_journal
from center_desk.store import Connection, KeyStore, audit, open_cache, transaction
from center_desk.ui.print_service import PRINTED_EVENT, load_for_print
from tests.store.conftest import DeskSample

DAY = date(2026, 12, 1)
RESERVATION_ID = "7f1c2a9e-0000-4000-8000-000000000123"
APPROVAL_NUMBER = "A-2026-000123"


def _fill_trail(db: Connection, days: int) -> None:
    """A long history: prints, views and fee receipts on every day before ``DAY``."""
    rows = []
    for d in range(days):
        moment = datetime.combine(DAY - timedelta(days=d + 1), datetime.min.time(), TOKYO)
        for n, kind in enumerate(("printed", "group_viewed", "fee_receipt", "locked") * 5):
            at = (moment + timedelta(minutes=30 * n)).isoformat()
            rows.append((at, kind, "S0042", f"A-2026-{d:04d}{n:02d}"))
    with transaction(db):
        db.executemany(
            "INSERT INTO audit_events (at, kind, staff_id, subject) VALUES (?, ?, ?, ?)", rows
        )


@contextmanager
def _statements(db: Connection) -> Iterator[list[str]]:
    seen: list[str] = []
    db.set_trace_callback(seen.append)  # type: ignore[attr-defined]
    try:
        yield seen
    finally:
        db.set_trace_callback(None)  # type: ignore[attr-defined]


def _audit_plans(db: Connection, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, its plan) for each statement that reads ``audit_events``."""
    plans = []
    for sql in statements:
        if "audit_events" not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        rows = db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        plans.append((sql, " | ".join(str(r[3]) for r in rows)))
    return plans


def _assert_indexed(plans: list[tuple[str, str]]) -> None:
    assert plans, "the path ran no query on audit_events"
    for sql, plan in plans:
        assert "audit_events USING" in plan and "INDEX" in plan, (sql, plan)
        assert "SCAN audit_events" not in plan, (sql, plan)


def _center() -> Center:
    room = Room(
        id="ogawa-nishi/1-shukai",
        center_id="ogawa-nishi",
        name="第一集会室",
        kind=RoomKind.WESTERN,
        capacity=40,
        individuals_allowed=False,
        fees={"morning": 700},
    )
    return Center(id="ogawa-nishi", name="小川西町地域センター", rooms=(room,))


def _run(
    cache_path: Path, key_store: KeyStore, sample: DeskSample, check: Callable[[Connection], None]
) -> None:
    cache = open_cache(cache_path, key_store)
    try:
        db = cache.connection
        with transaction(db):
            sample.seed(db)
        _fill_trail(db, 200)
        check(db)
    finally:
        cache.close()


def test_print_path_queries_use_indexes(
    cache_path: Path, key_store: KeyStore, sample: DeskSample
) -> None:
    def check(db: Connection) -> None:
        with _statements(db) as seen:
            loaded = load_for_print(db, RESERVATION_ID)
        assert loaded.printed_before is False
        _assert_indexed(_audit_plans(db, seen))
        with transaction(db):
            audit.record(
                db,
                event=PRINTED_EVENT,
                at=datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO),
                staff_id="S0042",
                subject=APPROVAL_NUMBER,
            )
        assert load_for_print(db, RESERVATION_ID).printed_before is True

    _run(cache_path, key_store, sample, check)


def test_day_journal_queries_use_indexes(
    cache_path: Path, key_store: KeyStore, sample: DeskSample
) -> None:
    def check(db: Connection) -> None:
        on_the_day = datetime(2026, 12, 1, 23, 59, tzinfo=TOKYO)
        with transaction(db):
            # A paying booking, so its receipt is a line of the journal.
            db.execute("UPDATE reservations SET fee_charged = 700, fee_exemption = NULL")
            audit.record(
                db, event="fee_receipt", at=on_the_day, staff_id="S0042", subject=APPROVAL_NUMBER
            )
        with _statements(db) as seen:
            journal = build_day_journal(
                db,
                center=_center(),
                slots=(SlotDef("morning", "午前", time(9, 0), time(12, 0)),),
                day=DAY,
                printed_at=on_the_day,
                staff_name="窓口",
            )
            of_day = audit.for_day(db, DAY)
        _assert_indexed(_audit_plans(db, seen))
        # The range holds exactly the day: the last minute in, the day before and after out.
        assert [at for at, *_ in of_day] == [on_the_day.isoformat()]
        # The day's receipt, and none of the 200 earlier days' receipts.
        assert [r.approval_number for r in journal.receipts] == [APPROVAL_NUMBER]

    _run(cache_path, key_store, sample, check)
