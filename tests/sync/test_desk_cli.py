"""The headless desk commands (issue 4, item 7) as city IT runs them: ``center-desk enroll`` and
``center-desk sync --once`` in their own processes, against a real backend process (uvicorn on
the test's PostgreSQL database), with the device token and cache key in the real Secret
Service (the subprocesses inherit the tests' D-Bus session and HOME)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from center_desk.store import KeyStore, cache_id_for
from center_desk.sync.config import load_config, save_config
from center_desk.sync.credentials import DeviceCredentials
from tests.support.backend_app import CENTER, Backend, tokyo
from tests.support.backend_process import BackendProcess, backend_env, backend_process

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXED_TIME = "2027-02-10T10:00:00+09:00"
TIMEOUT = 120


def desk_command() -> list[str]:
    """The installed ``center-desk`` entry point (the console script), else ``-m``."""
    script = Path(sys.executable).with_name("center-desk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "center_desk"]


def run(argv: list[str], *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        cwd=REPO_ROOT,
        env=env or desk_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def desk_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CENTER_DESK_")}
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if part
    )
    return env


def backend_cli(database_url: str, *args: str) -> str:
    """``center-desk-backend …`` on the test database, on the backend process's clock."""
    done = run(
        [sys.executable, "-m", "center_desk.backend", *args],
        env=backend_env(database_url, fixed_time=FIXED_TIME),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr


@dataclass
class Enrolled:
    process: BackendProcess
    config: Path
    data_dir: Path
    device_id: str
    user_id: str


@pytest.fixture
def enrolled(backend: Backend, postgres_url: str, tmp_path: Path) -> Iterator[Enrolled]:
    """A backend process with one registered group, and this PC enrolled from the command
    line with its cache under the test's temporary folder."""
    backend.at(tokyo(2027, 2, 10, 10, 0))
    user_id, _ = backend.register()
    code = backend_cli(postgres_url, "enrollment-code", CENTER)
    config = tmp_path / "desk.json"
    data_dir = tmp_path / "data"
    with backend_process(postgres_url, fixed_time=FIXED_TIME) as process:
        done = run(
            [
                *desk_command(),
                "enroll",
                "--backend",
                process.url,
                "--code",
                code,
                "--name",
                "窓口1",
                "--config",
                str(config),
                "--data-dir",
                str(data_dir),
            ]
        )
        assert done.returncode == 0, done.stderr
        no_traceback(done)
        assert f"enrolled as a desk of {CENTER}" in done.stdout
        settings = load_config(config)
        assert settings is not None
        assert settings.backend_url == process.url and settings.center_id == CENTER
        assert settings.cache_path == data_dir / "desk-cache.sqlcipher"
        # The token is in the keyring, never in the settings file.
        token = DeviceCredentials().token(settings.device_id)
        assert token
        assert token not in config.read_text(encoding="utf-8")
        yield Enrolled(process, config, data_dir, settings.device_id, user_id)
        DeviceCredentials().forget(settings.device_id)
        KeyStore().delete_key(cache_id_for(settings.cache_path))


PULLED = re.compile(r"pulled (\d+)")


def test_sync_once_in_its_own_process_pulls_and_exits_0(enrolled: Enrolled) -> None:
    done = run([*desk_command(), "sync", "--once", "--config", str(enrolled.config)])
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    pulled = PULLED.search(done.stdout)
    assert pulled is not None, done.stdout
    assert int(pulled.group(1)) > 0
    assert "(snapshot)" in done.stdout
    assert "waiting 0" in done.stdout
    assert (enrolled.data_dir / "desk-cache.sqlcipher").exists()

    again = run([*desk_command(), "sync", "--once", "--config", str(enrolled.config)])
    assert again.returncode == 0, again.stderr
    assert "pulled 0" in again.stdout and "(snapshot)" not in again.stdout


def test_sync_once_in_process_never_imports_qt(enrolled: Enrolled) -> None:
    argv = ["sync", "--once", "--config", str(enrolled.config)]
    program = (
        "import sys\n"
        "from center_desk.__main__ import main\n"
        f"rc = main({argv!r})\n"
        "assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
        "assert not any(m.startswith('center_desk.ui') for m in sys.modules), 'the GUI was'\n"
        "sys.exit(rc)\n"
    )
    done = run([sys.executable, "-c", program])
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    pulled = PULLED.search(done.stdout)
    assert pulled is not None and int(pulled.group(1)) > 0, done.stdout


def test_sync_once_with_the_backend_down_exits_1_and_says_so(enrolled: Enrolled) -> None:
    first = run([*desk_command(), "sync", "--once", "--config", str(enrolled.config)])
    assert first.returncode == 0, first.stderr
    enrolled.process.stop()
    assert not enrolled.process.alive()

    done = run([*desk_command(), "sync", "--once", "--config", str(enrolled.config)])
    assert done.returncode == 1
    no_traceback(done)
    assert "sync incomplete: Offline" in done.stderr
    # The cache is untouched: nothing lost, nothing wiped.
    assert (enrolled.data_dir / "desk-cache.sqlcipher").exists()
    assert "rebuilt" not in done.stderr


def test_sync_once_on_a_revoked_desk_wipes_and_exits_4(
    enrolled: Enrolled, postgres_url: str
) -> None:
    first = run([*desk_command(), "sync", "--once", "--config", str(enrolled.config)])
    assert first.returncode == 0, first.stderr
    cache = enrolled.data_dir / "desk-cache.sqlcipher"
    assert cache.exists()
    backend_cli(postgres_url, "device", "revoke", enrolled.device_id)

    done = run([*desk_command(), "sync", "--once", "--config", str(enrolled.config)])
    assert done.returncode == 4
    no_traceback(done)
    assert "revoked" in done.stderr
    assert not cache.exists()
    assert KeyStore().load_key(cache_id_for(cache)) is None
    assert DeviceCredentials().token(enrolled.device_id) is None


def test_enroll_with_a_used_code_exits_1_without_a_traceback(
    backend: Backend, postgres_url: str, tmp_path: Path
) -> None:
    code = backend_cli(postgres_url, "enrollment-code", CENTER)
    with backend_process(postgres_url, fixed_time=FIXED_TIME) as process:
        argv = [*desk_command(), "enroll", "--backend", process.url, "--code", code]
        first = run([*argv, "--config", str(tmp_path / "a.json"), "--data-dir", str(tmp_path)])
        assert first.returncode == 0, first.stderr
        second = run([*argv, "--config", str(tmp_path / "b.json"), "--data-dir", str(tmp_path)])
    assert second.returncode == 1
    no_traceback(second)
    assert "Unauthorized" in second.stderr
    assert not (tmp_path / "b.json").exists()
    config = load_config(tmp_path / "a.json")
    assert config is not None
    DeviceCredentials().forget(config.device_id)


def test_sync_once_when_not_enrolled_exits_2(tmp_path: Path) -> None:
    done = run([*desk_command(), "sync", "--once", "--config", str(tmp_path / "desk.json")])
    assert done.returncode == 2
    no_traceback(done)
    assert "not enrolled yet" in done.stderr
    assert "center-desk enroll" in done.stderr
    assert not (tmp_path / "desk.json").exists()


def test_enroll_data_dir_round_trips_through_the_settings_file(tmp_path: Path) -> None:
    # Settings written by an older enroll (no data_dir) still load, and the field can be set.
    path = tmp_path / "desk.json"
    path.write_text(
        json.dumps(
            {"backend_url": "https://yoyaku.example.lg.jp", "device_id": "d", "center_id": CENTER}
        ),
        encoding="utf-8",
    )
    config = load_config(path)
    assert config is not None and config.data_dir is None
    save_config(replace(config, data_dir=str(tmp_path / "data")), path)
    reloaded = load_config(path)
    assert reloaded is not None
    assert reloaded.cache_path == tmp_path / "data" / "desk-cache.sqlcipher"


# -- an unreadable cache: nothing deleted, the outbox salvaged, a person decides (issue 10) ----


def book_offline(enrolled: Enrolled, slots: tuple[str, ...]) -> list[str]:
    """Walk-ins booked at the desk with no backend (as offline), in the CLI's cache."""
    from datetime import date

    from center_desk.domain import ManualClock
    from center_desk.store import open_cache
    from center_desk.sync.operations import DeskOperations, WalkIn
    from center_desk.sync.recovery import ledger_for
    from center_desk.sync.runner import InlineRunner
    from tests.support.backend_app import HALL

    path = enrolled.data_dir / "desk-cache.sqlcipher"
    with open_cache(path, KeyStore(), create=False) as cache:
        # The CLI measured the backend's fixed test time against the real clock; this desk's
        # clock is set to the backend's, so that offset does not apply to it.
        cache.connection.execute("DELETE FROM meta WHERE key = 'server_clock_offset'")
        ops = DeskOperations(
            InlineRunner(cache),
            None,
            ManualClock(tokyo(2027, 2, 10, 10, 5)),
            staff_id=lambda: "s001",
            ledger=ledger_for(path),
        )
        return [
            ops.book_walk_in(
                WalkIn(
                    room_id=HALL,
                    use_date=date(2027, 2, 15),
                    slot_id=slot,
                    headcount=10,
                    user_id=enrolled.user_id,
                )
            ).approval_number
            for slot in slots
        ]


def backend_numbers(backend: Backend) -> set[str]:
    from sqlalchemy import select

    from center_desk.backend.models import ReservationRow

    with backend.ctx.db.session() as session:
        return set(
            session.scalars(
                select(ReservationRow.approval_number).where(
                    ReservationRow.approval_number.startswith("K")
                )
            )
        )


def damage(path: Path, how: str) -> None:
    if how == "bit_flip":
        # One bit of a page of the groups table: its HMAC fails, the outbox's pages still read.
        from center_desk.store import open_cache

        with open_cache(path, KeyStore(), create=False) as cache:
            root = cache.connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = 'groups'"
            ).fetchone()[0]
        with path.open("r+b") as handle:
            handle.seek((int(root) - 1) * 4096 + 200)
            byte = handle.read(1)
            handle.seek((int(root) - 1) * 4096 + 200)
            handle.write(bytes([byte[0] ^ 0x01]))
    elif how == "truncated":
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.truncate(size // 2)


@pytest.mark.parametrize("how", ["bit_flip", "truncated", "replaced_key"])
def test_an_unreadable_cache_is_kept_named_and_salvaged_after_the_choice(
    enrolled: Enrolled, backend: Backend, how: str
) -> None:
    sync = [*desk_command(), "sync", "--once", "--config", str(enrolled.config)]
    first = run(sync)
    assert first.returncode == 0, first.stderr
    booked = book_offline(enrolled, ("morning", "afternoon"))
    path = enrolled.data_dir / "desk-cache.sqlcipher"
    original_key = KeyStore().load_key(cache_id_for(path))
    assert original_key is not None
    if how == "replaced_key":
        KeyStore().create_key(cache_id_for(path))
    else:
        damage(path, how)
    before = path.read_bytes()

    refused = run(sync)
    assert refused.returncode == 5, (refused.returncode, refused.stderr)
    no_traceback(refused)
    # The staff message names what waits, audit events included, and none of SQLCipher's
    # own log lines.
    assert "waiting to be sent: 2 change(s) and 2 audit event(s)" in refused.stderr
    assert all(number in refused.stderr for number in booked)
    assert "ERROR CORE" not in refused.stderr + refused.stdout
    assert "hmac" not in (refused.stderr + refused.stdout).lower()
    assert "nothing was deleted" in refused.stderr
    # Nothing deleted or changed: the file, and the key in the keyring.
    assert path.read_bytes() == before
    assert KeyStore().load_key(cache_id_for(path)) is not None
    assert backend_numbers(backend) == set()

    if how == "replaced_key":
        # Try again, after IT puts the right key back: everything is there and pushed.
        KeyStore().store_key(cache_id_for(path), original_key)
        again = run(sync)
        assert again.returncode == 0, again.stderr
        assert backend_numbers(backend) == set(booked)
        return

    fresh = run([*sync, "--fresh-cache"])
    no_traceback(fresh)
    assert fresh.returncode == 0, fresh.stderr
    salvaged = re.search(r"(\d+) salvaged change\(s\) will be pushed, (\d+) lost", fresh.stderr)
    assert salvaged is not None, fresh.stderr
    pushed = backend_numbers(backend)
    assert pushed <= set(booked)
    if how == "bit_flip":
        # The outbox's pages were intact: every booking and audit event salvaged and pushed.
        assert int(salvaged.group(1)) == 4 and int(salvaged.group(2)) == 0
        assert pushed == set(booked)
    else:
        assert len(pushed) + int(salvaged.group(2)) == len(booked)
    # The old cache was set aside with its key, for IT; a fresh one is in its place.
    aside = list((enrolled.data_dir / "set-aside").glob("*/desk-cache.sqlcipher"))
    assert len(aside) == 1 and aside[0].read_bytes() == before
    assert KeyStore().load_key(cache_id_for(aside[0])) == (
        original_key if how != "replaced_key" else None
    )
    KeyStore().delete_key(cache_id_for(aside[0]))
    again = run(sync)
    assert again.returncode == 0, again.stderr
    assert "waiting 0" in again.stdout


# -- re-enrolment as another center (issue 10) ---------------------------------------------


def enroll_again(
    enrolled: Enrolled, postgres_url: str, center: str
) -> subprocess.CompletedProcess[str]:
    code = backend_cli(postgres_url, "enrollment-code", center)
    return run(
        [
            *desk_command(),
            "enroll",
            "--backend",
            enrolled.process.url,
            "--code",
            code,
            "--config",
            str(enrolled.config),
            "--data-dir",
            str(enrolled.data_dir),
        ]
    )


def cache_facts(enrolled: Enrolled) -> tuple[set[str], int, int]:
    from center_desk.store import open_cache

    with open_cache(enrolled.data_dir / "desk-cache.sqlcipher", KeyStore(), create=False) as c:
        db = c.connection
        centers = {r[0] for r in db.execute("SELECT DISTINCT center_id FROM reservations")}
        groups = int(db.execute("SELECT count(*) FROM groups").fetchone()[0])
        rooms = int(
            db.execute("SELECT count(*) FROM rooms WHERE center_id = 'nakajima'").fetchone()[0]
        )
    return centers, groups, rooms


@pytest.mark.parametrize("reachable", [True, False])
def test_re_enrolment_to_another_center_pushes_or_names_waiting_work_then_starts_clean(
    enrolled: Enrolled, backend: Backend, postgres_url: str, reachable: bool
) -> None:
    sync = [*desk_command(), "sync", "--once", "--config", str(enrolled.config)]
    assert run(sync).returncode == 0
    booked = book_offline(enrolled, ("evening",))
    if not reachable:
        # The old enrolment can no longer push (its token is gone): the work is named.
        DeviceCredentials().forget(enrolled.device_id)
    done = enroll_again(enrolled, postgres_url, "nakajima")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    if reachable:
        assert backend_numbers(backend) == set(booked)
        assert not (enrolled.data_dir / "set-aside").exists()
    else:
        assert backend_numbers(backend) == set()
        assert booked[0] in done.stderr and "set aside" in done.stderr
        assert len(list((enrolled.data_dir / "set-aside").glob("*/desk-cache.sqlcipher"))) == 1
    settings = load_config(enrolled.config)
    assert settings is not None and settings.center_id == "nakajima"

    after = run(sync)
    assert after.returncode == 0, after.stderr
    no_traceback(after)
    assert "(snapshot)" in after.stdout
    centers, groups, rooms = cache_facts(enrolled)
    # Nothing of the old center's bookings or groups; the new center's rooms.
    assert centers <= {"nakajima"} and groups == 0 and rooms > 0
    DeviceCredentials().forget(settings.device_id)


def test_new_epoch_after_a_restore_gives_the_desk_a_full_snapshot(
    enrolled: Enrolled, postgres_url: str
) -> None:
    sync = [*desk_command(), "sync", "--once", "--config", str(enrolled.config)]
    assert run(sync).returncode == 0
    quiet = run(sync)
    assert quiet.returncode == 0 and "(snapshot)" not in quiet.stdout
    said = backend_cli(postgres_url, "sync", "new-epoch")
    assert "every desk gets a full snapshot" in said
    after = run(sync)
    assert after.returncode == 0, after.stderr
    assert "(snapshot)" in after.stdout
