"""Headless desk commands, with no Qt imported (for city IT, scripts and tests):

    center-desk enroll --backend URL --code CODE [--name NAME] [--ca-file PEM] [--data-dir DIR]
    center-desk sync --once

They use the same settings file, keyring entries and encrypted cache as the window.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_desk.domain import SystemClock
from center_desk.store import InsecureKeyringError, KeyStore, StoreError

from .client import BackendClient, make_http
from .config import DeskConfig, load_config, save_config
from .credentials import DeviceCredentials
from .engine import SyncEngine
from .errors import SyncError
from .recovery import ledger_for, open_desk_cache, wipe_revoked
from .runner import InlineRunner


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
    for parser in (enroll, sync):
        parser.add_argument("--config", type=Path, help="settings file (default: per user)")


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "enroll":
            return _enroll(args)
        return _sync_once(args)
    except InsecureKeyringError as exc:
        print(f"center-desk: {exc}", file=sys.stderr)
        return 3
    except (StoreError, SyncError, ValueError) as exc:
        print(f"center-desk: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _enroll(args: argparse.Namespace) -> int:
    credentials = DeviceCredentials()
    http = make_http(args.backend, ca_file=args.ca_file)
    enrolled = BackendClient(http).enroll(args.code, args.name)
    credentials.store(enrolled.device_id, enrolled.device_token)
    config = DeskConfig(
        backend_url=args.backend,
        device_id=enrolled.device_id,
        center_id=enrolled.center_id,
        device_name=args.name,
        ca_file=args.ca_file,
        data_dir=str(args.data_dir.resolve()) if args.data_dir else None,
    )
    path = save_config(config, args.config)
    print(f"enrolled as a desk of {enrolled.center_id}; settings in {path}")
    return 0


def _sync_once(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if config is None:
        print("center-desk: not enrolled yet: run `center-desk enroll` first", file=sys.stderr)
        return 2
    clock = SystemClock()
    key_store = KeyStore()
    credentials = DeviceCredentials()
    cache, recovery = open_desk_cache(config.cache_path, key_store, clock)
    if recovery is not None:
        print(
            f"the cache could not be opened ({recovery.reason}) and was rebuilt;"
            f" {len(recovery.lost)} waiting change(s) were lost",
            file=sys.stderr,
        )
        for item in recovery.lost:
            print(f"  lost: #{item.mutation_id} {item.summary}", file=sys.stderr)
    try:
        http = make_http(config.backend_url, ca_file=config.ca_file)
        client = BackendClient(http, device_token=lambda: credentials.token(config.device_id))
        revoked = False

        def on_revoked() -> None:
            nonlocal revoked
            revoked = True

        engine = SyncEngine(
            InlineRunner(cache),
            client,
            clock,
            on_revoked=on_revoked,
            ledger=ledger_for(config.cache_path),
        )
        report = engine.sync_once()
        if revoked:
            lost = wipe_revoked(cache, key_store)
            credentials.forget(config.device_id)
            print(
                f"this desk was revoked by the city: its cache was wiped"
                f" ({len(lost.lost)} waiting change(s) lost)",
                file=sys.stderr,
            )
            return 4
        status = engine.status
        print(
            f"pushed {report.pushed} (applied {report.applied}, duplicates {report.duplicates},"
            f" rejected {len(report.rejected)}), pulled {report.pulled}"
            f"{' (snapshot)' if report.snapshot else ''}; waiting {status.pending},"
            f" needs attention {status.needs_attention}"
        )
        if status.clock_warning and status.clock_offset is not None:
            print(f"warning: this PC's clock is off by {status.clock_offset}", file=sys.stderr)
        if report.error:
            print(f"sync incomplete: {report.error}", file=sys.stderr)
            return 1
        return 0
    finally:
        if not cache.closed:
            cache.close()
