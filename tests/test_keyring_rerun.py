"""A test that fails because the test keyring daemon was replaced under it runs once more
(tests/support/keyring_guard.py); any other failure stands. Checked in a harness of the
test's own (a private D-Bus session and keyring, as tests/run.sh makes them), so the run's
own daemon, which the tests beside this one use, never dies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    os.environ.get("CENTER_DESK_TEST_KEYRING") != "1",
    reason="needs the keyring of tests/run.sh (tests/support/with-keyring.sh)",
)

_INNER = """
from pathlib import Path

from center_desk.store import KeyStore
from tests.test_keyring_harness import _daemon_pid

RUNS = Path(__file__).with_name("runs.txt")


def _count(name):
    with RUNS.open("a") as runs:
        runs.write(name + "\\n")
    return RUNS.read_text().split().count(name)


def test_killed_under_it():
    if _count("killed") == 1:
        import os, signal
        os.kill(_daemon_pid(), signal.SIGKILL)
    # As the desk and its tests do: the keyring's backend made anew, then asked.
    key = KeyStore().create_key("rerun-probe")
    assert KeyStore().load_key("rerun-probe") == key
    KeyStore().delete_key("rerun-probe")


def test_a_real_failure():
    _count("real")
    assert False, "a real failure"
"""


@pytest.mark.keyring
def test_a_test_whose_keyring_daemon_died_runs_again_and_a_real_failure_stands(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_inner.py").write_text(_INNER, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "CENTER_DESK_TEST_HOME"}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [
            "dbus-run-session",
            "--config-file=tests/support/session-bus.conf",
            "--",
            "bash",
            "tests/support/with-keyring.sh",
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.support.keyring_guard",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_inner.py"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "1 failed, 1 passed" in output, output
    runs = (tmp_path / "runs.txt").read_text().split()
    assert runs.count("killed") == 2, output  # failed once with its daemon gone, then passed
    assert runs.count("real") == 1, output  # a real failure is not run again
