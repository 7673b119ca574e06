"""The backend as a service (installers/backend): its systemd units pass ``systemd-analyze
verify``, the lottery timer's script draws the month after next, and a backup taken with the
documented command restores into a fresh PostgreSQL cluster from which the backend serves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from center_desk.backend.db import Database
from center_desk.backend.migrate import upgrade
from center_desk.sync.client import BackendClient, make_http
from tests.support.backend_process import free_port
from tests.support.packaging import REPO, which_or_skip
from tests.support.postgres import PostgresServer, start_server

BACKEND = REPO / "installers" / "backend"
UNITS = sorted(p.name for p in (BACKEND / "systemd").iterdir())
VENV_BIN = Path(sys.executable).parent
PREFIX = VENV_BIN.parent  # the scripts find bin/python and bin/center-desk-backend under it
STAFF_PASSWORD = "restore-me-2027"


def _system_root(folder: Path) -> Path:
    """A root with the units installed as README.md says, and what they execute."""
    root = folder / "root"
    (root / "etc/systemd/system").mkdir(parents=True)
    for unit in UNITS:
        shutil.copy(BACKEND / "systemd" / unit, root / "etc/systemd/system" / unit)
    # systemd's own units (sysinit.target, timers.target…) and the programs the units run.
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    (root / "usr/bin").mkdir(parents=True, exist_ok=True)
    shutil.copy(which_or_skip("flock"), root / "usr/bin/flock")
    libexec = root / "opt/center-desk-backend/libexec"
    shutil.copytree(BACKEND / "libexec", libexec)
    program = root / "opt/center-desk-backend/bin/center-desk-backend"
    program.parent.mkdir(parents=True)
    # verify checks that the command exists and is executable under the root; a link out of
    # the root would not resolve there, so a two-line launcher of this tree's program.
    program.write_text(f'#!/bin/sh\nexec {VENV_BIN}/center-desk-backend "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    return root


def _verify(root: Path, *units: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [which_or_skip("systemd-analyze"), "verify", f"--root={root}", *units],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    root = _system_root(tmp_path)
    units = [u.replace("@.service", "@8443.service") for u in UNITS]
    assert "center-desk-backend@8443.service" in units and len(units) == 6
    result = _verify(root, *units)
    # verify exits 0 even for unknown keys; a clean unit says nothing at all.
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stderr


def test_the_verification_sees_a_broken_unit(tmp_path: Path) -> None:
    root = _system_root(tmp_path)
    unit = root / "etc/systemd/system/center-desk-backend-lottery.timer"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("OnCalendar=", "OnCalender="), encoding="utf-8"
    )
    (root / "opt/center-desk-backend/libexec/backup.sh").unlink()
    units = ("center-desk-backend-lottery.timer", "center-desk-backend-backup.service")
    result = _verify(root, *units)
    assert "OnCalender" in result.stderr
    assert "backup.sh is not executable" in result.stderr


def _backend_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CENTER_DESK_BACKEND_DATABASE_URL": database_url,
        "CENTER_DESK_BACKEND_ENVIRONMENT": "test",
        "CENTER_DESK_BACKEND_PREFIX": str(PREFIX),
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        **extra,
    }


def _run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(("today", "month"), [("2026-12-20", "2027-02"), ("2027-07-20", "2027-09")])
def test_the_lottery_timer_draws_the_month_after_next(
    postgres_url: str, today: str, month: str
) -> None:
    upgrade(Database(postgres_url).engine)
    env = _backend_env(postgres_url, CENTER_DESK_BACKEND_FIXED_TIME=f"{today}T00:10:00+09:00")
    drawn = _run([str(BACKEND / "libexec/lottery-draw.sh"), today], env)
    assert drawn.returncode == 0, drawn.stderr
    assert f"drawing the lottery for {month}" in drawn.stdout
    assert drawn.stdout.splitlines()[-1].startswith(f"{month} ")
    # A second run (the timer catching up, a second host) reports the draw already made.
    again = _run([str(BACKEND / "libexec/lottery-draw.sh"), today], env)
    assert again.returncode == 0 and again.stdout.splitlines()[-1] != "", again.stderr


@pytest.fixture
def fresh_cluster() -> Iterator[PostgresServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


def test_a_backup_restores_into_a_fresh_cluster_and_the_backend_serves_from_it(
    postgres_url: str, fresh_cluster: PostgresServer, tmp_path: Path
) -> None:
    which_or_skip("pg_dump")
    backend = str(VENV_BIN / "center-desk-backend")
    source = _backend_env(postgres_url)
    for args, stdin in (
        (["migrate"], ""),
        (["catalog", "load", str(REPO / "resources/catalog/demo-catalog.json")], ""),
        (["staff", "add", "S0042", "--name", "窓口 花子"], STAFF_PASSWORD + "\n"),
    ):
        done = _run([backend, *args], source, stdin)
        assert done.returncode == 0, done.stderr
    code = _run([backend, "enrollment-code", "ogawa-nishimachi"], source)
    assert code.returncode == 0, code.stderr
    enrollment_code = code.stdout.strip().splitlines()[-1]

    # The documented backup: what center-desk-backend-backup.service runs.
    backups = tmp_path / "backups"
    backup = _run([str(BACKEND / "libexec/backup.sh")], {**source, "BACKUP_DIR": str(backups)})
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == backups and dump.name.endswith(".dump") and dump.stat().st_size > 0
    assert not list(backups.glob("*.partial"))

    target_url = fresh_cluster.create_database("center")
    target = _backend_env(target_url)
    restore = _run([str(BACKEND / "libexec/restore.sh"), str(dump)], target)
    assert restore.returncode == 0, restore.stdout + restore.stderr

    # A second restore into the now non-empty database is refused.
    again = _run([str(BACKEND / "libexec/restore.sh"), str(dump)], target)
    assert again.returncode == 4 and "not empty" in again.stderr

    port = free_port()
    log = tmp_path / "backend.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [backend, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=target,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait(url, server, log)
        catalog = httpx.get(f"{url}/v1/catalog", timeout=10).json()
        assert "ogawa-nishimachi" in {c["id"] for c in catalog["centers"]}
        # The enrollment code issued before the backup, and the staff account, came back.
        client = BackendClient(make_http(url))
        enrolled = client.enroll(enrollment_code, "restored-desk")
        assert enrolled.center_id == "ogawa-nishimachi"
        client = BackendClient(make_http(url), device_token=lambda: enrolled.device_token)
        assert client.staff_sign_in("S0042", STAFF_PASSWORD).token
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(log.read_text(errors="replace")[-2000:])
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(log.read_text(errors="replace")[-2000:])


def test_the_install_script_parses() -> None:
    # It runs apt-get and systemctl on a real server, so here only bash's own syntax check.
    script = BACKEND / "install-backend.sh"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("backup.sh", "restore.sh", "lottery-draw.sh"):
        assert (BACKEND / "libexec" / name).stat().st_mode & 0o111, name
