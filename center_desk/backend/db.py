"""The database engine and sessions. PostgreSQL in production and tests; SQLite only for the
embedded demo (one process, so its coarse locking is fine there)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
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
    kwargs.setdefault("pool_pre_ping", True)
    # No statement waits on a row lock for ever: a request behind a stuck one fails fast
    # (LockNotAvailable, answered 503 + Retry-After) and frees its thread and connection.
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault(
        "options",
        f"-c lock_timeout={int(lock_timeout_ms)} -c statement_timeout={int(statement_timeout_ms)}",
    )
    return create_engine(url, connect_args=connect_args, **kwargs)


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

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends normally."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
