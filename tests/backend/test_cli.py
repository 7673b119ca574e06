"""``center-desk-backend``, the city's admin commands, run as a real subprocess against the test's
PostgreSQL database (issue 3, "Admin commands")."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from center_desk.backend.app import create_app
from center_desk.backend.config import BackendSettings
from center_desk.backend.context import BackendContext
from center_desk.backend.db import Database
from center_desk.backend.migrate import head_revision
from center_desk.backend.models import (
    CenterRow,
    ClosureRow,
    LotteryRunRow,
    ReservationRow,
    RoomRow,
    StaffRow,
)
from center_desk.domain import ManualClock
from center_desk.resources import load_catalog as read_catalog
from tests.support.backend_app import HALL, Backend, table_counts, tokyo
from tests.support.backend_process import REPO_ROOT, backend_env, free_port
from tests.support.postgres import PostgresServer

CATALOG = REPO_ROOT / "resources" / "catalog" / "demo-catalog.json"
CLI_TIMEOUT = 120.0
PASSWORD = "cli-password-42"
CENTER = "ogawa-nishimachi"


def cli(
    database_url: str,
    *args: str,
    stdin: str = "",
    fixed_time: datetime | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``center-desk-backend ARGS`` (as ``python -m center_desk.backend``) on the database."""
    environment = backend_env(
        database_url, fixed_time=fixed_time.isoformat() if fixed_time else None
    )
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "center_desk.backend", *args],
        cwd=REPO_ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], status: int = 1) -> str:
    assert result.returncode == status, (
        f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def app_on(url: str, now: datetime) -> TestClient:
    """The API on the same database, to check what the commands did."""
    settings = BackendSettings(database_url=url, environment="test", admin_token="admin-secret")
    ctx = BackendContext(settings, Database(url), ManualClock(now))
    return TestClient(create_app(ctx=ctx), raise_server_exceptions=False)


def count(url: str, model: type[object]) -> int:
    db = Database(url)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        db.dispose()


# -- schema ---------------------------------------------------------------------------------


def test_commands_refuse_an_out_of_date_schema(postgres_url: str) -> None:
    # An empty database: nothing but ``migrate`` may run.
    for args in (("staff", "disable", "s001"), ("enrollment-code", CENTER), ("seed-demo",)):
        message = refused(cli(postgres_url, *args))
        assert "run `center-desk-backend migrate`" in message, message

    first = ok(cli(postgres_url, "migrate"))
    assert f"schema at {head_revision()}" in first
    assert f"schema at {head_revision()}" in ok(cli(postgres_url, "migrate"))  # idempotent

    # A schema left at another revision (an older release's database) is refused too.
    db = Database(postgres_url)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
        message = refused(cli(postgres_url, "catalog", "load", str(CATALOG)))
        assert "center-desk-backend migrate" in message
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :v"), {"v": head_revision()}
            )
    finally:
        db.dispose()
    assert count(postgres_url, CenterRow) == 0
    ok(cli(postgres_url, "catalog", "load", str(CATALOG)))


# -- the admin commands, checked through the API ---------------------------------------------


