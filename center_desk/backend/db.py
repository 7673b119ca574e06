"""The database engine and sessions. PostgreSQL in production and tests; SQLite only for the
embedded demo (one process, so its coarse locking is fine there)."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from .config import BackendSettings


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Statement parameters hold personal data (names, addresses, phones): keep them out of
    # SQL echo logs and out of the text of database errors, which reach tracebacks.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling would defer BEGIN; take the write lock at
            # the start of every transaction instead, so quota counts and inserts cannot
            # interleave between two requests.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # Sized for the admission gate (docs/backend-load.md): a request holds one connection at a
    # time, and at most ``max_in_flight`` requests work at once, so the pool is never the queue.
    # A request that still finds it empty gives up quickly (503) instead of waiting 30 s.
    lock_timeout_ms = kwargs.pop("lock_timeout_ms", 5000)
    statement_timeout_ms = kwargs.pop("statement_timeout_ms", 30000)
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 5)
    kwargs.setdefault("pool_timeout", 5.0)
    # Liveness without a round trip (issue 13): ``pool_pre_ping`` sent ``SELECT 1`` before
    # every request's first statement, most of an empty pull's time. A pooled connection that
    # PostgreSQL ended (a restart, a fail-over, ``pg_terminate_backend``) is found at checkout
    # by :func:`_ended_by_server` instead; one that dies silently (a dropped network) is
    # replaced after ``pool_recycle`` at the latest, and TCP keepalives notice it sooner.
    kwargs.setdefault("pool_pre_ping", False)
    kwargs.setdefault("pool_recycle", 1800)
    # No statement waits on a row lock for ever: a request behind a stuck one fails fast
    # (LockNotAvailable, answered 503 + Retry-After) and frees its thread and connection.
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault(
        "options",
        f"-c lock_timeout={int(lock_timeout_ms)} -c statement_timeout={int(statement_timeout_ms)}",
    )
    for key, value in _KEEPALIVES.items():
        connect_args.setdefault(key, value)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if not kwargs["pool_pre_ping"]:
        event.listen(engine, "checkout", _check_alive)
    return engine


#: libpq's TCP keepalives: a connection whose server vanished without a word (a cable, a
#: crashed host) is noticed within about two minutes rather than the kernel's two hours.
_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 60,
    "keepalives_interval": 10,
    "keepalives_count": 6,
}


def _ended_by_server(dbapi_connection: Any) -> bool:
    """Whether PostgreSQL has ended this idle pooled connection, without a round trip.

    A connection resting in the pool has no query in flight, so the server has nothing to
    say on it: anything to read is its farewell (``FATAL: terminating connection`` at a
    restart or ``pg_terminate_backend``) or the end of the stream (a killed server process).
    One ``poll`` of the socket, where ``pool_pre_ping`` waited for ``SELECT 1``."""
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    try:
        fd = dbapi_connection.fileno()
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            return bool(poller.poll(0))
        readable, _, failed = select.select([fd], [], [fd], 0)
        return bool(readable or failed)
    except (OSError, ValueError):
        return True


def _check_alive(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    if _ended_by_server(dbapi_connection):
        # After a restart every pooled connection is gone: drop them all now, so each later
        # checkout does not discover it again; the pool retries with a new connection.
        raise exc.InvalidatePoolError("the server ended this pooled connection")


def engine_options(settings: BackendSettings) -> dict[str, Any]:
    """The engine keywords a ``serve`` process takes from its settings."""
    if settings.database_url.startswith("sqlite"):
        return {}
    return {
        "pool_size": settings.db_pool_size,
        "pool_timeout": settings.db_pool_timeout_seconds,
        "lock_timeout_ms": settings.db_lock_timeout_ms,
        "statement_timeout_ms": settings.db_statement_timeout_ms,
    }


class Database:
    """Engine plus session factory; one per process."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # On PostgreSQL, statements that commit one by one: the same pool, no BEGIN and no
        # COMMIT, each of which was a round trip of its own. SQLite (the demo) takes its
        # write lock in BEGIN (make_engine), so there it is the ordinary session.
        if self.engine.dialect.name == "postgresql":
            autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            self.statement_sessions = sessionmaker(autocommit, expire_on_commit=False)
        else:
            self.statement_sessions = self.sessions

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends normally."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def statement_session(self) -> Iterator[Session]:
        """A session whose statements each commit on their own (on PostgreSQL), for a request
        that reads with independent statements and writes at most single rows that stand on
        their own: a pull, which most of the time only reads (issue 13). What the ORM holds
        is flushed when the block ends normally; nothing is when it raises. Each statement
        sees the data committed when it starts, as in a READ COMMITTED transaction."""
        with self.statement_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
