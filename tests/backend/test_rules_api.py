"""Every booking rule through the API, with the server's (injected) clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from center_desk.backend.models import ReservationRow
from center_desk.backend.services import reservations
from tests.support.backend_app import HALL, OTHER_CENTER, TATAMI2, Backend, tokyo

USE = date(2027, 2, 15)  # Monday. Lottery 12/10–19, first-come 1/4 09:00–2/7, counter 2/8–2/15
CLOSED = date(2027, 2, 16)  # 3rd Tuesday


def code(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    return str(body["code"])


@pytest.mark.parametrize(
    ("moment", "status", "reason"),
    [
        (tokyo(2027, 1, 4, 8, 59), 409, "outside_window"),
        (tokyo(2027, 1, 4, 9, 0), 201, None),
        (tokyo(2027, 2, 7, 23, 0), 201, None),
        (tokyo(2027, 2, 8, 9, 0), 403, "counter_only"),
    ],
)
def test_first_come_online_window(
    backend: Backend, moment: object, status: int, reason: str | None
) -> None:
    user_id, password = backend.register()
    backend.at(moment)  # type: ignore[arg-type]
    citizen = backend.citizen(user_id, password)
    response = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(day=USE, kind="first_come"),
        headers=citizen,
    )
    assert response.status_code == status, response.text
    if reason:
        assert code(response) == reason


def test_last_minute_is_counter_only_and_within_seven_days(backend: Backend) -> None:
    user_id, password = backend.register()
    backend.at(tokyo(2027, 2, 10))
    citizen = backend.citizen(user_id, password)
    online = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=citizen,
    )
    assert (online.status_code, code(online)) == (403, "counter_only")
    counter = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    )
    assert counter.status_code == 201, counter.text
    body = counter.json()
    assert body["channel"] == "counter" and body["kind"] == "last_minute"
    assert body["approval_number"].startswith("W")
    backend.at(tokyo(2027, 2, 1))
    early = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, slot="evening", kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    )
    assert (early.status_code, code(early)) == (409, "outside_window")


def test_closed_day_refused_everywhere(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 12))
    response = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=CLOSED, kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    )
    assert (response.status_code, code(response)) == (409, "closed_day")


def test_temporary_closure_set_by_admin(backend: Backend) -> None:
    user_id, _ = backend.register()
    admin = {"Authorization": "Bearer admin-secret"}
    response = backend.client.post(
        "/v1/admin/closures",
        json={"center_id": "ogawa-nishimachi", "day": USE.isoformat(), "reason": "選挙投票所"},
        headers=admin,
    )
    assert response.status_code == 201
    backend.at(tokyo(2027, 2, 12))
    refused = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    )
    assert code(refused) == "closed_day"
    closures = backend.client.get(
        "/v1/centers/ogawa-nishimachi/closures", params={"from": "2027-02-01", "to": "2027-02-28"}
    ).json()
    assert {
        "center_id": "ogawa-nishimachi",
        "day": "2027-02-15",
        "reason": "選挙投票所",
    } in closures


def test_lottery_quota_two_slots_per_month_across_centers(backend: Backend) -> None:
    user_id, password = backend.register()
    backend.at(tokyo(2026, 12, 12))
    citizen = backend.citizen(user_id, password)
    first = backend.client.post(
        "/v1/citizen/lottery-entries", json=backend.entry(day=USE), headers=citizen
    )
    second = backend.client.post(
        "/v1/citizen/lottery-entries",
        json=backend.entry(room=f"{OTHER_CENTER}/1-shukai", day=date(2027, 2, 20)),
        headers=citizen,
    )
    third = backend.client.post(
        "/v1/citizen/lottery-entries",
        json=backend.entry(day=date(2027, 2, 22), slot="morning"),
        headers=citizen,
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert (third.status_code, code(third)) == (409, "lottery_quota")
    again = backend.client.post(
        "/v1/citizen/lottery-entries", json=backend.entry(day=USE), headers=citizen
    )
    assert code(again) in {"already_entered", "lottery_quota"}


def test_lottery_outside_its_window(backend: Backend) -> None:
    user_id, password = backend.register()
    backend.at(tokyo(2026, 12, 20))
    citizen = backend.citizen(user_id, password)
    response = backend.client.post(
        "/v1/citizen/lottery-entries", json=backend.entry(day=USE), headers=citizen
    )
    assert (response.status_code, code(response)) == (409, "outside_window")


def test_center_quota_four_slots_a_month_at_one_center(backend: Backend) -> None:
    user_id, password = backend.register()
    backend.at(tokyo(2027, 1, 10))
    citizen = backend.citizen(user_id, password)
    days = [date(2027, 2, d) for d in (1, 3, 4, 5)]
    for day in days:
        ok = backend.client.post(
            "/v1/citizen/reservations",
            json=backend.booking(day=day, kind="first_come"),
            headers=citizen,
        )
        assert ok.status_code == 201, ok.text
    fifth = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(day=USE, kind="first_come"),
        headers=citizen,
    )
    assert (fifth.status_code, code(fifth)) == (409, "center_quota")
    # Another center has its own four.
    elsewhere = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(room=f"{OTHER_CENTER}/1-shukai", day=USE, kind="first_come"),
        headers=citizen,
    )
    assert elsewhere.status_code == 201


def test_slot_taken_and_cancellation_frees_it(backend: Backend) -> None:
    first_id, first_pw = backend.register()
    second_id, second_pw = backend.register(
        name="上水コーラスの会", furigana="ジョウスイコーラスノカイ"
    )
    backend.at(tokyo(2027, 1, 10))
    a, b = backend.citizen(first_id, first_pw), backend.citizen(second_id, second_pw)
    booked = backend.client.post(
        "/v1/citizen/reservations", json=backend.booking(day=USE, kind="first_come"), headers=a
    )
    assert booked.status_code == 201
    taken = backend.client.post(
        "/v1/citizen/reservations", json=backend.booking(day=USE, kind="first_come"), headers=b
    )
    assert (taken.status_code, code(taken)) == (409, "slot_taken")
    # B cannot cancel A's booking; it does not even learn that it exists.
    reservation_id = booked.json()["id"]
    foreign = backend.client.post(
        f"/v1/citizen/reservations/{reservation_id}/cancel", json={"reason": "x"}, headers=b
    )
    assert foreign.status_code == 404
    cancelled = backend.client.post(
        f"/v1/citizen/reservations/{reservation_id}/cancel",
        json={"reason": "都合により"},
        headers=a,
    )
    assert cancelled.json()["status"] == "cancelled"
    rebook = backend.client.post(
        "/v1/citizen/reservations", json=backend.booking(day=USE, kind="first_come"), headers=b
    )
    assert rebook.status_code == 201


def test_online_cancellation_ends_when_the_counter_window_begins(backend: Backend) -> None:
    user_id, password = backend.register()
    backend.at(tokyo(2027, 1, 10))
    citizen = backend.citizen(user_id, password)
    booked = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(day=USE, kind="first_come"),
        headers=citizen,
    )
    backend.at(tokyo(2027, 2, 9))
    citizen = backend.citizen(user_id, password)
    late = backend.client.post(
        f"/v1/citizen/reservations/{booked.json()['id']}/cancel",
        json={"reason": "都合"},
        headers=citizen,
    )
    assert (late.status_code, code(late)) == (403, "counter_only")
    at_counter = backend.client.post(
        f"/v1/counter/reservations/{booked.json()['id']}/cancel",
        json={"reason": "電話連絡あり"},
        headers=backend.desk(),
    )
    assert at_counter.json()["status"] == "cancelled"


def test_individuals_only_in_rooms_open_to_them(backend: Backend) -> None:
    backend.at(tokyo(2027, 2, 10))
    hall = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", individual_name="個人 利用者"),
        headers=backend.desk(),
    )
    assert (hall.status_code, code(hall)) == (403, "room_not_for_user")
    tatami = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(
            room=TATAMI2, day=USE, kind="last_minute", individual_name="個人 利用者", headcount=3
        ),
        headers=backend.desk(),
    )
    assert tatami.status_code == 201, tatami.text


def test_headcount_over_capacity(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 10))
    response = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id, headcount=41),
        headers=backend.desk(),
    )
    assert (response.status_code, code(response)) == (422, "over_capacity")


def test_expired_or_deregistered_group_is_refused(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.client.post(
        f"/v1/groups/{user_id}/deregister", json={"reason": "解散"}, headers=backend.desk()
    )
    backend.at(tokyo(2027, 2, 10))
    response = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    )
    assert code(response) == "group_not_eligible"


def test_a_desk_books_only_its_own_center(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 10))
    response = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(
            room=f"{OTHER_CENTER}/1-shukai", day=USE, kind="last_minute", user_id=user_id
        ),
        headers=backend.desk(),
    )
    assert response.status_code == 403


def test_retry_of_the_same_request_books_once(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 10))
    payload = backend.booking(day=USE, kind="last_minute", user_id=user_id)
    first = backend.client.post("/v1/counter/reservations", json=payload, headers=backend.desk())
    again = backend.client.post("/v1/counter/reservations", json=payload, headers=backend.desk())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["approval_number"] == again.json()["approval_number"]


def test_day_of_use_check_in_report_fee_and_no_show(backend: Backend) -> None:
    payer_id, _ = backend.register()
    exempt_id, _ = backend.register(
        name="上水本町PTA",
        furigana="ジョウスイホンチョウピーティーエー",
        fee_exemption="school_pta",
    )
    backend.at(tokyo(2027, 2, 10))
    paid = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=payer_id),
        headers=backend.desk(),
    ).json()
    exempt = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, slot="morning", kind="last_minute", user_id=exempt_id),
        headers=backend.desk(),
    ).json()
    assert (paid["fee_nominal"], paid["fee_charged"], paid["fee_paid"]) == (900, 900, False)
    assert (exempt["fee_charged"], exempt["fee_exemption"], exempt["fee_paid"]) == (
        0,
        "school_pta",
        True,
    )

    early = backend.client.post(
        f"/v1/counter/reservations/{paid['id']}/check-in", headers=backend.desk()
    )
    assert code(early) == "outside_window"
    backend.at(tokyo(2027, 2, 15, 12, 50))
    checked = backend.client.post(
        f"/v1/counter/reservations/{paid['id']}/check-in", headers=backend.desk()
    )
    assert checked.json()["checked_in_at"] is not None
    wrong_fee = backend.client.post(
        f"/v1/counter/reservations/{paid['id']}/fee-receipt",
        json={"amount": 700, "receipt_number": "R-1"},
        headers=backend.desk(),
    )
    assert wrong_fee.status_code == 422
    fee = backend.client.post(
        f"/v1/counter/reservations/{paid['id']}/fee-receipt",
        json={"amount": 900, "receipt_number": "R-1"},
        headers=backend.desk(),
    )
    assert fee.json()["fee_paid"] is True
    backend.at(tokyo(2027, 2, 15, 17, 5))
    report = backend.client.post(
        f"/v1/counter/reservations/{paid['id']}/usage-report",
        json={"actual_headcount": 9, "remarks": "異常なし"},
        headers=backend.desk(),
    )
    assert report.json()["status"] == "used"
    no_show = backend.client.post(
        f"/v1/counter/reservations/{exempt['id']}/no-show", headers=backend.desk()
    )
    assert no_show.json()["status"] == "no_show"
    today = backend.client.get(
        "/v1/counter/reservations",
        params={"from": "2027-02-15", "to": "2027-02-15"},
        headers=backend.desk(),
    )
    assert {r["status"] for r in today.json()} == {"used", "no_show"}
    scanned = backend.client.get(
        f"/v1/counter/reservations/by-approval-number/{paid['approval_number']}",
        headers=backend.desk(),
    )
    assert scanned.json()["id"] == paid["id"]


def test_no_show_only_after_the_slot_ends(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 15, 13, 30))
    booked = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    ).json()
    early = backend.client.post(
        f"/v1/counter/reservations/{booked['id']}/no-show", headers=backend.desk()
    )
    assert code(early) == "slot_not_ended"


def test_availability_shows_booked_free_and_closed(backend: Backend) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 10))
    backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=backend.desk(),
    )
    cells = backend.client.get(
        "/v1/centers/ogawa-nishimachi/availability",
        params={"from": "2027-02-15", "to": "2027-02-16"},
    ).json()["cells"]
    state = {(c["room_id"], c["use_date"], c["slot_id"]): c["state"] for c in cells}
    assert state[(HALL, "2027-02-15", "afternoon")] == "booked"
    assert state[(HALL, "2027-02-15", "morning")] == "free"
    assert state[(HALL, "2027-02-16", "morning")] == "closed"


def test_an_individuals_retry_finding_its_original_committed_meanwhile_gets_the_first_answer(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An individual at the counter has no group row to lock: the original of a retry can
    commit between the retry's first look for its id and its look at the slot (seen in the
    two-process race of tests/backend/test_rush.py). The retry then finds the slot taken by
    its own original, and answers as the original did, never 409."""
    backend.at(tokyo(2027, 2, 10))
    payload = backend.booking(
        day=USE, room=TATAMI2, kind="last_minute", individual_name="小平 一郎", headcount=2
    )
    original = backend.client.post("/v1/counter/reservations", json=payload, headers=backend.desk())
    assert original.status_code == 201, original.text

    looked: list[bool] = []
    real_get = reservations.Session.get

    def first_look_misses(session: Session, entity: object, ident: object, **kw: object) -> object:
        # The retry's first look happens before the original committed: it sees nothing.
        if entity is ReservationRow and not looked:
            looked.append(True)
            return None
        return real_get(session, entity, ident, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(reservations.Session, "get", first_look_misses)
    again = backend.client.post("/v1/counter/reservations", json=payload, headers=backend.desk())
    assert looked, "the retry did not take the path under test"
    assert again.status_code == 200, again.text
    assert again.json()["approval_number"] == original.json()["approval_number"]