def test_catalog_staff_enrollment_device_and_closures(postgres_url: str) -> None:
    ok(cli(postgres_url, "migrate"))
    loaded = ok(cli(postgres_url, "catalog", "load", str(CATALOG)))
    assert "catalog loaded" in loaded
    catalog = read_catalog(CATALOG)
    assert count(postgres_url, CenterRow) == len(catalog.centers)
    assert count(postgres_url, RoomRow) == sum(len(c.rooms) for c in catalog.centers)
    ok(cli(postgres_url, "catalog", "load", str(CATALOG)))  # loading again changes nothing
    assert count(postgres_url, RoomRow) == sum(len(c.rooms) for c in catalog.centers)

    # Staff: the password comes on stdin, never on the command line.
    assert "staff s900 ready" in ok(
        cli(postgres_url, "staff", "add", "s900", "--name", "窓口 太郎", stdin=f"{PASSWORD}\n")
    )
    short = refused(cli(postgres_url, "staff", "add", "s901", "--name", "x", stdin="short\n"))
    assert "invalid_input" in short and "10 characters" in short
    assert count(postgres_url, StaffRow) == 1

    now = tokyo(2026, 12, 1)
    code = ok(cli(postgres_url, "enrollment-code", CENTER, fixed_time=now)).strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code

    with app_on(postgres_url, now) as client:
        enrolled = client.post("/v1/devices/enroll", json={"code": code, "device_name": "desk-1"})
        assert enrolled.status_code == 201, enrolled.text
        assert enrolled.json()["center_id"] == CENTER
        reused = client.post("/v1/devices/enroll", json={"code": code, "device_name": "desk-2"})
        assert reused.status_code == 401
        device = {"X-Device-Token": enrolled.json()["device_token"]}
        sign_in = {"staff_id": "s900", "password": PASSWORD}
        signed = client.post("/v1/staff/sign-in", json=sign_in, headers=device)
        assert signed.status_code == 200, signed.text
        staff = {**device, "Authorization": f"Bearer {signed.json()['token']}"}
        assert client.get("/v1/counter/reservations", headers=staff).status_code == 200

        assert "staff s900 disabled" in ok(cli(postgres_url, "staff", "disable", "s900"))
        assert client.get("/v1/counter/reservations", headers=staff).status_code == 401
        again = client.post("/v1/staff/sign-in", json=sign_in, headers=device)
        assert (again.status_code, again.json()["code"]) == (401, "bad_credentials")
        # Adding the account again re-enables it with the new password.
        ok(cli(postgres_url, "staff", "add", "s900", "--name", "窓口 太郎", stdin=f"{PASSWORD}\n"))
        assert client.post("/v1/staff/sign-in", json=sign_in, headers=device).status_code == 200

        device_id = enrolled.json()["device_id"]
        assert f"device {device_id} revoked" in ok(cli(postgres_url, "device", "revoke", device_id))
        revoked = client.post("/v1/staff/sign-in", json=sign_in, headers=device)
        assert (revoked.status_code, revoked.json()["code"]) == (403, "device_revoked")

        closures = f"/v1/centers/{CENTER}/closures"
        window = {"from": "2027-02-01", "to": "2027-02-28"}
        assert f"{CENTER} closed on 2027-02-15" in ok(
            cli(postgres_url, "closure", "set", CENTER, "2027-02-15", "選挙投票所")
        )
        listed = client.get(closures, params=window).json()
        temporary = {"center_id": CENTER, "day": "2027-02-15", "reason": "選挙投票所"}
        assert temporary in listed
        assert "removed" in ok(cli(postgres_url, "closure", "remove", CENTER, "2027-02-15"))
        after = client.get(closures, params=window).json()
        assert temporary not in after and len(after) == len(listed) - 1
        gone = ok(cli(postgres_url, "closure", "remove", CENTER, "2027-02-15"))
        assert "there was no such closure" in gone
    assert count(postgres_url, ClosureRow) == 0


def test_lottery_run_after_the_window_once(backend: Backend, postgres_url: str) -> None:
    user_id, password = backend.register()
    backend.at(tokyo(2026, 12, 12))
    entered = backend.client.post(
        "/v1/citizen/lottery-entries",
        json=backend.entry(day=tokyo(2027, 2, 15).date()),
        headers=backend.citizen(user_id, password),
    )
    assert entered.status_code == 201

    early = refused(cli(postgres_url, "lottery", "run", "2027-02", fixed_time=tokyo(2026, 12, 19)))
    assert "outside_window" in early
    after = tokyo(2026, 12, 20, 6, 0)
    drawn = ok(
        cli(postgres_url, "lottery", "run", "2027-02", "--seed", "cli-seed", fixed_time=after)
    )
    assert "2027-02 drawn: 1 entries, 1 winners, seed cli-seed" in drawn
    again = ok(cli(postgres_url, "lottery", "run", "2027-02", fixed_time=after))
    assert "2027-02 already drawn: 1 entries, 1 winners, seed cli-seed" in again

    with backend.ctx.db.session() as session:
        run = session.get(LotteryRunRow, "2027-02")
        assert run is not None and run.seed == "cli-seed"
        (booking,) = session.scalars(select(ReservationRow)).all()
        assert (booking.kind, booking.user_id, booking.room_id) == ("lottery", user_id, HALL)


