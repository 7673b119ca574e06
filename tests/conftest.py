"""Shared test set-up. The README's test command (tests/run.sh) provides the real services:
a D-Bus session with gnome-keyring (Secret Service). PostgreSQL and CUPS are started by the
fixtures of the tests that need them."""

from __future__ import annotations

import os

# pytest-qt must never need a display: the GUI tests render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A throwaway PostgreSQL cluster for the backend's tests (started on first use), and the check
# that the test keyring is still the one tests/run.sh unlocked.
pytest_plugins = ["tests.support.postgres", "tests.support.keyring_guard"]
