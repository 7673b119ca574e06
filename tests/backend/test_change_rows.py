"""A pull page's data, read with Core queries (issue 13), is exactly what the wire models say:
for every change in the log, the same JSON as ``ReservationOut`` / ``GroupOut`` /
``LotteryEntryOut`` built from the ORM rows, on PostgreSQL (array parameters) and on SQLite
(the demo)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy import delete, func, select

from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.backend.models import (
    ChangeRow,
    FeeReceiptRow,
    GroupRow,
    LotteryEntryRow,
    ReservationRow,
)
from center_desk.backend.services import (
    catalog,
    change_rows,
    demo,
    groups,
    lottery_entries,
    reservations,
)
from center_desk.backend.services.changes import record_change, record_row_change
from center_desk.domain import tokyo_date
from center_desk.protocol.sync import (
    CHANGE_MODELS,
    CenterChange,
    Change,
    ClosureChange,
    GroupChange,
    LotteryEntryChange,
    ReservationChange,
    SlotsChange,
    UnknownChange,
)
from tests.support.backend_app import tokyo

NOW = tokyo(2026, 12, 1, 9, 0)
CHANGES: TypeAdapter[list[Change]] = TypeAdapter(list[Change])


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'backend.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    db = Database(url)
    upgrade(db.engine)
    try:
        yield db
    finally:
        db.dispose()


def _day_of_use_variety(db: Database) -> None:
    """What the demo does not make: a paid fee, a check-in, a cancellation, an individual's
    booking, a won and a pending lottery entry."""
    with db.session() as session:
        booked = list(
            session.scalars(
                select(ReservationRow)
                # Not a lottery booking: the demo gives each of those its won entry already.
                .where(ReservationRow.user_id.is_not(None), ReservationRow.kind != "lottery")
                .order_by(ReservationRow.approval_number)
                .limit(4)
            )
        )
        assert len(booked) == 4
        paid, checked_in, cancelled, individual = booked
        paid.fee_charged = 900
        session.add(
            FeeReceiptRow(
                reservation_id=paid.id,
                amount=900,
                receipt_number="R-1",
                received_at=NOW,
                received_by="test",
            )
        )
        checked_in.checked_in_at = NOW + timedelta(microseconds=123)
        cancelled.status = "cancelled"
        cancelled.cancelled_at = NOW
        cancelled.cancelled_reason = "都合により"
        individual.user_id = None
        individual.individual_name = "小平 花子"
        # The demo gives its lottery wins their entries (issue 12): one of these bookings may
        # have one already, and an entry of the same group, room, day and slot cannot be
        # added twice.
        session.execute(
            delete(LotteryEntryRow).where(
                LotteryEntryRow.reservation_id.in_([paid.id, checked_in.id])
            )
        )
        for status, row in (("won", paid), ("pending", checked_in)):
            entry = LotteryEntryRow(
                id=uuid.uuid4(),
                user_id=paid.user_id or "",
                center_id=row.center_id,
                room_id=row.room_id,
                use_date=row.use_date,
                use_month=row.use_month,
                slot_id=row.slot_id,
                channel="online",
                purpose="",
                headcount=5,
                status=status,
                reservation_id=row.id,
                created_at=NOW,
                created_by="test",
            )
            session.add(entry)
            session.flush()
            record_row_change(session, "lottery_entry", entry, NOW)
        session.flush()


def _expected(session: Any, row: ChangeRow, first: date, last: date) -> dict[str, Any] | None:
    """The wire models' own JSON for one change (the way pages were built before)."""
    if row.entity == "reservation":
        r = session.get(ReservationRow, uuid.UUID(row.entity_id))
        if r is None or not first <= r.use_date <= last:
            return None
        return reservations.to_out(session, r).model_dump(mode="json")  # type: ignore[no-any-return]
    if row.entity == "group":
        g = session.get(GroupRow, row.entity_id)
        return groups.to_out(g).model_dump(mode="json") if g else None  # type: ignore[no-any-return]
    if row.entity == "lottery_entry":
        e = session.get(LotteryEntryRow, uuid.UUID(row.entity_id))
        return lottery_entries.lottery_entry_out(e, results_visible=True).model_dump(mode="json")  # type: ignore[no-any-return]
    return {"other": row.entity}


