"""Helpers for the packaging tests (tests/installers): paths, the counter user's environment."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "installers" / "pyinstaller" / "center-desk.spec"
BUILD_DEB = REPO / "installers" / "linux" / "build-deb.sh"
#: A CUPS queue that prints on paper (a network printer's socket), as at a counter.
PAPER_QUEUE = "counter"


@dataclass(frozen=True)
class TlsFiles:
    """A city CA, and the backend's certificate for 127.0.0.1 issued by it (PEM files)."""

    ca: Path
    cert: Path
    key: Path


def unavailable(reason: str) -> None:
    """Skip, but fail under CI=true: there the packaging tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"packaging tests cannot run: {reason}")
    pytest.skip(reason)


def self_test_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a counter user: its own config and data folders, the session's
    D-Bus (Secret Service) and no display."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "VIRTUAL_ENV", "PYTHONPATH"}
    }
    env.update(
        {
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "PATH": "/usr/bin:/bin",
            **extra,
        }
    )
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must pick offscreen by itself
    return env


def which_or_skip(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        unavailable(f"{tool} is not installed")
    assert found is not None
    return found
