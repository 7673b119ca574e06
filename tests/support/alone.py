"""Tests whose timing is asserted run with no other test beside them (issue 11): a pytest plugin.

tests/run.sh runs two pytest-xdist workers. A test marked ``@pytest.mark.alone`` (the 09:00
rush, whose every answer must come within PROMPT_SECONDS; a push whose chunks must each beat
the desk's 10 s timeout) would otherwise share the two cores with whatever test the other
worker runs, and be measured against it. So every test takes a lock shared with the other
worker's tests, and an ``alone`` test takes it exclusively: the other worker finishes the test
it is in and waits until the ``alone`` test is done.

Two ``flock`` files, a turnstile and a room, so that a waiting ``alone`` test is not starved by
a stream of shared ones: a test passes the turnstile to enter the room; an ``alone`` test holds
the turnstile until it has the room to itself and is done. In one process (``-n 0``) there is
nobody beside a test and nothing is locked.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path
from typing import IO, Any

import pytest

MARK = "alone"
_WORKERINPUT_KEY = "center_desk_alone_locks"
_controller_dir: list[Path] = []
_files: dict[str, IO[bytes]] = {}


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: one folder of lock files for all the workers of this run."""
    if not _controller_dir:
        _controller_dir.append(Path(tempfile.mkdtemp(prefix="center-desk-alone-")))
    node.workerinput[_WORKERINPUT_KEY] = str(_controller_dir[0])


def pytest_unconfigure(config: pytest.Config) -> None:
    for handle in _files.values():
        handle.close()
    _files.clear()
    if not hasattr(config, "workerinput"):
        for folder in _controller_dir:
            shutil.rmtree(folder, ignore_errors=True)
        _controller_dir.clear()


def _lock_file(folder: str, name: str) -> IO[bytes]:
    if name not in _files:
        _files[name] = (Path(folder) / name).open("ab")
    return _files[name]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    folder = getattr(item.config, "workerinput", {}).get(_WORKERINPUT_KEY)
    if folder is None:
        return (yield)
    turnstile, room = _lock_file(folder, "turnstile"), _lock_file(folder, "room")
    alone = item.get_closest_marker(MARK) is not None
    fcntl.flock(turnstile, fcntl.LOCK_EX)
    try:
        fcntl.flock(room, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
    except BaseException:
        fcntl.flock(turnstile, fcntl.LOCK_UN)
        raise
    if not alone:
        fcntl.flock(turnstile, fcntl.LOCK_UN)
    try:
        return (yield)
    finally:
        fcntl.flock(room, fcntl.LOCK_UN)
        if alone:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
