"""The demo's history (center_desk/backend/services/demo_history.py): the fiscal year so far has
bookings in every month, so 利用状況's year-to-date column (年度累計) counts a whole year, and a
previous year to compare with; none of it reaches into a desk's sync window."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from center_desk.backend.config import BackendSettings
from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import ChangeRow, FeeReceiptRow, ReservationRow
from center_desk.backend.services import demo
from center_desk.domain import TOKYO

NOW = datetime(2027, 2, 10, 10, 0, tzinfo=TOKYO)


def seeded(tmp_path: Path, now: datetime) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    upgrade(db.engine)
    with db.session() as session:
        demo.seed(session, now=now)
    return db


def test_every_month_of_the_fiscal_year_so_far_has_bookings_and_a_year_before(
    tmp_path: Path,
) -> None:
    db = seeded(tmp_path, NOW)
    with db.session() as session:
        rows = list(session.scalars(select(ReservationRow)))
        receipts = list(session.scalars(select(FeeReceiptRow)))
    months = Counter(row.use_month for row in rows)
    this_year = [f"2026-{m:02d}" for m in range(4, 13)] + ["2027-01", "2027-02"]
    last_year = [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02"]
    for month in this_year + last_year:
        assert months[month] >= 60, (month, months[month])
    # This year busier than last, as the city hoped.
    assert sum(months[m] for m in this_year[:-2]) > sum(months[m] for m in last_year[:-2])
    # Every approval number once; every paid use has its receipt, dated on the day.
    assert len({row.approval_number for row in rows}) == len(rows)
    by_id = {row.id: row for row in rows}
    assert receipts and all(by_id[r.reservation_id].status == "used" for r in receipts)
    # Nothing is dated after it happened.
    assert all(row.created_at <= row.updated_at for row in rows)
    db.engine.dispose()


def test_history_stays_outside_the_sync_window(tmp_path: Path) -> None:
    """Every booking within the days a desk syncs is in the change feed (the demo's own); the
    history, which has no change rows, lies before them."""
    db = seeded(tmp_path, NOW)
    window = NOW.date() - timedelta(days=BackendSettings().sync_days_back)
    with db.session() as session:
        rows = list(session.scalars(select(ReservationRow)))
        fed = set(
            session.scalars(select(ChangeRow.entity_id).where(ChangeRow.entity == "reservation"))
        )
    in_window = [row for row in rows if row.use_date >= window]
    assert in_window and all(str(row.id) in fed for row in in_window)
    history = [row for row in rows if str(row.id) not in fed]
    assert len(history) > 2 * len(in_window)
    assert max(row.use_date for row in history if row.use_date.year == 2027) < window
    db.engine.dispose()


def test_in_april_the_year_so_far_is_what_the_demo_itself_books(tmp_path: Path) -> None:
    """Early in a fiscal year there is no month before the demo's own: last year's stretch
    that reaches into this year and the demo's bookings do not collide."""
    db = seeded(tmp_path, datetime(2027, 4, 20, 10, 0, tzinfo=TOKYO))
    with db.session() as session:
        rows = list(session.scalars(select(ReservationRow)))
    keys = Counter((r.room_id, r.use_date, r.slot_id) for r in rows if r.status != "cancelled")
    assert max(keys.values()) == 1
    assert min(r.use_date for r in rows) == date(2026, 3, 21)  # a year before today - 30
    db.engine.dispose()