def test_page_data_is_the_wire_models_json(database: Database) -> None:
    with database.session() as session:
        demo.seed(session, now=NOW)
    _day_of_use_variety(database)
    today = tokyo_date(NOW)
    # A scope narrower than the demo's bookings, so some rows fall outside it.
    first, last = today - timedelta(days=3), today + timedelta(days=20)
    with database.session() as session:
        log = list(session.scalars(select(ChangeRow).order_by(ChangeRow.seq)))
        changes = change_rows.materialise(session, log, first, last)
        kinds = {c.entity for c in changes}
        assert {"reservation", "group", "lottery_entry", "center", "slots"} <= kinds
        by_seq = {c.seq: c for c in changes}
        left_out = 0
        for row in log:
            expected = _expected(session, row, first, last)
            if expected is None:
                assert row.seq not in by_seq
                left_out += 1
                continue
            change = by_seq[row.seq]
            assert (change.entity, change.op, change.id) == (row.entity, row.op, row.entity_id)
            if "other" not in expected:
                assert change.data == expected, row.entity
        assert left_out > 0  # the scope did leave bookings out


def _wire_changes(session: Any, log: list[ChangeRow], first: date, last: date) -> list[Change]:
    """A page's changes as the pull endpoint serialises them (``pull_json``), read back the
    way a desk reads them."""
    page = change_rows.page_changes(session, log, first, last)
    return CHANGES.validate_json(to_json(page))


def test_every_change_the_backend_emits_validates_as_its_entitys_model(
    database: Database,
) -> None:
    """Issue 11, item 2: the typed contract holds for what the backend really sends, in a
    snapshot (the whole log) and incrementally (the rows after a cursor), deletes included."""
    with database.session() as session:
        demo.seed(session, now=NOW)
    _day_of_use_variety(database)
    today = tokyo_date(NOW)
    first, last = today - timedelta(days=30), today + timedelta(days=90)
    center = "ogawa-nishimachi"
    with database.session() as session:
        cursor = session.scalar(select(func.max(ChangeRow.seq))) or 0
        snapshot = _wire_changes(
            session, list(session.scalars(select(ChangeRow).order_by(ChangeRow.seq))), first, last
        )
    # Incremental: a closure added, another added and removed (a delete), a booking and a
    # group changed after the cursor.
    with database.session() as session:
        catalog.set_closure(session, center, today + timedelta(days=9), "設備点検", NOW)
        catalog.set_closure(session, center, today + timedelta(days=10), "臨時休館", NOW)
        catalog.remove_closure(session, center, today + timedelta(days=10), NOW)
        booked = session.scalars(
            select(ReservationRow).where(ReservationRow.status == "booked").limit(1)
        ).one()
        booked.purpose = "変更後"
        record_row_change(session, "reservation", booked, NOW)
        group = session.scalars(select(GroupRow).limit(1)).one()
        record_change(session, entity="group", entity_id=group.user_id, now=NOW)
    with database.session() as session:
        incremental = _wire_changes(
            session,
            list(
                session.scalars(
                    select(ChangeRow).where(ChangeRow.seq > cursor).order_by(ChangeRow.seq)
                )
            ),
            first,
            last,
        )

    for changes in (snapshot, incremental):
        assert changes
        for change in changes:
            assert not isinstance(change, UnknownChange), change.entity
            assert type(change) is CHANGE_MODELS[change.entity]
            assert (change.data is None) == (change.op == "delete")
    kinds = {type(c) for c in snapshot}
    assert {ReservationChange, GroupChange, LotteryEntryChange, CenterChange, SlotsChange} <= kinds
    assert {(type(c), c.op) for c in incremental} == {
        (ClosureChange, "upsert"),
        (ClosureChange, "delete"),
        (ReservationChange, "upsert"),
        (GroupChange, "upsert"),
    }
    closure = next(c for c in incremental if isinstance(c, ClosureChange) and c.data)
    assert closure.data is not None and closure.data.reason == "設備点検"
    rooms = next(c for c in snapshot if isinstance(c, CenterChange) and c.id == center)
    assert rooms.data is not None and rooms.data.rooms
    assert all(room.center_id == center for room in rooms.data.rooms)
