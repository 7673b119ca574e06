"""One table, three judges: for the same reservation at the same moment, the desk's operation
(on its real SQLCipher cache), the backend's service (on real PostgreSQL) and the 本日 board's
enabled actions give the same answer (issue 11). They all ask domain/reservation.py; this
test is what keeps a fourth copy of the rules from creeping back in.

One backend and one desk serve the whole table (building them per row would cost seconds
each): every row books its own reservation, and frees the slot when it is done.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from center_desk.backend.app import create_app
from center_desk.backend.errors import ApiError
from center_desk.backend.models import ChangeRow, ReservationRow
from center_desk.backend.services import reservations as service
from center_desk.backend.services.changes import record_row_change
from center_desk.domain import Channel, DomainError, ManualClock, ReasonCode
from center_desk.protocol.reservations import FeeReceiptIn, UsageReportIn
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached
from center_desk.ui import messages
from center_desk.ui.views.today import allowed_actions
from tests.support.backend_app import CENTER, Backend, insert_reservation, make_context, tokyo
from tests.support.desk import Desk, make_desk
from tests.support.postgres import PostgresServer

USE = date(2027, 2, 15)  # a Monday; the afternoon slot is 13:00–17:00
OK = "ok"  # the action goes ahead
DONE = "done"  # already taken: accepted, nothing changes

COUNTER = service.Caller(Channel.COUNTER, "desk:test", CENTER)


def day(d: int, hh: int, mm: int = 0) -> datetime:
    return tokyo(2027, 2, d, hh, mm)


@dataclass(frozen=True)
class Step:
    """A change made before the row is judged, through the backend's own service."""

    name: str
    at: datetime


CHECKED_IN = Step("check_in", day(15, 12, 30))
PAID = Step("fee", day(15, 12, 0))
USED = Step("usage", day(15, 17, 10))
NO_SHOW = Step("no_show", day(15, 17, 5))
CANCELLED = Step("cancel", day(13, 10))


@dataclass(frozen=True)
class Case:
    action: str
    before: tuple[Step, ...]
    now: datetime
    expected: str

    def __str__(self) -> str:
        state = "+".join(s.name for s in self.before) or "booked"
        return f"{self.action}-{state}-{self.now:%d%H%M}-{self.expected}"


CASES = [
    Case("check_in", (), day(15, 12, 30), OK),
    Case("check_in", (), day(14, 10), ReasonCode.OUTSIDE_WINDOW),
    Case("check_in", (CHECKED_IN,), day(15, 13, 30), DONE),
    Case("check_in", (CANCELLED,), day(15, 12, 30), ReasonCode.WRONG_STATUS),
    Case("check_in", (CHECKED_IN, USED), day(15, 17, 30), ReasonCode.WRONG_STATUS),
    Case("usage", (), day(15, 17, 30), OK),
    Case("usage", (), day(14, 10), ReasonCode.OUTSIDE_WINDOW),
    Case("usage", (CHECKED_IN, USED), day(16, 10), OK),
    Case("usage", (CANCELLED,), day(15, 17, 30), ReasonCode.WRONG_STATUS),
    Case("usage", (NO_SHOW,), day(16, 10), ReasonCode.WRONG_STATUS),
    Case("fee", (), day(15, 12, 15), OK),
    Case("fee", (PAID,), day(15, 12, 15), DONE),
    Case("fee", (CANCELLED,), day(15, 12, 15), ReasonCode.WRONG_STATUS),
    Case("fee", (NO_SHOW,), day(16, 10), OK),
    Case("cancel", (), day(13, 11), OK),
    Case("cancel", (), day(15, 12, 59), OK),
    Case("cancel", (), day(15, 13, 0), ReasonCode.SLOT_STARTED),
    Case("cancel", (), day(15, 18), ReasonCode.SLOT_STARTED),
    Case("cancel", (CHECKED_IN,), day(15, 12, 45), ReasonCode.CHECKED_IN),
    Case("cancel", (CANCELLED,), day(14, 10), DONE),
    Case("cancel", (CHECKED_IN, USED), day(15, 17, 30), ReasonCode.WRONG_STATUS),
    Case("no_show", (), day(15, 17, 0), OK),
    Case("no_show", (), day(15, 16, 59), ReasonCode.SLOT_NOT_ENDED),
    Case("no_show", (CHECKED_IN,), day(15, 17, 30), ReasonCode.CHECKED_IN),
    Case("no_show", (NO_SHOW,), day(15, 18), DONE),
    Case("no_show", (CANCELLED,), day(15, 18), ReasonCode.WRONG_STATUS),
]


@dataclass
class World:
    backend: Backend
    desk: Desk
    user_id: str


