"""A throwaway PostgreSQL server for the tests (DESIGN.md §7): a pytest plugin.

One cluster per test session, started on first use in a private temporary directory (on the
/dev/shm tmpfs when it has room, else /tmp) on a free TCP port, with durability switched off for
speed, and stopped and removed at the end of the session (also after a failure or Ctrl-C;
``atexit`` is the backstop, and the next session removes what a killed one left behind).

Fixtures:

``postgres_server`` (session)
    A :class:`PostgresServer`: ``host``, ``port``, ``superuser``, ``url(name)``,
    ``conninfo(name)``, ``create_database(name, template=None) -> url`` and
    ``drop_database(name)``.
``postgres_url`` (function)
    The SQLAlchemy URL (``postgresql+psycopg://postgres@127.0.0.1:PORT/NAME``) of a fresh, empty
    database made for this test alone and dropped after it.

Tests that use either fixture get the ``postgres`` marker, so ``-m "not postgres"`` leaves them
out. Missing server binaries are a failure, not a skip: CI must not pass by running nothing.

As root, ``initdb`` and ``pg_ctl`` refuse to run, so the cluster belongs to the ``postgres`` user
and they run through ``runuser -u postgres --``; as any other user they run directly.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

HOST = "127.0.0.1"
SUPERUSER = "postgres"
# Owns the cluster when the tests run as root (Debian's postgresql-common creates the user).
CLUSTER_OWNER = "postgres"
# Where Debian's postgresql-NN packages put the server binaries.
PG_LIB_ROOT = Path("/usr/lib/postgresql")
MAX_CONNECTIONS = 300
MAX_IDENTIFIER_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1

_DIR_PREFIX = "center-desk-pg-"
_OWNER_PID_FILE = "owner.pid"
_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
# Docker gives containers a 64 MB /dev/shm: too small for a cluster and its test databases.
_SHM_MIN_FREE = 2 * 1024**3
_START_ATTEMPTS = 5
_COMMAND_TIMEOUT = 120.0
_INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: run the tests with "
    "tests/run.sh, which installs the Debian package postgresql-15 "
    "(installers/linux/dev-bootstrap.sh)"
)


class PostgresServer:
    """A running throwaway cluster. Every database on it is the tests' to create and drop."""

    def __init__(self, *, bindir: Path, base_dir: Path, run_as: str | None) -> None:
        self.host = HOST
        self.port = 0
        self.superuser = SUPERUSER
        self.bindir = bindir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.socket_dir = base_dir / "sock"
        self.log_file = base_dir / "postgres.log"
        self.startup_seconds = 0.0
        self._run_as = run_as
        self._counter = itertools.count(1)
        # Reentrant: the SIGTERM handler may call stop() while the main thread holds it.
        self._lock = threading.RLock()
        self._stopped = False

    def __repr__(self) -> str:
        return f"PostgresServer(host={self.host!r}, port={self.port}, data_dir={self.data_dir})"

    # -- addresses -------------------------------------------------------------------------------

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` (psycopg 3 driver, trust authentication)."""
        return f"postgresql+psycopg://{self.superuser}@{self.host}:{self.port}/{name}"

    def conninfo(self, name: str = "postgres") -> str:
        """A libpq connection string for ``psycopg.connect`` (which does not take ``+psycopg``)."""
        return psycopg.conninfo.make_conninfo(
            host=self.host, port=self.port, user=self.superuser, dbname=name, connect_timeout=10
        )

    def connect_admin(self) -> psycopg.Connection[TupleRow]:
        """An autocommit superuser connection to the ``postgres`` maintenance database."""
        return psycopg.connect(self.conninfo("postgres"), autocommit=True)

    # -- databases -------------------------------------------------------------------------------

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create the database ``name`` and return its SQLAlchemy URL: empty, or a copy of the
        database ``template`` (which nobody may be connected to)."""
        _check_identifier(name)
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            _check_identifier(template)
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect_admin() as conn:
            # With fsync off, copying the template's files beats WAL-logging them (PostgreSQL
            # 15's default), which matters when every test makes a database.
            if conn.info.server_version >= 150000:
                query += sql.SQL(" STRATEGY FILE_COPY")
            conn.execute(query)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, ending any connections still open to it."""
        _check_identifier(name)
        with self.connect_admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def database_name_for(self, node_id: str) -> str:
        """A new database name made from a test's node id: ``t_<sanitized id>_<counter>``."""
        with self._lock:
            number = next(self._counter)
        return database_name(node_id, number)

    # -- life cycle ------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop the server at once and remove its directory. Safe to call more than once."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        atexit.unregister(self.stop)
        try:
            _stop_cluster(self.bindir, self._run_as, self.base_dir)
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def restart(self, mode: str = "fast") -> None:
        """``pg_ctl restart -m MODE``: every open connection ends (``fast``: each is told so;
        ``immediate``: the server processes quit at once, as after a crash), and the server
        comes back on the same port with the same options."""
        result = _run(
            # -l: the server's output to its log, never to a pipe of ours that would stay open.
            self._command(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-m",
                mode,
                "-w",
                "restart",
            ),
            cwd=self.base_dir,
        )
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed:\n{result.stdout}{result.stderr}")
        _wait_until_accepting(self)

    def _command(self, program: str, *args: str) -> list[str]:
        return _as_owner(self._run_as, [str(self.bindir / program), *args])


# -- fixtures and hooks ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole session."""
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, empty database for this test, dropped after it."""
    name = postgres_server.database_name_for(request.node.nodeid)
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        postgres_server.drop_database(name)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs the PostgreSQL server binaries")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "postgres_server" in fixtures or "postgres_url" in fixtures:
            item.add_marker(pytest.mark.postgres)


_started: list[PostgresServer] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for server in _started:
        if not server.startup_seconds:
            continue  # did not start; the failing tests say why
        terminalreporter.write_line(
            f"postgres: throwaway cluster on {server.host}:{server.port} "
            f"(binaries {server.bindir}) started in {server.startup_seconds:.2f} s"
        )


# -- starting the server ---------------------------------------------------------------------------


def start_server() -> PostgresServer:
    """Make, start and return a throwaway cluster; fail the requesting test if that cannot be."""
    began = time.perf_counter()
    bindir = find_bindir()
    run_as = _cluster_owner()
    _reap_stale_clusters(bindir, run_as)

    base_dir = Path(tempfile.mkdtemp(prefix=_DIR_PREFIX, dir=_scratch_root(run_as)))
    server = PostgresServer(bindir=bindir, base_dir=base_dir, run_as=run_as)
    atexit.register(server.stop)
    _started.append(server)
    _stop_on_sigterm()
    try:
        (base_dir / _OWNER_PID_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        server.socket_dir.mkdir(mode=0o700)
        if run_as:
            owner = pwd.getpwnam(run_as)
            for path in (base_dir, server.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        _initdb(server)
        _start(server)
    except BaseException:
        server.stop()
        raise
    server.startup_seconds = time.perf_counter() - began
    return server


def _stop_on_sigterm() -> None:
    """A CI timeout ends the tests with SIGTERM, which skips ``atexit``: stop the servers first,
    then die of the signal as before. Only where nobody else handles SIGTERM."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def stop_then_die(signum: int, _frame: object) -> None:
        for server in _started:
            server.stop()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, stop_then_die)


def find_bindir() -> Path:
    """The directory of initdb/pg_ctl/postgres: ``pg_config --bindir``, else the newest
    ``/usr/lib/postgresql/*/bin``. Fails the test (not skips it) when there is none."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            result = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=False
            )
            if result.returncode == 0 and result.stdout.strip():
                candidates.append(Path(result.stdout.strip()))
    if PG_LIB_ROOT.is_dir():
        candidates.extend(
            sorted(
                (path / "bin" for path in PG_LIB_ROOT.iterdir()),
                key=lambda path: _version_key(path.parent.name),
                reverse=True,
            )
        )
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in _SERVER_BINARIES):
            return bindir
    pytest.fail(_INSTALL_HINT, pytrace=False)


def database_name(node_id: str, number: int) -> str:
    """``t_<node id in [a-z0-9_]>_<number>``, at most 63 bytes; the end of the id (the test's
    name and parameters) is what is kept when it is too long."""
    suffix = f"_{number}"
    stem = re.sub(r"[^a-z0-9]+", "_", node_id.lower()).strip("_")
    room = MAX_IDENTIFIER_BYTES - len("t_") - len(suffix)
    stem = stem[-room:].lstrip("_") if room > 0 else ""
    return f"t_{stem}{suffix}"


def _initdb(server: PostgresServer) -> None:
    failures: list[str] = []
    for locale in ("C.UTF-8", "C"):
        shutil.rmtree(server.data_dir, ignore_errors=True)
        result = _run(
            server._command(
                "initdb",
                "-D",
                str(server.data_dir),
                "-A",
                "trust",
                "-U",
                server.superuser,
                "--no-sync",
                "-E",
                "UTF8",
                f"--locale={locale}",
            ),
            cwd=server.base_dir,
        )
        if result.returncode == 0:
            return
        failures.append(f"--locale={locale}:\n{result.stdout}{result.stderr}")
    pytest.fail("initdb failed:\n" + "\n".join(failures), pytrace=False)


def _start(server: PostgresServer) -> None:
    output = ""
    for _ in range(_START_ATTEMPTS):
        server.port = _free_port()
        options = " ".join(
            [
                f"-p {server.port}",
                f"-k {shlex.quote(str(server.socket_dir))}",
                f"-c listen_addresses={HOST}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                f"-c max_connections={MAX_CONNECTIONS}",
            ]
        )
        log_start = server.log_file.stat().st_size if server.log_file.exists() else 0
        result = _run(
            server._command(
                "pg_ctl",
                "-D",
                str(server.data_dir),
                "-l",
                str(server.log_file),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ),
            cwd=server.base_dir,
        )
        log = _read_from(server.log_file, log_start)
        output = f"{result.stdout}{result.stderr}{log}"
        if result.returncode == 0:
            _wait_until_accepting(server)
            return
        _kill_postmaster(server.data_dir)
        if "could not bind" not in log and "already in use" not in log:
            break  # not a lost race for the port: trying again will not help
    pytest.fail(f"PostgreSQL did not start (pg_ctl start):\n{output}", pytrace=False)


def _wait_until_accepting(server: PostgresServer) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with server.connect_admin() as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# -- helpers -----------------------------------------------------------------------------------


def _cluster_owner() -> str | None:
    """The user to run initdb/pg_ctl as: ``postgres`` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(CLUSTER_OWNER)
    except KeyError:
        pytest.fail(
            f"the tests run as root but there is no {CLUSTER_OWNER!r} user to own the "
            "PostgreSQL cluster: run the tests with tests/run.sh, which installs postgresql-15",
            pytrace=False,
        )
    if shutil.which("runuser") is None:
        pytest.fail("the tests run as root but runuser (util-linux) is missing", pytrace=False)
    return CLUSTER_OWNER


def _scratch_root(run_as: str | None) -> Path:
    """Where the cluster's directory goes: /dev/shm when it is a roomy tmpfs (measured here: a
    CREATE DATABASE takes ~7 ms there and ~200 ms on the ext4 /tmp, even with fsync off, and
    initdb 0.5 s against 1.5 s); else /tmp, which the postgres user can reach when we are root
    (a TMPDIR under /root would not do); else, not root, the usual temporary directory."""
    shm = Path("/dev/shm")
    with contextlib.suppress(OSError):
        free = shutil.disk_usage(shm).free
        usable = (
            shm.stat().st_mode & 0o1777 == 0o1777  # world-writable and sticky, like /tmp
            if run_as
            else os.access(shm, os.W_OK | os.X_OK)
        )
        if usable and free >= _SHM_MIN_FREE:
            return shm
    return Path("/tmp") if run_as else Path(tempfile.gettempdir())


def _as_owner(run_as: str | None, argv: Sequence[str]) -> list[str]:
    if run_as is None:
        return list(argv)
    return ["runuser", "-u", run_as, "--", *argv]


def _run(
    argv: Sequence[str], *, cwd: Path, timeout: float = _COMMAND_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    # PG* variables from the caller's shell (PGDATA, PGPORT, PGOPTIONS, ...) must not steer the
    # throwaway cluster; LC_ALL=C keeps the tools' messages plain. The server is started in its
    # own session so that a Ctrl-C at the terminal reaches pytest, which then stops it in order.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    return subprocess.run(
        list(argv),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        start_new_session=True,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (-1,)


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _check_identifier(name: str) -> None:
    if not name or len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
        raise ValueError(f"not a usable database name (1 to 63 bytes): {name!r}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_postmaster(data_dir: Path) -> None:
    """SIGKILL the postmaster of ``data_dir`` if one is still running (pg_ctl could not stop
    it). Its backends notice the postmaster's death and exit by themselves."""
    try:
        first_line = (data_dir / "postmaster.pid").read_text(encoding="ascii").splitlines()[0]
        pid = int(first_line)
    except (OSError, ValueError, IndexError):
        return
    if pid <= 0 or not _pid_alive(pid):
        return
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].endswith(b"postgres"):
            os.kill(pid, signal.SIGKILL)


def _stop_cluster(bindir: Path, run_as: str | None, base_dir: Path) -> None:
    """``pg_ctl stop -m immediate`` the cluster in ``base_dir``/data, then make sure."""
    data_dir = base_dir / "data"
    if not (data_dir / "postmaster.pid").exists():
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        _run(
            _as_owner(
                run_as,
                [str(bindir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w", "stop"],
            ),
            cwd=base_dir,
            timeout=60,
        )
    _kill_postmaster(data_dir)


def _reap_stale_clusters(bindir: Path, run_as: str | None) -> None:
    """Stop and remove the clusters of earlier sessions that died without cleaning up (SIGKILL,
    a CI timeout). A cluster is stale when the process that made it no longer exists."""
    roots = {Path("/dev/shm"), Path("/tmp"), Path(tempfile.gettempdir())}
    for root in roots:
        with contextlib.suppress(OSError):
            for base_dir in root.glob(_DIR_PREFIX + "*"):
                with contextlib.suppress(OSError, ValueError, subprocess.SubprocessError):
                    owner_pid = int((base_dir / _OWNER_PID_FILE).read_text(encoding="ascii"))
                    if _pid_alive(owner_pid):
                        continue
                    if run_as is None and base_dir.stat().st_uid != os.geteuid():
                        continue  # another user's: not ours to remove
                    _stop_cluster(bindir, run_as, base_dir)
                    shutil.rmtree(base_dir, ignore_errors=True)
