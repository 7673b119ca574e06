"""The throwaway PostgreSQL harness (tests/support/postgres.py) does what the backend tests need."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.support import postgres
from tests.support.postgres import PostgresServer

# Database names seen by test_each_test_gets_its_own_empty_database, in the order they ran.
_seen_databases: list[str] = []


def test_sqlalchemy_round_trip(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host) == ("postgres", "127.0.0.1")

    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE hall (id serial PRIMARY KEY, name text NOT NULL)"))
            conn.execute(
                sa.text("INSERT INTO hall (name) VALUES (:name)"),
                [{"name": "小川西町地域センター 第一会議室"}, {"name": "和室"}],
            )
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, name FROM hall ORDER BY id")).all()
            encoding = conn.execute(sa.text("SHOW server_encoding")).scalar_one()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "小川西町地域センター 第一会議室"), (2, "和室")]
    assert encoding == "UTF8"


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_its_own_empty_database(
    postgres_url: str, postgres_server: PostgresServer, turn: str
) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            name = conn.execute(sa.text("SELECT current_database()")).scalar_one()
            tables = conn.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
            # Would clash if two tests shared a database.
            conn.execute(sa.text("CREATE TABLE only_mine (x int)"))
    finally:
        engine.dispose()
    assert tables == 0
    assert name == make_url(postgres_url).database
    assert name.startswith("t_") and "each_test_gets_its_own_empty_database" in name
    assert turn in name
    assert name not in _seen_databases

    # The databases of the tests before this one were dropped after them.
    with postgres_server.connect_admin() as admin:
        existing = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
    assert existing.isdisjoint(_seen_databases)
    _seen_databases.append(name)


def test_the_server_takes_250_concurrent_connections(postgres_url: str) -> None:
    conninfo = psycopg.conninfo.make_conninfo(
        make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    clients = 250
    everyone_connected = threading.Barrier(clients, timeout=60)

    def client(_: int) -> int:
        try:
            with psycopg.connect(conninfo) as conn:
                one = conn.execute("SELECT 1").fetchone()
                everyone_connected.wait()  # all 250 are open at this moment
                assert one is not None
                value: int = one[0]
                return value
        except BaseException:
            everyone_connected.abort()
            raise

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients)))
    assert results == [1] * clients


def test_the_server_is_set_up_for_speed(postgres_server: PostgresServer) -> None:
    assert postgres_server.host == "127.0.0.1"
    assert postgres_server.superuser == "postgres"
    with postgres_server.connect_admin() as admin:
        settings = {
            name: admin.execute(f"SHOW {name}").fetchone()
            for name in (
                "fsync",
                "synchronous_commit",
                "full_page_writes",
                "max_connections",
                "listen_addresses",
            )
        }
        version = admin.execute("SHOW server_version_num").fetchone()
    assert {name: row[0] if row else None for name, row in settings.items()} == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "300",
        "listen_addresses": "127.0.0.1",
    }
    assert version is not None and int(version[0]) >= 150000
    assert postgres_server.data_dir.is_dir()


def test_create_and_drop_database(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("harness_scratch")
    assert url == f"postgresql+psycopg://postgres@127.0.0.1:{postgres_server.port}/harness_scratch"
    conn = psycopg.connect(postgres_server.conninfo("harness_scratch"), autocommit=True)
    try:
        assert conn.execute("SELECT current_database()").fetchone() == ("harness_scratch",)
        # Dropping ends connections that are still open (WITH (FORCE)).
        postgres_server.drop_database("harness_scratch")
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    finally:
        conn.close()
    postgres_server.drop_database("harness_scratch")  # already gone: no error
    with postgres_server.connect_admin() as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_database WHERE datname = 'harness_scratch'"
        ).fetchone()
    assert row == (0,)


def test_database_names_are_sanitized_and_short() -> None:
    node_id = "tests/backend/test_x.py::test_予約[9:00-Ａ会議室-" + "long" * 30 + "]"
    name = postgres.database_name(node_id, 12345)
    assert len(name.encode()) <= 63
    assert name.startswith("t_") and name.endswith("_12345")
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789_")
    assert postgres.database_name("tests/a.py::test_b", 1) == "t_tests_a_py_test_b_1"


def test_missing_server_binaries_fail_rather_than_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setattr(postgres, "PG_LIB_ROOT", tmp_path)
    (tmp_path / "15" / "bin").mkdir(parents=True)  # a client-only install: no initdb
    with pytest.raises(pytest.fail.Exception, match=r"tests/run\.sh.*postgresql-15"):
        postgres.find_bindir()
    assert not issubclass(pytest.fail.Exception, pytest.skip.Exception)
