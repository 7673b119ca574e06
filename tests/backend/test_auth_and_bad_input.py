"""Who may call what (devices, staff, citizens, administrators), and bad input: every malformed
request is a 4xx naming the fields at fault, never a 5xx, and changes nothing; logs hold no
personal data (issue 3, points 4 and 8)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from center_desk.backend.app import create_app
from center_desk.backend.context import BackendContext
from center_desk.backend.models import DeviceRow, GroupRow, StaffRow
from center_desk.backend.security import needs_rehash, token_hash, verify_password
from center_desk.backend.services import auth
from center_desk.domain import ManualClock
from tests.support.backend_app import (
    CENTER,
    HALL,
    OTHER_CENTER,
    STAFF_PASSWORD,
    TATAMI2,
    Backend,
    group_payload,
    make_context,
    person,
    table_counts,
    tokyo,
)
from tests.support.postgres import PostgresServer

USE = date(2027, 2, 15)
ADMIN = {"Authorization": "Bearer admin-secret"}


def body(response: Any) -> dict[str, Any]:
    data = response.json()
    assert isinstance(data, dict), data
    return data


def sign_in(backend: Backend, staff_id: str, password: str, device_token: str) -> Any:
    return backend.client.post(
        "/v1/staff/sign-in",
        json={"staff_id": staff_id, "password": password},
        headers={"X-Device-Token": device_token},
    )


def add_staff(backend: Backend, staff_id: str, password: str = STAFF_PASSWORD) -> None:
    with backend.ctx.db.session() as session:
        auth.add_staff(session, staff_id, "窓口 職員", password, now=backend.clock.now())


def device_id_of(backend: Backend, token: str) -> str:
    with backend.ctx.db.session() as session:
        device = session.scalars(
            select(DeviceRow).where(DeviceRow.token_hash == token_hash(token))
        ).one()
        return device.id


# -- devices ----------------------------------------------------------------------------------


def issue_code(backend: Backend, center_id: str = CENTER) -> str:
    with backend.ctx.db.session() as session:
        return auth.issue_enrollment_code(
            session, center_id, now=backend.clock.now(), settings=backend.ctx.settings
        )


def test_an_enrollment_code_works_once(backend: Backend) -> None:
    code = issue_code(backend)
    first = backend.client.post("/v1/devices/enroll", json={"code": code, "device_name": "a"})
    assert first.status_code == 201 and first.json()["center_id"] == CENTER
    second = backend.client.post("/v1/devices/enroll", json={"code": code, "device_name": "b"})
    assert (second.status_code, body(second)["code"]) == (401, "unauthorized")
    # Typed as staff would type it (lower case, no dashes) it is the same, still used, code.
    retyped = code.replace("-", "").lower()
    third = backend.client.post("/v1/devices/enroll", json={"code": retyped, "device_name": "c"})
    assert third.status_code == 401


def test_an_enrollment_code_expires(backend: Backend) -> None:
    hours = backend.ctx.settings.enrollment_code_hours
    start = backend.clock.now()
    fresh, stale = issue_code(backend), issue_code(backend)
    backend.at(start + timedelta(hours=hours) - timedelta(minutes=1))
    ok = backend.client.post("/v1/devices/enroll", json={"code": fresh, "device_name": "a"})
    assert ok.status_code == 201
    backend.at(start + timedelta(hours=hours))
    late = backend.client.post("/v1/devices/enroll", json={"code": stale, "device_name": "b"})
    assert (late.status_code, body(late)["code"]) == (401, "unauthorized")


def test_a_revoked_device_is_refused_and_told_to_wipe(backend: Backend) -> None:
    headers = backend.desk()
    token = backend.device_token()
    device_id = device_id_of(backend, token)
    revoked = backend.client.post(f"/v1/admin/devices/{device_id}/revoke", headers=ADMIN)
    assert revoked.status_code == 204
    # Its open staff session is refused, and so is a new sign-in.
    listed = backend.client.get("/v1/counter/reservations", headers=headers)
    assert (listed.status_code, body(listed)["code"]) == (403, "device_revoked")
    again = sign_in(backend, "s001", STAFF_PASSWORD, token)
    assert (again.status_code, body(again)["code"]) == (403, "device_revoked")
    assert "wipe" in body(again)["message"]
    unknown = backend.client.post(f"/v1/admin/devices/{uuid.uuid4()}/revoke", headers=ADMIN)
    assert unknown.status_code == 404


# -- staff --------------------------------------------------------------------------------------


def test_wrong_password_and_unknown_staff_id_get_the_same_answer(backend: Backend) -> None:
    add_staff(backend, "s100")
    token = backend.device_token()
    wrong = sign_in(backend, "s100", "not-the-password", token)
    unknown = sign_in(backend, "s999", "not-the-password", token)
    assert wrong.status_code == unknown.status_code == 401
    assert body(wrong) == body(unknown)
    assert body(wrong)["code"] == "bad_credentials"


def test_lockout_after_five_failures_even_for_the_right_password(backend: Backend) -> None:
    add_staff(backend, "s200")
    token = backend.device_token()
    settings = backend.ctx.settings
    start = backend.clock.now()
    failures = [sign_in(backend, "s200", "wrong-guess", token) for _ in range(5)]
    assert [f.status_code for f in failures] == [401] * 5
    locked = sign_in(backend, "s200", STAFF_PASSWORD, token)
    assert locked.status_code == 401 and body(locked) == body(failures[0])
    backend.at(start + timedelta(minutes=settings.lockout_minutes - 1))
    assert sign_in(backend, "s200", STAFF_PASSWORD, token).status_code == 401
    backend.at(start + timedelta(minutes=settings.lockout_minutes))
    assert sign_in(backend, "s200", STAFF_PASSWORD, token).status_code == 200


def test_four_failures_then_success_starts_the_count_again(backend: Backend) -> None:
    add_staff(backend, "s300")
    token = backend.device_token()
    for _ in range(4):
        assert sign_in(backend, "s300", "wrong-guess", token).status_code == 401
    assert sign_in(backend, "s300", STAFF_PASSWORD, token).status_code == 200
    for _ in range(4):
        assert sign_in(backend, "s300", "wrong-guess", token).status_code == 401
    assert sign_in(backend, "s300", STAFF_PASSWORD, token).status_code == 200


def test_a_weak_password_hash_is_upgraded_at_sign_in(backend: Backend) -> None:
    """Hashes made with older or weaker argon2 parameters are replaced at the next sign-in,
    for staff and for groups alike; a failed sign-in leaves them alone."""
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    add_staff(backend, "s350")
    user_id, group_password = backend.register()
    with backend.ctx.db.session() as session:
        staff = session.get(StaffRow, "s350")
        group = session.get(GroupRow, user_id)
        assert staff is not None and group is not None
        staff.password_hash = weak.hash(STAFF_PASSWORD)
        group.password_hash = weak.hash(group_password)
    token = backend.device_token()
    assert sign_in(backend, "s350", "wrong-guess", token).status_code == 401
    with backend.ctx.db.session() as session:
        staff = session.get(StaffRow, "s350")
        assert staff is not None and needs_rehash(staff.password_hash)
    assert sign_in(backend, "s350", STAFF_PASSWORD, token).status_code == 200
    backend.citizen(user_id, group_password)
    with backend.ctx.db.session() as session:
        staff = session.get(StaffRow, "s350")
        group = session.get(GroupRow, user_id)
        assert staff is not None and group is not None
        for row, password in ((staff, STAFF_PASSWORD), (group, group_password)):
            assert not needs_rehash(row.password_hash)
            assert verify_password(row.password_hash, password)
    assert sign_in(backend, "s350", STAFF_PASSWORD, token).status_code == 200


def test_any_active_staff_signs_in_at_any_centers_desk(backend: Backend) -> None:
    add_staff(backend, "s400")
    for center_id in (CENTER, OTHER_CENTER):
        signed = sign_in(backend, "s400", STAFF_PASSWORD, backend.device_token(center_id))
        assert signed.status_code == 200, signed.text
        assert signed.json()["staff_id"] == "s400"


def test_disabled_staff_is_refused(backend: Backend) -> None:
    headers = backend.desk(staff_id="s500")
    with backend.ctx.db.session() as session:
        auth.disable_staff(session, "s500")
    assert backend.client.get("/v1/counter/reservations", headers=headers).status_code == 401
    refused = sign_in(backend, "s500", STAFF_PASSWORD, backend.device_token())
    assert (refused.status_code, body(refused)["code"]) == (401, "bad_credentials")


def test_a_staff_session_belongs_to_its_desk(backend: Backend) -> None:
    at_a = backend.desk(CENTER)
    desk_b = {"X-Device-Token": backend.device_token(OTHER_CENTER)}
    borrowed = {**desk_b, "Authorization": at_a["Authorization"]}
    response = backend.client.get("/v1/counter/reservations", headers=borrowed)
    assert (response.status_code, body(response)["code"]) == (401, "unauthorized")
    # Without any device token, a staff token alone is nothing.
    alone = {"Authorization": at_a["Authorization"]}
    assert backend.client.get("/v1/counter/reservations", headers=alone).status_code == 401


def test_a_desk_neither_reads_nor_changes_another_centers_reservations(
    backend: Backend,
) -> None:
    user_id, _ = backend.register()
    backend.at(tokyo(2027, 2, 10))
    other_desk = backend.desk(OTHER_CENTER)
    booked = backend.client.post(
        "/v1/counter/reservations",
        json=backend.booking(
            room=f"{OTHER_CENTER}/1-shukai", day=USE, kind="last_minute", user_id=user_id
        ),
        headers=other_desk,
    )
    assert booked.status_code == 201, booked.text
    theirs = booked.json()
    mine = backend.desk(CENTER)
    scanned = backend.client.get(
        f"/v1/counter/reservations/by-approval-number/{theirs['approval_number']}", headers=mine
    )
    assert scanned.status_code == 403
    cancel = backend.client.post(
        f"/v1/counter/reservations/{theirs['id']}/cancel", json={"reason": "x"}, headers=mine
    )
    assert cancel.status_code == 403
    listed = backend.client.get(
        "/v1/counter/reservations", params={"from": "2027-02-15", "to": "2027-02-15"}, headers=mine
    )
    assert listed.json() == []
    after = backend.client.get(
        "/v1/counter/reservations",
        params={"from": "2027-02-15", "to": "2027-02-15"},
        headers=other_desk,
    )
    assert [r["status"] for r in after.json()] == ["booked"]


# -- citizens -----------------------------------------------------------------------------------


def test_a_citizen_sees_only_its_own_bookings(backend: Backend) -> None:
    a_id, a_pw = backend.register()
    b_id, b_pw = backend.register(name="上水コーラスの会", furigana="ジョウスイコーラスノカイ")
    backend.at(tokyo(2027, 1, 10))
    a, b = backend.citizen(a_id, a_pw), backend.citizen(b_id, b_pw)
    mine = backend.client.post(
        "/v1/citizen/reservations", json=backend.booking(day=USE, kind="first_come"), headers=a
    ).json()
    theirs = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(day=USE, slot="evening", kind="first_come"),
        headers=b,
    ).json()
    listed = backend.client.get("/v1/citizen/reservations", headers=a).json()
    assert [r["id"] for r in listed] == [mine["id"]]
    assert all(r["user_id"] == a_id for r in listed)
    # A may not book in B's name, nor touch B's booking (which it is not even told exists).
    for_b = backend.client.post(
        "/v1/citizen/reservations",
        json=backend.booking(day=USE, slot="morning", kind="first_come", user_id=b_id),
        headers=a,
    )
    assert for_b.status_code == 403
    cancel = backend.client.post(
        f"/v1/citizen/reservations/{theirs['id']}/cancel", json={"reason": "x"}, headers=a
    )
    assert cancel.status_code == 404
    # A citizen's token opens neither the counter nor the group register.
    assert backend.client.get(f"/v1/groups/{b_id}", headers=a).status_code == 401
    desk = {"X-Device-Token": backend.device_token(), **a}
    assert backend.client.get(f"/v1/groups/{b_id}", headers=desk).status_code == 401
    assert backend.client.get("/v1/counter/reservations", headers=desk).status_code == 401
    # And a staff token is not a citizen's.
    staff = {"Authorization": backend.desk()["Authorization"]}
    assert backend.client.get("/v1/citizen/reservations", headers=staff).status_code == 401


def test_citizen_sign_in_does_not_tell_which_part_was_wrong(backend: Backend) -> None:
    user_id, _ = backend.register()
    wrong = backend.client.post(
        "/v1/citizen/sign-in", json={"user_id": user_id, "password": "not-it-1"}
    )
    unknown = backend.client.post(
        "/v1/citizen/sign-in", json={"user_id": "999999999", "password": "not-it-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert body(wrong) == body(unknown)


# -- administrators ---------------------------------------------------------------------------


def test_admin_api_needs_the_admin_token(backend: Backend) -> None:
    backend.at(tokyo(2026, 12, 21))
    path = "/v1/admin/lottery/2027-02/run"
    missing = backend.client.post(path)
    assert (missing.status_code, body(missing)["code"]) == (401, "unauthorized")
    for wrong in ("Bearer admin-secreT", "Bearer ", "admin-secret", "Basic YWRtaW46YWRtaW4="):
        response = backend.client.post(path, headers={"Authorization": wrong})
        assert response.status_code == 401, wrong
    assert backend.client.post(path, headers=ADMIN).status_code == 200
    # Staff and citizens are not administrators.
    assert backend.client.post(path, headers=backend.desk()).status_code == 401


def test_admin_api_disabled_without_a_configured_token(backend: Backend) -> None:
    settings = replace(backend.ctx.settings, admin_token="")
    ctx = BackendContext(settings, backend.ctx.db, backend.clock)
    with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/admin/enrollment-codes", json={"center_id": CENTER}, headers=ADMIN
        )
        assert (response.status_code, body(response)["code"]) == (403, "forbidden")
        assert client.post(
            "/v1/admin/enrollment-codes", json={"center_id": CENTER}
        ).status_code in (
            401,
            403,
        )


# -- bad input --------------------------------------------------------------------------------


@dataclass
class Shared:
    """One backend for the table of bad requests: none of them may change it."""

    backend: Backend
    user_id: str
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def shared(postgres_server: PostgresServer) -> Iterator[Shared]:
    name = postgres_server.database_name_for("test_bad_input_shared")
    url = postgres_server.create_database(name)
    clock = ManualClock(tokyo(2027, 1, 10))  # first-come for February is open
    ctx = make_context(url, clock)
    try:
        with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
            backend = Backend(ctx, client, clock)
            user_id, password = backend.register()
            shared = Shared(backend, user_id)
            shared.headers = {
                "none": {},
                "desk": backend.desk(),
                "device": {"X-Device-Token": backend.device_token()},
                "citizen": backend.citizen(user_id, password),
                "admin": ADMIN,
            }
            yield shared
    finally:
        ctx.db.dispose()
        postgres_server.drop_database(name)


Body = Callable[[Shared], Any]


def booking(**changes: Any) -> Body:
    """A valid counter first-come booking for the shared group, changed; a value of
    ``DROP`` removes the key."""

    def build(s: Shared) -> Any:
        data = s.backend.booking(day=USE, kind="first_come", user_id=s.user_id)
        for key, value in changes.items():
            if value is DROP:
                data.pop(key)
            else:
                data[key] = value
        return data

    return build


def entry(**changes: Any) -> Body:
    def build(s: Shared) -> Any:
        data = s.backend.entry(day=USE)
        data.update(changes)
        return data

    return build


def group(**changes: Any) -> Body:
    def build(_: Shared) -> Any:
        data = group_payload()
        for key, value in changes.items():
            if value is DROP:
                data.pop(key)
            else:
                data[key] = value
        return data

    return build


def const(value: Any) -> Body:
    return lambda _: value


DROP = object()
HUGE = "長" * 200_000  # 600 kB of UTF-8 in one field


@dataclass(frozen=True)
class Bad:
    id: str
    method: str
    path: str
    who: str
    json: Body | None = None
    content: bytes | None = None
    params: dict[str, str] | None = None
    status: int = 422
    code: str = "invalid_input"
    fields: tuple[str, ...] = ()


COUNTER = "/v1/counter/reservations"
LOTTERY = "/v1/citizen/lottery-entries"
NOWHERE = "00000000-0000-4000-8000-000000000000"
AVAILABILITY = f"/v1/centers/{CENTER}/availability"


def post(
    case_id: str,
    path: str,
    who: str,
    json: Body | None,
    *fields: str,
    status: int = 422,
    code: str = "invalid_input",
    content: bytes | None = None,
) -> Bad:
    return Bad(case_id, "POST", path, who, json, content, None, status, code, fields)


def get(case_id: str, path: str, who: str, params: dict[str, str], *fields: str) -> Bad:
    return Bad(case_id, "GET", path, who, params=params, fields=fields)


def gone(case_id: str, path: str, who: str, json: Body, field_name: str) -> Bad:
    """A request naming something that does not exist: 404, with the field that named it."""
    return post(case_id, path, who, json, field_name, status=404, code="not_found")


CASES = [
    # A counter booking (first-come proxy), one thing wrong at a time.
    post("headcount-wrong-type", COUNTER, "desk", booking(headcount="ten"), "headcount"),
    post("headcount-fraction", COUNTER, "desk", booking(headcount=10.5), "headcount"),
    post("headcount-null", COUNTER, "desk", booking(headcount=None), "headcount"),
    post("headcount-zero", COUNTER, "desk", booking(headcount=0), "headcount"),
    post("headcount-huge", COUNTER, "desk", booking(headcount=100_000), "headcount"),
    post(
        "over-capacity", COUNTER, "desk", booking(headcount=41), "headcount", code="over_capacity"
    ),
    post("missing-room", COUNTER, "desk", booking(room_id=DROP), "room_id"),
    post(
        "missing-two", COUNTER, "desk", booking(use_date=DROP, slot_id=DROP), "use_date", "slot_id"
    ),
    post("extra-field", COUNTER, "desk", booking(colour="red"), "colour"),
    gone("unknown-room", COUNTER, "desk", booking(room_id=f"{CENTER}/ballroom"), "room_id"),
    post(
        "unknown-slot", COUNTER, "desk", booking(slot_id="midnight"), "slot_id", code="unknown_slot"
    ),
    gone("unknown-group", COUNTER, "desk", booking(user_id="999999999"), "user_id"),
    post("unknown-exemption", COUNTER, "desk", booking(fee_exemption="mayor"), "fee_exemption"),
    post("huge-exemption", COUNTER, "desk", booking(fee_exemption=HUGE), "fee_exemption"),
    post("kind-lottery", COUNTER, "desk", booking(kind="lottery"), "kind"),
    post("bad-date", COUNTER, "desk", booking(use_date="2027-02-30"), "use_date"),
    post("date-as-number", COUNTER, "desk", booking(use_date=20270215), "use_date"),
    post("bad-uuid", COUNTER, "desk", booking(id="not-a-uuid"), "id"),
    post("huge-purpose", COUNTER, "desk", booking(purpose=HUGE), "purpose"),
    post("huge-user-id", COUNTER, "desk", booking(user_id="9" * 100_000), "user_id"),
    post("invalid-json", COUNTER, "desk", None, "request", content=b'{"id": "x", "room_id": '),
    post("json-array", COUNTER, "desk", const([1, 2, 3]), "request"),
    post("no-body", COUNTER, "desk", None, "request"),
    # The citizens' portal.
    post("citizen-headcount", LOTTERY, "citizen", entry(headcount=-1), "headcount"),
    post("citizen-long-slot", LOTTERY, "citizen", entry(slot_id="s" * 33), "slot_id"),
    gone("citizen-unknown-room", LOTTERY, "citizen", entry(room_id="nowhere/hall"), "room_id"),
    post(
        "citizen-bad-date",
        "/v1/citizen/reservations",
        "citizen",
        booking(use_date="2027-13-01"),
        "use_date",
    ),
    # Path and query parameters.
    post(
        "path-bad-uuid",
        f"{COUNTER}/not-a-uuid/cancel",
        "desk",
        const({"reason": "x"}),
        "reservation_id",
    ),
    post(
        "cancel-empty-reason",
        f"{COUNTER}/{NOWHERE}/cancel",
        "desk",
        const({"reason": ""}),
        "reason",
    ),
    post(
        "fee-negative",
        f"{COUNTER}/{NOWHERE}/fee-receipt",
        "desk",
        const({"amount": -900, "receipt_number": "R"}),
        "amount",
    ),
    get("query-bad-date", COUNTER, "desk", {"from": "2027-02-30"}, "from"),
    get("query-backwards", COUNTER, "desk", {"from": "2027-02-28", "to": "2027-02-01"}),
    get("availability-bad-date", AVAILABILITY, "none", {"from": "x", "to": "2027-02-01"}, "from"),
    get("availability-missing", AVAILABILITY, "none", {"from": "2027-02-01"}, "to"),
    get("quota-bad-month", "/v1/groups/100000011/quota", "desk", {"month": "2027-13-01"}, "month"),
    # Groups.
    post("group-count-type", "/v1/groups", "desk", group(member_count="many"), "member_count"),
    post("group-count-huge", "/v1/groups", "desk", group(member_count=100_001), "member_count"),
    post(
        "group-no-representative",
        "/v1/groups",
        "desk",
        group(representative=DROP),
        "representative",
    ),
    post("group-huge-name", "/v1/groups", "desk", group(name=HUGE), "name"),
    post(
        "group-person-as-text", "/v1/groups", "desk", group(responsible="上水 太郎"), "responsible"
    ),
    post("search-missing", "/v1/groups/search", "desk", const({}), "query"),
    post("search-wrong-type", "/v1/groups/search", "desk", const({"query": ["小平"]}), "query"),
    # Sign-in and enrollment.
    post(
        "staff-long-password",
        "/v1/staff/sign-in",
        "device",
        const({"staff_id": "s001", "password": "p" * 257}),
        "password",
    ),
    post(
        "citizen-id-list",
        "/v1/citizen/sign-in",
        "none",
        const({"user_id": ["x"], "password": "p"}),
        "user_id",
    ),
    post(
        "enroll-two-fields",
        "/v1/devices/enroll",
        "none",
        const({"code": "abc", "device_name": ""}),
        "code",
        "device_name",
    ),
    # Administration.
    post("admin-bad-month", "/v1/admin/lottery/2027-13/run", "admin", None, "month"),
    post(
        "admin-closure-bad-day",
        "/v1/admin/closures",
        "admin",
        const({"center_id": CENTER, "day": "2027-02-30", "reason": "x"}),
        "day",
    ),
    gone(
        "admin-closure-unknown-center",
        "/v1/admin/closures",
        "admin",
        const({"center_id": "atlantis", "day": "2027-02-15", "reason": "x"}),
        "center_id",
    ),
    gone(
        "admin-code-unknown-center",
        "/v1/admin/enrollment-codes",
        "admin",
        const({"center_id": "atlantis"}),
        "center_id",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_a_4xx_naming_the_fields_and_changes_nothing(
    shared: Shared, case: Bad
) -> None:
    client = shared.backend.client
    before = table_counts(shared.backend.ctx)
    headers = dict(shared.headers[case.who])
    kwargs: dict[str, Any] = {"headers": headers}
    if case.json is not None:
        kwargs["json"] = case.json(shared)
    if case.content is not None:
        kwargs["content"] = case.content
        headers["Content-Type"] = "application/json"
    if case.params is not None:
        kwargs["params"] = case.params
    response = client.request(case.method, case.path, **kwargs)

    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.status_code == case.status, response.text[:500]
    error = body(response)
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == case.code, error
    assert isinstance(error["message"], str) and error["message"]
    named = [f["field"] for f in error["fields"]]
    for problem in error["fields"]:
        assert set(problem) == {"field", "code", "message"}
    assert set(case.fields) <= set(named), error
    # The reply never echoes a huge value back.
    assert len(response.content) < 10_000
    assert table_counts(shared.backend.ctx) == before


def test_the_valid_request_behind_the_table_is_accepted(shared: Shared) -> None:
    """Control: the cases differ from an accepted request only in what they break."""
    before = table_counts(shared.backend.ctx)
    response = shared.backend.client.post(
        COUNTER, json=booking()(shared), headers=shared.headers["desk"]
    )
    assert response.status_code == 201, response.text
    after = table_counts(shared.backend.ctx)
    assert after["reservations"] == before["reservations"] + 1
    cancelled = shared.backend.client.post(
        f"{COUNTER}/{response.json()['id']}/cancel",
        json={"reason": "テスト"},
        headers=shared.headers["desk"],
    )
    assert cancelled.status_code == 200


def test_group_registration_lists_every_problem_and_stores_nothing(backend: Backend) -> None:
    payload = group_payload(
        furigana="囲碁",  # kanji: not katakana
        member_count=3,
        kodaira_member_count=1,
        representative=person(phone="123", postal_code="187"),
        responsible=person(name="上水 太郎", postal_code="xyz", phone="", email="not-an-address"),
    )
    with backend.ctx.db.session() as session:
        groups_before = session.scalar(select(func.count()).select_from(GroupRow))
    response = backend.client.post("/v1/groups", json=payload, headers=backend.desk())
    assert response.status_code == 422, response.text
    error = body(response)
    assert error["code"] == "invalid_input"
    named = {f["field"] for f in error["fields"]}
    assert {
        "furigana",
        "member_count",
        "representative.phone",
        "representative.postal_code",
        "responsible.postal_code",
        "responsible.phone",
        "responsible.email",
    } <= named, named
    # Messages never quote what was typed.
    assert "not-an-address" not in response.text
    with backend.ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(GroupRow)) == groups_before


# -- logs ---------------------------------------------------------------------------------------


def test_logs_hold_no_personal_data(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    secret_person = person(
        name="秘密 花子",
        furigana="ヒミツ ハナコ",
        address="東京都小平市小川町9-8-7 秘密荘",
        phone="042-555-0199",
        email="himitsu@example.jp",
    )
    headers = backend.desk()
    # Everything the app and its libraries log, including SQL statements as an operator's
    # "echo" would show them.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    registered = backend.client.post(
        "/v1/groups",
        json=group_payload(
            name="秘密結社ひみつの会",
            furigana="ヒミツケッシャヒミツノカイ",
            representative=secret_person,
            responsible=secret_person,
        ),
        headers=headers,
    )
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["group"]["user_id"]
    for query in ("秘密結社", "秘密 花子", "042-555-0199"):
        found = backend.client.post("/v1/groups/search", json={"query": query}, headers=headers)
        assert [g["user_id"] for g in found.json()] == [user_id], query
    backend.client.get(f"/v1/groups/{user_id}", headers=headers)
    backend.at(tokyo(2027, 2, 10))
    headers = backend.desk()
    booked = backend.client.post(
        COUNTER,
        json=backend.booking(day=USE, kind="last_minute", user_id=user_id),
        headers=headers,
    )
    assert booked.status_code == 201
    individual = backend.client.post(
        COUNTER,
        json=backend.booking(
            room=TATAMI2, day=USE, kind="last_minute", individual_name="個人 秘密子", headcount=2
        ),
        headers=headers,
    )
    assert individual.status_code == 201
    refused = backend.client.post(
        COUNTER,
        json=backend.booking(
            room=HALL, day=USE, kind="last_minute", individual_name="個人 秘密子", headcount=2
        ),
        headers=headers,
    )
    assert refused.status_code == 403

    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
    personal = [
        "秘密 花子",
        "ヒミツ ハナコ",
        "秘密荘",
        "9-8-7",
        "042-555-0199",
        "0425550199",
        "himitsu@example.jp",
        "個人 秘密子",
        STAFF_PASSWORD,
    ]
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        leaked = [value for value in personal if value in text]
        assert not leaked, (record.name, leaked, text[:300])
