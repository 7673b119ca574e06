"""Shared test set-up. The README's test command (tests/run.sh) provides the real services:
a D-Bus session with gnome-keyring (Secret Service). PostgreSQL and CUPS are started by the
fixtures of the tests that need them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis's 200 ms per-example deadline measures the machine, not the code: on two cores
# shared with the backend, PostgreSQL and the other tests an example can take longer, and the
# property test then fails though every example held. The properties and their example counts
# stay as they are.
settings.register_profile("center-desk", deadline=None)
settings.load_profile("center-desk")

# pytest-qt must never need a display: the GUI tests render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A throwaway PostgreSQL cluster for the backend's tests (started on first use), the check that
# the test keyring is still the one tests/run.sh unlocked, the PyInstaller bundle built in the
# background from the start of the session, and the tests whose timing is asserted run with no
# other test beside them (``alone``).
pytest_plugins = [
    "tests.support.postgres",
    "tests.support.keyring_guard",
    "tests.support.bundle_build",
    "tests.support.alone",
]


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Benchmarks (``-m benchmark``) run in one process, whatever ``-n`` tests/run.sh gives:
    a second worker beside them would be measured too, and their table is made in-process."""
    markexpr = str(config.getoption("markexpr", "") or "")
    benchmarks = "benchmark" in markexpr and "not benchmark" not in markexpr
    if benchmarks and getattr(config.option, "numprocesses", None):
        config.option.numprocesses = 0


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After ``-m benchmark``: the one table of every figure against its same-run baseline,
    also written to docs/benchmarks.md (tests/support/bench.py)."""
    from tests.support import bench

    if not bench.figures():
        return
    root = Path(__file__).resolve().parent.parent
    # Only the whole set rewrites the table: a run of one benchmark file (or -k) would
    # otherwise leave docs/benchmarks.md with that file's rows alone.
    config = terminalreporter.config
    chosen = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    whole = all(path in (root, root / "tests") for path in chosen) and not config.option.keyword
    terminalreporter.write_line("")
    for line in bench.report(root / "docs" / "benchmarks.md" if whole else None).splitlines():
        terminalreporter.write_line(line)
