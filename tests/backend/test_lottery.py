"""The lottery (抽選) for use-month 2027-02: entries 2026-12-10..19 online and at the counter, the
draw from the 20th (admin API and ``services.lottery.run_draw``), results from the 20th.

Issue 3: random per slot, fair and reproducible (the seed is recorded), quota-aware,
idempotent; winners become reservations; pending notices for groups with e-mail.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from center_desk.backend.app import create_app
from center_desk.backend.errors import ApiError
from center_desk.backend.models import (
    LotteryEntryRow,
    LotteryRunRow,
    NotificationRow,
    ReservationRow,
)
from center_desk.backend.services.lottery import run_draw
from center_desk.domain import ManualClock
from tests.support.backend_app import (
    CENTER,
    HALL,
    OTHER_CENTER,
    Backend,
    insert_citizen_sessions,
    insert_groups,
    insert_reservation,
    make_context,
    person,
    tokyo,
)
from tests.support.postgres import PostgresServer

MONTH = "2027-02"
S1 = date(2027, 2, 15)  # Monday
S2 = date(2027, 2, 17)  # Wednesday
S3 = date(2027, 2, 19)  # Friday
OTHER_HALL = f"{OTHER_CENTER}/1-shukai"
APPLY = tokyo(2026, 12, 12)
LAST_MINUTE_OF_APPLYING = tokyo(2026, 12, 19, 23, 59)
RESULT_DAY = tokyo(2026, 12, 20, 9, 0)
ADMIN = {"Authorization": "Bearer admin-secret"}


def code(response: Any) -> str:
    return str(response.json()["code"])


def register(backend: Backend, name: str, kana: str, *, email: bool = True) -> tuple[str, str]:
    rep = person() if email else person(email=None)
    return backend.register(name=name, furigana=kana, representative=rep)


def enter_online(
    backend: Backend,
    citizen: dict[str, str],
    day: date,
    *,
    room: str = HALL,
    slot: str = "afternoon",
    entry_id: str | None = None,
) -> str:
    payload = backend.entry(room=room, day=day, slot=slot)
    if entry_id is not None:
        payload["id"] = entry_id
    response = backend.client.post("/v1/citizen/lottery-entries", json=payload, headers=citizen)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending"
    return str(response.json()["id"])


def enter_at_counter(
    backend: Backend, user_id: str, day: date, *, room: str = HALL, slot: str = "afternoon"
) -> str:
    payload = backend.entry(room=room, day=day, slot=slot, user_id=user_id)
    response = backend.client.post(
        "/v1/counter/lottery-entries", json=payload, headers=backend.desk()
    )
    assert response.status_code == 201, response.text
    assert response.json()["channel"] == "counter"
    return str(response.json()["id"])


def entries(session: Session) -> dict[str, LotteryEntryRow]:
    rows = session.scalars(select(LotteryEntryRow).where(LotteryEntryRow.use_month == MONTH))
    return {str(row.id): row for row in rows}


def outcome(backend: Backend) -> dict[str, tuple[str, str | None]]:
    """entry id -> (status, reservation id) as stored."""
    with backend.ctx.db.session() as session:
        return {
            entry_id: (row.status, str(row.reservation_id) if row.reservation_id else None)
            for entry_id, row in entries(session).items()
        }


def winner_of(session: Session, room: str, day: date, slot: str = "afternoon") -> str | None:
    won = session.scalars(
        select(LotteryEntryRow).where(
            LotteryEntryRow.room_id == room,
            LotteryEntryRow.use_date == day,
            LotteryEntryRow.slot_id == slot,
            LotteryEntryRow.status == "won",
        )
    ).all()
    assert len(won) <= 1
    return won[0].user_id if won else None


def test_the_draw_is_refused_while_applications_are_open(backend: Backend) -> None:
    user_id, password = backend.register()
    backend.at(APPLY)
    enter_online(backend, backend.citizen(user_id, password), S1)

    backend.at(LAST_MINUTE_OF_APPLYING)
    refused = backend.client.post(f"/v1/admin/lottery/{MONTH}/run", headers=ADMIN)
    assert (refused.status_code, code(refused)) == (409, "outside_window")
    with backend.ctx.db.session() as session, pytest.raises(ApiError) as caught:
        run_draw(session, MONTH, now=LAST_MINUTE_OF_APPLYING)
    assert caught.value.code == "outside_window"
    with backend.ctx.db.session() as session:
        assert session.get(LotteryRunRow, MONTH) is None
        assert {row.status for row in entries(session).values()} == {"pending"}


def test_draw_one_winner_per_slot_reservations_idempotent_and_notices(backend: Backend) -> None:
    a_id, a_pw = register(backend, "小平囲碁クラブ", "コダイライゴクラブ")
    b_id, b_pw = register(backend, "上水コーラスの会", "ジョウスイコーラスノカイ")
    c_id, _ = register(backend, "けやき書道会", "ケヤキショドウカイ", email=False)
    d_id, _ = register(backend, "喜平俳句会", "キヘイハイクカイ")

    backend.at(APPLY)
    a, b = backend.citizen(a_id, a_pw), backend.citizen(b_id, b_pw)
    # S1 afternoon: contested by A and B online and C at the counter (C has no device).
    enter_online(backend, a, S1)
    enter_online(backend, b, S1)
    enter_at_counter(backend, c_id, S1)
    # S2 morning: B online against D at the counter. S3 evening: D alone.
    enter_online(backend, b, S2, slot="morning")
    enter_at_counter(backend, d_id, S2, slot="morning")
    enter_at_counter(backend, d_id, S3, slot="evening")

    backend.at(RESULT_DAY)
    drawn = backend.client.post(f"/v1/admin/lottery/{MONTH}/run", headers=ADMIN)
    assert drawn.status_code == 200, drawn.text
    first = drawn.json()
    assert (first["month"], first["entries"], first["winners"], first["already_run"]) == (
        MONTH,
        6,
        3,
        False,
    )
    assert first["seed"]

    with backend.ctx.db.session() as session:
        run = session.get(LotteryRunRow, MONTH)
        assert run is not None and run.seed == first["seed"]
        winners = {
            (HALL, S1, "afternoon"): winner_of(session, HALL, S1),
            (HALL, S2, "morning"): winner_of(session, HALL, S2, "morning"),
            (HALL, S3, "evening"): winner_of(session, HALL, S3, "evening"),
        }
        assert winners[(HALL, S1, "afternoon")] in {a_id, b_id, c_id}
        assert winners[(HALL, S2, "morning")] in {b_id, d_id}
        assert winners[(HALL, S3, "evening")] == d_id
        for row in entries(session).values():
            assert row.status in {"won", "lost"}
            if row.status == "lost":
                assert row.reservation_id is None
                continue
            booking = session.get(ReservationRow, row.reservation_id)
            assert booking is not None
            assert (booking.room_id, booking.use_date, booking.slot_id, booking.user_id) == (
                row.room_id,
                row.use_date,
                row.slot_id,
                row.user_id,
            )
            assert (booking.kind, booking.status, booking.channel) == (
                "lottery",
                "booked",
                row.channel,
            )
            assert booking.approval_number.startswith("W")
        assert len(session.scalars(select(ReservationRow)).all()) == 3

        # Pending notices for every entry of a group with e-mail, none for C (no e-mail).
        notices = session.scalars(select(NotificationRow)).all()
        by_group = Counter(n.user_id for n in notices)
        assert by_group == {a_id: 1, b_id: 2, d_id: 2}
        assert all(n.sent_at is None and n.kind == "lottery_result" for n in notices)
        for notice in notices:
            entry = session.get(LotteryEntryRow, uuid.UUID(notice.payload["entry_id"]))
            assert entry is not None and notice.payload["result"] == entry.status

    before = outcome(backend)
    again = backend.client.post(f"/v1/admin/lottery/{MONTH}/run", headers=ADMIN)
    assert again.status_code == 200
    assert again.json() == {**first, "already_run": True}
    with backend.ctx.db.session() as session:
        replay = run_draw(session, MONTH, now=RESULT_DAY, seed="another-seed")
        assert (replay.already_run, replay.seed, replay.winners) == (True, first["seed"], 3)
        assert len(session.scalars(select(ReservationRow)).all()) == 3
        assert len(session.scalars(select(NotificationRow)).all()) == 5
    assert outcome(backend) == before


def test_results_are_hidden_before_the_20th_and_shown_from_it(backend: Backend) -> None:
    a_id, a_pw = register(backend, "小平囲碁クラブ", "コダイライゴクラブ")
    b_id, b_pw = register(backend, "上水コーラスの会", "ジョウスイコーラスノカイ")
    backend.at(APPLY)
    enter_online(backend, backend.citizen(a_id, a_pw), S1)
    enter_online(backend, backend.citizen(b_id, b_pw), S1)
    with backend.ctx.db.session() as session:
        run_draw(session, MONTH, now=tokyo(2026, 12, 20, 0, 5), seed="visibility")
        winner = winner_of(session, HALL, S1)
    assert winner in {a_id, b_id}

    def seen(user_id: str, password: str) -> list[dict[str, Any]]:
        listed = backend.client.get(
            "/v1/citizen/lottery-entries", headers=backend.citizen(user_id, password)
        )
        assert listed.status_code == 200
        return list(listed.json())

    # A clock still on the 19th (say, a portal server behind) must not reveal the results.
    backend.at(LAST_MINUTE_OF_APPLYING)
    for user_id, password in ((a_id, a_pw), (b_id, b_pw)):
        (entry,) = seen(user_id, password)
        assert (entry["status"], entry["reservation_id"]) == ("pending", None)
    at_counter = backend.client.get(
        f"/v1/counter/groups/{a_id}/lottery-entries", headers=backend.desk()
    ).json()
    assert [e["status"] for e in at_counter] == ["pending"]

    backend.at(tokyo(2026, 12, 20, 0, 0))
    for user_id, password in ((a_id, a_pw), (b_id, b_pw)):
        (entry,) = seen(user_id, password)
        if user_id == winner:
            assert entry["status"] == "won" and entry["reservation_id"] is not None
            mine = backend.client.get(
                "/v1/citizen/reservations", headers=backend.citizen(user_id, password)
            ).json()
            assert [(r["id"], r["kind"]) for r in mine] == [(entry["reservation_id"], "lottery")]
        else:
            assert (entry["status"], entry["reservation_id"]) == ("lost", None)


# -- reproducible ---------------------------------------------------------------------------


# Six groups (the same user ids in both databases), two entries each, spread over three
# contested slots. Entry ids are fixed so that a second database holds exactly the same entries.
_PLAN = [
    (n, slot_day, uuid.UUID(int=100 * n + k))
    for n in range(6)
    for k, slot_day in enumerate(((S1, S2), (S2, S3), (S3, S1))[n % 3])
]


def _populate(backend: Backend) -> None:
    user_ids = insert_groups(backend.ctx, 6, now=APPLY)
    headers = insert_citizen_sessions(backend.ctx, user_ids, now=APPLY)
    backend.at(APPLY)
    for n, day, entry_id in _PLAN:
        enter_online(backend, headers[user_ids[n]], day, entry_id=str(entry_id))


@pytest.fixture
def second_backend(postgres_server: PostgresServer) -> Iterator[Backend]:
    """Another backend on a database of its own: the same draw redone elsewhere."""
    name = postgres_server.database_name_for("test_lottery_second")
    url = postgres_server.create_database(name)
    clock = ManualClock(tokyo(2026, 12, 1, 9, 0))
    ctx = make_context(url, clock)
    try:
        with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
            yield Backend(ctx, client, clock)
    finally:
        ctx.db.dispose()
        postgres_server.drop_database(name)


def test_the_same_entries_and_seed_give_the_same_winners_in_another_database(
    backend: Backend, second_backend: Backend
) -> None:
    results: list[dict[str, tuple[str, str, str | None]]] = []
    for each in (backend, second_backend):
        _populate(each)
        with each.ctx.db.session() as session:
            drawn = run_draw(session, MONTH, now=RESULT_DAY, seed="kodaira-2027-02")
            assert (drawn.seed, drawn.entries, drawn.winners, drawn.already_run) == (
                "kodaira-2027-02",
                12,
                3,
                False,
            )
            stored = session.get(LotteryRunRow, MONTH)
            assert stored is not None and stored.seed == "kodaira-2027-02"
            results.append(
                {
                    entry_id: (row.user_id, row.status, "booked" if row.reservation_id else None)
                    for entry_id, row in entries(session).items()
                }
            )
    assert len(results[0]) == 12
    assert results[0] == results[1]


# -- fair ----------------------------------------------------------------------------------


def test_each_of_three_groups_wins_about_a_third_over_many_seeds(backend: Backend) -> None:
    user_ids = insert_groups(backend.ctx, 3, now=APPLY)
    headers = insert_citizen_sessions(backend.ctx, user_ids, now=APPLY)
    backend.at(APPLY)
    for user_id in user_ids:
        enter_online(backend, headers[user_id], S1)

    seeds = 90
    wins: Counter[str] = Counter()
    with backend.ctx.db.sessions() as session:
        for n in range(seeds):
            run_draw(session, MONTH, now=RESULT_DAY, seed=f"fair-{n}")
            winner = winner_of(session, HALL, S1)
            assert winner is not None
            wins[winner] += 1
            session.rollback()  # undo the draw: the next seed draws the same entries afresh
    assert sum(wins.values()) == seeds
    # Expected 30 each; the bounds are about three standard deviations (4.5) either side.
    assert all(17 <= wins[user_id] <= 43 for user_id in user_ids), wins


# -- quota-aware ------------------------------------------------------------------------------


def test_a_group_at_its_center_quota_loses_and_the_slot_goes_to_another(
    backend: Backend,
) -> None:
    full, other, three = insert_groups(backend.ctx, 3, now=APPLY)
    # FULL already holds 4 bookings at this center in February (first-come and lottery alike).
    for day, kind in (
        (date(2027, 2, 1), "first_come"),
        (date(2027, 2, 3), "lottery"),
        (date(2027, 2, 4), "first_come"),
        (date(2027, 2, 5), "lottery"),
    ):
        insert_reservation(backend.ctx, user_id=full, day=day, kind=kind, now=APPLY)
    # THREE holds 3, so of the two slots it wins alone it may keep only one.
    for day in (date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)):
        insert_reservation(backend.ctx, user_id=three, day=day, now=APPLY)
    headers = insert_citizen_sessions(backend.ctx, [full, other, three], now=APPLY)

    backend.at(APPLY)
    enter_online(backend, headers[full], S1)
    enter_online(backend, headers[other], S1)
    # FULL's quota is per center: alone at another center, it wins.
    enter_online(backend, headers[full], S2, room=OTHER_HALL)
    enter_online(backend, headers[three], S2)
    enter_online(backend, headers[three], S3)

    with backend.ctx.db.sessions() as session:
        for n in range(12):
            drawn = run_draw(session, MONTH, now=RESULT_DAY, seed=f"quota-{n}")
            assert drawn.winners == 3
            assert winner_of(session, HALL, S1) == other
            assert winner_of(session, OTHER_HALL, S2) == full
            assert [winner_of(session, HALL, S2), winner_of(session, HALL, S3)].count(three) == 1
            for user_id in (full, other, three):
                held = session.scalars(
                    select(ReservationRow).where(
                        ReservationRow.user_id == user_id,
                        ReservationRow.center_id == CENTER,
                        ReservationRow.use_month == MONTH,
                        ReservationRow.status != "cancelled",
                    )
                ).all()
                assert len(held) <= 4
            session.rollback()


def test_entries_for_a_day_that_became_a_closure_lose(backend: Backend) -> None:
    a, b = insert_groups(backend.ctx, 2, now=APPLY)
    headers = insert_citizen_sessions(backend.ctx, [a, b], now=APPLY)
    backend.at(APPLY)
    enter_online(backend, headers[a], S1)
    enter_online(backend, headers[b], S1)
    enter_online(backend, headers[b], S2)

    backend.at(RESULT_DAY)
    closed = backend.client.post(
        "/v1/admin/closures",
        json={"center_id": CENTER, "day": S1.isoformat(), "reason": "選挙投票所"},
        headers=ADMIN,
    )
    assert closed.status_code == 201
    drawn = backend.client.post(f"/v1/admin/lottery/{MONTH}/run", headers=ADMIN).json()
    assert (drawn["entries"], drawn["winners"]) == (3, 1)
    with backend.ctx.db.session() as session:
        stored = entries(session).values()
        assert sorted((r.use_date, r.status) for r in stored) == [
            (S1, "lost"),
            (S1, "lost"),
            (S2, "won"),
        ]
        bookings = session.scalars(select(ReservationRow)).all()
        assert [(r.use_date, r.user_id) for r in bookings] == [(S2, b)]


def test_no_notice_for_a_group_without_email(backend: Backend) -> None:
    (with_mail,) = insert_groups(backend.ctx, 1, now=APPLY, first_number=50_000_101)
    (without,) = insert_groups(backend.ctx, 1, now=APPLY, first_number=50_000_201, email=None)
    headers = insert_citizen_sessions(backend.ctx, [with_mail, without], now=APPLY)
    backend.at(APPLY)
    enter_online(backend, headers[with_mail], S1)
    enter_online(backend, headers[without], S2)
    with backend.ctx.db.session() as session:
        run_draw(session, MONTH, now=RESULT_DAY)
    with backend.ctx.db.session() as session:
        notices = session.scalars(select(NotificationRow)).all()
        assert [(n.user_id, n.payload["result"], n.sent_at) for n in notices] == [
            (with_mail, "won", None)
        ]
        # The notice names the entry, not the people.
        assert set(notices[0].payload) == {"entry_id", "result", "room_id", "use_date", "slot_id"}


def test_an_entry_for_more_people_than_the_room_holds_is_refused_by_the_booking_rules(
    backend: Backend,
) -> None:
    """The room's capacity is one of the booking rules (``decide_booking``), for lottery
    entries as for bookings: one refusal, with its own code."""
    user_id, password = register(backend, "多すぎる会", "オオスギルカイ")
    backend.at(APPLY)
    payload = {**backend.entry(room=HALL, day=S1), "headcount": 500}
    response = backend.client.post(
        "/v1/citizen/lottery-entries", json=payload, headers=backend.citizen(user_id, password)
    )
    assert (response.status_code, response.json()["code"]) == (422, "over_capacity")
