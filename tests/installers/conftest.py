"""The packages as the city's IT gets them: the PyInstaller bundle and the .deb, built once per
test session from this tree (about 60 s and 15 s on two cores; the bundle in the background
from the start of the session), and a real backend serving HTTPS with a CA of the test's own
for their self-tests to reach.

Building needs PyInstaller (the ``build`` extra, which the bootstrap installs): without it the
tests skip, and under CI=true they fail, since there they must run.
"""

from __future__ import annotations

import importlib.util
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from tests.printing.conftest import CupsServer, cups_server  # noqa: F401 - a fixture we use
from tests.support.backend_process import free_port
from tests.support.bundle_build import built_bundle
from tests.support.packaging import PAPER_QUEUE, TlsFiles, unavailable


@pytest.fixture(scope="session")
def bundle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder PyInstaller build of center-desk, from the shared spec: built in the
    background from the start of the session (tests/support/bundle_build.py)."""
    if importlib.util.find_spec("PyInstaller") is None:
        unavailable("PyInstaller is not installed (pip install -e '.[build]')")
    return built_bundle(request.config, tmp_path_factory.mktemp("pyinstaller"))


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A city CA and a backend certificate for 127.0.0.1 issued by it."""
    folder = tmp_path_factory.mktemp("tls")
    ca, ca_key = folder / "city-ca.pem", folder / "city-ca-key.pem"
    cert, key, csr = folder / "backend.pem", folder / "backend-key.pem", folder / "backend.csr"
    ext = folder / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1\n", encoding="utf-8")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test City CA",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca),
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        str(key),
        "-out",
        str(csr),
    )
    openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        str(ext),
        "-out",
        str(cert),
    )
    return TlsFiles(ca, cert, key)


@pytest.fixture
def https_backend(postgres_url: str, tls_files: TlsFiles, tmp_path: Path) -> Iterator[str]:
    """The real backend serving HTTPS with the city CA's certificate; yields its address."""
    upgrade(Database(postgres_url).engine)
    port = free_port()
    env = {
        **os.environ,
        "CENTER_DESK_BACKEND_DATABASE_URL": postgres_url,
        "CENTER_DESK_BACKEND_ENVIRONMENT": "test",
        "CENTER_DESK_BACKEND_TLS_CERTFILE": str(tls_files.cert),
        "CENTER_DESK_BACKEND_TLS_KEYFILE": str(tls_files.key),
    }
    log = (tmp_path / "backend.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "center_desk.backend",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        wait_for_health(url, tls_files.ca, server, tmp_path / "backend.log")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def wait_for_health(
    url: str, ca: Path, server: subprocess.Popen[bytes], log: Path, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"backend exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            verify = ssl.create_default_context(cafile=str(ca))
            if httpx.get(f"{url}/v1/health", verify=verify, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"backend did not answer: {log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="session")
def paper_queue(cups_server: CupsServer) -> CupsServer:  # noqa: F811 - the fixture above
    """A queue that drives a (network) printer rather than writing files: nothing is sent to
    it, the self-test only asks CUPS about it."""
    added = cups_server.run(
        "lpadmin", "-p", PAPER_QUEUE, "-E", "-v", "socket://127.0.0.1:9", "-m", "raw"
    )
    assert added.returncode == 0, added.stderr
    return cups_server