@pytest.fixture(scope="module")
def world(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = postgres_server.create_database("reservation_rules")
    clock = ManualClock(tokyo(2027, 2, 10, 10, 0))
    ctx = make_context(url, clock)
    with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
        backend = Backend(ctx, client, clock)
        user_id, _ = backend.register()
        desk = make_desk(backend, tmp_path_factory.mktemp("rules") / "desk.sqlcipher")
        assert desk.sync().error == ""
        yield World(backend, desk, user_id)
        desk.cache.close()
    ctx.db.dispose()
    postgres_server.drop_database("reservation_rules")


def _book(backend: Backend, user_id: str, slot: str = "afternoon") -> uuid.UUID:
    """A first-come booking for the use day, written by the backend, logged for the desk."""
    backend.at(day(12, 10))
    now = backend.clock.now()
    rid = insert_reservation(backend.ctx, user_id=user_id, day=USE, slot=slot, now=now)
    with backend.ctx.db.session() as session:
        record_row_change(session, "reservation", service.get(session, rid), now)
    return rid


def _apply(session: Session, row: ReservationRow, step: Step) -> None:
    """One step through the backend's service, as a desk's synced mutation would."""
    if step.name == "check_in":
        service.check_in(session, row, at=step.at, now=step.at)
    elif step.name == "fee":
        receipt = FeeReceiptIn(amount=row.fee_charged, receipt_number="R-1")
        service.record_fee(session, row, receipt, by="test", now=step.at)
    elif step.name == "usage":
        report = UsageReportIn(actual_headcount=9, remarks="")
        service.record_usage(session, row, report, by="test", now=step.at)
    elif step.name == "no_show":
        service.mark_no_show(session, row, now=step.at)
    elif step.name == "cancel":
        service.cancel(session, row, "都合により", caller=COUNTER, now=step.at)
    else:
        raise AssertionError(step.name)


def _desk_answer(desk: Desk, action: str, rid: str) -> str:
    do: dict[str, Callable[[], object]] = {
        "check_in": lambda: desk.ops.check_in(rid),
        "usage": lambda: desk.ops.record_usage(rid, 9, ""),
        "fee": lambda: desk.ops.record_fee(rid, 900, "R-2"),
        "cancel": lambda: desk.ops.cancel(rid, "都合により"),
        "no_show": lambda: desk.ops.mark_no_show(rid),
    }
    waiting = desk.scalar("SELECT count(*) FROM outbox")
    try:
        do[action]()
    except DomainError as refused:
        assert desk.scalar("SELECT count(*) FROM outbox") == waiting
        return refused.code.value
    return OK if desk.scalar("SELECT count(*) FROM outbox") > waiting else DONE


def _backend_answer(backend: Backend, action: str, rid: uuid.UUID, now: datetime) -> str:
    """The service's answer, in a transaction that is rolled back (the row stays as set up)."""
    session = backend.ctx.db.sessions()
    try:
        row = service.get(session, rid)
        seq = session.scalar(select(ChangeRow.seq).where(ChangeRow.entity_id == str(rid)))
        try:
            _apply(session, row, Step(action, now))
        except ApiError as refused:
            return refused.code
        after = session.scalar(select(ChangeRow.seq).where(ChangeRow.entity_id == str(rid)))
        return OK if after != seq else DONE
    finally:
        session.rollback()
        session.close()


def _screen_answer(desk: Desk, action: str, rid: str, now: datetime) -> bool:
    r = cached.get(desk.db, rid)
    assert r is not None
    slot = next(s for s in cached_catalog.slots(desk.db) if s.id == r.slot_id)
    enabled: bool = getattr(allowed_actions(r, slot, now), action)
    return enabled


@pytest.mark.parametrize("case", CASES, ids=str)
def test_desk_backend_and_screen_agree(world: World, case: Case) -> None:
    backend, desk = world.backend, world.desk
    rid = _book(backend, world.user_id)
    for step in case.before:
        backend.at(step.at)
        with backend.ctx.db.session() as session:
            _apply(session, service.get(session, rid), step)
    report = desk.sync()
    # (The previous row's mutation, if any, goes too; refused or not, it does not matter here.)
    assert report.error == "", report
    assert cached.get(desk.db, str(rid)) is not None
    backend.at(case.now)
    try:
        # The screen first: the desk's answer changes its cache.
        enabled = _screen_answer(desk, case.action, str(rid), case.now)
        answers = (
            _backend_answer(backend, case.action, rid, case.now),
            _desk_answer(desk, case.action, str(rid)),
        )
        assert answers == (case.expected, case.expected)
        assert enabled is (case.expected == OK)
    finally:
        # Free the slot for the next row.
        with backend.ctx.db.session() as session:
            session.execute(
                update(ReservationRow).where(ReservationRow.id == rid).values(status="cancelled")
            )


def test_a_cancel_after_the_slot_began_is_refused_at_the_counter(world: World) -> None:
    """Before any sync, with its own words (not "outside the booking period")."""
    backend, desk = world.backend, world.desk
    rid = _book(backend, world.user_id, slot="evening")
    desk.sync()
    backend.at(day(15, 18, 30))
    desk.go_offline()
    waiting = desk.scalar("SELECT count(*) FROM outbox")
    try:
        with pytest.raises(DomainError) as refused:
            desk.ops.cancel(str(rid), "都合により")
    finally:
        desk.go_online()
    assert refused.value.code is ReasonCode.SLOT_STARTED
    assert desk.scalar("SELECT count(*) FROM outbox") == waiting
    assert desk.scalar("SELECT status FROM reservations WHERE id = ?", str(rid)) == "booked"
    said = messages.for_error(refused.value)
    assert said == messages.for_code("slot_started")
    assert said != messages.for_code("outside_window")
    # In whichever language the process runs (a GUI test earlier in the run may have left the
    # Japanese translator installed).
    assert "begun" in said.sentence or "始まっている" in said.sentence
