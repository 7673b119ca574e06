"""Whom the backend believes (issue 9): a replayed id passes the center and ownership checks
the first request passed; a staff id a desk names is recorded as verified only when that staff
member may work there; lottery months are canonical in the API and the CLI; the factory path
refuses plain HTTP beyond loopback like ``serve``."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime

import httpx
import pytest
from sqlalchemy import select

from center_desk.backend.app import app_from_environment
from center_desk.backend.models import (
    AuditEventRow,
    DeviceMutationRow,
    LotteryRunRow,
    ReservationRow,
)
from center_desk.backend.services import auth
from center_desk.domain.months import MonthError, parse_month
from tests.backend.test_cli import cli, refused
from tests.support.backend_app import (
    OTHER_CENTER,
    Backend,
    insert_citizen_session,
    insert_groups,
    table_counts,
    tokyo,
)
from tests.support.backend_process import backend_env, free_port

ADMIN = {"Authorization": "Bearer admin-secret"}
USE = date(2027, 2, 15)


# -- retries: the replay path checks what the first request was checked for ------------------


def test_a_replayed_id_is_not_a_way_into_another_centers_booking(backend: Backend) -> None:
    backend.at(tokyo(2027, 1, 4, 10, 0))
    (user_id,) = insert_groups(backend.ctx, 1, now=backend.clock.now())
    payload = backend.booking(day=USE, kind="first_come", user_id=user_id)
    first = backend.client.post("/v1/counter/reservations", json=payload, headers=backend.desk())
    assert first.status_code == 201, first.text
    again = backend.client.post("/v1/counter/reservations", json=payload, headers=backend.desk())
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    # The other center's desk, same id and content: refused, and told nothing of the booking.
    other = backend.client.post(
        "/v1/counter/reservations", json=payload, headers=backend.desk(OTHER_CENTER)
    )
    assert (other.status_code, other.json()["code"]) == (403, "forbidden")
    assert "approval_number" not in other.json()
    # The same id with other content is a conflict, not the stored booking.
    changed = {**payload, "slot_id": "morning"}
    reused = backend.client.post("/v1/counter/reservations", json=changed, headers=backend.desk())
    assert (reused.status_code, reused.json()["code"]) == (409, "conflict")


def test_a_lottery_entry_id_belongs_to_its_group(backend: Backend) -> None:
    backend.at(tokyo(2026, 12, 12, 10, 0))
    first_group, second_group = insert_groups(backend.ctx, 2, now=backend.clock.now())
    mine = insert_citizen_session(backend.ctx, first_group, now=backend.clock.now())
    theirs = insert_citizen_session(backend.ctx, second_group, now=backend.clock.now())
    entry = backend.entry(day=USE)
    made = backend.client.post("/v1/citizen/lottery-entries", json=entry, headers=mine)
    assert made.status_code == 201, made.text
    replay = backend.client.post("/v1/citizen/lottery-entries", json=entry, headers=mine)
    assert (replay.status_code, replay.json()["id"]) == (200, made.json()["id"])
    taken = backend.client.post("/v1/citizen/lottery-entries", json=entry, headers=theirs)
    assert (taken.status_code, taken.json()["code"]) == (409, "conflict")
    assert "user_id" not in taken.json()
    # At another center's desk, for the group that owns it: the center check holds.
    proxy = backend.client.post(
        "/v1/counter/lottery-entries",
        json={**entry, "user_id": first_group},
        headers=backend.desk(OTHER_CENTER),
    )
    assert proxy.status_code == 403


# -- who did it ----------------------------------------------------------------------------


def _audit_rows(backend: Backend) -> dict[str, tuple[str | None, bool]]:
    with backend.ctx.db.session() as session:
        return {
            row.subject: (row.staff_id, row.staff_verified)
            for row in session.scalars(select(AuditEventRow))
        }


def test_an_audit_event_names_staff_as_verified_only_when_they_may_work_there(
    backend: Backend,
) -> None:
    desk = backend.desk(staff_id="s001")
    with backend.ctx.db.session() as session:
        auth.add_staff(session, "s002", "窓口 二郎", "pw-s002-long", now=backend.clock.now())
        auth.add_staff(session, "s003", "窓口 三郎", "pw-s003-long", now=backend.clock.now())
        auth.disable_staff(session, "s003")
    for subject, staff_id in (
        ("self", None),
        ("colleague", "s002"),
        ("disabled", "s003"),
        ("made-up", "s999"),
    ):
        response = backend.client.post(
            "/v1/counter/audit-events",
            json={
                "event_id": str(uuid.uuid4()),
                "event": "printed",
                "at": backend.clock.now().isoformat(),
                "staff_id": staff_id,
                "subject": subject,
            },
            headers=desk,
        )
        assert response.status_code == 202, response.text
    rows = _audit_rows(backend)
    assert rows["self"] == ("s001", True)
    assert rows["colleague"] == ("s002", True)
    assert rows["disabled"] == ("s003", False)
    assert rows["made-up"] == ("s999", False)


def test_a_pushed_mutation_records_whether_its_staff_checked_out(backend: Backend) -> None:
    backend.desk(staff_id="s001")
    device = {"X-Device-Token": backend.device_token()}

    def envelope(n: int, staff_id: str, subject: str) -> dict[str, object]:
        return {
            "id": n,
            "created_at": backend.clock.now().isoformat(),
            "staff_id": staff_id,
            "body": {
                "kind": "audit_event",
                "event_id": str(uuid.uuid4()),
                "event": "printed",
                "at": backend.clock.now().isoformat(),
                "subject": subject,
            },
        }

    pushed = backend.client.post(
        "/v1/sync/push",
        json={"mutations": [envelope(1, "s001", "real"), envelope(2, "s999", "claimed")]},
        headers=device,
    )
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["applied", "applied"]
    rows = _audit_rows(backend)
    assert (rows["real"], rows["claimed"]) == (("s001", True), ("s999", False))
    with backend.ctx.db.session() as session:
        marks = {
            row.mutation_id: (row.staff_id, row.staff_verified)
            for row in session.scalars(select(DeviceMutationRow))
        }
    assert marks == {1: ("s001", True), 2: ("s999", False)}


@pytest.mark.parametrize("sent_at", ["9999-12-31T23:00:00+00:00", "1970-01-01T00:00:00+00:00"])
def test_a_push_from_a_desk_whose_clock_is_absurd_is_applied_at_the_servers_present(
    backend: Backend, sent_at: str
) -> None:
    # The desk's clock at sending once made the skew arithmetic overflow: a 500 for the push.
    # A clock reset to 1970, or one in 9999, must neither break the push nor hold back what it
    # carries: the mutation is judged at the server's present.
    backend.desk(staff_id="s001")
    device = {"X-Device-Token": backend.device_token()}
    mutation = {
        "id": 1,
        "created_at": backend.clock.now().isoformat(),
        "staff_id": "s001",
        "body": {
            "kind": "audit_event",
            "event_id": str(uuid.uuid4()),
            "event": "printed",
            "at": backend.clock.now().isoformat(),
            "subject": "slip",
        },
    }
    pushed = backend.client.post(
        "/v1/sync/push", json={"mutations": [mutation], "sent_at": sent_at}, headers=device
    )
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"]
    with backend.ctx.db.session() as session:
        assert len(session.scalars(select(DeviceMutationRow)).all()) == 1


# -- lottery months -----------------------------------------------------------------------


def test_only_canonical_months_parse() -> None:
    assert parse_month("2027-03") == date(2027, 3, 1)
    for bad in ("2027-3", "２０２７-０３", " 2027-03", "2027-03 ", "2027-13", "27-03", "9999-01"):
        try:
            parse_month(bad)
        except MonthError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_the_admin_api_refuses_a_month_it_would_not_find_entries_under(backend: Backend) -> None:
    backend.at(tokyo(2026, 12, 21, 10, 0))
    before = table_counts(backend.ctx)
    for month in ("2027-2", "%202027-02", "２０２７-０２", "2027-02%20"):
        response = backend.client.post(f"/v1/admin/lottery/{month}/run", headers=ADMIN)
        assert response.status_code == 422, (month, response.text)
        assert [f["field"] for f in response.json()["fields"]] == ["month"]
    assert table_counts(backend.ctx) == before
    drawn = backend.client.post("/v1/admin/lottery/2027-02/run", headers=ADMIN)
    assert drawn.status_code == 200 and drawn.json()["month"] == "2027-02"


def test_the_cli_refuses_a_sloppy_month_without_a_traceback(
    backend: Backend, postgres_url: str
) -> None:
    after_window = datetime.fromisoformat("2026-12-21T10:00:00+09:00")
    for month in ("2027-3", "２０２７-０３", " 2027-03"):
        message = refused(cli(postgres_url, "lottery", "run", month, fixed_time=after_window), 2)
        assert "YYYY-MM" in message, message
    with backend.ctx.db.session() as session:
        assert session.scalars(select(LotteryRunRow)).all() == []
        assert session.scalars(select(ReservationRow)).all() == []
    reason = "x" * 101
    too_long = cli(postgres_url, "closure", "set", "nakajima", "2027-02-10", reason)
    assert refused(too_long)


# -- the factory path ----------------------------------------------------------------------


def test_the_factory_app_refuses_plain_http_beyond_loopback(
    backend: Backend, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in backend_env(postgres_url).items():
        if key.startswith("CENTER_DESK_BACKEND_"):
            monkeypatch.setenv(key, value)
    app = app_from_environment()

    async def get(base_url: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            return await client.get("/v1/catalog")

    beyond = asyncio.run(get("http://192.0.2.10:8000"))
    assert (beyond.status_code, beyond.json()["code"]) == (403, "https_required")
    assert asyncio.run(get("http://127.0.0.1:8000")).status_code == 200
    assert asyncio.run(get("https://192.0.2.10:8443")).status_code == 200


def _outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


def test_uvicorn_factory_on_every_address_answers_only_loopback(
    backend: Backend, postgres_url: str
) -> None:
    outward = _outward_address()
    if outward is None:
        pytest.skip("this machine has no address beyond loopback to try")
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "center_desk.backend.app:app_from_environment",
                "--host",
                "0.0.0.0",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=backend_env(postgres_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            with httpx.Client(timeout=5.0) as client:
                deadline = time.monotonic() + 30
                while True:
                    try:
                        local = client.get(f"http://127.0.0.1:{port}/v1/catalog")
                        break
                    except httpx.HTTPError:
                        assert process.poll() is None and time.monotonic() < deadline
                        time.sleep(0.1)
                assert local.status_code == 200
                beyond = client.get(f"http://{outward}:{port}/v1/catalog")
                assert (beyond.status_code, beyond.json()["code"]) == (403, "https_required")
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