def test_seed_demo_twice_adds_nothing_the_second_time(postgres_url: str) -> None:
    ok(cli(postgres_url, "migrate"))
    now = tokyo(2026, 12, 1, 9, 0)
    first = ok(cli(postgres_url, "seed-demo", fixed_time=now))
    assert re.search(r"demo data: \d+ groups, \d+ reservations", first), first
    db = Database(postgres_url)
    settings = BackendSettings(database_url=postgres_url, environment="test")
    try:
        ctx = BackendContext(settings, db, ManualClock(now))
        before = table_counts(ctx)
        assert before["groups"] > 0 and before["reservations"] > 0 and before["staff"] == 1
        second = ok(cli(postgres_url, "seed-demo", fixed_time=now))
        assert "demo data already present" in second
        assert table_counts(ctx) == before
    finally:
        db.dispose()


# -- mistakes --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated_url(postgres_server: PostgresServer) -> Iterator[str]:
    """One migrated database with the catalog, shared by the refusal cases (none changes it)."""
    name = postgres_server.database_name_for("test_cli_refusals")
    url = postgres_server.create_database(name)
    try:
        ok(cli(url, "migrate"))
        ok(cli(url, "catalog", "load", str(CATALOG)))
        yield url
    finally:
        postgres_server.drop_database(name)


ENV = "CENTER_DESK_BACKEND_"
BAD_COMMANDS = [
    pytest.param(("frobnicate",), {}, 2, "invalid choice: 'frobnicate'", id="unknown-command"),
    pytest.param((), {}, 2, "the following arguments are required: command", id="no-command"),
    pytest.param(
        ("staff", "add", "s1"), {}, 2, "the following arguments are required: --name", id="no-name"
    ),
    pytest.param(
        ("closure", "set", CENTER, "2027-02-30", "選挙"),
        {},
        2,
        "invalid fromisoformat value: '2027-02-30'",
        id="bad-date",
    ),
    # A month is checked as the arguments are read, like a date: a usage error (exit 2).
    pytest.param(
        ("lottery", "run", "2027-13"), {}, 2, "the month must be 01 to 12", id="bad-month"
    ),
    pytest.param(("lottery", "run", "February"), {}, 2, "written YYYY-MM", id="month-word"),
    pytest.param(
        ("enrollment-code", "atlantis"), {}, 1, "not_found: center not found", id="no-center"
    ),
    pytest.param(
        ("device", "revoke", "no-such-device"), {}, 1, "not_found: device not found", id="no-device"
    ),
    pytest.param(
        ("staff", "disable", "nobody"), {}, 1, "not_found: staff not found", id="no-staff"
    ),
    pytest.param(
        ("migrate",),
        {f"{ENV}ENVIRONMENT": "bogus"},
        2,
        "settings: unknown environment 'bogus'",
        id="bad-environment",
    ),
    pytest.param(
        ("migrate",),
        {f"{ENV}ENVIRONMENT": "production", f"{ENV}FIXED_TIME": "2027-01-04T09:00:00+09:00"},
        2,
        "a fixed clock is for demo and test environments only",
        id="fixed-clock-in-production",
    ),
    pytest.param(
        ("migrate",),
        {f"{ENV}STAFF_SESSION_MINUTES": "many"},
        2,
        f"{ENV}STAFF_SESSION_MINUTES must be a whole number",
        id="bad-number",
    ),
]


@pytest.mark.parametrize(("args", "env", "status", "message"), BAD_COMMANDS)
def test_a_bad_command_exits_non_zero_with_a_clear_message(
    migrated_url: str, args: tuple[str, ...], env: dict[str, str], status: int, message: str
) -> None:
    before = _snapshot(migrated_url)
    stderr = refused(cli(migrated_url, *args, env=env), status)
    assert message in stderr, stderr
    assert _snapshot(migrated_url) == before


def test_an_unreachable_database_is_a_clear_message(postgres_server: PostgresServer) -> None:
    url = f"postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:{free_port()}/nowhere"
    for args in (("migrate",), ("staff", "disable", "s001")):
        result = cli(url, *args)
        stderr = refused(result)
        assert "database" in stderr.lower()
        assert "s3cret-pw" not in stderr + result.stdout  # the URL's password is never echoed
    # The cluster itself is fine: only the address was wrong.
    psycopg.connect(postgres_server.conninfo(), autocommit=True).close()


def _snapshot(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        ctx = BackendContext(BackendSettings(database_url=url), db, ManualClock(tokyo(2027, 1, 1)))
        return table_counts(ctx)
    finally:
        db.dispose()
