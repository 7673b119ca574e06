"""The desk's cold start paints its window before it loads what only later work needs (issue 13):
the same start as tests/ui/bench_cold_start.py (``center-desk`` enrolled, its cache key in the
Secret Service, a backend that is not there), run once to its first paint, with the list of
modules it had imported by then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.bench_cold_start import ROOT, _desk_env

#: Loaded after the first paint (sync engine, warm-up) or on first use (sign-in, a tab, a
#: print), never before it: each is tens of milliseconds or megabytes of a start.
LATER = (
    "argon2",  # offline sign-in
    "httpx",  # the backend client, made on first use
    "jpholiday",  # the first closed-day question
    "pydantic",  # the wire models (protocol), with the client and the operations
    "center_desk.protocol",
    "center_desk.sync.client",
    "center_desk.sync.engine",
    "center_desk.sync.operations",
    "reportlab",  # the forms, warmed up after the first paint
    "PIL",
    "center_desk.printing",
    "center_desk.ui.views",  # the tabs, built at the first sign-in
    "center_desk.ui.dialogs",
)


def _first_paint(env: dict[str, str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.cold_start", "desk"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout, f"the desk printed nothing (exit {result.returncode}): {result.stderr}"
    report: dict[str, object] = json.loads(result.stdout.splitlines()[0])
    return report


@pytest.mark.keyring
def test_the_window_is_painted_before_the_later_parts_are_imported(tmp_path: Path) -> None:
    env = {**_desk_env(tmp_path), "COLD_START_MODULES": "1"}
    _first_paint(env)  # the first start makes the cache and its key
    report = _first_paint(env)
    modules = report["modules"]
    assert isinstance(modules, list)
    # The start is the real one: the window, the cache and the keyring are there.
    for needed in ("center_desk.ui.main_window", "center_desk.store.connection", "keyring"):
        assert needed in modules
    early = sorted(
        name for name in modules for later in LATER if name == later or name.startswith(later + ".")
    )
    assert early == [], f"imported before the first paint: {early}"
