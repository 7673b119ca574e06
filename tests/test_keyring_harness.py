"""The test harness keeps its keyring (issue 11): when the gnome-keyring daemon dies mid-run,
the watchdog of tests/support/with-keyring.sh starts and unlocks it again, with the secrets it
held, and meanwhile D-Bus activation does not start a second daemon in its place.

The daemon killed is that of a harness of the test's own (a private D-Bus session and keyring,
made as tests/run.sh makes them, with the check running inside): the run's own daemon serves
the keyring tests running beside this one (pytest-xdist), which must not see it die."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest

from tests.support.keyring_guard import _keyring_state, _wait_for_keyring

pytestmark = pytest.mark.skipif(
    os.environ.get("CENTER_DESK_TEST_KEYRING") != "1",
    reason="needs the keyring of tests/run.sh (tests/support/with-keyring.sh)",
)


REPO = Path(__file__).resolve().parents[1]


def _daemon_pid() -> int | None:
    reply = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for word in reply.stdout.split():
        if word.isdigit():
            return int(word)
    return None


@pytest.mark.keyring
def test_a_dead_keyring_daemon_is_restarted_unlocked_with_its_secrets() -> None:
    env = {key: value for key, value in os.environ.items() if key != "CENTER_DESK_TEST_HOME"}
    result = subprocess.run(
        [
            "dbus-run-session",
            "--config-file=tests/support/session-bus.conf",
            "--",
            "bash",
            "tests/support/with-keyring.sh",
            sys.executable,
            "-c",
            "from tests.test_keyring_harness import kill_the_daemon_and_see_it_back as check\n"
            "check()\n"
            "print('checked')",
        ],
        cwd=REPO,
        env=env,  # without CENTER_DESK_TEST_HOME: a HOME, so keyring files, of its own
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert result.stdout.strip().splitlines()[-1:] == ["checked"], output


def kill_the_daemon_and_see_it_back() -> None:
    """Inside the test's own harness (tests/support/with-keyring.sh)."""
    keyring.set_password("center-desk-harness", "probe", "still here")
    first = _daemon_pid()
    assert first is not None
    # The daemon the harness itself started for this run (found by the bus name it owns).
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _daemon_pid() == first and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the process to be gone from the bus
    # Asking now activates nothing (a second daemon would answer "locked"): either nobody
    # answers yet, or the watchdog's own restart already does.
    assert _keyring_state() in ("gone", "ok")
    assert _wait_for_keyring() == "ok"
    second = _daemon_pid()
    assert second is not None and second != first
    assert keyring.get_password("center-desk-harness", "probe") == "still here"
    keyring.delete_password("center-desk-harness", "probe")
