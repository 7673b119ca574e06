"""Real backend processes: ``uvicorn`` subprocesses serving the app on a test's database.

For the tests that need what an in-process ``TestClient`` cannot give: several processes on one
PostgreSQL database (races), or a process that dies mid-request (sync fault tests).

    with backend_processes(postgres_url, count=2, fixed_time="2027-01-04T09:00:00+09:00") as (a, b):
        httpx.get(f"{a.url}/v1/health")
        b.kill()  # SIGKILL, as a crash would

The database must already be migrated (the ``backend`` fixture does that). Each process gets a
free loopback port, its output goes to a log file (never a pipe that could fill up and stall
it), and it is ended at the end of the block: SIGTERM, then SIGKILL after a grace period.
Only the processes started here are ever signalled, by their own pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_PREFIX = "CENTER_DESK_BACKEND_"
ADMIN_TOKEN = "admin-secret"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
_START_ATTEMPTS = 3


class BackendStartError(RuntimeError):
    """A backend process did not come up; the message carries its output."""


@dataclass
class BackendProcess:
    """One running ``uvicorn`` backend process."""

    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        """What the process has written so far (stdout and stderr together)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL at once, as a crash or a pulled plug would end it; waits for the exit."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM (uvicorn's graceful shutdown), then SIGKILL if it is still there."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_healthy(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Poll ``/v1/health`` until it answers 200; fail with the process's output if the
        process exits or the time runs out."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while True:
                if not self.alive():
                    raise BackendStartError(
                        f"backend on port {self.port} exited with {self.process.returncode}:\n"
                        f"{self.output()}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    # Only our own answer counts: when another process took the port between
                    # free_port() and our bind (a test beside this one, or another run), its
                    # server answers here while ours fails to bind and exits.
                    healthy = client.get(f"{self.url}/v1/health").status_code == 200
                    if healthy and _listens_on(self.pid, self.port):
                        return
                if time.monotonic() > deadline:
                    raise BackendStartError(
                        f"backend on port {self.port} not healthy after {timeout:.0f} s:\n"
                        f"{self.output()}"
                    )
                time.sleep(0.05)


def _listens_on(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the socket listening on ``port`` (Linux's /proc)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
                fields = line.split()
                listening = fields[3] == "0A"  # TCP_LISTEN
                if listening and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/{pid}/fd/{descriptor}") in inodes:
                return True
    return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def backend_env(
    database_url: str,
    *,
    fixed_time: str | None = None,
    admin_token: str = ADMIN_TOKEN,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a backend process: ours without any CENTER_DESK_BACKEND_* setting
    the caller's shell may carry, plus the test's database, the test environment (which allows
    a fixed clock) and the admin token."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(ENV_PREFIX)}
    env[f"{ENV_PREFIX}DATABASE_URL"] = database_url
    env[f"{ENV_PREFIX}ENVIRONMENT"] = "test"
    env[f"{ENV_PREFIX}ADMIN_TOKEN"] = admin_token
    if fixed_time is not None:
        env[f"{ENV_PREFIX}FIXED_TIME"] = fixed_time
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if part
    )
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def _command(port: int, *, serve: bool) -> list[str]:
    if serve:
        # The operator's command, as production runs it (``center-desk-backend serve``).
        return [
            sys.executable,
            "-m",
            "center_desk.backend",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
        ]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "center_desk.backend.app:app_from_environment",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def _spawn(
    env: dict[str, str], log_dir: Path, index: int, *, serve: bool = False
) -> BackendProcess:
    port = free_port()
    log_path = log_dir / f"backend-{index}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            _command(port, serve=serve),
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: a Ctrl-C at the terminal reaches pytest, which stops it.
            start_new_session=True,
        )
    return BackendProcess(port=port, process=process, log_path=log_path, env=env)


def _start_healthy(
    env: dict[str, str], log_dir: Path, index: int, *, serve: bool = False
) -> BackendProcess:
    """Start one process; another free port is tried when the first was taken meanwhile."""
    failure: BackendStartError | None = None
    for _ in range(_START_ATTEMPTS):
        backend = _spawn(env, log_dir, index, serve=serve)
        try:
            backend.wait_healthy()
            return backend
        except BackendStartError as error:
            backend.stop()
            failure = error
            if "address already in use" not in backend.output().lower():
                break
    assert failure is not None
    raise failure


@contextlib.contextmanager
def backend_processes(
    database_url: str,
    *,
    count: int = 1,
    fixed_time: str | None = None,
    admin_token: str = ADMIN_TOKEN,
    extra_env: Mapping[str, str] | None = None,
    serve: bool = False,
) -> Iterator[list[BackendProcess]]:
    """``count`` backend processes on ``database_url``, healthy when the block begins and
    stopped when it ends (also on failure). ``fixed_time`` freezes their clocks (an ISO
    datetime with its zone). ``serve``: run ``center-desk-backend serve`` rather than
    ``uvicorn --factory``."""
    env = backend_env(database_url, fixed_time=fixed_time, admin_token=admin_token, extra=extra_env)
    started: list[BackendProcess] = []
    with tempfile.TemporaryDirectory(prefix="center-desk-backend-") as log_dir:
        try:
            # Start them all first, then wait: their imports overlap.
            for index in range(count):
                started.append(_spawn(env, Path(log_dir), index, serve=serve))
            for index, backend in enumerate(started):
                try:
                    backend.wait_healthy()
                except BackendStartError:
                    if "address already in use" not in backend.output().lower():
                        raise
                    backend.stop()
                    started[index] = _start_healthy(env, Path(log_dir), index, serve=serve)
            yield started
        except BaseException:
            # pytest shows what a failing test printed: the processes' side of the story.
            for backend in started:
                print(f"--- backend on port {backend.port} ---\n{backend.output()[-8000:]}")
            raise
        finally:
            for backend in started:
                backend.stop()


@contextlib.contextmanager
def backend_process(
    database_url: str,
    *,
    fixed_time: str | None = None,
    admin_token: str = ADMIN_TOKEN,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[BackendProcess]:
    """One backend process; see :func:`backend_processes`."""
    with backend_processes(
        database_url,
        count=1,
        fixed_time=fixed_time,
        admin_token=admin_token,
        extra_env=extra_env,
    ) as (backend,):
        yield backend
