"""The backend serves HTTPS itself, verified by the desk against the city's CA, and refuses
plain HTTP beyond loopback (DOMAIN.md: traffic to the backend is encrypted)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.sync.client import BackendClient, make_http
from tests.support.backend_process import free_port


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "backend.pem", folder / "backend-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _env(url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CENTER_DESK_BACKEND_DATABASE_URL": url,
            "CENTER_DESK_BACKEND_ENVIRONMENT": "test",
            **extra,
        }
    )
    return env


def test_serves_https_that_the_desk_verifies(postgres_url: str, tmp_path: Path) -> None:
    upgrade(Database(postgres_url).engine)
    cert, key = _certificate(tmp_path)
    port = free_port()
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
        env=_env(
            postgres_url,
            CENTER_DESK_BACKEND_TLS_CERTFILE=str(cert),
            CENTER_DESK_BACKEND_TLS_KEYFILE=str(key),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"https://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = BackendClient(make_http(url, ca_file=str(cert))).health()
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)  # waiting for a process to bind, not for time to pass
        assert health["status"] == "ok"
        # Without the city's CA the certificate is not trusted.
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/v1/health", verify=True, timeout=5)
        # Plain HTTP to the TLS port gets nowhere.
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=5)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # uvicorn waits for the half-open plain-HTTP connection; nothing to keep.
            server.kill()
            server.wait(timeout=10)


def test_plain_http_beyond_loopback_is_refused(postgres_url: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "center_desk.backend",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        env=_env(postgres_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "TLS_CERTFILE" in result.stderr
