"""The PyInstaller bundle, built in the background from the start of the session (issue 11): a
pytest plugin.

The build takes 40-95 s, most of it one process waiting on one core; run when its test comes
up, the whole suite waits for it. So it starts as soon as the session knows that a selected
test needs it, and runs beside the other tests:

- in a single-process run, after collection, when a selected test uses the ``bundle`` fixture;
- under pytest-xdist, in the controller, when the first worker reports its collection and it
  holds a test of :data:`BUNDLE_TESTS`; every worker is told the build's folder.

The ``bundle`` fixture (tests/installers/conftest.py) calls :func:`built_bundle`, which waits
for that build, or builds there and then when none was started (a test selected some other
way). The build's folder is removed when the session ends.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.support.packaging import SPEC

#: The test files that use the ``bundle`` fixture: what the xdist controller, which sees test
#: ids only, looks for. (A file missing here is still built for, only not ahead of time.)
BUNDLE_TESTS = ("tests/installers/test_bundle_and_deb.py::",)
BUILD_TIMEOUT = 600.0

_WORKERINPUT_KEY = "center_desk_bundle_build"
_STARTED = "started"
_STATUS = "status"
_LOG = "build.log"
# Runs PyInstaller and files its exit status once it is done (renamed into place, so a reader
# never sees half of it).
_WRAPPER = (
    "import os, subprocess, sys\n"
    "root = sys.argv[1]\n"
    "with open(os.path.join(root, 'build.log'), 'wb') as log:\n"
    "    code = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)\n"
    "with open(os.path.join(root, 'status.part'), 'w') as out:\n"
    "    out.write(str(code))\n"
    "os.replace(os.path.join(root, 'status.part'), os.path.join(root, 'status'))\n"
)


def pyinstaller_command(work: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(work / "dist"),
        "--workpath",
        str(work / "build"),
        str(SPEC),
    ]


class _Build:
    """The session's one background build (in this process: the only one, or the controller)."""

    root: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls) -> None:
        if cls.process is not None or importlib.util.find_spec("PyInstaller") is None:
            return
        cls.root = cls.root or Path(tempfile.mkdtemp(prefix="center-desk-bundle-"))
        cls.process = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, str(cls.root), *pyinstaller_command(cls.root)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (cls.root / _STARTED).touch()

    @classmethod
    def stop(cls) -> None:
        if cls.process is not None and cls.process.poll() is None:
            cls.process.kill()  # the session is over: nobody is waiting for the bundle
            cls.process.wait()
        if cls.root is not None:
            shutil.rmtree(cls.root, ignore_errors=True)
        cls.process = None
        cls.root = None


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_collection_finish(session: pytest.Session) -> None:
    if _is_worker(session.config):
        return  # the controller started it, if any test needs it
    if any("bundle" in getattr(item, "fixturenames", ()) for item in session.items):
        _Build.start()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: each worker learns where the build will be, before it starts."""
    if _Build.root is None:
        _Build.root = Path(tempfile.mkdtemp(prefix="center-desk-bundle-"))
    node.workerinput[_WORKERINPUT_KEY] = str(_Build.root)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: Sequence[str]) -> None:
    """xdist controller: start the build once any worker has collected a test that needs it
    (before any test is handed out, so a worker that finds no mark of it may build it)."""
    if any(test_id.startswith(BUNDLE_TESTS) for test_id in ids):
        _Build.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _is_worker(config):
        _Build.stop()


def built_bundle(config: pytest.Config, work: Path) -> Path:
    """The dist folder's ``center-desk`` of the session's build: the background one when it
    was started, else one built now in ``work``."""
    shared = getattr(config, "workerinput", {}).get(_WORKERINPUT_KEY)
    root = Path(shared) if shared else _Build.root
    if root is None or not (root / _STARTED).exists():
        root = work
        with (root / _LOG).open("wb") as log:
            code = subprocess.call(
                pyinstaller_command(root),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=BUILD_TIMEOUT,
            )
    else:
        deadline = time.monotonic() + BUILD_TIMEOUT
        while not (root / _STATUS).exists():
            assert time.monotonic() < deadline, "the background PyInstaller build did not finish"
            time.sleep(0.5)  # waiting for another process to finish, not for time to pass
        code = int((root / _STATUS).read_text(encoding="ascii"))
    log_text = (root / _LOG).read_text(encoding="utf-8", errors="replace")
    assert code == 0, f"PyInstaller exited {code}:\n{log_text[-6000:]}"
    return root / "dist" / "center-desk"
