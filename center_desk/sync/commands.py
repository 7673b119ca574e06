"""The headless commands' arguments (``center-desk enroll …``, ``center-desk sync --once``).

Apart from what runs them (:mod:`center_desk.sync.cli`): every start of the desk parses its
command line, and only the commands need the HTTP client and the sync engine (issue 13)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    enroll = sub.add_parser("enroll", help="enroll this PC as a center's desk")
    enroll.add_argument("--backend", required=True, help="https://… address of the backend")
    enroll.add_argument("--code", required=True, help="one-time enrollment code from the city")
    enroll.add_argument("--name", default="counter", help="a name for this desk")
    enroll.add_argument("--ca-file", help="PEM file of the CA that issued the backend's cert")
    enroll.add_argument(
        "--data-dir", type=Path, help="folder for the encrypted cache (default: per user)"
    )
    sync = sub.add_parser("sync", help="push waiting changes and pull new ones")
    sync.add_argument("--once", action="store_true", required=True, help="one push and pull")
    sync.add_argument(
        "--fresh-cache",
        action="store_true",
        help="when the cache will not open: set it aside (kept for IT) and start a fresh one,"
        " pushing what could be salvaged",
    )
    for parser in (enroll, sync):
        parser.add_argument("--config", type=Path, help="settings file (default: per user)")
